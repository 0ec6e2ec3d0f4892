"""Late-payment interest, recovery indemnity and payment-term rules (France first).

Rates are annual percentages: ``Decimal("14.50")`` means 14.50 % a year. Rate tables
are passed in as data by the caller, so other jurisdictions are configuration, not code.
"""

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from .numbers import as_decimal

CENT = Decimal("0.01")
DEFAULT_INDEMNITY = Decimal("40")
DEFAULT_ECB_MARGIN = Decimal(10)
CONTRACTUAL_MINIMUM_FACTOR = Decimal(3)
ONE_DAY = timedelta(days=1)


class InterestPeriod(NamedTuple):
    """Consecutive late days (both ends included) with the same balance and rate."""

    start: date
    end: date
    balance: Decimal
    rate: Decimal

    @property
    def days(self):
        return (self.end - self.start).days + 1


def interest_periods(amount, due_date, end_date, payments=(), annual_rate=None):
    """Split the late days of one invoice into periods of constant balance and rate.

    Late days are the days ``d`` with ``due_date < d <= end_date``. The balance of day
    ``d`` is ``amount`` minus the payments dated before ``d``: a payment received on
    day ``p`` still bears interest for day ``p`` and lowers the base from ``p + 1``;
    payments dated on or before the due date lower it from the start. A negative
    payment (a bounced cheque) raises the balance again. Days with a balance of zero or
    less accrue nothing and belong to no period; ``annual_rate`` is not called for them.

    :param amount: amount due at the due date, tax included (Decimal, int, str, float).
    :param payments: iterable of ``(date, amount)``, in any order.
    :param annual_rate: callable ``day -> percent``, called once per late day with a
        positive balance; consecutive days with the same balance and rate are merged.
    :return: list of :class:`InterestPeriod` in date order.
    """
    amount = as_decimal(amount, "amount")
    if amount < 0:
        raise ValueError(f"amount must not be negative, got {amount}")
    if annual_rate is None:
        raise ValueError(
            "annual_rate is required: a callable returning the annual percentage of a "
            "day, e.g. lambda day: ecb_plus_margin_rate(day, ecb_history)"
        )
    movements = _movements(payments)
    count = len(movements)
    periods = []
    balance = amount
    index = 0
    day = due_date + ONE_DAY
    # the run of days being merged: first day, last day, balance, rate
    first = last = run_balance = run_rate = None
    while day <= end_date:
        while index < count and movements[index][0] < day:
            balance -= movements[index][1]
            index += 1
        if balance <= 0:
            if index == count:
                break  # nothing due and no payment left to change that
            # nothing accrues until the day after the next movement
            day = max(day + ONE_DAY, movements[index][0] + ONE_DAY)
            continue
        rate = annual_rate(day)
        if not isinstance(rate, Decimal) or not rate.is_finite():
            rate = as_decimal(rate, f"annual rate of {day}")
        if rate < 0:
            raise ValueError(f"annual rate of {day} must not be negative: {rate}")
        if last == day - ONE_DAY and run_balance == balance and run_rate == rate:
            last = day
        else:
            if first is not None:
                periods.append(InterestPeriod(first, last, run_balance, run_rate))
            first = last = day
            run_balance, run_rate = balance, rate
        day += ONE_DAY
    if first is not None:
        periods.append(InterestPeriod(first, last, run_balance, run_rate))
    return periods


def _movements(payments):
    return sorted(
        (paid_on, as_decimal(paid, "payment amount")) for paid_on, paid in payments
    )


def late_span(amount, due_date, end_date, payments=()):
    """Return the first and last late days on which something is still due, or None.

    Same days as :func:`interest_periods` (``due_date < d <= end_date`` with a positive
    balance), computed from the payments alone, without a rate.

    :return: ``(first_day, last_day)`` or ``None`` when the invoice was never late.
    """
    balance = as_decimal(amount, "amount")
    first = last = None
    day = due_date + ONE_DAY
    movements = _movements(payments)
    index, count = 0, len(movements)
    while day <= end_date:
        while index < count and movements[index][0] < day:
            balance -= movements[index][1]
            index += 1
        # the balance stays the same up to the day of the next movement, included
        until = min(end_date, movements[index][0]) if index < count else end_date
        if balance > 0:
            first = first or day
            last = until
        day = until + ONE_DAY
    return (first, last) if first else None


def periods_after(periods, day):
    """Return the part of ``periods`` after ``day``: what is left to charge when the
    days up to ``day`` included were charged already. ``day`` None keeps them all."""
    if day is None:
        return list(periods)
    return [
        period if period.start > day else period._replace(start=day + ONE_DAY)
        for period in periods
        if period.end > day
    ]


def late_interest(
    amount, due_date, end_date, payments=(), annual_rate=None, year_days=365
):
    """Return the simple late-payment interest of one invoice, rounded once to the cent.

    Interest is the sum over each late day ``d`` of
    ``balance(d) * rate(d) / 100 / year_days``, rounded ROUND_HALF_UP at the end
    (Code de commerce L441-10 II; basis 365 even in leap years). See
    :func:`interest_periods` for the late days, the balance and the other arguments.
    Returns ``Decimal("0.00")`` when ``end_date <= due_date``.

    :param year_days: day-count basis, 365 in France.
    :raises ValueError: on a missing ``annual_rate``, a negative amount or rate, or a
        non-positive ``year_days``.
    """
    if year_days <= 0:
        raise ValueError(f"year_days must be positive, got {year_days}")
    periods = interest_periods(amount, due_date, end_date, payments, annual_rate)
    return interest_of_periods(periods, year_days)


def interest_of_periods(periods, year_days=365, quantum=CENT):
    """Return the simple interest of ``periods``, rounded once to ``quantum``.

    The periods may come from several due dates of one invoice (instalments): their
    interest is summed exactly and rounded ROUND_HALF_UP once at the end.

    :param periods: iterable of :class:`InterestPeriod`.
    :param quantum: the smallest unit of the currency, ``Decimal("0.01")`` for the euro,
        ``Decimal("1")`` for a currency without decimals.
    :raises ValueError: on a non-positive ``year_days`` or ``quantum``.
    """
    if year_days <= 0:
        raise ValueError(f"year_days must be positive, got {year_days}")
    quantum = as_decimal(quantum, "quantum")
    if quantum <= 0:
        raise ValueError(f"quantum must be positive, got {quantum}")
    weighted = sum(
        (period.balance * period.rate * period.days for period in periods), Decimal(0)
    )
    return (weighted / (100 * year_days)).quantize(quantum, rounding=ROUND_HALF_UP)


def half_year_start(day):
    """Return the first day of the half-year containing ``day``: 1 January or 1 July."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def rate_in_force(history, day):
    """Return the rate in force on ``day``: the latest one effective on or before it.

    :param history: iterable of ``(effective_date, percent)``, in any order.
    :raises ValueError: when no rate is in force on ``day``, or when two different
        rates share the effective date that applies.
    """
    best = None
    for effective_date, percent in history:
        if effective_date > day:
            continue
        if best is None or effective_date > best[0]:
            best = (effective_date, percent)
        elif effective_date == best[0] and percent != best[1]:
            raise ValueError(f"two different rates are effective on {effective_date}")
    if best is None:
        raise ValueError(f"no rate is in force on {day}")
    return as_decimal(best[1], f"rate effective on {best[0]}")


class HalfYearRate(NamedTuple):
    """The reference rate a half-year's late fees use, and whether it is a fallback."""

    half_year: date  # first day of the half-year, 1 January or 1 July
    rate: Decimal
    effective_date: date  # the date the rate used took effect
    fallback: bool  # the half-year's own rate is missing: the last known one is used


def rate_entered(history, start, per_half_year):
    """Return whether the rate of the half-year beginning on ``start`` was entered.

    A rate set per half-year (the taux de l'interet legal) is entered when a rate takes
    effect on ``start`` itself. A rate set by decisions on any day (the ECB rate of the
    reference date ``start``) is entered when a decision is dated after the start of
    the half-year before: one taken in the six months up to ``start`` is the rate in
    force on it, a later one shows the table was kept up to date past ``start``. A
    table with no decision for six months is taken as not kept up to date.

    :param history: iterable of ``(effective_date, percent)``, in any order.
    """
    if per_half_year:
        return any(effective_date == start for effective_date, _percent in history)
    previous = (
        date(start.year - 1, 7, 1) if start.month == 1 else date(start.year, 1, 1)
    )
    return any(effective_date > previous for effective_date, _percent in history)


def half_year_rate(history, day, per_half_year=False):
    """Return the :class:`HalfYearRate` of the half-year containing ``day``.

    The rate is the one in force on the first day of the half-year (:func:`rate_in_force`):
    for a rate set per half-year, the half-year's own rate, or the last known one before
    it when it is missing; for the ECB rate, the rate in force on the reference date.
    ``fallback`` tells that the half-year's rate was not entered (:func:`rate_entered`),
    so that the caller never uses the last known rate in silence.

    :raises ValueError: when no rate is in force on the first day of the half-year.
    """
    history = list(history)
    start = half_year_start(day)
    rate = rate_in_force(history, start)
    effective = max(
        effective_date
        for effective_date, _percent in history
        if effective_date <= start
    )
    return HalfYearRate(
        start, rate, effective, not rate_entered(history, start, per_half_year)
    )


def half_year_starts(first_day, last_day):
    """Return the first days of the half-years met from ``first_day`` to ``last_day``."""
    starts = []
    start = half_year_start(first_day)
    while start <= last_day:
        starts.append(start)
        start = (
            date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)
        )
    return starts


def ecb_plus_margin_rate(day, ecb_history, margin=DEFAULT_ECB_MARGIN):
    """Return the default French penalty rate of ``day``: ECB rate + ``margin`` points.

    The ECB main refinancing rate is the one in force on 1 January for days in
    January-June and on 1 July for days in July-December, whatever changes during the
    half-year.

    :param ecb_history: iterable of ``(effective_date, percent)``, in any order.
    :param margin: points added, 10 in France (8 in Belgium and Spain).
    :raises ValueError: when no ECB rate is in force at the start of the half-year.
    """
    ecb_rate = rate_in_force(ecb_history, half_year_start(day))
    return ecb_rate + as_decimal(margin, "margin")


def legal_rate_for_half_year(day, legal_history):
    """Return the taux de l'interet legal of the half-year containing ``day``.

    :param legal_history: iterable of ``(half_year_start, percent)`` keyed by the first
        day of the half-year, e.g. ``(date(2025, 7, 1), Decimal("2.76"))`` for 2025-H2.
    :raises ValueError: when the half-year has no rate.
    """
    start = half_year_start(day)
    for half_start, percent in legal_history:
        if half_start == start:
            return as_decimal(percent, f"legal rate of the half-year starting {start}")
    raise ValueError(f"no legal interest rate for the half-year starting {start}")


def minimum_contractual_rate(day, legal_history):
    """Return the lowest contractual penalty rate allowed on ``day``: 3 x legal rate.

    :param legal_history: as for :func:`legal_rate_for_half_year`, with the rates for
        professional creditors.
    """
    return CONTRACTUAL_MINIMUM_FACTOR * legal_rate_for_half_year(day, legal_history)


def floored_contractual_rate(day, contractual_rate, legal_history):
    """Return the contractual penalty rate of ``day``, never below 3 x the legal rate.

    A contractual rate lower than three times the taux de l'interet legal of the
    half-year cannot apply (Code de commerce L441-10 II): when the legal rate of the
    half-year rises above a third of the agreed rate, the legal minimum is charged.
    A half-year whose legal rate is missing is floored with the last known one (see
    :func:`half_year_rate`, whose ``fallback`` the caller reports); before the first
    known legal rate, the contractual rate is kept.

    :param legal_history: as for :func:`legal_rate_for_half_year`, with the rates for
        professional creditors.
    """
    rate = as_decimal(contractual_rate, "contractual rate")
    try:
        legal = half_year_rate(legal_history, day, per_half_year=True).rate
    except ValueError:
        return rate
    return max(rate, CONTRACTUAL_MINIMUM_FACTOR * legal)


def rate_outside(annual_rate, exempt_periods):
    """Return ``annual_rate`` with a rate of zero on the days of ``exempt_periods``.

    Used for the days on which penalties do not run although the invoice is late,
    for instance the days covered by a payment plan or a court-granted grace period
    (Code civil 1343-5).

    :param exempt_periods: iterable of ``(first_day, last_day)``, both included.
    """
    exempt = [(first, last) for first, last in exempt_periods]
    if not exempt:
        return annual_rate

    def rate(day):
        if any(first <= day <= last for first, last in exempt):
            return Decimal(0)
        return annual_rate(day)

    return rate


def recovery_indemnity(
    is_late, is_professional, insolvency=False, amount=DEFAULT_INDEMNITY
):
    """Return the fixed recovery indemnity owed for one invoice, or ``Decimal("0")``.

    The indemnity is due once per invoice paid late, in full even after a partial
    payment, by professional debtors only, and cannot be claimed while an insolvency
    procedure bars payment.

    :param amount: the indemnity of the jurisdiction, 40 (EUR) in France.
    """
    amount = as_decimal(amount, "indemnity amount")
    if amount < 0:
        raise ValueError(f"indemnity amount must not be negative, got {amount}")
    if is_late and is_professional and not insolvency:
        return amount
    return Decimal(0)


def days_late(due_date, end_date):
    """Return the days after ``due_date`` up to ``end_date`` included, at least 0."""
    return max((end_date - due_date).days, 0)


def _end_of_month(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def max_legal_term_ok(invoice_date, due_date, max_days=60, eom_days=45):
    """Return whether ``due_date`` respects the French maximum payment term (L441-10 I).

    The due date is accepted when it is no later than ``invoice_date + max_days`` or
    than the "45 days end of month" limit. Both readings of that limit are in use in
    France and both are accepted: end of the invoice month then + 45 days, or + 45 days
    then end of that month.

    :param eom_days: ``None`` when no end-of-month term applies (not expressly agreed,
        or 30-day sectors such as transport).
    """
    limit = invoice_date + timedelta(days=max_days)
    if eom_days is not None:
        limit = max(
            limit,
            _end_of_month(invoice_date) + timedelta(days=eom_days),
            _end_of_month(invoice_date + timedelta(days=eom_days)),
        )
    return due_date <= limit

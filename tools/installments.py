"""Payment plans: split an amount into dated installments, check them, allocate."""

import calendar
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from itertools import pairwise

from .numbers import as_decimal

# frequency -> (months, days) between two installments
FREQUENCIES = {
    "weekly": (0, 7),
    "biweekly": (0, 14),
    "monthly": (1, 0),
    "quarterly": (3, 0),
}

# Problem keys returned by validate_schedule; the Odoo side shows translated messages.
EMPTY = "empty"
SUM_MISMATCH = "sum_mismatch"
DATES_NOT_INCREASING = "dates_not_increasing"
NON_POSITIVE_AMOUNT = "non_positive_amount"


def add_months(day, months):
    """Return ``day`` moved by ``months`` months, clamped to the end of that month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def split_installments(
    total,
    count,
    start_date,
    frequency="monthly",
    down_payment=Decimal(0),
    down_payment_date=None,
    rounding=Decimal("0.01"),
):
    """Return a payment plan as a list of ``(date, amount)`` in date order.

    The down payment, if any, comes first, dated ``down_payment_date`` or else
    ``start_date``. Then come ``count`` installments of the rest, each rounded down to
    ``rounding``, the last one absorbing the remainder, so that the amounts add up to
    ``total`` exactly.

    The first installment falls on ``start_date``, or one period later when the down
    payment is due on ``start_date`` (the default), so that no two lines share a date.
    Every date is computed from ``start_date``, not from the previous one: monthly from
    31 January gives 28 (or 29) February, then 31 March.

    :param frequency: one of :data:`FREQUENCIES`: weekly, biweekly, monthly, quarterly.
    :raises ValueError: on a non-positive total or rounding, a count below 1, a down
        payment that is negative, not below the total or due after ``start_date``, an
        unknown frequency, or installments that would round down to zero.
    """
    total = as_decimal(total, "total")
    down_payment = as_decimal(down_payment, "down payment")
    rounding = as_decimal(rounding, "rounding")
    if total <= 0:
        raise ValueError(f"total must be positive, got {total}")
    if not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be an integer of at least 1, got {count!r}")
    if frequency not in FREQUENCIES:
        raise ValueError(
            f"unknown frequency {frequency!r}, expected one of {', '.join(FREQUENCIES)}"
        )
    if rounding <= 0:
        raise ValueError(f"rounding must be positive, got {rounding}")
    if down_payment < 0 or down_payment >= total:
        raise ValueError(
            f"down payment must be at least 0 and below the total {total}, "
            f"got {down_payment}"
        )

    lines = []
    first_period = 0
    if down_payment:
        down_payment_date = down_payment_date or start_date
        if down_payment_date > start_date:
            raise ValueError(
                f"down payment date {down_payment_date} is after the first "
                f"installment date {start_date}"
            )
        lines.append((down_payment_date, down_payment))
        if down_payment_date == start_date:
            first_period = 1

    rest = total - down_payment
    share = (rest / count).quantize(rounding, rounding=ROUND_DOWN)
    if share <= 0:
        raise ValueError(
            f"{rest} is too small to split into {count} installments of {rounding}"
        )
    months, days = FREQUENCIES[frequency]
    for period in range(first_period, first_period + count):
        due = add_months(start_date, period * months) + timedelta(days=period * days)
        lines.append((due, share))
    lines[-1] = (lines[-1][0], rest - share * (count - 1))
    return lines


def validate_schedule(total, lines):
    """Return the problems of a payment plan as a list of keys, empty when it is sound.

    Keys, in this order: :data:`EMPTY` (no line at all, reported alone),
    :data:`SUM_MISMATCH` (the amounts do not add up to ``total``),
    :data:`DATES_NOT_INCREASING` (a line is not strictly later than the previous one),
    :data:`NON_POSITIVE_AMOUNT` (a line of zero or less).

    :param lines: sequence of ``(date, amount)`` in plan order.
    """
    if not lines:
        return [EMPTY]
    amounts = [as_decimal(amount, "installment amount") for _due, amount in lines]
    dates = [due for due, _amount in lines]
    problems = []
    if sum(amounts) != as_decimal(total, "total"):
        problems.append(SUM_MISMATCH)
    if any(later <= earlier for earlier, later in pairwise(dates)):
        problems.append(DATES_NOT_INCREASING)
    if any(amount <= 0 for amount in amounts):
        problems.append(NON_POSITIVE_AMOUNT)
    return problems


def allocate_payments(installments, paid_total):
    """Spread ``paid_total`` over the installments, oldest due date first.

    :param installments: sequence of ``(date, amount)``, in any order.
    :return: the amount paid on each installment, in the order given; what exceeds the
        plan's total is not allocated.
    """
    remaining = as_decimal(paid_total, "paid total")
    if remaining < 0:
        raise ValueError(f"paid total must not be negative, got {remaining}")
    paid = [Decimal(0)] * len(installments)
    for index in sorted(range(len(installments)), key=lambda i: installments[i][0]):
        amount = as_decimal(installments[index][1], "installment amount")
        paid[index] = max(min(amount, remaining), Decimal(0))
        remaining -= paid[index]
    return paid


def schedule_interest(lines, annual_rate, start_date, rounding=Decimal("0.01")):
    """Return the simple interest borne by a schedule, rounded once at the end.

    Each line bears interest on its own amount, at ``annual_rate`` percent a year, for
    the days from ``start_date`` to its due date (basis 365, no compounding): money
    paid later costs more. A line due on or before ``start_date`` bears none.

    :param lines: sequence of ``(date, amount)``, the principal only (no down payment).
    :raises ValueError: on a negative rate or a non-positive rounding.
    """
    rate = as_decimal(annual_rate, "annual rate")
    rounding = as_decimal(rounding, "rounding")
    if rate < 0:
        raise ValueError(f"annual rate must not be negative, got {rate}")
    if rounding <= 0:
        raise ValueError(f"rounding must be positive, got {rounding}")
    interest = sum(
        (
            as_decimal(amount, "installment amount")
            * rate
            * max((due - start_date).days, 0)
            / Decimal(36500)
            for due, amount in lines
        ),
        Decimal(0),
    )
    return interest.quantize(rounding, rounding=ROUND_HALF_UP)

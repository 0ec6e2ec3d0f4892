"""Ageing buckets and collection ratios (DSO, collection effectiveness index).

Ratios are returned as unrounded Decimals: callers round them for display (DSO usually
to 0.1 day, the collection effectiveness index to 0.1 %). They are ``None`` when
undefined.
"""

from bisect import bisect_left
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

from .numbers import as_decimal

DEFAULT_BUCKETS = (0, 30, 60, 90, 120)


def _check_limits(limits):
    if (
        not limits
        or limits[0] != 0
        or not all(isinstance(limit, int) for limit in limits)
        or any(later <= earlier for earlier, later in pairwise(limits))
    ):
        raise ValueError(
            "bucket limits must be integers starting at 0 and strictly increasing, "
            f"got {limits!r}"
        )


def bucket_index(days_overdue, limits=DEFAULT_BUCKETS):
    """Return the ageing bucket of an item overdue by ``days_overdue`` days.

    0 means not due (``days_overdue <= 0``), ``i`` means
    ``limits[i - 1] < days_overdue <= limits[i]`` and ``len(limits)`` means beyond the
    last limit. With the default limits: 0 not due, 1 for 1-30, 2 for 31-60, 3 for
    61-90, 4 for 91-120, 5 over 120.

    :param limits: increasing integers starting at 0.
    """
    _check_limits(limits)
    return bisect_left(limits, days_overdue)


def bucket_labels(limits=DEFAULT_BUCKETS):
    """Return the English label of each bucket of :func:`bucket_index` ("31-60").

    The labels are plain source strings; the Odoo side translates them.
    """
    _check_limits(limits)
    ranges = [f"{earlier + 1}-{later}" for earlier, later in pairwise(limits)]
    return ["Not due", *ranges, f"+{limits[-1]}"]


def dso_simple(receivables, credit_sales, period_days):
    """Return the days sales outstanding: receivables / credit sales x period days.

    :return: a Decimal, or ``None`` when the credit sales are zero or negative.
    """
    receivables = as_decimal(receivables, "receivables")
    credit_sales = as_decimal(credit_sales, "credit sales")
    if credit_sales <= 0:
        return None
    return receivables / credit_sales * period_days


def dso_countback(receivables, monthly_sales):
    """Return the days sales outstanding by the count-back method.

    Walking back from the most recent month, each month's sales are consumed against
    the receivables and its days added, until a month's sales cover what is left: that
    month adds only ``left / sales x days``. A month with no (or negative) sales adds
    its days and consumes nothing.

    :param monthly_sales: sequence of ``(days_in_month, sales)``, most recent first.
    :return: a Decimal (0 when nothing is receivable), or ``None`` when the months given
        do not cover the receivables, i.e. the DSO is beyond the history supplied.
    """
    left = as_decimal(receivables, "receivables")
    days = Decimal(0)
    if left <= 0:
        return days
    for month_days, sales in monthly_sales:
        sales = as_decimal(sales, "monthly sales")
        if sales >= left:
            return days + left / sales * month_days
        left -= max(sales, Decimal(0))
        days += month_days
    return None


def collection_effectiveness_index(
    opening_receivables, credit_sales, closing_receivables, closing_current
):
    """Return the collection effectiveness index of a period, in percent.

    CEI = (opening + credit sales - closing total)
    / (opening + credit sales - closing current) x 100, where "current" is the part of
    the closing receivables not yet due: the share of what could be collected during the
    period that was collected.

    :return: a Decimal, or ``None`` when the denominator is zero or negative (nothing
        was collectable).
    """
    available = as_decimal(opening_receivables, "opening receivables") + as_decimal(
        credit_sales, "credit sales"
    )
    collectable = available - as_decimal(closing_current, "closing current")
    if collectable <= 0:
        return None
    collected = available - as_decimal(closing_receivables, "closing receivables")
    return collected / collectable * 100


def month_periods(as_of, count):
    """Return the ``count`` calendar months ending at ``as_of``, most recent first.

    Each month is ``(first_day, last_day)``; the first one is the month to date
    (``as_of``'s month up to ``as_of``), the others are whole months. Used to feed
    :func:`dso_countback` and the monthly trends.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count!r}")
    periods = []
    end = as_of
    for _index in range(count):
        start = end.replace(day=1)
        periods.append((start, end))
        end = start - timedelta(days=1)
    return periods


FLOW_PERIOD_DAYS = {"quarter": 90, "year": 365}


def flow_period_start(as_of, period):
    """Return the first day of the window of the flow indicators (CEI, DSO, days
    to pay) ending at ``as_of``: the month to date for ``"month"``, the last 90
    days for ``"quarter"`` and the last 365 days for ``"year"``."""
    if period == "month":
        return as_of.replace(day=1)
    if period not in FLOW_PERIOD_DAYS:
        raise ValueError(f"unknown period {period!r}")
    return as_of - timedelta(days=FLOW_PERIOD_DAYS[period] - 1)


def ratio_percent(part, whole):
    """Return ``part / whole x 100`` as a Decimal, or ``None`` when ``whole`` is 0."""
    part = as_decimal(part, "part")
    whole = as_decimal(whole, "whole")
    if not whole:
        return None
    return part / whole * 100

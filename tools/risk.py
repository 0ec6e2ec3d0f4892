"""Customer payment risk: amount-weighted delay, risk segment, 0-100 payment score."""

from bisect import bisect_left
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from .numbers import as_decimal

DEFAULT_THRESHOLDS = (30, 60, 90)
DEFAULT_CODES = ("A", "B", "C", "D")

# Points lost out of 100 for each kind of bad behaviour, see payment_score.
DELAY_POINTS = Decimal(40)
DELAY_CAP_DAYS = Decimal(120)
LATE_SHARE_POINTS = Decimal(30)
NOTICE_POINTS, NOTICE_CAP = Decimal(10), Decimal(20)
BROKEN_PROMISE_POINTS, BROKEN_PROMISE_CAP = Decimal(5), Decimal(10)


def weighted_average_delay(items):
    """Return the amount-weighted average payment delay in days, unrounded.

    :param items: iterable of ``(amount, days_late)``; a negative delay (paid early)
        counts as 0, and items of zero or negative amount (credit notes) are ignored.
    :return: a Decimal, 0 when there is nothing to weigh.
    """
    total = weighted = Decimal(0)
    for amount, delay in items:
        amount = as_decimal(amount, "amount")
        if amount <= 0:
            continue
        weighted += amount * max(as_decimal(delay, "days late"), Decimal(0))
        total += amount
    return weighted / total if total else Decimal(0)


def risk_segment(avg_delay, thresholds=DEFAULT_THRESHOLDS, codes=DEFAULT_CODES):
    """Return the risk code of an average delay: A <= 30 days, B <= 60, C <= 90, else D.

    :param thresholds: strictly increasing upper bounds (included) of all codes but the
        last.
    :param codes: one more code than thresholds.
    """
    if len(codes) != len(thresholds) + 1:
        raise ValueError(
            f"expected {len(thresholds) + 1} codes for {len(thresholds)} thresholds, "
            f"got {codes!r}"
        )
    if any(later <= earlier for earlier, later in pairwise(thresholds)):
        raise ValueError(f"thresholds must be strictly increasing, got {thresholds!r}")
    return codes[bisect_left(thresholds, avg_delay)]


def payment_score(avg_delay, late_share, formal_notices=0, broken_promises=0):
    """Return a payment behaviour score from 100 (exemplary) down to 0 (worst).

    The score starts at 100 and loses:

    - up to 40 points for the average delay, in proportion, all 40 from 120 days late;
    - up to 30 points for the share of invoices paid late, in proportion;
    - 10 points per formal notice (mise en demeure), at most 20;
    - 5 points per broken payment promise, at most 10.

    The losses add up to at most 100; the result is rounded half up to an integer.

    :param avg_delay: average delay in days, e.g. from :func:`weighted_average_delay`;
        a negative delay counts as 0.
    :param late_share: fraction of invoices paid late, between 0 and 1.
    """
    delay = as_decimal(avg_delay, "average delay")
    delay = min(max(delay, Decimal(0)), DELAY_CAP_DAYS)
    late_share = as_decimal(late_share, "late share")
    if not 0 <= late_share <= 1:
        raise ValueError(f"late share must be between 0 and 1, got {late_share}")
    if formal_notices < 0 or broken_promises < 0:
        raise ValueError("formal notices and broken promises must not be negative")
    score = (
        100
        - DELAY_POINTS * delay / DELAY_CAP_DAYS
        - LATE_SHARE_POINTS * late_share
        - min(NOTICE_POINTS * formal_notices, NOTICE_CAP)
        - min(BROKEN_PROMISE_POINTS * broken_promises, BROKEN_PROMISE_CAP)
    )
    return int(score.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def segment_rank(avg_delay, score, thresholds, min_scores, floor=0):
    """Return the index (0 = best) of the risk segment of a customer.

    Each criterion gives a segment and the worst one wins:

    - the delay, through :func:`risk_segment` on ``thresholds`` (the maximum average
      delay of every segment but the last);
    - the score: the first segment whose minimum score it reaches (the last segment
      takes every score);
    - ``floor``: a minimum segment, e.g. set by a bad solvency rating.

    :param min_scores: one minimum score per segment, best segment first.
    """
    count = len(min_scores)
    if not count:
        raise ValueError("at least one segment is needed")
    if not 0 <= floor < count:
        raise ValueError(f"floor must be a segment index below {count}, got {floor!r}")
    by_delay = risk_segment(avg_delay, thresholds, codes=tuple(range(count)))
    by_score = next(
        (rank for rank, minimum in enumerate(min_scores) if score >= minimum),
        count - 1,
    )
    return max(by_delay, by_score, floor)


def effective_credit_limit(manual_limit, recommended_limit, factor=1, default_limit=0):
    """Return the credit limit to enforce, or 0 when there is none.

    A limit set by hand on the customer applies as it is; otherwise the limit
    recommended by the latest solvency note is weighted by the segment's factor
    (e.g. 0.5 halves it for a risky customer); without either, the segment's
    default credit limit applies (not weighted: it is already the segment's).

    :return: a Decimal rounded to the cent, 0 meaning "no limit".
    """
    manual = as_decimal(manual_limit or 0, "manual limit")
    recommended = as_decimal(recommended_limit or 0, "recommended limit")
    factor = as_decimal(factor, "factor")
    default = as_decimal(default_limit or 0, "default limit")
    if manual < 0 or recommended < 0 or factor < 0 or default < 0:
        raise ValueError("credit limits and factors must not be negative")
    limit = manual or recommended * factor or default
    return limit.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Longest month: the bound of a delay counted from the end of a month.
_MONTH_DAYS = 31


def payment_term_max_days(lines):
    """Return the longest delay, in days from the invoice date, of a payment term
    whose lines are ``(delay_type, nb_days, days_next_month)`` (the fields of
    ``account.payment.term.line``); delays counted from the end of a month take
    the longest month (31 days), so that two terms compare on their worst case.
    0 for a term without lines (immediate payment)."""
    longest = 0
    for delay_type, nb_days, days_next_month in lines:
        nb_days = int(nb_days or 0)
        if delay_type == "days_after_end_of_month":
            days = _MONTH_DAYS + nb_days
        elif delay_type == "days_after_end_of_next_month":
            days = 2 * _MONTH_DAYS + nb_days
        elif delay_type == "days_end_of_month_on_the":
            days = _MONTH_DAYS + nb_days + int(days_next_month or 0)
        else:
            days = nb_days
        longest = max(longest, days)
    return longest

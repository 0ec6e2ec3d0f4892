"""Doubtful debts (France): provision on the amount excluding tax.

A receivable moved to doubtful (416) keeps its amount including VAT; the provision
(68174 / 491) is computed on the part of the residual that is excluding VAT, since
the VAT is recovered when the debt is written off. Amounts are Decimals rounded to
the cent.
"""

from decimal import ROUND_HALF_UP, Decimal

from .numbers import as_decimal

CENT = Decimal("0.01")


def provision_base(residual, untaxed, total):
    """Return the part of ``residual`` (incl. VAT) that is excluding VAT.

    ``residual x untaxed / total``: a partly paid invoice keeps the VAT ratio of the
    invoice. An invoice without tax (``untaxed == total``) gives the residual itself.

    :raise ValueError: when ``total`` is zero or the amounts have different signs.
    """
    residual = as_decimal(residual, "residual")
    untaxed = as_decimal(untaxed, "untaxed amount")
    total = as_decimal(total, "total amount")
    if not total:
        raise ValueError("the invoice total must not be zero")
    if untaxed * total < 0 or abs(untaxed) > abs(total):
        raise ValueError(
            f"the untaxed amount {untaxed} must be between 0 and the total {total}"
        )
    return (residual * untaxed / total).quantize(CENT, rounding=ROUND_HALF_UP)


def provision_amount(residual, untaxed, total, percent):
    """Return the provision: the excluding-VAT residual x ``percent`` / 100.

    :raise ValueError: when ``percent`` is not between 0 and 100.
    """
    percent = as_decimal(percent, "percent")
    if not 0 <= percent <= 100:
        raise ValueError(f"the provision percentage must be 0-100, got {percent}")
    base = provision_base(residual, untaxed, total)
    return (base * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)

"""Prescription of a customer invoice (France).

Between merchants, five years (Code de commerce L110-4); a professional's claim
against a consumer, two years (Code de la consommation L218-2). The time runs from the
due date (Code civil 2224, 2233: a claim with a term prescribes from its term) and
starts again from a partial payment or an acknowledgment of the debt (Code civil
2240); a claim declared in an insolvency procedure interrupts it (Code de commerce
L622-25-1) until the procedure ends, so no date is given while it is declared.
"""

from .insolvency import add_months

MERCHANT_YEARS = 5
CONSUMER_YEARS = 2


def prescription_date(
    due_date,
    consumer=False,
    last_partial_payment=None,
    acknowledged=None,
    declared=None,
):
    """Day the claim is prescribed: the last of the due date, the last partial
    payment and the acknowledgment, plus 5 years (L110-4) or 2 years for a consumer
    (L218-2). None without a due date, or once the claim is declared in an insolvency
    procedure (the interruption lasts until the procedure is closed)."""
    if not due_date or declared:
        return None
    start = max(d for d in (due_date, last_partial_payment, acknowledged) if d)
    years = CONSUMER_YEARS if consumer else MERCHANT_YEARS
    return add_months(start, 12 * years)

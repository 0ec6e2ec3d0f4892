"""Amounts of a court claim for an unpaid commercial debt (France first).

The claim of an injonction de payer (Code de procedure civile 1405 and following) or
of the simplified small-claims procedure (Code des procedures civiles d'execution
L125-1, R125-1) is the principal still due, the late-payment interest up to the filing
date and, against a professional, the fixed recovery indemnity of each invoice paid
late (Code de commerce L441-10 II, D441-5). Costs come on top.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from .late_payment import CENT, DEFAULT_INDEMNITY, recovery_indemnity
from .numbers import as_decimal

# Small claims through a commissaire de justice: up to 5,000 EUR including interest
# (CPCE L125-1, R125-1, threshold since 1 January 2020).
SMALL_CLAIMS_THRESHOLD = Decimal("5000")


class ClaimItem(NamedTuple):
    """One invoice of the claim, in the claim's currency."""

    principal: Decimal  # amount still due
    interest: Decimal  # late-payment interest up to the filing date, not charged yet
    indemnity_charged: bool = False  # its indemnity was already invoiced


class CourtClaim(NamedTuple):
    principal: Decimal
    interest: Decimal
    indemnities: Decimal
    costs: Decimal
    claim: Decimal  # principal + interest + indemnities: what the threshold weighs
    total: Decimal  # claim + costs
    small_claims: bool  # the small-claims procedure is open (claim <= threshold)


def court_claim(
    items,
    professional=True,
    costs=0,
    indemnity=DEFAULT_INDEMNITY,
    threshold=SMALL_CLAIMS_THRESHOLD,
    quantum=CENT,
):
    """Return the CourtClaim of ``items`` (an iterable of ClaimItem).

    Each invoice still due carries its recovery indemnity once (L441-10 II), unless
    the debtor is a consumer or the indemnity was already invoiced. The small-claims
    procedure is open up to ``threshold`` included, interest and indemnities counted
    (CPCE L125-1), costs not.
    """
    costs = as_decimal(costs, "costs")
    if costs < 0:
        raise ValueError(f"costs must not be negative, got {costs}")
    principal = interest = indemnities = Decimal(0)
    for item in items:
        amount = as_decimal(item.principal, "principal")
        if amount <= 0:
            continue
        principal += amount
        interest += as_decimal(item.interest, "interest")
        if not item.indemnity_charged:
            indemnities += recovery_indemnity(True, professional, amount=indemnity)

    def rounded(value):
        return value.quantize(quantum, rounding=ROUND_HALF_UP)

    principal, interest, indemnities = map(rounded, (principal, interest, indemnities))
    claim = principal + interest + indemnities
    costs = rounded(costs)
    return CourtClaim(
        principal=principal,
        interest=interest,
        indemnities=indemnities,
        costs=costs,
        claim=claim,
        total=claim + costs,
        small_claims=small_claims_open(claim, threshold),
    )


def small_claims_open(claim, threshold=SMALL_CLAIMS_THRESHOLD):
    """Whether a claim (principal, interest and indemnities) may take the
    small-claims procedure: more than nothing and at most ``threshold`` (CPCE
    L125-1, R125-1)."""
    claim = as_decimal(claim, "claim")
    return Decimal(0) < claim <= threshold


def court_type(professional):
    """The court of an injonction de payer: the tribunal de commerce for a claim
    between merchants (Cerfa 12946), the tribunal judiciaire for a civil claim
    against a consumer (Cerfa 12948)."""
    return "commerce" if professional else "judiciaire"

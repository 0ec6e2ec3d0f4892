"""Deadlines and amount of a claim declared in a French insolvency procedure.

Code de commerce, livre VI: the claim is declared to the mandataire judiciaire within
two months of the BODACC publication of the opening judgment (L622-24, R622-24), four
months for a creditor outside metropolitan France; relief from a missed deadline can
be asked within six months of the publication (L622-26). Interest stops running at the
judgment (L622-28) and the debtor may no longer pay claims born before it (L622-7).
"""

import calendar
from datetime import date
from decimal import Decimal

from .numbers import as_decimal

DECLARATION_MONTHS = 2
OUTSIDE_METROPOLE_EXTRA_MONTHS = 2
RELIEF_MONTHS = 6
KINDS = ("safeguard", "receivership", "liquidation")


def add_months(day, months):
    """``day`` plus ``months`` calendar months, on the last day of the month when
    the target month is shorter (31 December + 2 months = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def declaration_deadline(publication_date, outside_metropole=False):
    """Last day to declare the claim (L622-24, R622-24): publication + 2 months,
    + 2 more months for a creditor outside metropolitan France. None without a
    publication: the time limit does not run before it."""
    if not publication_date:
        return None
    months = DECLARATION_MONTHS
    if outside_metropole:
        months += OUTSIDE_METROPOLE_EXTRA_MONTHS
    return add_months(publication_date, months)


def relief_deadline(publication_date):
    """Last day to ask relief from a missed declaration (L622-26): publication +
    6 months."""
    if not publication_date:
        return None
    return add_months(publication_date, RELIEF_MONTHS)


def principal_at(amount, payments, judgment_date):
    """Principal still due at the opening judgment: ``amount`` less the payments
    dated before the judgment day (the judgment takes effect at zero hour of its day;
    from then the debtor may not pay, L622-7). Never below zero."""
    paid = sum(
        (as_decimal(paid, "payment") for day, paid in payments if day < judgment_date),
        Decimal(0),
    )
    return max(as_decimal(amount, "amount") - paid, Decimal(0))


def indemnity_declarable(due_date, principal, judgment_date, is_professional):
    """Whether the fixed recovery indemnity (L441-10) belongs to the declared claim:
    only for an invoice of a professional debtor already overdue before the judgment
    (due before the judgment day and unpaid). An invoice falling due on or after the
    judgment is unpaid because L622-7 forbids the debtor to pay it: its lateness is
    the procedure's, not the debtor's, and no indemnity is owed."""
    return bool(
        is_professional and principal > 0 and due_date and due_date < judgment_date
    )


def kind_from_text(text):
    """Kind of procedure named in a judgment's text (BODACC ``jugement.nature``):
    ``safeguard``, ``receivership``, ``liquidation`` or None. A conversion into
    liquidation names both: the last procedure named in the order liquidation,
    receivership, safeguard wins."""
    text = (text or "").lower()
    if "liquidation" in text:
        return "liquidation"
    if "redressement" in text:
        return "receivership"
    if "sauvegarde" in text:
        return "safeguard"
    return None

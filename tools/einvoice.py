"""Lifecycle statuses of an invoice on the French e-invoicing platforms (reform of
2024-2027, receiving mandatory from 1 September 2026).

Codes and names of the statuses exchanged between the platforms; 200, 210, 212 and
213 are mandatory. The codes are data: another country's lifecycle is another table.
"""

import csv
import io
from datetime import date, datetime

from .numbers import as_decimal

STATUSES = [
    ("200", "Deposee"),
    ("201", "Emise"),
    ("202", "Recue"),
    ("203", "Mise a disposition"),
    ("204", "Prise en charge"),
    ("205", "Approuvee"),
    ("206", "Approuvee partiellement"),
    ("207", "En litige"),
    ("208", "Suspendue"),
    ("209", "Completee"),
    ("210", "Refusee"),
    ("211", "Paiement transmis"),
    ("212", "Encaissee"),
    ("213", "Rejetee"),
]
CODES = frozenset(code for code, _name in STATUSES)
CASHED = "212"
# Statuses that stop the dunning, with the reason of the block.
BLOCK_REASONS = {
    "207": "einvoice_dispute",
    "208": "einvoice_suspended",
    "210": "einvoice_refused",
    "213": "einvoice_rejected",
}
# Refused or rejected: the invoice is not owed as issued (the audit flags it open).
REFUSED = frozenset({"210", "213"})
CSV_COLUMNS = ("invoice", "status", "date", "amount", "note")


def block_reason(code):
    """The dunning block reason of status ``code``, or None when it does not block."""
    return BLOCK_REASONS.get(code)


def block_change(code, blocked, reason):
    """How a new status ``code`` changes the dunning block of an invoice that is
    ``blocked`` for ``reason``: ``("block", new reason)``, ``("unblock", None)`` or
    ``(None, None)``. A block set by the user (another reason) is never touched."""
    new_reason = block_reason(code)
    platform_block = blocked and reason in BLOCK_REASONS.values()
    if blocked and not platform_block:
        return None, None
    if new_reason:
        if blocked and reason == new_reason:
            return None, None
        return "block", new_reason
    if platform_block:
        return "unblock", None
    return None, None


def normalize_code(value):
    """The status code of ``value`` ("207", 207, " 207 "), or None if unknown."""
    code = str(value if value is not None else "").strip()
    if code.endswith(".0"):
        code = code[:-2]
    return code if code in CODES else None


def parse_date(value):
    """A date from a date, or an ISO (2026-09-14) or French (14/09/2026) text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text[:19], pattern).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r}")


def parse_amount(value):
    """An optional amount: None when empty, else a Decimal ("1 234,50" read)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    return as_decimal(value, "amount")


def read_csv(text):
    """Rows of a status file as dicts of CSV_COLUMNS: a header line naming the
    columns (any order, extra columns ignored), ``,`` or ``;`` separated."""
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [
        column for column in ("invoice", "status", "date") if column not in fieldnames
    ]
    if missing:
        raise ValueError(", ".join(missing))
    reader.fieldnames = fieldnames
    return [
        {column: (row.get(column) or "").strip() for column in CSV_COLUMNS}
        for row in reader
    ]

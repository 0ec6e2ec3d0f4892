"""Read the announcements of collective procedures from a BODACC open-data export.

The dataset "annonces-commerciales" of bodacc-datadila.opendatasoft.com exports as
JSON (a list of records) or CSV (";" separated, one header line). The fields used:
``registre`` (the SIREN numbers, e.g. "123 456 789,123456789"), ``familleavis``
("collective" for the collective procedures), ``dateparution`` (the publication day,
YYYY-MM-DD), ``tribunal``, ``commercant`` (the debtor's name) and ``jugement``, a JSON
string with ``nature`` (e.g. "Jugement d'ouverture d'une procédure de redressement
judiciaire"), ``date`` (the judgment day) and ``complementJugement``.
"""

import csv
import io
import json
import re
from datetime import date
from typing import NamedTuple

from .insolvency import kind_from_text


class Announcement(NamedTuple):
    siren: str
    kind: str  # safeguard, receivership or liquidation
    judgment_date: date
    publication_date: date | None
    court: str
    name: str
    nature: str


def parse_export(content):
    """Return ``(announcements, unreadable)`` from the text of a JSON or CSV export.

    ``unreadable`` lists ``(line number, reason)`` of the records of a collective
    procedure that name no SIREN, no kind of procedure (opening, conversion) or no
    judgment date; announcements of other families (sales, accounts) are left out.
    """
    if isinstance(content, bytes):
        content = content.decode("utf-8-sig")
    content = content.lstrip("\ufeff").strip()
    if content.startswith(("[", "{")):
        records = json.loads(content)
        if isinstance(records, dict):
            records = records.get("results") or records.get("records") or [records]
        records = [record.get("fields", record) for record in records]
    else:
        records = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    announcements, unreadable = [], []
    for number, record in enumerate(records, start=1):
        family = (record.get("familleavis") or "").strip().lower()
        if family and family != "collective":
            continue
        reason, parsed = _parse_record(record)
        if reason:
            unreadable.append((number, reason))
        else:
            announcements.extend(parsed)
    return announcements, unreadable


def _parse_record(record):
    sirens = sirens_of(record.get("registre"))
    if not sirens:
        return "no SIREN", []
    judgment = record.get("jugement") or {}
    if isinstance(judgment, str):
        try:
            judgment = json.loads(judgment) if judgment.strip() else {}
        except ValueError:
            return "unreadable judgment", []
    nature = judgment.get("nature") or ""
    kind = kind_from_text(nature)
    if not kind:
        return "no procedure kind", []
    judgment_date = _date(judgment.get("date"))
    if not judgment_date:
        return "no judgment date", []
    publication = _date(record.get("dateparution"))
    return "", [
        Announcement(
            siren,
            kind,
            judgment_date,
            publication,
            (record.get("tribunal") or "").strip(),
            (record.get("commercant") or "").strip(),
            nature.strip(),
        )
        for siren in sirens
    ]


def sirens_of(value):
    """The 9-digit SIREN numbers of a ``registre`` value (a list or a comma-separated
    string, spaces allowed inside a number), each once, in order."""
    if isinstance(value, list | tuple):
        value = ",".join(str(item) for item in value)
    found = []
    for part in str(value or "").split(","):
        digits = re.sub(r"\D", "", part)
        if len(digits) == 9 and digits not in found:
            found.append(digits)
    return found


def _date(value):
    """A date from ``YYYY-MM-DD`` (time part ignored) or ``DD/MM/YYYY``; None else."""
    value = str(value or "").strip()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        year, month, day = match.groups()
    else:
        match = re.match(r"(\d{2})/(\d{2})/(\d{4})", value)
        if not match:
            return None
        day, month, year = match.groups()
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None

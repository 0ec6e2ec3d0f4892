"""Excel helpers of the exports: date formats, alphabetical order and a worksheet
that sizes its columns (xlsxwriter objects, no Odoo)."""

import re
import unicodedata

MIN_WIDTH, MAX_WIDTH = 6, 60
# strftime directives of res.lang's date_format and their Excel number format.
EXCEL_DATE_CODES = {
    "d": "dd",
    "e": "d",
    "m": "mm",
    "Y": "yyyy",
    "y": "yy",
    "b": "mmm",
    "B": "mmmm",
    "a": "ddd",
    "A": "dddd",
}


def excel_date_format(date_format):
    """The Excel number format of the strftime ``date_format`` of a language
    (``%d/%m/%Y`` gives ``dd/mm/yyyy``); other characters are kept as literals."""
    parts = []
    for directive, literal in re.findall(r"%(.)|([^%]+)", date_format or ""):
        if directive:
            parts.append(EXCEL_DATE_CODES.get(directive, ""))
        elif literal:
            parts.append(
                literal if re.fullmatch(r"[-/.,: ]+", literal) else f'"{literal}"'
            )
    return "".join(parts) or "yyyy-mm-dd"


def name_sort_key(name):
    """Sort key of a name in alphabetical order: accents and case are ignored
    first (Électricité sorts with the E), then break the ties."""
    name = name or ""
    base = "".join(
        char
        for char in unicodedata.normalize("NFKD", name)
        if not unicodedata.combining(char)
    )
    return (base.casefold(), name.casefold(), name)


def sheet_name(name, used):
    """Return a valid worksheet name for ``name`` (31 characters at most, none of
    ``[]:*?/\\``), unique among the lowercase names in ``used``, which it joins."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name or "Sheet").strip()[:28] or "Sheet"
    candidate, index = base[:31], 2
    while candidate.lower() in used:
        candidate = f"{base} ({index})"[:31]
        index += 1
    used.add(candidate.lower())
    return candidate


class FittedSheet:
    """A worksheet that remembers the longest value written in each column, to
    size the columns, freeze the header row and filter the data when finished."""

    def __init__(self, sheet, header_row, headers):
        self.sheet = sheet
        self.header_row = header_row
        self.columns = len(headers)
        self.widths = {}
        self.last_row = header_row
        for col, header in enumerate(headers):
            self._fit(col, header)

    def __getattr__(self, name):
        return getattr(self.sheet, name)

    def _fit(self, col, text):
        # Header words wrap, other values stay on one line.
        self.widths[col] = max(self.widths.get(col, 0), len(text or ""))

    def write_string(self, row, col, text, *args):
        self._fit(col, text)
        return self.sheet.write_string(row, col, text, *args)

    def write_number(self, row, col, number, *args):
        self._fit(col, f"{number:,.2f}" if isinstance(number, float) else str(number))
        return self.sheet.write_number(row, col, number, *args)

    def write_formula(self, row, col, formula, style=None, value=0):
        self._fit(col, f"{value:,.2f}")
        return self.sheet.write_formula(row, col, formula, style, value)

    def write_datetime(self, row, col, value, style):
        self._fit(col, style.num_format.replace('"', ""))
        return self.sheet.write_datetime(row, col, value, style)

    def finish(self, last_row=None):
        """Size the columns, freeze the header and filter the rows below it up
        to ``last_row`` (the data, without the totals under it)."""
        for col, width in self.widths.items():
            self.sheet.set_column(col, col, min(max(width + 2, MIN_WIDTH), MAX_WIDTH))
        self.sheet.freeze_panes(self.header_row + 1, 0)
        last_row = self.header_row if last_row is None else last_row
        self.sheet.autofilter(
            self.header_row, 0, max(last_row, self.header_row), self.columns - 1
        )

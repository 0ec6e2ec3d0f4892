"""Pure helpers of the notices rendered in batches (see
models/account_collection_notice_batch.py)."""

import re

# Notices rendered by one wkhtmltopdf call, unless the system parameter
# account_collection.notice_batch_size says otherwise.
DEFAULT_BATCH_SIZE = 50

_PATCHED_QT = re.compile(r"\(\s*with\s+patched\s+qt\s*\)", re.IGNORECASE)


def wkhtmltopdf_is_patched(version_output):
    """Whether ``wkhtmltopdf --version`` printed ``version_output`` for a build
    with patched Qt ("wkhtmltopdf 0.12.4 (with patched qt)"), the one that renders
    several records in one PDF with their own headers and footers. Debian's build
    prints no such mention ("wkhtmltopdf 0.12.6")."""
    return bool(version_output and _PATCHED_QT.search(version_output))


def batch_size(value, default=DEFAULT_BATCH_SIZE):
    """Chunk size from a system parameter's text: a positive integer, else
    ``default``."""
    try:
        size = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return size if size > 0 else default

"""Pure helpers of the notices rendered in batches (see
models/account_collection_notice_batch.py)."""

import base64
import io
import re

import qrcode

# Notices rendered by one wkhtmltopdf call, unless the system parameter
# account_collection.notice_batch_size says otherwise.
DEFAULT_BATCH_SIZE = 50

# Milliseconds wkhtmltopdf waits for scripts once a chunk of notices is loaded,
# unless the system parameter account_collection.notice_print_delay says otherwise.
# Odoo waits report.print_delay (1,000 ms) for reports whose scripts draw (charts);
# a notice has no script, and the wait was two thirds of a chunk's conversion.
DEFAULT_PRINT_DELAY = 200

QR_MASK_PATTERN = 2

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


def print_delay(value, default=DEFAULT_PRINT_DELAY):
    """Delay in milliseconds from a system parameter's text: a non-negative
    integer, else ``default``."""
    try:
        delay = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return delay if delay >= 0 else default


def with_print_delay(command_args, delay):
    """wkhtmltopdf's ``command_args`` with ``--javascript-delay`` set to
    ``delay`` milliseconds (replaced, or added when absent)."""
    args = list(command_args)
    if "--javascript-delay" in args:
        position = args.index("--javascript-delay")
        args[position + 1] = str(delay)
    else:
        args += ["--javascript-delay", str(delay)]
    return args


def qr_code_data_uri(value, border=2):
    """``value`` as a QR code, a PNG in a ``data:`` URI for an ``<img>`` of a
    notice. The ``qrcode`` library (an Odoo requirement) with one mask draws it
    about ten times faster than the ``barcode`` widget (reportlab), which weighed
    most of the rendering of a notice before wkhtmltopdf."""
    # Any of the eight masks of the standard reads; searching the best one (fewest
    # penalty points) took three quarters of the time.
    code = qrcode.QRCode(box_size=4, border=border, mask_pattern=QR_MASK_PATTERN)
    code.add_data(value)
    code.make(fit=True)
    stream = io.BytesIO()
    code.make_image().save(stream, format="PNG")
    return "data:image/png;base64," + base64.b64encode(stream.getvalue()).decode()

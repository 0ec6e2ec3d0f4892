import functools
import logging
import subprocess

from odoo import api, models
from odoo.tools import split_every

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from ..tools.notices import batch_size, print_delay, wkhtmltopdf_is_patched

_logger = logging.getLogger(__name__)

BATCH_SIZE_PARAM = "account_collection.notice_batch_size"
PRINT_DELAY_PARAM = "account_collection.notice_print_delay"


@functools.lru_cache(maxsize=4)
def _wkhtmltopdf_version(binary):
    """What ``binary --version`` prints, read once per process (as Odoo reads the
    version once when it starts); empty when it cannot be run."""
    if not binary:
        return ""
    try:
        return subprocess.run(
            [binary, "--version"], capture_output=True, check=False, timeout=30
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return ""


class AccountCollectionNoticeBatch(models.AbstractModel):
    """Renders the PDF notices of many communications with one wkhtmltopdf call
    per chunk, through Odoo's own rendering (``_pre_render_qweb_pdf``), which
    splits the PDF per record by pages or outlines. Used by the mail queue
    (``mail.mail._send``) and by Print Letters (``account.collection.dispatch``).
    Whatever it cannot render in a batch (Debian's wkhtmltopdf without patched
    Qt, a chunk that fails or cannot be split, reports rendered as HTML in
    tests) is left out of its result: the callers render those one by one as
    before, with their own error messages."""

    _name = "account.collection.notice.batch"
    _description = "Collection Notices Rendered in Batches"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _collection_batch_pdf_supported(self):
        """Whether the wkhtmltopdf Odoo runs renders several records in one PDF:
        the build with patched Qt. Debian's build fails on multi-record PDFs."""
        reports = self.env["ir.actions.report"]
        return reports.get_wkhtmltopdf_state() == "ok" and wkhtmltopdf_is_patched(
            _wkhtmltopdf_version(_get_wkhtmltopdf_bin())
        )

    @api.model
    def _notice_batch_size(self):
        return batch_size(
            self.env["ir.config_parameter"].sudo().get_param(BATCH_SIZE_PARAM)
        )

    @api.model
    def _render_notice_pdfs(self, report, records):
        """``{record id: PDF bytes}`` of the records whose notice ``report``
        rendered in a batch, one wkhtmltopdf call per chunk, in the context of
        the environment (its language). Records left out are to be rendered one
        by one."""
        report = self.env["ir.actions.report"]._get_report(report)
        if (
            len(records) < 2
            or report.report_type != "qweb-pdf"
            # Odoo saves such reports as attachments record by record.
            or report.attachment
            or not self._collection_batch_pdf_supported()
        ):
            return {}
        rendered = {}
        for ids in split_every(self._notice_batch_size(), records.ids, list):
            if len(ids) > 1:
                rendered.update(self._render_notice_chunk(report, ids))
        return rendered

    @api.model
    def _notice_print_delay(self):
        return print_delay(
            self.env["ir.config_parameter"].sudo().get_param(PRINT_DELAY_PARAM)
        )

    @api.model
    def _render_notice_chunk(self, report, ids):
        reports = self.env["ir.actions.report"].with_context(
            collection_notice_print_delay=self._notice_print_delay()
        )
        try:
            with self.env.cr.savepoint():
                streams, report_type = reports._pre_render_qweb_pdf(report, res_ids=ids)
        except Exception as error:
            # Each notice again on its own: the callers name the one that fails.
            _logger.info(
                "Notices %s not rendered in one batch (%s): rendered one by one",
                report.report_name,
                error,
            )
            return {}
        if report_type != "pdf":
            # Reports render as HTML in tests unless forced: one by one, as before.
            return {}
        split = (
            False not in streams
            and set(streams) == set(ids)
            and all(value["stream"] for value in streams.values())
        )
        if not split:
            _logger.info(
                "Notices %s could not be split per record: rendered one by one",
                report.report_name,
            )
            for value in streams.values():
                if value["stream"]:
                    value["stream"].close()
            return {}
        return reports._get_splitted_report(report, streams, report_type)

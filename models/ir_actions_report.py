from odoo import models

from ..tools.notices import with_print_delay


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _build_wkhtmltopdf_args(
        self,
        paperformat_id,
        landscape,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        """The notices rendered in batches (``account.collection.notice.batch``)
        wait their own, shorter, delay for scripts: they have none."""
        args = super()._build_wkhtmltopdf_args(
            paperformat_id,
            landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        delay = self.env.context.get("collection_notice_print_delay")
        if delay is None:
            return args
        return with_print_delay(args, delay)

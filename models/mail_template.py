from odoo import models

DEFER_NOTICES_KEY = "collection_defer_notices"
COMMUNICATION_MODEL = "account.collection.communication"


class MailTemplate(models.Model):
    _inherit = "mail.template"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _generate_template_attachments(
        self, res_ids, render_fields, render_results=None
    ):
        """When the collection cycle queues its emails, leave the reports of the
        template out: the mail queue renders them when it sends each mail (see
        ``mail.mail._send``). The created mails remember that their notice is still
        to be attached, and from which template."""
        if not self._collection_defers_notices(render_fields):
            return super()._generate_template_attachments(
                res_ids, render_fields, render_results=render_results
            )
        render_results = super()._generate_template_attachments(
            res_ids,
            set(render_fields) - {"report_template_ids"},
            render_results=render_results,
        )
        for res_id in res_ids:
            render_results.setdefault(res_id, {}).update(
                {
                    "collection_notice_pending": True,
                    "collection_notice_template_id": self.id,
                }
            )
        return render_results

    def _collection_defers_notices(self, render_fields):
        return bool(
            self.env.context.get(DEFER_NOTICES_KEY)
            and self.model == COMMUNICATION_MODEL
            and "report_template_ids" in render_fields
            and self.report_template_ids
        )

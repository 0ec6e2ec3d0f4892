from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        communications = (
            self.env["account.collection.communication"]
            .sudo()
            .search([("mail_id", "in", self.ids)])
        )
        if communications:
            communications._mark_mail_result(failure_type, failure_reason)
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )

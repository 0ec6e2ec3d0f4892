from odoo import _, fields, models

from ..tools.groups import INTERNAL

DISPUTE_REASONS = [
    ("not_received", "Not received"),
    ("price", "Price"),
    ("quantity", "Quantity"),
    ("quality", "Quality"),
    ("already_paid", "Already paid"),
    ("other", "Other"),
]


class AccountMove(models.Model):
    """Disputes raised by the customer from its collection page (issue #15): the
    structured reason, and the collector's answer (credit note or rejection)."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_dispute_reason = fields.Selection(
        DISPUTE_REASONS,
        string="Dispute Reason",
        copy=False,
        tracking=True,
        groups=INTERNAL,
    )
    collection_dispute_answer = fields.Char(
        string="Dispute Rejected Because",
        copy=False,
        help="The reason given to the customer when its dispute was rejected; shown "
        "on its collection page.",
        groups=INTERNAL,
    )

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._collection_close_settled_disputes()
        return posted

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_collection_dispute_accept(self):
        """The dispute is right: open Odoo's credit note wizard. The invoice stays
        in dispute (no reminder) until the credit note is posted; a wizard left
        without a credit note leaves the dispute open."""
        self.ensure_one()
        return self.action_reverse()

    def action_collection_dispute_reject(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject the Dispute"),
            "res_model": "account.collection.dispute.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_portal_dispute(self, reason, message, author, attachments=None):
        """Block the invoice for the customer's dispute (``reason`` a key of
        DISPUTE_REASONS), post the customer's ``message`` and ``attachments``
        ((name, bytes) pairs) in the chatter authored by ``author``, and give the
        collector an activity. Runs as superuser after the portal's token check."""
        self.ensure_one()
        label = dict(DISPUTE_REASONS)[reason]
        self._collection_block("dispute", note=label)
        self.write(
            {"collection_dispute_reason": reason, "collection_dispute_answer": False}
        )
        self.message_post(
            author_id=author.id,
            body=_(
                "Dispute from the customer's page (%(reason)s): %(message)s",
                reason=label,
                message=message or "",
            ),
            attachments=attachments or [],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        collector = self.partner_id._collection_responsible_user(self.company_id)
        if collector:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=collector.id,
                summary=_("Dispute from the customer: %s", label),
            )

    def _collection_close_settled_disputes(self):
        """Posting a credit note of an invoice in dispute settles the dispute: the
        invoice leaves the dispute and reminders resume on what it still owes. An
        invoice a payment plan took over while in dispute stays under the plan,
        which no longer gives the dispute back when it ends."""
        for credit_note in self.filtered(lambda move: move.move_type == "out_refund"):
            invoice = credit_note.reversed_entry_id
            if invoice.collection_block_reason == "dispute":
                invoice._collection_unblock()
            elif invoice.collection_prior_block_reason == "dispute":
                invoice._collection_write(
                    {
                        "collection_prior_block_reason": False,
                        "collection_prior_block_date": False,
                        "collection_prior_block_note": False,
                    },
                    track=False,
                )
            else:
                continue
            invoice.sudo().write(
                {"collection_dispute_reason": False, "collection_dispute_answer": False}
            )
            invoice.message_post(
                body=_(
                    "Dispute settled by the credit note %s: reminders resume on the "
                    "amount still due.",
                    credit_note._get_html_link(),
                )
            )

    def _collection_dispute_reject(self, answer):
        """Reject the dispute: dunning resumes and the customer is told why by
        email and on its page."""
        self.ensure_one()
        self.action_collection_undispute()
        self.sudo().write(
            {"collection_dispute_reason": False, "collection_dispute_answer": answer}
        )
        self.message_post(
            body=_("Your dispute is rejected: %s", answer),
            partner_ids=self.partner_id.commercial_partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

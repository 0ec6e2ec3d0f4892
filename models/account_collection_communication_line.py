from odoo import fields, models


class AccountCollectionCommunicationLine(models.Model):
    """One open item listed in a communication: an invoice, a credit note or an
    unallocated payment, with what was due when the communication was made."""

    _name = "account.collection.communication.line"
    _description = "Collection Communication Line"
    _order = "date_maturity, id"
    _check_company_auto = True

    communication_id = fields.Many2one(
        "account.collection.communication",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="communication_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="communication_id.currency_id", store=True)
    partner_id = fields.Many2one(related="communication_id.partner_id", store=True)
    state = fields.Selection(related="communication_id.state", store=True)
    date = fields.Date(related="communication_id.date", store=True)
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Journal Item",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    move_id = fields.Many2one(
        related="move_line_id.move_id", store=True, index=True, string="Entry"
    )
    level_id = fields.Many2one(
        "account.collection.level",
        help="Level reached by this item; empty for credit notes and payments.",
    )
    date_maturity = fields.Date(string="Due Date")
    days_overdue = fields.Integer()
    amount_residual = fields.Monetary(
        string="Amount Due",
        currency_field="currency_id",
        help="Amount still due when the communication was made; negative for "
        "credit notes and unallocated payments.",
    )
    user_id = fields.Many2one(related="communication_id.user_id")
    channel_summary = fields.Char(compute="_compute_channel_summary")

    def _compute_channel_summary(self):
        labels = self.env["account.collection.communication"]._fields
        for line in self:
            communication = line.communication_id
            line.channel_summary = ", ".join(
                labels[name].get_description(self.env)["string"]
                for name in (
                    "send_email",
                    "send_letter",
                    "phone_call",
                    "formal_notice",
                    "litigation",
                )
                if communication[name]
            )

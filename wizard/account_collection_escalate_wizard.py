from odoo import fields, models


class AccountCollectionEscalateWizard(models.TransientModel):
    """Confirms an escalation: it sends a reminder at once (a formal notice, a
    hand-over to litigation...), so the user sees what will be sent first
    (``account.move.action_collection_open_escalate_wizard``)."""

    _name = "account.collection.escalate.wizard"
    _description = "Escalate Dunning"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    summary = fields.Text(string="Will Be Sent", readonly=True)

    def action_confirm(self):
        self.ensure_one()
        return self.move_ids.action_collection_escalate()

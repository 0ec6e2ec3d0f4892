from odoo import fields, models


class AccountCollectionDisputeRejectWizard(models.TransientModel):
    _name = "account.collection.dispute.reject.wizard"
    _description = "Reject a Customer's Dispute"

    move_id = fields.Many2one("account.move", required=True, readonly=True)
    answer = fields.Char(string="Reason Given to the Customer", required=True)

    def action_reject(self):
        self.ensure_one()
        self.move_id._collection_dispute_reject(self.answer)
        return {"type": "ir.actions.act_window_close"}

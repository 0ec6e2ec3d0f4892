from odoo import fields, models

from ..tools.actions import notification


class AccountCollectionPromiseWizard(models.TransientModel):
    _name = "account.collection.promise.wizard"
    _description = "Record a Promise to Pay"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    date = fields.Date(string="Promised Date", required=True)
    amount = fields.Float(string="Promised Amount", required=True, digits="Account")

    def action_confirm(self):
        self.ensure_one()
        self.partner_ids._collection_record_promise(self.date, self.amount)
        return notification(
            self.env._(
                "Promise to pay %(amount)s by %(date)s recorded for %(customers)s: "
                "reminders pause until then.",
                **self.partner_ids._collection_promise_values(self.amount, self.date),
                customers=", ".join(
                    self.partner_ids.commercial_partner_id.mapped("display_name")
                ),
            ),
            next_action={"type": "ir.actions.act_window_close"},
        )

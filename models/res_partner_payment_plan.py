from odoo import fields, models


class ResPartner(models.Model):
    """Payment plans seen from the customer."""

    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_plan_count = fields.Integer(
        string="Payment Plan Count", compute="_compute_collection_plan_count"
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    def _compute_collection_plan_count(self):
        counts = dict(
            self.env["account.collection.plan"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.collection_plan_count = counts.get(partner.commercial_partner_id, 0)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_create_payment_plan(self):
        return self.env["account.collection.plan.wizard"]._action_open(
            self, self.env["account.move"]
        )

    def action_view_collection_plans(self):
        plans = self.env["account.collection.plan"].search(
            [("partner_id", "in", self.commercial_partner_id.ids)]
        )
        action = plans._action_view_plans()
        if len(self) == 1:
            action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

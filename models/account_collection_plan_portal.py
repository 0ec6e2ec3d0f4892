from odoo import fields, models


class AccountCollectionPlan(models.Model):
    """Payment plans asked for by the customer from its collection page (#15)."""

    _inherit = "account.collection.plan"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    portal_requested = fields.Boolean(
        string="Requested from the Customer Page",
        readonly=True,
        copy=False,
        help="The customer asked for this plan from its collection page; the "
        "collector approves it.",
    )

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    collection_policy_id = fields.Many2one(
        "account.collection.policy",
        string="Default Collection Policy",
        domain="[('company_id', '=', id)]",
    )
    collection_auto_send = fields.Boolean(
        string="Send Reminders Automatically",
        default=True,
        help="When unchecked, the daily run prepares draft reminders that a collector "
        "reviews and sends.",
    )

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_deposit_check = fields.Selection(
        related="company_id.collection_deposit_check", readonly=False
    )

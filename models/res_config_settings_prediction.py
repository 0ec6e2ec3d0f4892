from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_prediction_months = fields.Integer(
        related="company_id.collection_prediction_months", readonly=False
    )

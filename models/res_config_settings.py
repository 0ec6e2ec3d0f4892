from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    collection_policy_id = fields.Many2one(
        related="company_id.collection_policy_id",
        readonly=False,
    )
    collection_credit_check = fields.Selection(
        related="company_id.collection_credit_check",
        readonly=False,
    )
    collection_risk_months = fields.Integer(
        related="company_id.collection_risk_months",
        readonly=False,
    )
    collection_solvency_exposure = fields.Monetary(
        related="company_id.collection_solvency_exposure",
        currency_field="currency_id",
        readonly=False,
    )
    collection_risk_user_id = fields.Many2one(
        related="company_id.collection_risk_user_id",
        readonly=False,
    )

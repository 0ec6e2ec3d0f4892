from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    collection_policy_id = fields.Many2one(
        related="company_id.collection_policy_id",
        readonly=False,
    )
    collection_penalty_rate_mode = fields.Selection(
        related="company_id.collection_penalty_rate_mode", readonly=False
    )
    collection_penalty_margin = fields.Float(
        related="company_id.collection_penalty_margin", readonly=False
    )
    collection_contractual_rate = fields.Float(
        related="company_id.collection_contractual_rate", readonly=False
    )
    collection_indemnity_amount = fields.Monetary(
        related="company_id.collection_indemnity_amount",
        currency_field="currency_id",
        readonly=False,
    )
    collection_interest_year_days = fields.Integer(
        related="company_id.collection_interest_year_days", readonly=False
    )
    collection_charge_journal_id = fields.Many2one(
        related="company_id.collection_charge_journal_id", readonly=False
    )
    collection_interest_account_id = fields.Many2one(
        related="company_id.collection_interest_account_id", readonly=False
    )
    collection_indemnity_account_id = fields.Many2one(
        related="company_id.collection_indemnity_account_id", readonly=False
    )
    collection_interest_plan_exempt = fields.Boolean(
        related="company_id.collection_interest_plan_exempt", readonly=False
    )
    collection_term_check = fields.Selection(
        related="company_id.collection_term_check", readonly=False
    )
    collection_term_max_days = fields.Integer(
        related="company_id.collection_term_max_days", readonly=False
    )
    collection_term_eom_days = fields.Integer(
        related="company_id.collection_term_eom_days", readonly=False
    )

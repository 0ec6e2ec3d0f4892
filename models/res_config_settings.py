from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_policy_id = fields.Many2one(
        related="company_id.collection_policy_id",
        readonly=False,
    )
    collection_auto_send = fields.Boolean(
        related="company_id.collection_auto_send",
        readonly=False,
    )
    collection_plan_grace_days = fields.Integer(
        related="company_id.collection_plan_grace_days", readonly=False
    )
    collection_plan_reminder_days = fields.Integer(
        related="company_id.collection_plan_reminder_days", readonly=False
    )
    collection_plan_resume_level_id = fields.Many2one(
        related="company_id.collection_plan_resume_level_id", readonly=False
    )
    collection_bucket_1 = fields.Integer(
        related="company_id.collection_bucket_1", readonly=False
    )
    collection_bucket_2 = fields.Integer(
        related="company_id.collection_bucket_2", readonly=False
    )
    collection_bucket_3 = fields.Integer(
        related="company_id.collection_bucket_3", readonly=False
    )
    collection_bucket_4 = fields.Integer(
        related="company_id.collection_bucket_4", readonly=False
    )
    collection_effectiveness_days = fields.Integer(
        related="company_id.collection_effectiveness_days", readonly=False
    )
    collection_audit_unallocated_days = fields.Integer(
        related="company_id.collection_audit_unallocated_days", readonly=False
    )
    collection_audit_unreminded_days = fields.Integer(
        related="company_id.collection_audit_unreminded_days", readonly=False
    )
    collection_audit_stuck_days = fields.Integer(
        related="company_id.collection_audit_stuck_days", readonly=False
    )
    collection_audit_block_days = fields.Integer(
        related="company_id.collection_audit_block_days", readonly=False
    )
    collection_audit_bank_change_days = fields.Integer(
        related="company_id.collection_audit_bank_change_days", readonly=False
    )
    collection_doubtful_days = fields.Integer(
        related="company_id.collection_doubtful_days", readonly=False
    )
    collection_doubtful_percent = fields.Float(
        related="company_id.collection_doubtful_percent", readonly=False
    )
    collection_doubtful_account_id = fields.Many2one(
        related="company_id.collection_doubtful_account_id", readonly=False
    )
    collection_provision_expense_account_id = fields.Many2one(
        related="company_id.collection_provision_expense_account_id", readonly=False
    )
    collection_provision_account_id = fields.Many2one(
        related="company_id.collection_provision_account_id", readonly=False
    )
    collection_doubtful_journal_id = fields.Many2one(
        related="company_id.collection_doubtful_journal_id", readonly=False
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

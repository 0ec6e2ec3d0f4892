from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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

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
    collection_plan_grace_days = fields.Integer(
        string="Payment Plan Grace Days",
        default=3,
        help="Days after its due date before an unpaid installment breaks its plan.",
    )
    collection_plan_reminder_days = fields.Integer(
        string="Installment Reminder Days",
        default=5,
        help="Days before its due date at which the customer is reminded of an "
        "installment.",
    )
    collection_plan_resume_level_id = fields.Many2one(
        "account.collection.level",
        string="Dunning Level after a Breached Plan",
        domain="[('company_id', '=', id)]",
        help="When a payment plan is breached, its invoices are put at this level: "
        "the next dunning cycle goes on from it.",
    )

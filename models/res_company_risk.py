from odoo import fields, models


class ResCompany(models.Model):
    """Risk settings of the company: credit control at posting, payment history
    scored and solvency reviews."""

    _inherit = "res.company"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_credit_check = fields.Selection(
        [
            ("none", "No check"),
            ("warning", "Warning"),
            ("block", "Block"),
        ],
        string="Credit Control",
        default="warning",
        required=True,
        help="When an invoice is posted for a customer over its credit limit or on "
        "credit hold: post it and log a warning, or block it unless a collection "
        "manager overrides.",
    )
    collection_risk_months = fields.Integer(
        string="Payment History (months)",
        default=12,
        help="Invoices paid during these last months make the payment behaviour.",
    )
    collection_solvency_exposure = fields.Monetary(
        string="Solvency Note Required Above",
        currency_field="currency_id",
        default=10000.0,
        help="Customers whose exposure exceeds this amount need a valid solvency "
        "note; when it is expired or missing, an activity asks for a review. 0 "
        "disables the reviews.",
    )
    collection_risk_user_id = fields.Many2one(
        "res.users",
        string="Default Collector",
        help="Collector of the customers who have none: owns their reminders, phone "
        "calls, solvency reviews, payment plan follow-ups and credit activities.",
    )

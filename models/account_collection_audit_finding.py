from odoo import api, fields, models

AUDIT_RULES = [
    ("unallocated_payment", "Unallocated payment"),
    ("credit_balance", "Customer with a credit balance"),
    ("due_before_date", "Due date before the invoice date"),
    ("term_too_long", "Payment term beyond the legal maximum"),
    ("duplicate_invoice", "Likely duplicate invoice"),
    ("credit_note_exceeds", "Credit note larger than its invoice"),
    ("never_reminded", "Long overdue, never reminded"),
    ("stuck_level", "Stuck at a dunning level"),
    ("long_block", "Dunning blocked for long"),
    ("bank_change", "Bank account changed before a payment"),
]
SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class AccountCollectionAuditFinding(models.Model):
    """One anomaly found by an audit on one record. A finding stays open across
    audits until it is no longer detected (resolved) or a user dismisses it: the
    same rule never reports the same record twice while its finding is open."""

    _name = "account.collection.audit.finding"
    _description = "Receivables Audit Finding"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "severity_order desc, rule, id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    audit_id = fields.Many2one(
        "account.collection.audit",
        string="Found by",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    last_audit_id = fields.Many2one(
        "account.collection.audit",
        string="Last Seen by",
        ondelete="set null",
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    rule = fields.Selection(AUDIT_RULES, required=True, index=True)
    severity = fields.Selection(SEVERITIES, required=True, default="medium")
    severity_order = fields.Integer(compute="_compute_severity_order", store=True)
    res_model = fields.Char(string="Model", required=True, index=True)
    res_id = fields.Integer(string="Record ID", required=True, index=True)
    record_ref = fields.Reference(
        selection="_selection_record_ref",
        string="Record",
        compute="_compute_record_ref",
    )
    record_name = fields.Char(string="Reference")
    partner_id = fields.Many2one("res.partner", string="Customer", index=True)
    amount = fields.Monetary(currency_field="currency_id")
    description = fields.Text()
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved"), ("dismissed", "Dismissed")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    user_id = fields.Many2one("res.users", string="Responsible")
    date_resolved = fields.Date(string="Resolved On", readonly=True)

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.model
    def _selection_record_ref(self):
        return [
            (model, self.env[model]._description)
            for model in (
                "account.move",
                "account.payment",
                "res.partner",
                "res.partner.bank",
            )
        ]

    @api.depends("severity")
    def _compute_severity_order(self):
        order = {"low": 1, "medium": 2, "high": 3}
        for finding in self:
            finding.severity_order = order.get(finding.severity, 0)

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        for finding in self:
            finding.record_ref = (
                f"{finding.res_model},{finding.res_id}"
                if finding.res_model in self.env and finding.res_id
                else False
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_record(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)._get_records_action()

    def action_dismiss(self):
        self.write({"state": "dismissed"})
        self.activity_ids.action_feedback()

    def action_reopen(self):
        self.write({"state": "open", "date_resolved": False})

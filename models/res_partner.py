from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_policy_id = fields.Many2one(
        "account.collection.policy",
        company_dependent=True,
        help="Dunning policy of this customer; when empty, the policy of its risk "
        "segment or of the company applies.",
    )
    collection_user_id = fields.Many2one(
        "res.users",
        string="Collector",
        company_dependent=True,
        help="Person in charge of collecting this customer's invoices.",
    )
    collection_excluded = fields.Boolean(
        string="Excluded from Collection",
        company_dependent=True,
        help="No reminder is sent to this customer.",
    )
    collection_promise_date = fields.Date(
        string="Promised Payment Date",
        company_dependent=True,
        help="Reminders pause until this date.",
    )
    collection_promise_amount = fields.Float(
        string="Promised Amount",
        company_dependent=True,
        digits="Account",
    )
    collection_communication_ids = fields.One2many(
        "account.collection.communication",
        "partner_id",
        string="Reminders",
    )
    collection_amount_due = fields.Monetary(
        string="Receivable Due",
        compute="_compute_collection_amounts",
        currency_field="currency_id",
    )
    collection_amount_overdue = fields.Monetary(
        string="Receivable Overdue",
        compute="_compute_collection_amounts",
        currency_field="currency_id",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends_context("company", "date")
    def _compute_collection_amounts(self):
        today = fields.Date.context_today(self)
        commercial_partners = self.commercial_partner_id
        domain = [
            ("partner_id", "in", commercial_partners.ids),
            ("company_id", "in", self.env.companies.ids),
            ("account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
        ]
        due = dict(
            self.env["account.move.line"]._read_group(
                domain, ["partner_id"], ["amount_residual:sum"]
            )
        )
        overdue = dict(
            self.env["account.move.line"]._read_group(
                [*domain, ("date_maturity", "<", today)],
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.collection_amount_due = due.get(commercial, 0.0)
            partner.collection_amount_overdue = overdue.get(commercial, 0.0)

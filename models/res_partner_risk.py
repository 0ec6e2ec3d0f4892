from odoo import api, fields, models

from ..tools.groups import COLLECTION_USER


class ResPartner(models.Model):
    """Payment risk of the customer in the current company: solvency notes, score,
    risk segment and its terms, manual settings and credit control."""

    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_solvency_note_ids = fields.One2many(
        "account.collection.solvency.note",
        "partner_id",
        string="Solvency Notes",
        groups=COLLECTION_USER,
    )
    collection_solvency_note_id = fields.Many2one(
        "account.collection.solvency.note",
        string="Solvency Note",
        compute="_compute_collection_solvency_note",
        groups=COLLECTION_USER,
        help="Latest solvency note valid today.",
    )
    collection_risk_id = fields.Many2one(
        "account.collection.partner.risk",
        string="Payment Risk",
        compute="_compute_collection_risk",
        groups=COLLECTION_USER,
    )
    collection_segment_id = fields.Many2one(
        "account.collection.risk.segment",
        string="Risk Segment",
        compute="_compute_collection_risk",
        groups=COLLECTION_USER,
    )
    collection_risk_score = fields.Integer(
        string="Payment Score",
        compute="_compute_collection_risk",
        groups=COLLECTION_USER,
        help="From 100 (exemplary payer) down to 0.",
    )
    collection_avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        compute="_compute_collection_risk",
        groups=COLLECTION_USER,
    )
    collection_late_share = fields.Float(
        string="Invoices Late (%)",
        compute="_compute_collection_risk",
        groups=COLLECTION_USER,
    )
    collection_risk_date = fields.Date(
        string="Scored On",
        compute="_compute_collection_risk",
        groups=COLLECTION_USER,
    )
    collection_suggested_payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Suggested Payment Term",
        compute="_compute_collection_risk",
        groups=COLLECTION_USER,
    )
    collection_deposit_percent = fields.Float(
        string="Deposit (%)",
        compute="_compute_collection_risk",
        groups=COLLECTION_USER,
    )
    collection_segment_override_id = fields.Many2one(
        "account.collection.risk.segment",
        string="Segment Override",
        compute="_compute_collection_risk_settings",
        inverse="_inverse_collection_risk_settings",
        domain="[('company_id', '=', current_company_id)]",
        groups=COLLECTION_USER,
    )
    collection_override_reason = fields.Char(
        string="Override Reason",
        compute="_compute_collection_risk_settings",
        inverse="_inverse_collection_risk_settings",
        groups=COLLECTION_USER,
    )
    collection_credit_limit_manual = fields.Monetary(
        string="Manual Credit Limit",
        currency_field="collection_currency_id",
        compute="_compute_collection_risk_settings",
        inverse="_inverse_collection_risk_settings",
        groups=COLLECTION_USER,
        help="When set, replaces the limit recommended by the solvency note.",
    )
    collection_credit_hold = fields.Boolean(
        string="Manual Credit Hold",
        compute="_compute_collection_risk_settings",
        inverse="_inverse_collection_risk_settings",
        groups=COLLECTION_USER,
        help="No new invoice for this customer without a manager's approval.",
    )
    collection_credit_hold_reason = fields.Char(
        string="Credit Hold Reason",
        compute="_compute_collection_risk_settings",
        inverse="_inverse_collection_risk_settings",
        groups=COLLECTION_USER,
    )
    collection_exposure = fields.Monetary(
        string="Exposure",
        currency_field="collection_currency_id",
        compute="_compute_collection_credit",
        groups=COLLECTION_USER,
        help="Open receivables plus draft customer invoices, now.",
    )
    collection_credit_limit = fields.Monetary(
        string="Credit Limit in Force",
        currency_field="collection_currency_id",
        compute="_compute_collection_credit",
        groups=COLLECTION_USER,
        help="Limit in force: the manual limit, else the limit recommended by the "
        "latest valid solvency note weighted by the segment's factor, else the "
        "segment's default credit limit; 0 for none.",
    )
    collection_credit_exceeded = fields.Boolean(
        string="Over Credit Limit",
        compute="_compute_collection_credit",
        groups=COLLECTION_USER,
    )
    collection_credit_blocked = fields.Boolean(
        string="On Credit Hold",
        compute="_compute_collection_credit",
        groups=COLLECTION_USER,
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends_context("company")
    def _compute_collection_risk(self):
        commercial = self.commercial_partner_id._origin
        records = (
            self.env["account.collection.partner.risk"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("partner_id", "in", commercial.ids),
                ]
            )
        )
        by_partner = {record.partner_id.id: record for record in records}
        empty = self.env["account.collection.partner.risk"].sudo()
        for partner in self:
            record = by_partner.get(partner.commercial_partner_id._origin.id, empty)
            segment = record.segment_id
            partner.collection_risk_id = record.sudo(False)
            partner.collection_segment_id = segment.sudo(False)
            partner.collection_risk_score = record.score
            partner.collection_avg_days_late = record.avg_days_late
            partner.collection_late_share = record.late_share
            partner.collection_risk_date = record.date_scored
            partner.collection_suggested_payment_term_id = segment.payment_term_id.sudo(
                False
            )
            partner.collection_deposit_percent = segment.deposit_percent

    @api.depends_context("company", "date")
    def _compute_collection_solvency_note(self):
        valid = self.env["account.collection.solvency.note"]._get_latest(
            self.commercial_partner_id._origin.ids,
            self.env.company,
            fields.Date.context_today(self),
        )[0]
        for partner in self:
            note = valid.get(partner.commercial_partner_id._origin.id)
            partner.collection_solvency_note_id = note.sudo(False) if note else False

    @api.depends_context("company")
    def _compute_collection_risk_settings(self):
        for partner in self:
            record = partner.commercial_partner_id.collection_risk_id
            partner.collection_segment_override_id = record.segment_override_id
            partner.collection_override_reason = record.override_reason
            partner.collection_credit_limit_manual = record.credit_limit_manual
            partner.collection_credit_hold = record.credit_hold
            partner.collection_credit_hold_reason = record.credit_hold_reason

    def _inverse_collection_risk_settings(self):
        for partner in self:
            record = partner._collection_risk_ensure()
            record.write(
                {
                    "segment_override_id": partner.collection_segment_override_id.id,
                    "override_reason": partner.collection_override_reason,
                    "credit_limit_manual": partner.collection_credit_limit_manual,
                    "credit_hold": partner.collection_credit_hold,
                    "credit_hold_reason": partner.collection_credit_hold_reason,
                }
            )

    @api.depends_context("company")
    def _compute_collection_credit(self):
        status = self.env["account.collection.credit.control"]._credit_status(
            self.env.company, self.commercial_partner_id._origin.ids
        )
        for partner in self:
            state = status.get(partner.commercial_partner_id._origin.id)
            partner.collection_exposure = state.exposure if state else 0.0
            partner.collection_credit_limit = state.limit if state else 0.0
            partner.collection_credit_exceeded = bool(
                state and state.limit and state.exposure > state.limit
            )
            partner.collection_credit_blocked = bool(state and state.blocked)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_collection_compute_risk(self):
        """Score the selected customers again in the current company."""
        self.env["account.collection.partner.risk"].check_access("read")
        self.env["account.collection.risk.scoring"]._score_company(
            self.env.company, set(self.commercial_partner_id.ids)
        )
        return True

    def action_collection_open_risk(self):
        """Open the customer's risk record of the current company, scored first
        when there is none yet."""
        self.ensure_one()
        risk_model = self.env["account.collection.partner.risk"]
        commercial = self.commercial_partner_id
        domain = [
            ("company_id", "=", self.env.company.id),
            ("partner_id", "=", commercial.id),
        ]
        record = risk_model.search(domain, limit=1)
        if not record:
            risk_model.check_access("read")
            self.env["account.collection.risk.scoring"]._score_company(
                self.env.company, {commercial.id}
            )
            record = risk_model.search(domain, limit=1)
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.collection.partner.risk",
            "res_id": record.id,
            "view_mode": "form",
        }

    def action_collection_apply_payment_term(self):
        """Give the customer the payment term suggested by its risk segment."""
        for partner in self:
            term = partner.collection_suggested_payment_term_id
            if term:
                partner.commercial_partner_id.property_payment_term_id = term
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_collection_segment_policy(self):
        """Return the dunning policy of the customer's risk segment in the current
        company, or an empty recordset."""
        self.ensure_one()
        record = self.commercial_partner_id.sudo().collection_risk_id
        return record.segment_id.policy_id.sudo(False)

    def _collection_risk_ensure(self):
        """Return the risk record of the customer in the current company, created
        when missing (with the current user's rights)."""
        self.ensure_one()
        risk_model = self.env["account.collection.partner.risk"]
        commercial = self.commercial_partner_id
        record = risk_model.search(
            [
                ("company_id", "=", self.env.company.id),
                ("partner_id", "=", commercial.id),
            ],
            limit=1,
        )
        return record or risk_model.create(
            {"partner_id": commercial.id, "company_id": self.env.company.id}
        )

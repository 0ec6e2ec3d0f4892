from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount

NOTE_STATES = [("valid", "Valid"), ("expired", "Expired"), ("missing", "Missing")]

# Fields set by hand: changing them moves the segment or the limit at once.
MANUAL_FIELDS = {
    "segment_override_id",
    "credit_limit_manual",
    "credit_hold",
}


class AccountCollectionPartnerRisk(models.Model):
    """The payment risk of one customer in one company: behaviour scored from the
    payment history, risk segment, credit limit and exposure. Scored in bulk by a
    daily scheduled action and on demand; the customer form shows the record of
    the current company."""

    _name = "account.collection.partner.risk"
    _description = "Customer Payment Risk"
    _order = "score, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_scored = fields.Date(string="Scored On", readonly=True)
    avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Average delay between the due date and the payment date, weighted by "
        "the amounts, of the invoices paid during the period and of the invoices "
        "overdue today (with their delay so far).",
    )
    invoice_count = fields.Integer(string="Invoices Scored", readonly=True)
    late_invoice_count = fields.Integer(string="Invoices Late", readonly=True)
    late_share = fields.Float(
        string="Invoices Late (%)",
        digits=(16, 4),
        readonly=True,
        aggregator="avg",
        help="Share of the scored invoices, counted one by one whatever their "
        "amount, paid late or still overdue. The segment follows the average delay "
        "weighted by the amounts and the payment score, of which this share is one "
        "part: a customer late on a few small invoices can stay a good payer.",
    )
    formal_notice_count = fields.Integer(
        string="Formal Notices",
        readonly=True,
        help="Formal notices (mises en demeure) sent during the period.",
    )
    broken_promise_count = fields.Integer(string="Broken Promises", readonly=True)
    broken_plan_count = fields.Integer(string="Broken Payment Plans", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True)
    exposure = fields.Monetary(
        readonly=True,
        help="Open receivables plus draft customer invoices, in the company's "
        "currency, when last scored.",
    )
    score = fields.Integer(
        string="Payment Score",
        readonly=True,
        aggregator="avg",
        help="From 100 (exemplary payer) down to 0.",
    )
    computed_segment_id = fields.Many2one(
        "account.collection.risk.segment",
        string="Segment from History",
        readonly=True,
        help="Segment given by the payment history and the latest solvency note.",
    )
    segment_id = fields.Many2one(
        "account.collection.risk.segment",
        string="Risk Segment",
        readonly=True,
        index=True,
        help="Segment in force: the override when set, else the segment from the "
        "history.",
    )
    segment_override_id = fields.Many2one(
        "account.collection.risk.segment",
        check_company=True,
    )
    override_reason = fields.Char()
    credit_limit_manual = fields.Monetary(
        string="Manual Credit Limit",
        help="When set, replaces the limit recommended by the solvency note.",
    )
    credit_hold = fields.Boolean(
        help="No new invoice for this customer without a manager's approval."
    )
    credit_hold_reason = fields.Char()
    credit_limit = fields.Monetary(
        readonly=True,
        help="Limit in force: the manual limit, else the limit recommended by the "
        "latest valid solvency note weighted by the segment's factor; 0 for none.",
    )
    over_limit = fields.Boolean(readonly=True)
    blocked = fields.Boolean(
        string="On Hold",
        readonly=True,
        help="On credit hold, by hand or through its segment.",
    )
    solvency_note_id = fields.Many2one(
        "account.collection.solvency.note",
        readonly=True,
        ondelete="set null",
    )
    note_state = fields.Selection(
        NOTE_STATES, string="Solvency Note Status", readonly=True, default="missing"
    )
    solvency_review_date = fields.Date(
        string="Review Requested On",
        readonly=True,
        copy=False,
        help="When an activity last asked for a new solvency note.",
    )
    solvency_review_note_id = fields.Many2one(
        "account.collection.solvency.note",
        string="Note When Review Requested",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="Latest note when the review was requested; a new request is made only "
        "once this note has changed.",
    )
    payment_term_id = fields.Many2one(
        related="segment_id.payment_term_id", string="Suggested Payment Term"
    )
    deposit_percent = fields.Float(related="segment_id.deposit_percent")
    policy_id = fields.Many2one(
        related="segment_id.policy_id", string="Segment Dunning Policy"
    )

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one risk record per company.",
        ),
    ]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("segment_override_id", "override_reason")
    def _check_override_reason(self):
        for record in self:
            if record.segment_override_id and not record.override_reason:
                raise ValidationError(
                    _(
                        "Give the reason why the risk segment of %s is set by hand.",
                        record.partner_id.display_name,
                    )
                )

    @api.constrains("credit_limit_manual")
    def _check_manual_limit(self):
        for record in self:
            if record.credit_limit_manual < 0:
                raise ValidationError(
                    _(
                        "The credit limit of %s cannot be negative.",
                        record.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        records = super().create(vals_list)
        records._refresh()
        return records

    def write(self, vals):
        result = super().write(vals)
        if MANUAL_FIELDS & set(vals):
            self._refresh()
            self._log_manual_change()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_refresh(self):
        """Score again the customers of the current company (all of them when no
        record is selected)."""
        self.check_access("read")
        if self:
            self._refresh()
        else:
            self.env["account.collection.risk.scoring"]._score_company(self.env.company)
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _refresh(self):
        self.env["account.collection.risk.scoring"]._refresh_pairs(
            {(record.partner_id.id, record.company_id.id) for record in self}
        )

    def _log_manual_change(self):
        """Leave on the customer's chatter who changed its risk settings and how."""
        for record in self:
            values = {
                "user": self.env.user.name,
                "company": record.company_id.name,
                "segment": record.segment_id.display_name or "-",
                "reason": record.override_reason or "-",
                "limit": format_amount(
                    self.env, record.credit_limit, record.currency_id
                ),
                "hold": _("yes") if record.credit_hold else _("no"),
            }
            if record.segment_override_id:
                body = _(
                    "Risk settings in %(company)s changed by %(user)s: segment set by "
                    "hand to %(segment)s (%(reason)s), credit limit %(limit)s, credit "
                    "hold: %(hold)s.",
                    **values,
                )
            else:
                body = _(
                    "Risk settings in %(company)s changed by %(user)s: segment "
                    "%(segment)s from the history, credit limit %(limit)s, credit "
                    "hold: %(hold)s.",
                    **values,
                )
            record.partner_id.sudo().message_post(
                body=body, author_id=self.env.user.partner_id.id
            )

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_score_customers(self):
        """Entry point of the daily scoring job, see
        ``account.collection.risk.scoring._cron_score_customers``."""
        self.env["account.collection.risk.scoring"]._cron_score_customers()

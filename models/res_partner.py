from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

RISK_GROUP = "account_collection.account_collection_group_user"
# Collection data of the customers: internal users only (not the portal).
INTERNAL = "base.group_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_policy_id = fields.Many2one(
        "account.collection.policy",
        company_dependent=True,
        check_company=True,
        help="Dunning policy of this customer; when empty, the policy of its risk "
        "segment or of the company applies.",
        groups=INTERNAL,
    )
    collection_user_id = fields.Many2one(
        "res.users",
        string="Collector",
        company_dependent=True,
        help="Person in charge of collecting this customer's invoices.",
        groups=INTERNAL,
    )
    collection_excluded = fields.Boolean(
        string="Excluded from Collection",
        company_dependent=True,
        help="No reminder is sent to this customer.",
        groups=INTERNAL,
    )
    collection_promise_date = fields.Date(
        string="Promised Payment Date",
        company_dependent=True,
        help="Reminders pause until this date.",
        groups=INTERNAL,
    )
    collection_promise_amount = fields.Float(
        string="Promised Amount",
        company_dependent=True,
        digits="Account",
        groups=INTERNAL,
    )
    collection_promise_set_date = fields.Date(
        string="Promise Recorded On",
        company_dependent=True,
        groups=INTERNAL,
    )
    collection_escalate = fields.Boolean(
        company_dependent=True,
        help="Set when a promise is broken: the next reminder goes one level up.",
        groups=INTERNAL,
    )
    collection_communication_ids = fields.One2many(
        "account.collection.communication",
        "partner_id",
        string="Reminders",
        domain=[("state", "!=", "preview")],
        groups=INTERNAL,
    )
    collection_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_collection_currency_id",
        help="Currency of the current company, in which the collection amounts of the "
        "customer are given.",
        groups=INTERNAL,
    )
    collection_amount_due = fields.Monetary(
        string="Receivable Due",
        compute="_compute_collection_amounts",
        currency_field="collection_currency_id",
        groups=INTERNAL,
    )
    collection_amount_overdue = fields.Monetary(
        string="Receivable Overdue",
        compute="_compute_collection_amounts",
        currency_field="collection_currency_id",
        groups=INTERNAL,
    )
    collection_debtor_type = fields.Selection(
        [("professional", "Professional"), ("consumer", "Consumer")],
        string="Debtor Type",
        compute="_compute_collection_debtor_type",
        store=True,
        readonly=False,
        help="Professional customers owe the late-payment penalties of the Code de "
        "commerce and the fixed recovery indemnity; consumers owe neither, only the "
        "legal interest from the formal notice. Companies are professional and "
        "individuals consumers by default.",
    )
    collection_insolvency = fields.Selection(
        [
            ("safeguard", "Safeguard (sauvegarde)"),
            ("receivership", "Receivership (redressement judiciaire)"),
            ("liquidation", "Liquidation"),
        ],
        string="Insolvency Procedure",
        tracking=True,
        help="From the opening judgment of an insolvency procedure, the customer's "
        "claims are no longer reminded (Code de commerce L622-21), no recovery "
        "indemnity is charged and interest stops running (L622-28): declare the "
        "claims to the mandataire judiciaire.",
        groups=INTERNAL,
    )
    collection_insolvency_date = fields.Date(
        string="Procedure Opened On",
        tracking=True,
        help="Date of the opening judgment.",
        groups=INTERNAL,
    )
    collection_late_interest_due = fields.Monetary(
        string="Late Interest to Charge",
        compute="_compute_collection_late_fees",
        groups="account_collection.account_collection_group_user",
        currency_field="collection_currency_id",
        help="Late-payment interest accrued to date on this customer's invoices and "
        "not charged yet, in the company currency.",
    )
    collection_late_indemnity_due = fields.Monetary(
        string="Recovery Indemnities to Charge",
        compute="_compute_collection_late_fees",
        groups="account_collection.account_collection_group_user",
        currency_field="collection_currency_id",
    )
    collection_late_fees_charged = fields.Monetary(
        string="Late Fees Charged",
        compute="_compute_collection_late_fees",
        groups="account_collection.account_collection_group_user",
        currency_field="collection_currency_id",
        help="Interest and indemnities already invoiced to this customer.",
    )
    # Risk (solvency notes, payment behaviour, segment, credit limit)
    collection_broken_promise_count = fields.Integer(
        string="Broken Promises",
        company_dependent=True,
        help="Promises to pay whose date passed while the invoices were still "
        "overdue.",
        groups=INTERNAL,
    )
    collection_solvency_note_ids = fields.One2many(
        "account.collection.solvency.note",
        "partner_id",
        string="Solvency Notes",
        groups=RISK_GROUP,
    )
    collection_solvency_note_id = fields.Many2one(
        "account.collection.solvency.note",
        string="Solvency Note",
        compute="_compute_collection_solvency_note",
        groups=RISK_GROUP,
        help="Latest solvency note valid today.",
    )
    collection_risk_id = fields.Many2one(
        "account.collection.partner.risk",
        string="Payment Risk",
        compute="_compute_collection_risk",
        groups=RISK_GROUP,
    )
    collection_segment_id = fields.Many2one(
        "account.collection.risk.segment",
        string="Risk Segment",
        compute="_compute_collection_risk",
        groups=RISK_GROUP,
    )
    collection_risk_score = fields.Integer(
        string="Payment Score",
        compute="_compute_collection_risk",
        groups=RISK_GROUP,
        help="From 100 (exemplary payer) down to 0.",
    )
    collection_avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        compute="_compute_collection_risk",
        groups=RISK_GROUP,
    )
    collection_late_share = fields.Float(
        string="Late Share",
        compute="_compute_collection_risk",
        groups=RISK_GROUP,
    )
    collection_risk_date = fields.Date(
        string="Scored On",
        compute="_compute_collection_risk",
        groups=RISK_GROUP,
    )
    collection_suggested_payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Suggested Payment Term",
        compute="_compute_collection_risk",
        groups=RISK_GROUP,
    )
    collection_deposit_percent = fields.Float(
        string="Deposit (%)",
        compute="_compute_collection_risk",
        groups=RISK_GROUP,
    )
    collection_segment_override_id = fields.Many2one(
        "account.collection.risk.segment",
        string="Segment Override",
        compute="_compute_collection_risk_settings",
        inverse="_inverse_collection_risk_settings",
        domain="[('company_id', '=', current_company_id)]",
        groups=RISK_GROUP,
    )
    collection_override_reason = fields.Char(
        string="Override Reason",
        compute="_compute_collection_risk_settings",
        inverse="_inverse_collection_risk_settings",
        groups=RISK_GROUP,
    )
    collection_credit_limit_manual = fields.Monetary(
        string="Manual Credit Limit",
        currency_field="collection_currency_id",
        compute="_compute_collection_risk_settings",
        inverse="_inverse_collection_risk_settings",
        groups=RISK_GROUP,
        help="When set, replaces the limit recommended by the solvency note.",
    )
    collection_credit_hold = fields.Boolean(
        string="Manual Credit Hold",
        compute="_compute_collection_risk_settings",
        inverse="_inverse_collection_risk_settings",
        groups=RISK_GROUP,
        help="No new invoice for this customer without a manager's approval.",
    )
    collection_credit_hold_reason = fields.Char(
        string="Credit Hold Reason",
        compute="_compute_collection_risk_settings",
        inverse="_inverse_collection_risk_settings",
        groups=RISK_GROUP,
    )
    collection_exposure = fields.Monetary(
        string="Exposure",
        currency_field="collection_currency_id",
        compute="_compute_collection_credit",
        groups=RISK_GROUP,
        help="Open receivables plus draft customer invoices, now.",
    )
    collection_credit_limit = fields.Monetary(
        string="Credit Limit in Force",
        currency_field="collection_currency_id",
        compute="_compute_collection_credit",
        groups=RISK_GROUP,
        help="Limit in force: the manual limit, else the limit recommended by the "
        "latest valid solvency note weighted by the segment's factor; 0 for none.",
    )
    collection_credit_exceeded = fields.Boolean(
        string="Over Credit Limit",
        compute="_compute_collection_credit",
        groups=RISK_GROUP,
    )
    collection_credit_blocked = fields.Boolean(
        string="On Credit Hold",
        compute="_compute_collection_credit",
        groups=RISK_GROUP,
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("is_company")
    def _compute_collection_debtor_type(self):
        for partner in self:
            partner.collection_debtor_type = (
                "professional" if partner.is_company else "consumer"
            )

    @api.depends_context("company", "date")
    def _compute_collection_late_fees(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("invoice_date_due", "<", today),
                ("collection_excluded", "=", False),
                ("collection_charge_invoice", "=", False),
            ]
        )
        fees = self.env["account.collection.late.fee"]._get_late_fees(invoices, today)
        by_currency = defaultdict(lambda: [0.0, 0.0, 0.0])
        for invoice in invoices:
            fee = fees.get(invoice.id)
            if not fee:
                continue
            total = by_currency[invoice.commercial_partner_id.id, invoice.currency_id]
            total[0] += float(fee.interest_to_charge)
            total[1] += float(fee.indemnity_to_charge)
            total[2] += float(fee.interest_charged + fee.indemnity_charged)
        totals = defaultdict(lambda: [0.0, 0.0, 0.0])
        for (partner_id, currency), amounts in by_currency.items():
            for index, amount in enumerate(amounts):
                totals[partner_id][index] += currency._convert(
                    amount, company.currency_id, company, today
                )
        for partner in self:
            interest, indemnity, charged = totals[partner.commercial_partner_id.id]
            partner.collection_late_interest_due = interest
            partner.collection_late_indemnity_due = indemnity
            partner.collection_late_fees_charged = charged

    @api.depends_context("company")
    def _compute_collection_currency_id(self):
        self.collection_currency_id = self.env.company.currency_id

    @api.depends_context("company", "date")
    def _compute_collection_amounts(self):
        """Receivable of the customer in the current company, in its currency."""
        today = fields.Date.context_today(self)
        commercial_partners = self.commercial_partner_id
        domain = [
            *self.env["account.move.line"]._collection_open_items_domain(
                self.env.company
            ),
            ("partner_id", "in", commercial_partners.ids),
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

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_collection_policy(self):
        """The dunning policy of the customer in the current company: its own, else
        the one of its risk segment, else the company's default."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return (
            partner.collection_policy_id
            or partner._get_collection_segment_policy()
            or self.env.company.collection_policy_id
        )

    def _collection_settle_promise(self, kept):
        """Close the promise to pay of the customer: kept, or broken (logged, counted,
        and the next reminder escalates)."""
        self.ensure_one()
        if kept:
            body = _(
                "Promise to pay %(amount)s by %(date)s kept.",
                amount=self.collection_promise_amount,
                date=self.collection_promise_date,
            )
            vals = {}
        else:
            body = _(
                "Promise to pay %(amount)s by %(date)s broken: reminders resume one "
                "level up.",
                amount=self.collection_promise_amount,
                date=self.collection_promise_date,
            )
            vals = {
                "collection_escalate": True,
                "collection_broken_promise_count": self.collection_broken_promise_count
                + 1,
            }
        self.message_post(body=body)
        self.write(
            {
                **vals,
                "collection_promise_date": False,
                "collection_promise_amount": 0.0,
                "collection_promise_set_date": False,
            }
        )

    def _collection_record_promise(self, date, amount):
        today = fields.Date.context_today(self)
        if not date or date < today:
            raise UserError(_("A promise to pay needs a date from today on."))
        if amount <= 0:
            raise UserError(_("The promised amount must be positive."))
        for partner in self.commercial_partner_id:
            partner.write(
                {
                    "collection_promise_date": date,
                    "collection_promise_amount": amount,
                    "collection_promise_set_date": today,
                }
            )
            partner.message_post(
                body=_(
                    "Promise to pay %(amount)s by %(date)s recorded: reminders pause "
                    "until then.",
                    amount=amount,
                    date=date,
                )
            )

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
        status = self.env["account.collection.partner.risk"]._credit_status(
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

    @api.model
    def action_collection_send_now(self):
        """Remind the selected customers now, whatever the date of their last
        reminder, at the level their invoices reached."""
        partners = self.commercial_partner_id
        communications = self.env["account.collection.engine"]._remind_now(partners)
        return communications._action_open_result()

    def action_collection_exclude(self):
        self.commercial_partner_id.collection_excluded = True

    def action_collection_include(self):
        self.commercial_partner_id.collection_excluded = False

    def action_collection_record_promise(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Promise to Pay"),
            "res_model": "account.collection.promise.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.commercial_partner_id.ids},
        }

    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("collection_policy_id")
    def _check_collection_policy_company(self):
        """The policy set for a company is one of that company's: the collection
        cycle of the company would never remind the customer otherwise."""
        self._check_company(["collection_policy_id"])

    @api.constrains("collection_insolvency", "collection_insolvency_date")
    def _check_collection_insolvency_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.collection_insolvency and not partner.collection_insolvency_date:
                raise ValidationError(
                    _(
                        "Enter the date the insolvency procedure of %s was opened.",
                        partner.display_name,
                    )
                )
            if (
                partner.collection_insolvency
                and partner.collection_insolvency_date > today
            ):
                raise ValidationError(
                    _(
                        "The insolvency procedure of %s cannot open in the future: "
                        "enter the date of its opening judgment.",
                        partner.display_name,
                    )
                )

    def _collection_insolvent_on(self, date):
        """Whether an insolvency procedure of the customer (sauvegarde, redressement
        or liquidation judiciaire) is open on ``date``. From its opening judgment
        the customer's claims are not reminded (Code de commerce L622-21), interest
        stops running (L622-28) and no recovery indemnity is charged."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return bool(
            partner.collection_insolvency
            and partner.collection_insolvency_date
            and partner.collection_insolvency_date <= date
        )

    def action_collection_compute_risk(self):
        """Score the selected customers again in the current company."""
        self.env["account.collection.partner.risk"].check_access("read")
        self.env["account.collection.partner.risk"]._score_company(
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
            risk_model._score_company(self.env.company, {commercial.id})
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

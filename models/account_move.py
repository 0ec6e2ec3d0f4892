from collections import defaultdict
from contextlib import closing
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_amount, format_date, formatLang

from ..tools import late_payment
from .account_collection_level import CHANNEL_FIELDS, channel_labels

COLLECTION_MANAGER = "account_collection.account_collection_group_manager"
RISK_GROUP = "account_collection.account_collection_group_user"
# Collection data of the invoices: internal users only (not the portal customer).
INTERNAL = "base.group_user"


BLOCK_REASONS = [
    ("dispute", "Dispute"),
    ("litigation", "Litigation"),
    ("payment_plan", "Payment Plan"),
    ("promise", "Promise to Pay"),
    ("other", "Other"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    # The dunning state derives from the reminders sent; computed fields are stored
    # without going through account.move.write(), which is heavy on posted invoices.
    collection_level_id = fields.Many2one(
        "account.collection.level",
        string="Dunning Level",
        compute="_compute_collection_state",
        store=True,
        copy=False,
        index="btree_not_null",
        groups=INTERNAL,
    )
    collection_last_date = fields.Date(
        string="Last Reminder",
        compute="_compute_collection_state",
        store=True,
        copy=False,
        groups=INTERNAL,
    )
    collection_next_date = fields.Date(
        string="Next Reminder",
        compute="_compute_collection_state",
        store=True,
        copy=False,
        groups=INTERNAL,
    )
    collection_resume_level_id = fields.Many2one(
        "account.collection.level",
        string="Resume From Level",
        readonly=True,
        copy=False,
        help="Level the invoice is considered at when dunning resumes, for instance "
        "after a broken payment plan.",
        groups=INTERNAL,
    )
    collection_blocked = fields.Boolean(
        string="Dunning Blocked",
        copy=False,
        tracking=True,
        help="No reminder is sent for this invoice while it is blocked.",
        groups=INTERNAL,
    )
    collection_block_reason = fields.Selection(
        BLOCK_REASONS,
        string="Block Reason",
        copy=False,
        tracking=True,
        groups=INTERNAL,
    )
    collection_block_date = fields.Date(
        string="Blocked Since", copy=False, groups=INTERNAL
    )
    collection_block_note = fields.Char(
        string="Block Note", copy=False, groups=INTERNAL
    )
    collection_excluded = fields.Boolean(
        string="Excluded from Collection",
        copy=False,
        tracking=True,
        help="Never reminded nor charged, for instance an invoice settled outside "
        "the accounting.",
        groups=INTERNAL,
    )
    collection_insolvency = fields.Selection(
        related="commercial_partner_id.collection_insolvency",
        string="Customer Insolvency",
        help="Insolvency procedure of the customer: its claims are not reminded "
        "from the opening judgment; declare them to the mandataire judiciaire.",
    )
    collection_line_ids = fields.One2many(
        "account.collection.communication.line",
        "move_id",
        string="Dunning History",
        groups=INTERNAL,
    )
    collection_days_overdue = fields.Integer(
        string="Days Overdue",
        compute="_compute_collection_days_overdue",
        groups=INTERNAL,
    )
    # Late-payment law: interest, fixed indemnity, late-fee invoices, legal mentions.
    collection_charge_invoice = fields.Boolean(
        string="Late Fee Invoice",
        readonly=True,
        copy=False,
        help="This invoice charges late-payment interest and recovery indemnities.",
    )
    collection_generated = fields.Boolean(
        string="Issued by Collection",
        readonly=True,
        copy=False,
        help="Issued by the collection itself (late fees, the interest of a payment "
        "plan): a consequence of collection, neither stopped by the credit control "
        "nor by the legal payment term check.",
    )
    collection_charge_ids = fields.One2many(
        "account.collection.charge",
        "source_move_id",
        string="Late Fee Charges",
        help="The late fees charged for this invoice.",
        groups=INTERNAL,
    )
    collection_charged_ids = fields.One2many(
        "account.collection.charge",
        "charge_move_id",
        string="Charged Invoices",
        help="The late invoices whose fees this invoice charges.",
        groups=INTERNAL,
    )
    collection_charge_count = fields.Integer(
        string="Late Fee Invoices",
        compute="_compute_collection_charge_counts",
        groups=INTERNAL,
    )
    collection_charged_count = fields.Integer(
        string="Charged Invoices Count",
        compute="_compute_collection_charge_counts",
        groups=INTERNAL,
    )
    collection_late_days = fields.Integer(
        string="Days Late",
        compute="_compute_collection_late_fees",
        help="Days between the due date and the day the invoice was paid in full, "
        "or today when it is still due.",
        groups=INTERNAL,
    )
    collection_late_interest = fields.Monetary(
        string="Late Interest to Date",
        compute="_compute_collection_late_fees",
        help="Late-payment interest of all the late days to date, computed from the "
        "real payment dates.",
        groups=INTERNAL,
    )
    collection_late_indemnity = fields.Monetary(
        string="Recovery Indemnity",
        compute="_compute_collection_late_fees",
        help="Fixed indemnity for recovery costs owed by a professional customer once "
        "per invoice paid late.",
        groups=INTERNAL,
    )
    collection_late_fees_charged = fields.Monetary(
        string="Late Fees Charged",
        compute="_compute_collection_late_fees",
        groups=INTERNAL,
    )
    collection_late_fees_to_charge = fields.Monetary(
        string="Late Fees to Charge",
        compute="_compute_collection_late_fees",
        help="Interest of the days not charged yet and the indemnity if it was not "
        "charged yet.",
        groups=INTERNAL,
    )
    collection_late_fee_details = fields.Html(
        string="Interest Periods",
        compute="_compute_collection_late_fees",
        sanitize=False,
        groups=INTERNAL,
    )
    collection_late_fee_error = fields.Char(
        string="Late Fee Problem",
        compute="_compute_collection_late_fees",
        groups=INTERNAL,
    )
    collection_penalty_rate_text = fields.Char(
        string="Late-Payment Penalty Rate",
        compute="_compute_collection_legal_mentions",
    )
    collection_indemnity_text = fields.Char(
        string="Recovery Indemnity Mention",
        compute="_compute_collection_legal_mentions",
    )
    collection_early_discount_text = fields.Char(
        string="Early Payment Discount Mention",
        compute="_compute_collection_legal_mentions",
    )
    collection_legal_mentions = fields.Boolean(
        string="Professional Mentions",
        compute="_compute_collection_legal_mentions",
        help="The invoice shows the mentions of a sale between professionals.",
    )
    collection_term_warning = fields.Char(
        string="Payment Term Warning",
        compute="_compute_collection_term_warning",
        groups=INTERNAL,
    )

    # Risk: solvency, segment and credit control of the customer
    collection_solvency_note_id = fields.Many2one(
        "account.collection.solvency.note",
        string="Solvency Note",
        compute="_compute_collection_risk_info",
        groups=RISK_GROUP,
        help="Latest valid solvency note of the customer.",
    )
    collection_risk_segment_id = fields.Many2one(
        "account.collection.risk.segment",
        string="Risk Segment",
        compute="_compute_collection_risk_info",
        groups=RISK_GROUP,
    )
    collection_risk_warning = fields.Text(
        string="Risk Warning",
        compute="_compute_collection_credit_check",
        groups=RISK_GROUP,
    )
    collection_credit_exceeded = fields.Boolean(
        string="Credit Control Hit",
        compute="_compute_collection_credit_check",
        groups=RISK_GROUP,
        help="The customer is over its credit limit or on credit hold.",
    )
    collection_credit_blocking = fields.Boolean(
        string="Posting Blocked",
        compute="_compute_collection_credit_check",
        groups=RISK_GROUP,
        help="Posting this invoice needs a collection manager's override.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    # Not on collection_line_ids.state: a communication's state changes after its
    # channels ran (draft, then queued, printed or sent), which would recompute every
    # invoice of a cycle twice; only a cancellation or an error matters (a reminder
    # that did not reach the customer does not count), and both recompute
    # (_collection_recompute_state). Previews never count.
    @api.depends(
        "collection_line_ids.level_id",
        "collection_line_ids.date",
        "collection_line_ids.date_maturity",
        "collection_resume_level_id",
        "invoice_date_due",
    )
    def _compute_collection_state(self):
        """The invoice is at the highest level it was reminded at, through any of
        its installments (one receivable line per due date of its payment term),
        and its next reminder is due when the earliest installment of its last
        reminder reaches the next level."""
        # Computed for thousands of invoices per batch of the cycle: plain loops over
        # the cached lines rather than a filtered and sorted recordset per invoice.
        following_levels = {}
        for move in self:
            level = self.env["account.collection.level"]
            last_date, first_due = False, False
            for line in move.collection_line_ids:
                if not line.level_id or line.state in ("cancel", "error", "preview"):
                    continue
                if not level or (line.level_id.days, line.level_id.sequence) > (
                    level.days,
                    level.sequence,
                ):
                    level = line.level_id
                if not last_date or line.date > last_date:
                    last_date, first_due = line.date, line.date_maturity
                elif line.date == last_date:
                    first_due = min(first_due or line.date_maturity, line.date_maturity)
            resume = move.collection_resume_level_id
            if resume and (not level or resume.days > level.days):
                level = resume
            if level not in following_levels:
                following_levels[level] = level.policy_id._get_next_level(level)
            following = following_levels[level]
            due = first_due or move.invoice_date_due
            move.collection_level_id = level
            move.collection_last_date = last_date
            move.collection_next_date = (
                due + timedelta(days=following.days) if following and due else False
            )

    @api.depends("invoice_date_due", "payment_state")
    @api.depends_context("date")
    def _compute_collection_days_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            if move.invoice_date_due and move.payment_state in ("not_paid", "partial"):
                move.collection_days_overdue = max(
                    (today - move.invoice_date_due).days, 0
                )
            else:
                move.collection_days_overdue = 0

    @api.depends("collection_charge_ids", "collection_charged_ids")
    def _compute_collection_charge_counts(self):
        for move in self:
            move.collection_charge_count = len(
                move.collection_charge_ids.charge_move_id
            )
            move.collection_charged_count = len(
                move.collection_charged_ids.source_move_id
            )

    @api.depends(
        "invoice_date_due",
        "amount_residual",
        "line_ids.matched_credit_ids",
        "collection_charge_ids.state",
    )
    @api.depends_context("date", "lang")
    def _compute_collection_late_fees(self):
        fees = self.env["account.collection.late.fee"]._get_late_fees(self)
        for move in self:
            fee = fees.get(move.id)
            move.collection_late_days = fee.late_days if fee else 0
            move.collection_late_interest = fee.interest if fee else 0.0
            move.collection_late_indemnity = fee.indemnity if fee else 0.0
            move.collection_late_fees_charged = (
                fee.interest_charged + fee.indemnity_charged if fee else 0.0
            )
            move.collection_late_fees_to_charge = fee.to_charge if fee else 0.0
            move.collection_late_fee_error = fee.error if fee else False
            move.collection_late_fee_details = (
                move._collection_periods_table(fee.periods)
                if fee and fee.periods
                else False
            )

    @api.depends(
        "move_type",
        "invoice_date_due",
        "invoice_payment_term_id",
        "commercial_partner_id.collection_debtor_type",
        "company_id.collection_penalty_rate_mode",
    )
    @api.depends_context("lang")
    def _compute_collection_legal_mentions(self):
        histories = self.env["account.collection.rate"]._get_histories()
        for move in self:
            professional = (
                move.move_type == "out_invoice"
                and move.commercial_partner_id.collection_debtor_type != "consumer"
            )
            move.collection_legal_mentions = professional
            move.collection_penalty_rate_text = (
                professional and move._collection_penalty_rate_text(histories)
            )
            move.collection_indemnity_text = professional and _(
                "Fixed indemnity for recovery costs in case of late payment: %s",
                format_amount(
                    self.env,
                    move.company_id.collection_indemnity_amount,
                    move.company_id.currency_id,
                ),
            )
            move.collection_early_discount_text = (
                move.move_type == "out_invoice"
                and move._collection_early_discount_text()
            )

    @api.depends(
        "move_type",
        "partner_id",
        "collection_generated",
        "invoice_date",
        "invoice_date_due",
        "commercial_partner_id.collection_debtor_type",
        "company_id.collection_term_check",
    )
    @api.depends_context("lang")
    def _compute_collection_term_warning(self):
        exceeded = self._collection_term_exceeded()
        for move in self:
            move.collection_term_warning = (
                move in exceeded and move._collection_term_message()
            )

    @api.depends("commercial_partner_id", "company_id", "move_type")
    @api.depends_context("date")
    def _compute_collection_risk_info(self):
        self.collection_solvency_note_id = False
        self.collection_risk_segment_id = False
        invoices = self.filtered(
            lambda move: move.is_sale_document(include_receipts=True)
            and move.commercial_partner_id._origin
        )
        today = fields.Date.context_today(self)
        for company, moves in invoices.grouped("company_id").items():
            partner_ids = moves.commercial_partner_id._origin.ids
            notes = self.env["account.collection.solvency.note"]._get_latest(
                partner_ids, company, today
            )[0]
            records = (
                self.env["account.collection.partner.risk"]
                .sudo()
                .search_fetch(
                    [
                        ("company_id", "=", company.id),
                        ("partner_id", "in", partner_ids),
                    ],
                    ["partner_id", "segment_id"],
                )
            )
            segments = {record.partner_id.id: record.segment_id for record in records}
            for move in moves:
                partner_id = move.commercial_partner_id._origin.id
                note = notes.get(partner_id)
                move.collection_solvency_note_id = note.sudo(False) if note else False
                segment = segments.get(partner_id)
                move.collection_risk_segment_id = (
                    segment.sudo(False) if segment else False
                )

    @api.depends(
        "commercial_partner_id",
        "company_id",
        "move_type",
        "collection_generated",
        "state",
        "tax_totals",
        "invoice_payment_term_id",
    )
    def _compute_collection_credit_check(self):
        self.collection_risk_warning = False
        self.collection_credit_exceeded = False
        self.collection_credit_blocking = False
        drafts = self._collection_checked_invoices().filtered(
            lambda move: move.state == "draft" and move.commercial_partner_id._origin
        )
        for company, moves in drafts.grouped("company_id").items():
            statuses = moves._collection_credit_statuses(company, live=True)
            mode = company.collection_credit_check
            for move in moves:
                status = statuses[move.commercial_partner_id._origin.id]
                exceeded = move._collection_credit_hit(status)
                move.collection_credit_exceeded = exceeded
                move.collection_credit_blocking = exceeded and mode == "block"
                move.collection_risk_warning = move._collection_risk_message(
                    status, exceeded and mode != "none", mode
                )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("collection_blocked", "collection_block_reason")
    def _check_collection_block_reason(self):
        for move in self:
            if move.collection_blocked and not move.collection_block_reason:
                raise ValidationError(
                    _(
                        "Give the reason why dunning is blocked on %s.",
                        move.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_recompute_state(self):
        """Recompute the dunning state of the invoices (after a cancellation)."""
        for fname in (
            "collection_level_id",
            "collection_last_date",
            "collection_next_date",
        ):
            self.env.add_to_compute(self._fields[fname], self)

    def _collection_block(self, reason, note=False, track=True):
        """Block the dunning of the invoices; ``track=False`` for the collection
        cycle's bulk hand-overs, which the communication itself records."""
        self._collection_write(
            {
                "collection_blocked": True,
                "collection_block_reason": reason,
                "collection_block_date": fields.Date.context_today(self),
                "collection_block_note": note,
            },
            track=track,
        )

    def _collection_unblock(self):
        self._collection_write(
            {
                "collection_blocked": False,
                "collection_block_reason": False,
                "collection_block_date": False,
                "collection_block_note": False,
            }
        )

    def _collection_resume_at(self, level):
        """Resume the dunning of the invoices so that the next cycle reminds them at
        ``level`` at once (after a broken payment plan, for instance)."""
        previous = level.policy_id.level_ids.filtered(
            lambda other: other.days < level.days
        ).sorted("days")[-1:]
        self._collection_write(
            {
                "collection_blocked": False,
                "collection_block_reason": False,
                "collection_block_date": False,
                "collection_block_note": False,
                "collection_resume_level_id": previous.id,
            }
        )
        self.commercial_partner_id.collection_escalate = True

    def _collection_write(self, vals, track=True):
        """Write collection fields on invoices in one batch. These fields never
        touch the journal items: the accounting's balance check, line and payment
        synchronisation and manual-modification flag are skipped."""
        self.with_context(
            check_move_validity=False,
            skip_invoice_sync=True,
            skip_account_move_synchronization=True,
            skip_is_manually_modified=True,
            mail_notrack=not track,
        ).write(vals)

    def _check_collection_invoices(self):
        invalid = self.filtered(
            lambda move: move.move_type not in ("out_invoice", "out_refund")
            or move.state != "posted"
        )
        if invalid:
            raise UserError(
                _(
                    "Collection actions apply to posted customer invoices only: %s",
                    ", ".join(invalid.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_collection_send_now(self):
        """Remind the customers of the invoices now, in the company of each invoice."""
        self._check_collection_invoices()
        engine = self.env["account.collection.engine"]
        communications = self.env["account.collection.communication"]
        for company, moves in self.grouped("company_id").items():
            communications |= engine.with_company(company)._remind_now(
                moves.commercial_partner_id
            )
        return communications._action_open_result()

    def action_collection_open_escalate_wizard(self):
        """Ask for confirmation before escalating: the wizard says what will be
        sent, found by escalating in a savepoint that is rolled back (so that what
        it says is what the escalation does; what cannot be escalated is refused
        at once)."""
        self._check_collection_invoices()
        # closing() rolls the savepoint back.
        with closing(self.env.cr.savepoint()):
            preview = [
                (communication.partner_id.id, communication.level_id.id)
                for communication in self._collection_escalate(auto_send=False)
            ]
        wizard = self.env["account.collection.escalate.wizard"].create(
            {
                "move_ids": [Command.set(self.ids)],
                "summary": "\n".join(
                    self._collection_escalation_line(
                        self.env["res.partner"].browse(partner_id),
                        self.env["account.collection.level"].browse(level_id),
                    )
                    for partner_id, level_id in preview
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Escalate Dunning"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    @api.model
    def _collection_escalation_line(self, partner, level):
        channels = channel_labels(level, (*CHANNEL_FIELDS, "charge_late_fees"))
        return _(
            "%(customer)s: %(level)s (%(channels)s)",
            customer=partner.display_name,
            level=level.name,
            channels=", ".join(channels),
        )

    def action_collection_escalate(self):
        """Move the invoices one level up and remind their customers at once."""
        return self._collection_escalate()._action_open_result()

    def _collection_escalate(self, auto_send=True):
        self._check_collection_invoices()
        engine = self.env["account.collection.engine"]
        for move in self:
            policy = move.partner_id.with_company(
                move.company_id
            )._get_collection_policy()
            following = policy._get_next_level(move.collection_level_id)
            if not following:
                raise UserError(
                    _("Invoice %s is already at the last level.", move.display_name)
                )
            move._collection_resume_at(following)
        return engine._remind_now(self.commercial_partner_id, auto_send=auto_send)

    def action_collection_dispute(self):
        self._check_collection_invoices()
        self._collection_block("dispute")
        for move in self:
            move.message_post(body=_("Invoice disputed: reminders stop."))

    def action_collection_undispute(self):
        disputed = self.filtered(lambda move: move.collection_block_reason == "dispute")
        disputed._collection_unblock()
        for move in disputed:
            move.message_post(body=_("Dispute closed: reminders resume."))

    def action_collection_exclude(self):
        self._check_collection_invoices()
        self.collection_excluded = True

    def action_collection_include(self):
        self.collection_excluded = False

    # ------------------------------------------------------------------
    # Doubtful debts (reporting feature)
    # ------------------------------------------------------------------
    collection_doubtful_invoice_id = fields.Many2one(
        "account.move",
        string="Doubtful Debt of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Invoice moved to doubtful debts or provisioned by this entry.",
        groups=INTERNAL,
    )
    collection_doubtful_kind = fields.Selection(
        [("reclass", "Reclassification"), ("provision", "Provision")],
        string="Doubtful Debt Entry",
        readonly=True,
        copy=False,
        groups=INTERNAL,
    )
    collection_doubtful_move_ids = fields.One2many(
        "account.move",
        "collection_doubtful_invoice_id",
        string="Doubtful Debt Entries",
        readonly=True,
        groups=INTERNAL,
    )

    def _collection_reconcile_doubtful(self):
        """Match the receivable credit of posted reclassifications with the open
        receivable lines of their invoice, which the doubtful account now carries."""
        for move in self:
            invoice = move.collection_doubtful_invoice_id
            for account in move.line_ids.filtered(
                lambda line: line.credit and line.account_id.reconcile
            ).account_id:
                lines = (move.line_ids | invoice.line_ids).filtered(
                    lambda line, account=account: line.account_id == account
                    and not line.reconciled
                )
                if len(lines) > 1:
                    lines.reconcile()

    # ------------------------------------------------------------------
    # Late-payment law
    # ------------------------------------------------------------------
    def _post(self, soft=True):
        exceeded = self._collection_check_terms_before_post()
        credit_log = self._collection_check_credit(soft)
        posted = super()._post(soft=soft)
        self._collection_log_credit(
            [entry for entry in credit_log if entry[0] in posted]
        )
        for move in exceeded & posted:
            move.message_post(body=move._collection_term_message())
        posted.filtered(
            lambda move: move.collection_doubtful_kind == "reclass"
        )._collection_reconcile_doubtful()
        return posted

    def _collection_check_terms_before_post(self):
        """Refuse the invoices whose payment term exceeds the legal maximum where the
        company blocks them; return those to warn about."""
        exceeded = self._collection_term_exceeded()
        blocked = exceeded.filtered(
            lambda m: m.company_id.collection_term_check == "block"
        )
        if blocked:
            raise UserError(
                "\n".join(move._collection_term_message() for move in blocked)
            )
        return exceeded

    def action_post(self):
        result = super().action_post()
        warned = self._collection_term_exceeded().filtered(
            lambda m: m.state == "posted"
        )
        if result or not warned:
            return result
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Payment term beyond the legal maximum"),
                "message": "\n".join(m._collection_term_message() for m in warned),
                "type": "warning",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _collection_checked_invoices(self):
        """Return the invoices of ``self`` that the collection's checks at posting
        (credit control, legal payment term) apply to: customer invoices with a
        customer, except those the collection issues itself (late fees, the interest
        of a payment plan), which are consequences of collection. Invoices without a
        customer are left to the accounting's own checks."""
        return self.filtered(
            lambda move: move.move_type == "out_invoice"
            and move.commercial_partner_id
            and not move.collection_generated
        )

    def _collection_term_exceeded(self):
        """Return the invoices to check at posting whose due date is beyond the
        legal maximum payment term (see :meth:`_collection_beyond_legal_term`)."""
        return (
            self._collection_checked_invoices()
            .filtered(lambda m: m.company_id.collection_term_check != "none")
            ._collection_beyond_legal_term()
        )

    def _collection_beyond_legal_term(self):
        """Return the invoices of professional customers whose due date is beyond
        the legal maximum payment term of their company (L441-10 I): the days from
        the invoice date, or the end-of-month term when the company allows one."""
        today = fields.Date.context_today(self)
        return self.filtered(
            lambda m: m.commercial_partner_id.collection_debtor_type != "consumer"
            and m.invoice_date_due
            and not late_payment.max_legal_term_ok(
                m.invoice_date or today,
                m.invoice_date_due,
                m.company_id.collection_term_max_days,
                m.company_id.collection_term_eom_days or None,
            )
        )

    def _collection_term_message(self):
        self.ensure_one()
        company = self.company_id
        if company.collection_term_eom_days:
            return _(
                "%(invoice)s: the due date %(due)s is beyond the legal maximum payment "
                "term of %(days)s days from the invoice date or %(eom)s days end of "
                "month (Code de commerce L441-10).",
                invoice=self.name if self.name != "/" else self.partner_id.display_name,
                due=format_date(self.env, self.invoice_date_due),
                days=company.collection_term_max_days,
                eom=company.collection_term_eom_days,
            )
        return _(
            "%(invoice)s: the due date %(due)s is beyond the legal maximum payment "
            "term of %(days)s days from the invoice date (Code de commerce L441-10).",
            invoice=self.name if self.name != "/" else self.partner_id.display_name,
            due=format_date(self.env, self.invoice_date_due),
            days=company.collection_term_max_days,
        )

    def _collection_penalty_rate_text(self, histories):
        """Return the penalty rate to print, e.g. "ECB rate + 10 points, i.e. 12.15 %
        for the second half of 2025", for the half-year following the due date."""
        self.ensure_one()
        company = self.company_id
        day = (
            self.invoice_date_due or fields.Date.context_today(self)
        ) + late_payment.ONE_DAY
        rates = self.env["account.collection.rate"]
        if company.collection_penalty_rate_mode == "contractual":
            return _(
                "%s %% a year (contractual rate)",
                formatLang(self.env, company.collection_contractual_rate, digits=2),
            )
        margin = company.collection_penalty_margin
        margin_text = formatLang(
            self.env, margin, digits=0 if margin == int(margin) else 2
        )
        try:
            rate = late_payment.ecb_plus_margin_rate(day, histories["ecb"], margin)
        except ValueError:
            return _("ECB rate + %s points", margin_text)
        return _(
            "ECB rate + %(margin)s points, i.e. %(rate)s %% for the %(half_year)s",
            margin=margin_text,
            rate=formatLang(self.env, float(rate), digits=2),
            half_year=rates._half_year_label(day),
        )

    def _collection_early_discount_text(self):
        self.ensure_one()
        term = self.invoice_payment_term_id
        if not term.early_discount:
            return _("No discount for early payment")
        percentage = formatLang(self.env, term.discount_percentage, digits=2)
        if self.invoice_date:
            return _(
                "Early payment discount: %(percentage)s %% if paid by %(date)s",
                percentage=percentage,
                date=format_date(
                    self.env, term._get_last_discount_date(self.invoice_date)
                ),
            )
        return _(
            "Early payment discount: %(percentage)s %% if paid within %(days)s days",
            percentage=percentage,
            days=term.discount_days,
        )

    def _collection_periods_table(self, periods):
        """Return an HTML table of the interest periods: days, balance, rate."""
        self.ensure_one()
        rows = Markup().join(
            Markup(
                "<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td><td class='text-end'>%s %%</td></tr>"
            )
            % (
                format_date(self.env, period.start),
                format_date(self.env, period.end),
                period.days,
                format_amount(self.env, float(period.balance), self.currency_id),
                formatLang(self.env, float(period.rate), digits=2),
            )
            for period in periods
        )
        header = Markup(
            "<thead><tr><th>%s</th><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr></thead>"
        ) % (_("From"), _("To"), _("Days"), _("Amount Due"), _("Annual Rate"))
        return Markup(
            "<table class='table table-sm o_collection_periods'>%s<tbody>%s</tbody>"
            "</table>"
        ) % (header, rows)

    @api.model
    def _collection_interest_exempt_periods(self, invoices):
        """Hook: return ``{invoice id: [(first day, last day), ...]}`` of the days on
        which no late-payment interest runs, for the invoices of companies that
        exempt payment plans. None by default; the payment plans override it."""
        return {}

    @api.model
    def _collection_charge_late_fees(self, invoices):
        """Charge the late fees of ``invoices`` (called by the dunning cycle at a
        level that charges late fees): one late-fee invoice per customer and currency,
        each customer on its own, failures logged. Return the late-fee invoices."""
        return self.env["account.collection.late.fee"]._charge(invoices)

    def action_collection_charge_late_fees(self):
        invoices = self.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state == "posted"
            and not m.collection_charge_invoice
        )
        if not invoices:
            raise UserError(_("Select posted customer invoices to charge late fees."))
        charge_moves = self.env["account.collection.late.fee"]._charge(
            invoices, raise_errors=True
        )
        if not charge_moves:
            raise UserError(
                _(
                    "No late fees to charge: the selected invoices were paid on time, "
                    "are excluded from collection or were already charged up to today."
                )
            )
        return charge_moves._get_records_action(name=_("Late Fee Invoices"))

    def action_view_collection_charges(self):
        self.ensure_one()
        return self.collection_charge_ids.charge_move_id._get_records_action(
            name=_("Late Fee Invoices")
        )

    def action_view_collection_charged_invoices(self):
        self.ensure_one()
        return self.collection_charged_ids.source_move_id._get_records_action(
            name=_("Charged Invoices")
        )

    def _collection_credit_statuses(self, company, live=False):
        """Return ``{commercial partner id: CreditStatus}`` of the customers of the
        draft invoices ``self`` of ``company``, counting these invoices with their
        current amounts (``live``: as being edited, from the tax totals)."""
        pending = defaultdict(float)
        for move in self:
            pending[move.commercial_partner_id._origin.id] += move._collection_amount(
                live
            )
        return self.env["account.collection.partner.risk"]._credit_status(
            company,
            pending,
            pending=pending,
            exclude_move_ids=[move._origin.id for move in self if move._origin.id],
        )

    def _collection_amount(self, live=False, company_currency=True):
        """Total of the invoice, in the company's currency by default."""
        self.ensure_one()
        if live and self.tax_totals:
            key = "total_amount" if company_currency else "total_amount_currency"
            return self.tax_totals.get(key) or 0.0
        if company_currency:
            return self.amount_total_signed
        return self.amount_total

    @api.model
    def _collection_credit_hit(self, status):
        over_limit = bool(status.limit) and status.exposure > status.limit
        return over_limit or bool(status.blocked)

    def _collection_risk_message(self, status, credit_hit, mode):
        """Return the warning shown on a draft invoice of a risky customer."""
        self.ensure_one()
        lines = []
        segment = status.segment
        if segment and segment.deposit_percent:
            percent = f"{segment.deposit_percent:g}"
            lines.append(
                _(
                    "Risk segment %(segment)s: ask for a deposit of %(amount)s "
                    "(%(percent)s%%) before delivering.",
                    segment=segment.display_name,
                    amount=format_amount(
                        self.env,
                        self.currency_id.round(
                            self._collection_amount(live=True, company_currency=False)
                            * segment.deposit_percent
                            / 100
                        ),
                        self.currency_id,
                    ),
                    percent=percent,
                )
            )
        if (
            segment.payment_term_id
            and segment.payment_term_id != self.invoice_payment_term_id
        ):
            lines.append(
                _(
                    "Risk segment %(segment)s: payment term suggested: %(term)s.",
                    segment=segment.display_name,
                    term=segment.payment_term_id.display_name,
                )
            )
        if credit_hit:
            lines.append(self._collection_credit_message(status))
            if mode == "block":
                lines.append(
                    _("Posting this invoice needs a collection manager's override.")
                )
        return "\n".join(lines) or False

    def _collection_credit_message(self, status):
        self.ensure_one()
        currency = self.company_id.currency_id
        values = {
            "partner": self.commercial_partner_id.display_name,
            "exposure": format_amount(self.env, status.exposure, currency),
            "limit": format_amount(self.env, status.limit, currency),
        }
        if status.blocked:
            return _(
                "%(partner)s is on credit hold (exposure %(exposure)s, credit limit "
                "%(limit)s).",
                **values,
            )
        return _(
            "%(partner)s is over its credit limit: exposure %(exposure)s including "
            "this invoice, credit limit %(limit)s.",
            **values,
        )

    def _collection_credit_check_moves(self, soft=True):
        """Return the invoices of ``self`` whose posting the credit control checks:
        the checked invoices actually posted now (not those merely scheduled)."""
        today = fields.Date.context_today(self)
        return self._collection_checked_invoices().filtered(
            lambda move: move.state == "draft"
            and move.company_id.collection_credit_check != "none"
            and not (soft and move.date and move.date > today)
        )

    def _collection_check_credit(self, soft=True):
        """Check the credit of the customers of the invoices about to be posted, in
        one batch per company. In "block" mode, raise unless a collection manager
        overrides; return ``[(move, message, overridden)]`` to log once posted."""
        to_log = []
        moves = self._collection_credit_check_moves(soft)
        override = self.env.context.get("collection_credit_override")
        for company, company_moves in moves.grouped("company_id").items():
            statuses = company_moves._collection_credit_statuses(company)
            hits = [
                (move, statuses[move.commercial_partner_id.id])
                for move in company_moves
                if self._collection_credit_hit(statuses[move.commercial_partner_id.id])
            ]
            if not hits:
                continue
            blocking = company.collection_credit_check == "block"
            if blocking and not override:
                raise UserError(
                    _(
                        "Credit control stops the posting:\n%(details)s\nAsk a "
                        "collection manager to post anyway, or get a payment first.",
                        details="\n".join(
                            move._collection_credit_message(status)
                            for move, status in hits
                        ),
                    )
                )
            if blocking and not self.env.user.has_group(COLLECTION_MANAGER):
                raise AccessError(
                    _("Only a collection manager can post beyond the credit control.")
                )
            to_log += [
                (move, move._collection_credit_message(status), blocking)
                for move, status in hits
            ]
        return to_log

    def _collection_log_credit(self, to_log):
        for move, message, overridden in to_log:
            if overridden:
                body = _(
                    "Credit control overridden by %(user)s on %(invoice)s: %(message)s",
                    user=self.env.user.name,
                    invoice=move.name,
                    message=message,
                )
                move.commercial_partner_id.sudo().message_post(
                    body=body, author_id=self.env.user.partner_id.id
                )
            else:
                body = _(
                    "Posted by %(user)s despite the credit control: %(message)s",
                    user=self.env.user.name,
                    message=message,
                )
            move.message_post(body=body)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_post_collection_override(self):
        """Post invoices beyond the credit control: collection managers only; the
        override is logged on the invoices and their customers."""
        if not self.env.user.has_group(COLLECTION_MANAGER):
            raise AccessError(
                _("Only a collection manager can post beyond the credit control.")
            )
        return self.with_context(collection_credit_override=True).action_post()

import logging
from collections import defaultdict, namedtuple
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount, split_every

from ..tools import risk

_logger = logging.getLogger(__name__)

NOTE_STATES = [("valid", "Valid"), ("expired", "Expired"), ("missing", "Missing")]

# Values written by the scoring, in one INSERT ... ON CONFLICT per chunk of customers.
SCORED_COLUMNS = (
    "date_scored",
    "avg_days_late",
    "invoice_count",
    "late_invoice_count",
    "late_share",
    "formal_notice_count",
    "broken_promise_count",
    "broken_plan_count",
    "amount_overdue",
    "exposure",
    "score",
    "computed_segment_id",
    "segment_id",
    "credit_limit",
    "over_limit",
    "blocked",
    "solvency_note_id",
    "note_state",
)
# Fields set by hand: changing them moves the segment or the limit at once.
MANUAL_FIELDS = {
    "segment_override_id",
    "credit_limit_manual",
    "credit_hold",
}
UPSERT_CHUNK = 1000
# Fields the exposure query reads, flushed before it.
EXPOSURE_LINE_FIELDS = [
    "account_id",
    "partner_id",
    "company_id",
    "parent_state",
    "reconciled",
    "amount_residual",
]
EXPOSURE_MOVE_FIELDS = [
    "company_id",
    "state",
    "move_type",
    "commercial_partner_id",
    "amount_total_signed",
]
ARRAY_TYPES = {
    "int4": SQL("int4[]"),
    "numeric": SQL("numeric[]"),
    "float8": SQL("float8[]"),
    "date": SQL("date[]"),
    "bool": SQL("bool[]"),
    "varchar": SQL("varchar[]"),
}

CreditStatus = namedtuple("CreditStatus", "exposure limit blocked segment")
# Segments of a company as plain data: ids best first, the thresholds of risk.py,
# the rank of each id and its (credit limit factor, blocked) terms.
SegmentRanking = namedtuple("SegmentRanking", "ids thresholds min_scores ranks terms")


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
        digits=(16, 4),
        readonly=True,
        aggregator="avg",
        help="Share of the scored invoices paid late or still overdue.",
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
    # Business methods: scoring
    # ------------------------------------------------------------------
    def _refresh(self):
        self._refresh_pairs(
            {(record.partner_id.id, record.company_id.id) for record in self}
        )

    @api.model
    def _refresh_pairs(self, pairs):
        """Score again the given ``(partner_id, company_id)`` pairs."""
        by_company = defaultdict(set)
        for partner_id, company_id in pairs:
            if partner_id and company_id:
                by_company[company_id].add(partner_id)
        for company_id, partner_ids in by_company.items():
            self._score_company(self.env["res.company"].browse(company_id), partner_ids)

    @api.model
    def _score_companies(self, companies=None, today=None):
        """Score every customer of ``companies`` (all by default)."""
        companies = companies or self.env["res.company"].sudo().search([])
        for company in companies:
            self._score_company(company, today=today)

    @api.model
    def _score_company(self, company, partner_ids=None, today=None):
        """Score the customers of ``company`` in bulk: a handful of queries whatever
        their number. ``partner_ids`` limits the scoring to these commercial
        partners (all customers with some history otherwise).

        :return: the number of customers scored.
        """
        model = self.sudo().with_company(company)
        today = today or fields.Date.context_today(model)
        date_from = today - relativedelta(months=company.collection_risk_months or 12)
        if partner_ids is not None:
            partner_ids = set(partner_ids)
            if not partner_ids:
                return 0
        segments = model._get_segments(company)
        model.env.flush_all()
        history, overdue = model._fetch_history(company, date_from, today, partner_ids)
        exposure = model._fetch_exposure(company, partner_ids)
        notices = model._fetch_formal_notices(company, date_from, today, partner_ids)
        promises = model._fetch_broken_promises(company, partner_ids)
        plans = model._fetch_broken_plans(company, date_from, today, partner_ids)
        valid_notes, latest_notes = model.env[
            "account.collection.solvency.note"
        ]._get_latest(partner_ids, company, today)
        valid_notes = {
            partner_id: (note.id, note.credit_limit, note.min_segment_id.id)
            for partner_id, note in valid_notes.items()
        }
        existing = model._fetch_existing(company, partner_ids)
        if partner_ids is None:
            partner_ids = (
                set(history)
                | set(overdue)
                | set(exposure)
                | set(notices)
                | set(promises)
                | set(plans)
                | set(latest_notes)
                | set(existing)
            )
            partner_ids.discard(None)
        every_segment = segments.with_context(active_test=False).search(
            [("company_id", "=", company.id)]
        )
        ranking = SegmentRanking(
            ids=segments.ids,
            thresholds=tuple(segments[:-1].mapped("max_delay")),
            min_scores=tuple(segments.mapped("min_score")),
            ranks={segment.id: rank for rank, segment in enumerate(segments)},
            terms={
                segment.id: (segment.credit_limit_factor, segment.blocked)
                for segment in every_segment
            },
        )
        rows = []
        for partner_id in partner_ids:
            rows.append(
                model._evaluate(
                    ranking,
                    history=history.get(partner_id, ()),
                    overdue=overdue.get(partner_id, 0),
                    exposure=exposure.get(partner_id, 0.0),
                    notices=notices.get(partner_id, 0),
                    promises=promises.get(partner_id, 0),
                    plans=plans.get(partner_id, 0),
                    valid_note=valid_notes.get(partner_id),
                    has_note=partner_id in latest_notes,
                    record=existing.get(partner_id),
                    values={
                        "partner_id": partner_id,
                        "company_id": company.id,
                        "date_scored": today,
                    },
                )
            )
        model._upsert(rows)
        return len(rows)

    @api.model
    def _get_segments(self, company):
        segments_model = self.env["account.collection.risk.segment"].sudo()
        segments = segments_model._get_for_company(company)
        if not segments:
            segments_model._create_default_segments(company)
            segments = segments_model._get_for_company(company)
        if not segments:
            raise UserError(
                _(
                    "%s has no active risk segment: restore one to score customers.",
                    company.name,
                )
            )
        return segments

    @api.model
    def _partner_filter(self, column, partner_ids):
        if partner_ids is None:
            return SQL("TRUE")
        return SQL("%s = ANY(%s)", column, list(partner_ids))

    @api.model
    def _fetch_history(self, company, date_from, today, partner_ids=None):
        """Return the items to score, ``{partner_id: [(amount, days late, move_id)]}``,
        and the overdue amount of each partner, ``{partner_id: amount}``.

        Items are the receivable lines of customer invoices fully paid between
        ``date_from`` and ``today`` (paid on the latest reconciliation date) and the
        lines still overdue today, with their delay so far. Disputed invoices and
        invoices excluded from collection are not held against the customer.
        """
        query = SQL(
            """
            SELECT m.commercial_partner_id, l.move_id, l.balance,
                   MAX(p.max_date) - COALESCE(l.date_maturity, l.date), FALSE, TRUE
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
              JOIN account_move m ON m.id = l.move_id
              JOIN account_partial_reconcile p ON p.debit_move_id = l.id
             WHERE l.company_id = %(company)s
               AND a.account_type = 'asset_receivable'
               AND l.parent_state = 'posted'
               AND l.reconciled
               AND l.balance > 0
               AND m.move_type IN ('out_invoice', 'out_receipt')
               AND %(partners)s
             GROUP BY m.commercial_partner_id, l.id
            HAVING MAX(p.max_date) BETWEEN %(date_from)s AND %(today)s
             UNION ALL
            SELECT m.commercial_partner_id, l.move_id, l.amount_residual,
                   %(today)s::date - l.date_maturity, TRUE,
                   NOT (COALESCE(m.collection_excluded, FALSE)
                        OR COALESCE(m.collection_block_reason = 'dispute', FALSE))
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
              JOIN account_move m ON m.id = l.move_id
             WHERE l.company_id = %(company)s
               AND a.account_type = 'asset_receivable'
               AND l.parent_state = 'posted'
               AND NOT l.reconciled
               AND l.amount_residual > 0
               AND l.date_maturity < %(today)s
               AND m.move_type IN ('out_invoice', 'out_receipt')
               AND %(partners)s
            """,
            company=company.id,
            date_from=date_from,
            today=today,
            partners=self._partner_filter(SQL("m.commercial_partner_id"), partner_ids),
        )
        self.env.cr.execute(query)
        history = defaultdict(list)
        overdue = defaultdict(float)
        for (
            partner_id,
            move_id,
            amount,
            days,
            is_open,
            scored,
        ) in self.env.cr.fetchall():
            if is_open:
                overdue[partner_id] += amount
            if scored:
                history[partner_id].append((amount, days, move_id))
        return history, overdue

    @api.model
    def _fetch_exposure(self, company, partner_ids=None, exclude_move_ids=()):
        """Return ``{commercial partner id: exposure}``: open receivables (posted,
        unreconciled) plus draft customer invoices, in the company's currency."""
        self.env["account.move.line"].flush_model(EXPOSURE_LINE_FIELDS)
        self.env["account.move"].flush_model(EXPOSURE_MOVE_FIELDS)
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        query = SQL(
            """
            SELECT partner_id, SUM(amount)
              FROM (
                    SELECT rp.commercial_partner_id AS partner_id,
                           l.amount_residual AS amount
                      FROM account_move_line l
                      JOIN account_account a ON a.id = l.account_id
                      JOIN res_partner rp ON rp.id = l.partner_id
                     WHERE l.company_id = %(company)s
                       AND a.account_type = 'asset_receivable'
                       AND l.parent_state = 'posted'
                       AND NOT l.reconciled
                       AND %(line_partners)s
                     UNION ALL
                    SELECT m.commercial_partner_id, m.amount_total_signed
                      FROM account_move m
                     WHERE m.company_id = %(company)s
                       AND m.state = 'draft'
                       AND m.move_type = 'out_invoice'
                       AND m.commercial_partner_id IS NOT NULL
                       AND NOT m.id = ANY(%(excluded)s)
                       AND %(move_partners)s
                   ) exposure
             GROUP BY partner_id
            """,
            company=company.id,
            excluded=list(exclude_move_ids),
            line_partners=self._partner_filter(
                SQL("rp.commercial_partner_id"), partner_ids
            ),
            move_partners=self._partner_filter(
                SQL("m.commercial_partner_id"), partner_ids
            ),
        )
        self.env.cr.execute(query)
        return {
            partner_id: float(amount) for partner_id, amount in self.env.cr.fetchall()
        }

    @api.model
    def _fetch_formal_notices(self, company, date_from, today, partner_ids=None):
        domain = [
            ("company_id", "=", company.id),
            ("formal_notice", "=", True),
            ("state", "=", "sent"),
            ("date", ">=", date_from),
            ("date", "<=", today),
        ]
        if partner_ids is not None:
            domain.append(("partner_id", "in", list(partner_ids)))
        groups = (
            self.env["account.collection.communication"]
            .sudo()
            ._read_group(domain, ["partner_id"], ["__count"])
        )
        return {partner.commercial_partner_id.id: count for partner, count in groups}

    @api.model
    def _fetch_broken_plans(self, company, date_from, today, partner_ids=None):
        """Return ``{commercial partner id: payment plans breached}`` between
        ``date_from`` and ``today`` in ``company``, in one query."""
        domain = [
            ("company_id", "=", company.id),
            ("state", "=", "breached"),
            ("date_end", ">=", date_from),
            ("date_end", "<=", today),
        ]
        if partner_ids is not None:
            domain.append(("partner_id.commercial_partner_id", "in", list(partner_ids)))
        groups = (
            self.env["account.collection.plan"]
            .sudo()
            ._read_group(domain, ["partner_id"], ["__count"])
        )
        counts = defaultdict(int)
        for partner, count in groups:
            counts[partner.commercial_partner_id.id] += count
        return dict(counts)

    @api.model
    def _fetch_broken_promises(self, company, partner_ids=None):
        domain = [("collection_broken_promise_count", ">", 0)]
        if partner_ids is not None:
            domain.append(("id", "in", list(partner_ids)))
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_company(company)
            .with_context(active_test=False)
            .search_fetch(domain, ["collection_broken_promise_count"])
        )
        return {
            partner.id: partner.collection_broken_promise_count for partner in partners
        }

    @api.model
    def _fetch_existing(self, company, partner_ids=None):
        domain = [("company_id", "=", company.id)]
        if partner_ids is not None:
            domain.append(("partner_id", "in", list(partner_ids)))
        records = self.search_fetch(
            domain,
            ["partner_id", "segment_override_id", "credit_limit_manual", "credit_hold"],
        )
        return {
            record.partner_id.id: (
                record.segment_override_id.id,
                record.credit_limit_manual,
                record.credit_hold,
            )
            for record in records
        }

    @api.model
    def _evaluate(
        self,
        ranking,
        history,
        overdue,
        exposure,
        notices,
        promises,
        plans,
        valid_note,
        has_note,
        record,
        values,
    ):
        """Return the row of scored values of one customer, from plain data:
        ``valid_note`` is ``(id, recommended limit, minimum segment id)`` or None,
        ``record`` the manual settings ``(override segment id, manual limit, hold)``
        of its risk record or None."""
        avg_delay = risk.weighted_average_delay(
            (amount, days) for amount, days, _move in history
        )
        invoices = {move_id for _amount, _days, move_id in history}
        late = {move_id for _amount, days, move_id in history if days > 0}
        late_share = Decimal(len(late)) / len(invoices) if invoices else Decimal(0)
        score = risk.payment_score(avg_delay, late_share, notices, promises + plans)
        note_id, recommended, min_segment_id = valid_note or (None, 0, None)
        rank = risk.segment_rank(
            avg_delay,
            score,
            ranking.thresholds,
            ranking.min_scores,
            floor=ranking.ranks.get(min_segment_id, 0),
        )
        computed_id = ranking.ids[rank]
        override_id, manual_limit, hold = record or (None, 0, False)
        segment_id = override_id or computed_id
        factor, segment_blocked = ranking.terms.get(segment_id, (1, False))
        limit = float(risk.effective_credit_limit(manual_limit, recommended, factor))
        values.update(
            avg_days_late=float(round(avg_delay, 1)),
            invoice_count=len(invoices),
            late_invoice_count=len(late),
            late_share=float(round(late_share, 4)),
            formal_notice_count=notices,
            broken_promise_count=promises,
            broken_plan_count=plans,
            amount_overdue=overdue,
            exposure=exposure,
            score=score,
            computed_segment_id=computed_id,
            segment_id=segment_id,
            credit_limit=limit,
            over_limit=bool(limit) and exposure > limit,
            blocked=bool(hold or segment_blocked),
            solvency_note_id=note_id,
            note_state="valid" if note_id else ("expired" if has_note else "missing"),
        )
        return values

    def _upsert(self, rows):
        """Insert or update the scored rows, ``UPSERT_CHUNK`` customers a query:
        one array parameter per column, unnested."""
        if not rows:
            return
        columns = ("partner_id", "company_id", *SCORED_COLUMNS)
        now = self.env.cr.now()
        for chunk in split_every(UPSERT_CHUNK, rows):
            arrays = SQL(", ").join(
                SQL(
                    "%s::%s",
                    [row[column] for row in chunk],
                    ARRAY_TYPES[self._fields[column].column_type[0]],
                )
                for column in columns
            )
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO account_collection_partner_risk
                           (create_uid, create_date, write_uid, write_date, %(columns)s)
                    SELECT %(uid)s, %(now)s, %(uid)s, %(now)s, *
                      FROM unnest(%(arrays)s)
                    ON CONFLICT (partner_id, company_id) DO UPDATE
                       SET write_uid = EXCLUDED.write_uid,
                           write_date = EXCLUDED.write_date,
                           %(updates)s
                    """,
                    columns=SQL(", ").join(
                        SQL.identifier(column) for column in columns
                    ),
                    uid=self.env.uid,
                    now=now,
                    arrays=arrays,
                    updates=SQL(", ").join(
                        SQL(
                            "%s = EXCLUDED.%s",
                            SQL.identifier(column),
                            SQL.identifier(column),
                        )
                        for column in SCORED_COLUMNS
                    ),
                )
            )
        self.invalidate_model()

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
    # Business methods: credit control
    # ------------------------------------------------------------------
    @api.model
    def _credit_status(self, company, partner_ids, pending=None, exclude_move_ids=()):
        """Return ``{partner_id: CreditStatus}`` for commercial partners, live:
        exposure now (plus ``pending`` amounts, e.g. the invoices being posted, whose
        ids are in ``exclude_move_ids`` so that they do not count twice), limit in
        force and credit hold. A few queries whatever the number of partners."""
        model = self.sudo().with_company(company)
        partner_ids = {partner_id for partner_id in partner_ids if partner_id}
        today = fields.Date.context_today(model)
        exposure = model._fetch_exposure(company, partner_ids, exclude_move_ids)
        valid_notes = model.env["account.collection.solvency.note"]._get_latest(
            partner_ids, company, today
        )[0]
        records = model.search_fetch(
            [("company_id", "=", company.id), ("partner_id", "in", list(partner_ids))],
            ["partner_id", "segment_id", "credit_limit_manual", "credit_hold"],
        )
        records = {record.partner_id.id: record for record in records}
        pending = pending or {}
        result = {}
        for partner_id in partner_ids:
            record = records.get(partner_id, model.browse())
            note = valid_notes.get(partner_id)
            segment = record.segment_id
            limit = risk.effective_credit_limit(
                record.credit_limit_manual,
                note.credit_limit if note else 0,
                segment.credit_limit_factor if segment else 1,
            )
            result[partner_id] = CreditStatus(
                exposure=exposure.get(partner_id, 0.0) + pending.get(partner_id, 0.0),
                limit=float(limit),
                blocked=record.credit_hold or segment.blocked,
                segment=segment,
            )
        return result

    # ------------------------------------------------------------------
    # Business methods: solvency reviews
    # ------------------------------------------------------------------
    @api.model
    def _request_solvency_reviews(self, company, today=None):
        """Plan an activity for each customer above the exposure threshold whose
        solvency note is expired or missing, once: not while an activity of the kind
        is open, nor again until its latest note has changed.

        :return: the activities created.
        """
        model = self.sudo().with_company(company)
        today = today or fields.Date.context_today(model)
        threshold = company.collection_solvency_exposure
        activities = model.env["mail.activity"]
        if threshold <= 0:
            return activities
        records = model.search(
            [
                ("company_id", "=", company.id),
                ("note_state", "in", ("expired", "missing")),
                ("exposure", ">", threshold),
            ]
        )
        if not records:
            return activities
        activity_type = model.env.ref(
            "account_collection.mail_activity_type_solvency_review"
        )
        partner_ids = records.partner_id.ids
        open_partner_ids = set(
            activities.search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partner_ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            ).mapped("res_id")
        )
        no_note = model.env["account.collection.solvency.note"]
        latest = no_note._get_latest(partner_ids, company, today)[1]
        model_id = model.env["ir.model"]._get_id("res.partner")
        vals_list, requested = [], []
        for record in records:
            partner = record.partner_id
            last_note = latest.get(partner.id, no_note)
            if partner.id in open_partner_ids or (
                record.solvency_review_date
                and record.solvency_review_note_id == last_note
            ):
                continue
            user = partner.collection_user_id or company.collection_risk_user_id
            if not user:
                _logger.info(
                    "No one to review the solvency of %s in %s: set a collector or "
                    "the risk manager of the company.",
                    partner.display_name,
                    company.name,
                )
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": today + timedelta(days=activity_type.delay_count),
                    "summary": _("Solvency review (%s)", company.name),
                    "note": model._solvency_review_note(record, last_note),
                }
            )
            requested.append((record, last_note))
        activities = activities.create(vals_list)
        for record, last_note in requested:
            record.write(
                {"solvency_review_date": today, "solvency_review_note_id": last_note.id}
            )
        return activities

    def _solvency_review_note(self, record, last_note):
        amounts = {
            "exposure": format_amount(self.env, record.exposure, record.currency_id),
            "threshold": format_amount(
                self.env,
                record.company_id.collection_solvency_exposure,
                record.currency_id,
            ),
        }
        if last_note:
            message = _(
                "Exposure %(exposure)s above %(threshold)s and the latest solvency "
                "note expired on %(date)s: ask for a new rating or report.",
                date=last_note.date_end,
                **amounts,
            )
        else:
            message = _(
                "Exposure %(exposure)s above %(threshold)s without any solvency "
                "note: check this customer's solvency.",
                **amounts,
            )
        return Markup("<p>%s</p>") % message

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
            self._score_company(self.env.company)
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
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_score_customers(self):
        """Daily: record broken promises, score every customer of every company and
        ask for the solvency reviews due. A company that fails is logged and skipped."""
        for company in self.env["res.company"].sudo().search([]):
            try:
                with self.env.cr.savepoint():
                    self.env["account.collection.engine"].with_company(
                        company
                    )._check_promises(company, fields.Date.context_today(self))
                    count = self._score_company(company)
                    activities = self._request_solvency_reviews(company)
            except Exception:
                _logger.exception("Risk scoring failed for company %s", company.name)
                continue
            _logger.info(
                "Risk scoring: %s customers scored, %s solvency reviews requested in %s",
                count,
                len(activities),
                company.name,
            )

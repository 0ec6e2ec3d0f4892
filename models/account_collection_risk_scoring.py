import logging
from collections import defaultdict, namedtuple
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from ..tools import risk

_logger = logging.getLogger(__name__)

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
UPSERT_CHUNK = 1000
ARRAY_TYPES = {
    "int4": SQL("int4[]"),
    "numeric": SQL("numeric[]"),
    "float8": SQL("float8[]"),
    "date": SQL("date[]"),
    "bool": SQL("bool[]"),
    "varchar": SQL("varchar[]"),
}
# Segments of a company as plain data: ids best first, the thresholds of risk.py,
# the rank of each id and its (credit limit factor, blocked, default credit limit)
# terms.
SegmentRanking = namedtuple("SegmentRanking", "ids thresholds min_scores ranks terms")


class AccountCollectionRiskScoring(models.AbstractModel):
    """Scoring of the customers' payment risk, in bulk: fetch the payment history,
    exposure, formal notices, broken plans and promises of the customers of a
    company, evaluate each customer and write the ``account.collection.partner.risk``
    records in a few queries."""

    _name = "account.collection.risk.scoring"
    _description = "Customer Payment Risk Scoring"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
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
        exposure = model.env["account.collection.credit.control"]._fetch_exposure(
            company, partner_ids
        )
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
                segment.id: (
                    segment.credit_limit_factor,
                    segment.blocked,
                    segment.default_credit_limit,
                )
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
              JOIN account_move m ON m.id = l.move_id
             WHERE %(open_items)s
               AND l.amount_residual > 0
               AND l.date_maturity < %(today)s
               AND m.move_type IN ('out_invoice', 'out_receipt')
               AND %(partners)s
            """,
            company=company.id,
            date_from=date_from,
            today=today,
            open_items=self.env["account.move.line"]._collection_open_items_sql(
                company, alias="l"
            ),
            partners=self.env["account.collection.credit.control"]._partner_filter(
                SQL("m.commercial_partner_id"), partner_ids
            ),
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
        records = self.env["account.collection.partner.risk"].search_fetch(
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
        factor, segment_blocked, default_limit = ranking.terms.get(
            segment_id, (1, False, 0)
        )
        limit = float(
            risk.effective_credit_limit(
                manual_limit, recommended, factor, default_limit
            )
        )
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

    @api.model
    def _upsert(self, rows):
        """Insert or update the scored rows, ``UPSERT_CHUNK`` customers a query:
        one array parameter per column, unnested."""
        if not rows:
            return
        risk_model = self.env["account.collection.partner.risk"]
        columns = ("partner_id", "company_id", *SCORED_COLUMNS)
        now = self.env.cr.now()
        for chunk in split_every(UPSERT_CHUNK, rows):
            arrays = SQL(", ").join(
                SQL(
                    "%s::%s",
                    [row[column] for row in chunk],
                    ARRAY_TYPES[risk_model._fields[column].column_type[0]],
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
        risk_model.invalidate_model()

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_score_customers(self):
        """Daily: score every customer of every company and ask for the solvency
        reviews due. A company that fails is logged and skipped. Broken promises are
        recorded by the reminder run (``account.collection.engine``), not here: the
        scoring reads the counters it keeps."""
        notes = self.env["account.collection.solvency.note"]
        for company in self.env["res.company"].sudo().search([]):
            try:
                with self.env.cr.savepoint():
                    count = self._score_company(company)
                    activities = notes._request_solvency_reviews(company)
            except Exception:
                _logger.exception("Risk scoring failed for company %s", company.name)
                continue
            _logger.info(
                "Risk scoring: %s customers scored, %s solvency reviews requested in %s",
                count,
                len(activities),
                company.name,
            )

import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from ..tools import prediction

_logger = logging.getLogger(__name__)

WRITE_CHUNK = 10000
# Installments still expected of an active payment plan.
UNPAID_INSTALLMENT_STATES = ("pending", "partial", "late")


class AccountCollectionPrediction(models.AbstractModel):
    """Predicted payment dates of the open customer invoices, in bulk: a handful of
    queries per company fetch the paid history, the open invoices, the promises and
    the payment plans; ``tools/prediction.py`` computes each date; one UPDATE per
    chunk of invoices stores them. The backtest runs the same code on the book as of
    a past date, without writing."""

    _name = "account.collection.prediction"
    _description = "Collection Payment Date Prediction"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _predict_company(self, company, today=None):
        """Predict and store the payment date of every open customer invoice of
        ``company``. :return: the number of invoices given a date."""
        model = self.sudo().with_company(company)
        today = today or fields.Date.context_today(model)
        model.env.flush_all()
        predictions = model._compute_predictions(company, today)
        model._store(company, predictions)
        return sum(1 for date, _delay in predictions.values() if date)

    @api.model
    def _compute_predictions(self, company, today, as_of=False):
        """Return ``{move_id: (predicted date or None, days after due or None)}`` of
        the open customer invoices of ``company`` on ``today``. ``as_of``: the book
        as it was on ``today`` (payments recorded later ignored, no promise nor plan),
        for the backtest."""
        months = company.collection_prediction_months or 12
        history = self._fetch_paid_history(
            company, today - relativedelta(months=months), today
        )
        invoices = self._fetch_open_invoices(company, today, as_of)
        promises = {} if as_of else self._fetch_promises(company, today)
        plans = {} if as_of else self._fetch_plan_dates(company, today)
        segments = self._fetch_segments(company)
        company_delay, _count = prediction.weighted_delay(
            [item for items in history.values() for item in items], today
        )
        segment_history = defaultdict(list)
        for partner_id, items in history.items():
            segment_history[segments.get(partner_id)].extend(items)
        segment_delays = {
            segment_id: prediction.weighted_delay(items, today)[0]
            for segment_id, items in segment_history.items()
            if segment_id
        }
        by_partner = defaultdict(list)
        for invoice in invoices:
            by_partner[invoice["partner_id"]].append(invoice)
        result = {}
        for partner_id, partner_invoices in by_partner.items():
            fallback = segment_delays.get(segments.get(partner_id))
            if fallback is None:
                fallback = company_delay or 0.0
            delay = prediction.customer_delay(
                history.get(partner_id, ()), today, fallback
            )
            # Backlog: the most overdue older invoice of the customer, due date order.
            backlog = 0
            for invoice in sorted(partner_invoices, key=lambda inv: inv["date_due"]):
                result[invoice["move_id"]] = prediction.predict(
                    invoice["date_due"],
                    today,
                    delay,
                    backlog_days=backlog,
                    promise_date=promises.get(partner_id),
                    plan_date=plans.get(invoice["move_id"]),
                    disputed=invoice["disputed"],
                    last_payment_date=invoice["last_payment"],
                )
                if not invoice["disputed"]:
                    backlog = max(backlog, (today - invoice["date_due"]).days)
        return result

    @api.model
    def _fetch_paid_history(self, company, date_from, today):
        """Return ``{commercial partner id: [PaidInvoice]}``: the receivable lines of
        customer invoices fully paid between ``date_from`` and ``today`` by the
        reconciliations known on ``today`` (paid on the latest one), in one query."""
        self.env.cr.execute(
            SQL(
                """
                SELECT m.commercial_partner_id,
                       COALESCE(l.date_maturity, l.date), l.balance, MAX(p.max_date)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                  JOIN account_move m ON m.id = l.move_id
                  JOIN account_partial_reconcile p
                    ON p.debit_move_id = l.id AND p.max_date <= %(today)s
                 WHERE l.company_id = %(company)s
                   AND a.account_type = 'asset_receivable'
                   AND l.parent_state = 'posted'
                   AND l.balance > 0
                   AND m.move_type = 'out_invoice'
                   AND l.date <= %(today)s
                 GROUP BY m.commercial_partner_id, l.id
                HAVING SUM(p.amount) >= l.balance - 0.005
                   AND MAX(p.max_date) >= %(date_from)s
                """,
                company=company.id,
                today=today,
                date_from=date_from,
            )
        )
        history = defaultdict(list)
        for partner_id, date_due, amount, date_paid in self.env.cr.fetchall():
            history[partner_id].append(
                prediction.PaidInvoice(
                    date_due, amount, (date_paid - date_due).days, date_paid
                )
            )
        return history

    @api.model
    def _fetch_open_invoices(self, company, today, as_of=False):
        """Return the open customer invoices of ``company`` as dicts (move_id,
        partner_id, date_due: earliest due date of its open lines, residual,
        last_payment: date of its last partial payment, disputed), in one query.
        Open: the shared open-item definition; ``as_of``: open on ``today`` by the
        reconciliations known then (an invoice paid later was open)."""
        if as_of:
            condition = SQL(
                """
                    l.company_id = %(company)s
                AND l.parent_state = 'posted'
                AND l.account_id IN (SELECT id FROM account_account
                                      WHERE account_type = 'asset_receivable')
                AND l.date <= %(today)s
                """,
                company=company.id,
                today=today,
            )
        else:
            condition = self.env["account.move.line"]._collection_open_items_sql(
                company, alias="l"
            )
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id, m.commercial_partner_id,
                       MIN(COALESCE(l.date_maturity, l.date)),
                       SUM(l.balance - COALESCE(paid.amount, 0)),
                       MAX(paid.last_date),
                       COALESCE(m.collection_block_reason = 'dispute', FALSE)
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  LEFT JOIN LATERAL (
                        SELECT SUM(p.amount) AS amount, MAX(p.max_date) AS last_date
                          FROM account_partial_reconcile p
                         WHERE p.debit_move_id = l.id AND p.max_date <= %(today)s
                       ) paid ON TRUE
                 WHERE %(condition)s
                   AND m.move_type = 'out_invoice'
                   AND l.balance > 0
                 GROUP BY m.id
                HAVING SUM(l.balance - COALESCE(paid.amount, 0)) > 0.005
                """,
                today=today,
                condition=condition,
            )
        )
        return [
            {
                "move_id": move_id,
                "partner_id": partner_id,
                "date_due": date_due,
                "residual": residual,
                "last_payment": last_payment,
                "disputed": disputed,
            }
            for (
                move_id,
                partner_id,
                date_due,
                residual,
                last_payment,
                disputed,
            ) in self.env.cr.fetchall()
        ]

    @api.model
    def _fetch_promises(self, company, today):
        """Return ``{commercial partner id: promised date}`` of the promises to pay
        in force in ``company``, in one query."""
        partners = (
            self.env["res.partner"]
            .with_company(company)
            .with_context(active_test=False)
            .search_fetch(
                [("collection_promise_date", ">=", today)], ["collection_promise_date"]
            )
        )
        return {
            partner.commercial_partner_id.id: partner.collection_promise_date
            for partner in partners
        }

    @api.model
    def _fetch_plan_dates(self, company, today):
        """Return ``{move_id: due date of the next installment still expected}`` of
        the invoices covered by an active payment plan of ``company``."""
        groups = (
            self.env["account.collection.plan.installment"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("plan_id.state", "=", "active"),
                    ("state", "in", UNPAID_INSTALLMENT_STATES),
                ],
                ["plan_id"],
                ["date_due:min"],
            )
        )
        dates = {plan.id: date_due for plan, date_due in groups}
        if not dates:
            return {}
        self.env.cr.execute(
            SQL(
                """
                SELECT move_id, plan_id FROM account_collection_plan_move_rel
                 WHERE plan_id = ANY(%s)
                """,
                list(dates),
            )
        )
        result = {}
        for move_id, plan_id in self.env.cr.fetchall():
            result[move_id] = min(dates[plan_id], result.get(move_id, dates[plan_id]))
        return result

    @api.model
    def _fetch_segments(self, company):
        """Return ``{commercial partner id: risk segment id}`` in ``company``."""
        records = (
            self.env["account.collection.partner.risk"]
            .sudo()
            .search_fetch(
                [("company_id", "=", company.id), ("segment_id", "!=", False)],
                ["partner_id", "segment_id"],
            )
        )
        return {record.partner_id.id: record.segment_id.id for record in records}

    @api.model
    def _store(self, company, predictions):
        """Write the predictions, ``WRITE_CHUNK`` invoices a query, and clear those
        of the invoices of ``company`` no longer open."""
        items = list(predictions.items())
        for chunk in split_every(WRITE_CHUNK, items):
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_move m
                       SET collection_predicted_date = v.date,
                           collection_predicted_delay = v.delay
                      FROM unnest(%s::int4[], %s::date[], %s::int4[]) AS v(id, date, delay)
                     WHERE m.id = v.id
                       AND (m.collection_predicted_date IS DISTINCT FROM v.date
                            OR m.collection_predicted_delay IS DISTINCT FROM v.delay)
                    """,
                    [move_id for move_id, _value in chunk],
                    [date for _move, (date, _delay) in chunk],
                    [delay for _move, (_date, delay) in chunk],
                )
            )
        # The invoices to clear are found in Python: an anti-join against the
        # array of predicted ids is planned as a nested loop when the statistics
        # predate the writes above, quadratic on a million-invoice book.
        self.env.cr.execute(
            SQL(
                """
                SELECT id
                  FROM account_move
                 WHERE company_id = %s
                   AND (collection_predicted_date IS NOT NULL
                        OR collection_predicted_delay IS NOT NULL)
                """,
                company.id,
            )
        )
        stale = [
            move_id
            for (move_id,) in self.env.cr.fetchall()
            if move_id not in predictions
        ]
        for chunk in split_every(WRITE_CHUNK, stale):
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_move
                       SET collection_predicted_date = NULL,
                           collection_predicted_delay = NULL
                     WHERE id = ANY(%s)
                    """,
                    list(chunk),
                )
            )
        self.env["account.move"].invalidate_model(
            ["collection_predicted_date", "collection_predicted_delay"]
        )

    @api.model
    def _backtest(self, company, as_of, until):
        """Predict, from the book of ``company`` as it was on ``as_of``, the payment
        dates of the invoices open then, and compare with those paid in full
        between ``as_of`` and ``until``. Read only.

        :return: ``{method: (invoices, mean absolute error in days, share paid within
            7 days of the prediction)}`` for "ours", "naive" (the due date),
            "naive_today" (the due date, not before ``as_of``) and "customer" (the
            due date + the customer's plain amount-weighted average delay), and
            "disputed": the paid invoices left without a date (disputes).
        """
        model = self.sudo().with_company(company)
        model.env.flush_all()
        predictions = model._compute_predictions(company, as_of, as_of=True)
        months = company.collection_prediction_months or 12
        history = model._fetch_paid_history(
            company, as_of - relativedelta(months=months), as_of
        )
        averages = {
            partner_id: prediction.weighted_delay(items, as_of, half_life=10**9)[0]
            for partner_id, items in history.items()
        }
        model.env.cr.execute(
            SQL(
                """
                SELECT m.id, m.commercial_partner_id, MIN(l.date_maturity), MAX(p.max_date)
                  FROM account_move m
                  JOIN account_move_line l ON l.move_id = m.id AND l.balance > 0
                  JOIN account_account a
                    ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN account_partial_reconcile p ON p.debit_move_id = l.id
                 WHERE m.id = ANY(%s) AND l.reconciled
                 GROUP BY m.id
                HAVING MAX(p.max_date) > %s AND MAX(p.max_date) <= %s
                """,
                list(predictions),
                as_of,
                until,
            )
        )
        errors = defaultdict(list)
        disputed = 0
        for move_id, partner_id, date_due, date_paid in model.env.cr.fetchall():
            predicted, _delay = predictions[move_id]
            if not predicted:
                disputed += 1
                continue
            average = round(averages.get(partner_id) or 0.0)
            guesses = {
                "ours": predicted,
                "naive": date_due,
                "naive_today": max(date_due, as_of),
                "customer": date_due + relativedelta(days=average),
            }
            for method, guess in guesses.items():
                errors[method].append(abs((date_paid - guess).days))
        result = {"disputed": disputed}
        for method, values in errors.items():
            result[method] = (
                len(values),
                sum(values) / len(values),
                sum(1 for value in values if value <= 7) / len(values),
            )
        return result

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_predict_payment_dates(self):
        """Daily, after the risk scoring: predict the payment dates of the open
        customer invoices of every company. A company that fails is logged and
        skipped."""
        for company in self.env["res.company"].sudo().search([]):
            try:
                with self.env.cr.savepoint():
                    count = self._predict_company(company)
            except Exception:
                _logger.exception(
                    "Payment date prediction failed for company %s", company.name
                )
                continue
            _logger.info(
                "Payment date prediction: %s invoices dated in %s", count, company.name
            )

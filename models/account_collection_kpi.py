from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import api, models
from odoo.tools import SQL

from ..tools import ageing, risk

DSO_PERIOD_DAYS = 90
COUNTBACK_MONTHS = 24
TREND_MONTHS = 12


class AccountCollectionKpi(models.AbstractModel):
    """Collection indicators of the allowed companies, in company currency.

    Definitions (all amounts include VAT, as receivables do):

    * receivables: open receivable items at the date (see the aged receivables);
    * credit sales: receivable side of the posted customer invoices less credit notes;
    * DSO (simple): receivables / credit sales of the last 90 days x 90;
    * DSO (count-back): :func:`ageing.dso_countback` on calendar months;
    * overdue ratio: overdue receivables / receivables x 100;
    * CEI: :func:`ageing.collection_effectiveness_index` of the month to date;
    * average days to pay: amount-weighted days from invoice date to full payment of
      the invoices paid in the last 12 months.

    The same indicators over a chosen window (``period``: the month to date, the
    last 90 days or the last 365 days, see :func:`ageing.flow_period_start`) are
    under the ``flows`` key. ``partner_ids`` restricts every figure to those
    customers (commercial partners); one load runs a fixed number of queries
    whatever the number of months and the size of the book.
    """

    _name = "account.collection.kpi"
    _description = "Collection Indicators"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _partner_filter(self, column, partner_ids):
        """SQL condition keeping the rows of ``partner_ids`` (all when None)."""
        if partner_ids is None:
            return SQL("TRUE")
        return SQL("%s = ANY(%s)", column, list(partner_ids))

    @api.model
    def _daily_sales(self, companies, date_from, date_to, partner_ids=None):
        """Return ``{date: credit sales}`` between both dates included."""
        partner_domain = (
            [("move_id.commercial_partner_id", "in", list(partner_ids))]
            if partner_ids is not None
            else []
        )
        groups = self.env["account.move.line"]._read_group(
            [
                *partner_domain,
                ("company_id", "in", companies.ids),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            ["date:day"],
            ["balance:sum"],
        )
        return {day: Decimal(str(amount)) for day, amount in groups}

    @api.model
    def _sales_between(self, daily_sales, date_from, date_to):
        return sum(
            (
                amount
                for day, amount in daily_sales.items()
                if date_from <= day <= date_to
            ),
            Decimal(0),
        )

    @api.model
    def _blocked_amounts(self, companies, as_of, partner_ids=None):
        """Return the open amounts at ``as_of`` in dispute (by the user, or 207 En
        litige on the e-invoicing platform), in a payment plan, in
        litigation (block reason litigation or a litigation level) and of customers
        in an insolvency procedure. An invoice a payment plan took over counts in
        the plan only, whatever its level."""
        aged = self.env["account.collection.aged.receivable"]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(aged.amount_residual) FILTER (
                           WHERE (aged.collection_blocked
                                  AND aged.collection_block_reason = 'dispute')
                              OR aged.collection_einvoice_status = '207'), 0),
                       COALESCE(SUM(aged.amount_residual) FILTER (
                           WHERE aged.collection_blocked
                             AND aged.collection_block_reason = 'payment_plan'), 0),
                       COALESCE(SUM(aged.amount_residual) FILTER (
                           WHERE (aged.collection_blocked
                                  AND aged.collection_block_reason = 'litigation')
                              OR (level.litigation
                                  AND NOT (aged.collection_blocked
                                           AND aged.collection_block_reason
                                               = 'payment_plan'))), 0),
                       COALESCE(SUM(aged.amount_residual) FILTER (
                           WHERE partner.collection_insolvency IS NOT NULL), 0)
                  FROM (%s) aged
             LEFT JOIN account_collection_level level
                    ON level.id = aged.collection_level_id
             LEFT JOIN res_partner partner ON partner.id = aged.partner_id
                 WHERE %s
                """,
                aged._aged_query(as_of, companies.ids),
                self._partner_filter(SQL("aged.partner_id"), partner_ids),
            )
        )
        dispute, payment_plan, litigation, insolvency = self.env.cr.fetchone()
        return {
            "dispute": dispute,
            "payment_plan": payment_plan,
            "litigation": litigation,
            "insolvency": insolvency,
        }

    @api.model
    def _days_to_pay(self, companies, date_from, date_to, partner_ids=None):
        """Return ``(partner_id, amount, days to pay, paid on, invoice id)`` of the
        customer invoices fully paid between both dates (the date of the last
        matched payment)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT line.partner_id, move.amount_total_signed,
                       MAX(partial.max_date) - move.invoice_date AS days,
                       MAX(partial.max_date) AS paid_on, move.id
                  FROM account_move move
                  JOIN account_move_line line ON line.move_id = move.id
                  JOIN account_account account ON account.id = line.account_id
                  JOIN account_partial_reconcile partial
                    ON partial.debit_move_id = line.id
                 WHERE move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.payment_state IN ('paid', 'in_payment')
                   AND move.company_id = ANY(%(company_ids)s)
                   AND account.account_type = 'asset_receivable'
                   AND line.reconciled
                   AND %(partner_filter)s
              GROUP BY line.partner_id, move.id
                HAVING MAX(partial.max_date) BETWEEN %(date_from)s AND %(date_to)s
                """,
                company_ids=companies.ids,
                partner_filter=self._partner_filter(
                    SQL("move.commercial_partner_id"), partner_ids
                ),
                date_from=date_from,
                date_to=date_to,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _average_days_to_pay(self, rows):
        """Return the amount-weighted average of ``(partner_id, amount, days, ...)``
        rows: ``(overall, {partner_id: (average, invoice count)})``."""
        items = defaultdict(list)
        for partner_id, amount, days, *_rest in rows:
            items[partner_id].append((amount, days))
        by_partner = {
            partner_id: (risk.weighted_average_delay(values), len(values))
            for partner_id, values in items.items()
        }
        overall = (
            risk.weighted_average_delay((row[1], row[2]) for row in rows)
            if rows
            else None
        )
        return overall, by_partner

    @api.model
    def _level_effectiveness(self, companies, date_from, date_to, partner_ids=None):
        """Return one dict per dunning level: the amount reminded at that level by
        the sent communications dated between both dates, and the part of it paid
        within the company's effectiveness window after the communication."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT line.level_id,
                       SUM(line.amount_residual) AS reminded,
                       SUM(LEAST(line.amount_residual, COALESCE(paid.amount, 0)))
                           AS paid,
                       COUNT(*) AS count
                  FROM account_collection_communication_line line
                  JOIN account_collection_communication communication
                    ON communication.id = line.communication_id
                  JOIN res_company company ON company.id = line.company_id
             LEFT JOIN LATERAL (
                        SELECT SUM(partial.amount) AS amount
                          FROM account_partial_reconcile partial
                         WHERE partial.debit_move_id = line.move_line_id
                           AND partial.max_date >= line.date
                           AND partial.max_date <= line.date
                               + company.collection_effectiveness_days
                       ) paid ON TRUE
                 WHERE communication.state = 'sent'
                   AND line.level_id IS NOT NULL
                   AND line.amount_residual > 0
                   AND line.company_id = ANY(%(company_ids)s)
                   AND line.date BETWEEN %(date_from)s AND %(date_to)s
                   AND %(partner_filter)s
              GROUP BY line.level_id
                """,
                company_ids=companies.ids,
                partner_filter=self._partner_filter(
                    SQL("communication.partner_id"), partner_ids
                ),
                date_from=date_from,
                date_to=date_to,
            )
        )
        rows = self.env.cr.dictfetchall()
        levels = self.env["account.collection.level"].browse(
            [row["level_id"] for row in rows]
        )
        result = []
        for row, level in zip(rows, levels, strict=True):
            result.append(
                {
                    "level": level,
                    "count": row["count"],
                    "reminded": row["reminded"],
                    "paid": row["paid"],
                    "rate": ageing.ratio_percent(row["paid"], row["reminded"]),
                }
            )
        return sorted(result, key=lambda item: (item["level"].days, item["level"].id))

    @api.model
    def _monthly_series(self, companies, as_of, months=TREND_MONTHS, partner_ids=None):
        """Return one dict of indicators per month, oldest first, the last one at
        ``as_of`` (month to date)."""
        return self._trend_data(companies, as_of, months, partner_ids)[0]

    @api.model
    def _trend_data(
        self, companies, as_of, months=TREND_MONTHS, partner_ids=None, extra_dates=()
    ):
        """Return the monthly series and the data it was computed from: ``(series,
        daily sales, totals by date)``; the totals cover ``extra_dates`` too."""
        periods = ageing.month_periods(as_of, months + COUNTBACK_MONTHS)
        points = list(reversed(periods[:months]))
        earliest = min(periods[-1][0], points[0][1] - timedelta(days=DSO_PERIOD_DAYS))
        daily_sales = self._daily_sales(companies, earliest, as_of, partner_ids)
        dates = (
            {end for _start, end in points}
            | {start - timedelta(days=1) for start, _end in points}
            | set(extra_dates)
        )
        totals = self.env["account.collection.aged.receivable"]._totals_by_date(
            sorted(dates), companies.ids, partner_ids
        )
        series = []
        for start, end in points:
            total, overdue, not_due = (Decimal(str(v)) for v in totals[end])
            opening = Decimal(str(totals[start - timedelta(days=1)][0]))
            sales_month = self._sales_between(daily_sales, start, end)
            sales_dso = self._sales_between(
                daily_sales, end - timedelta(days=DSO_PERIOD_DAYS - 1), end
            )
            countback = [
                (
                    (period_end - period_start).days + 1,
                    self._sales_between(daily_sales, period_start, period_end),
                )
                for period_start, period_end in ageing.month_periods(
                    end, COUNTBACK_MONTHS
                )
            ]
            series.append(
                {
                    "date": end,
                    "date_from": start,
                    "receivables": total,
                    "overdue": overdue,
                    "not_due": not_due,
                    "sales": sales_month,
                    "overdue_ratio": ageing.ratio_percent(overdue, total),
                    "dso_simple": ageing.dso_simple(total, sales_dso, DSO_PERIOD_DAYS),
                    "dso_countback": ageing.dso_countback(total, countback),
                    "cei": ageing.collection_effectiveness_index(
                        opening, sales_month, total, not_due
                    ),
                }
            )
        return series, daily_sales, totals

    @api.model
    def _compute_kpis(
        self, companies, as_of, months=TREND_MONTHS, period="month", partner_ids=None
    ):
        """Return every indicator of the dashboard at ``as_of``; the flow
        indicators over ``period`` are under ``flows``."""
        date_from = ageing.flow_period_start(as_of, period)
        opening_date = date_from - timedelta(days=1)
        series, daily_sales, totals = self._trend_data(
            companies, as_of, months, partner_ids, extra_dates=(opening_date,)
        )
        year_from = as_of - timedelta(days=364)
        paid = self._days_to_pay(companies, year_from, as_of, partner_ids)
        average, by_partner = self._average_days_to_pay(paid)
        last = series[-1]
        sales = self._sales_between(daily_sales, date_from, as_of)
        period_average, _by_partner = self._average_days_to_pay(
            [row for row in paid if row[3] >= date_from]
        )
        flows = {
            "period": period,
            "date_from": date_from,
            "date_to": as_of,
            "sales": sales,
            "dso_simple": ageing.dso_simple(
                last["receivables"], sales, (as_of - date_from).days + 1
            ),
            "cei": ageing.collection_effectiveness_index(
                Decimal(str(totals[opening_date][0])),
                sales,
                last["receivables"],
                last["not_due"],
            ),
            "average_days_to_pay": period_average,
        }
        return {
            **last,
            "series": series,
            **self._blocked_amounts(companies, as_of, partner_ids),
            "days_to_pay": by_partner,
            "average_days_to_pay": average,
            "levels": self._level_effectiveness(
                companies, year_from, as_of, partner_ids
            ),
            "flows": flows,
        }

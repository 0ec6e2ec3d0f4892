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
    """

    _name = "account.collection.kpi"
    _description = "Collection Indicators"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _daily_sales(self, companies, date_from, date_to):
        """Return ``{date: credit sales}`` between both dates included."""
        groups = self.env["account.move.line"]._read_group(
            [
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
    def _blocked_amounts(self, companies, as_of):
        """Return the open amounts at ``as_of`` in dispute, in a payment plan and in
        litigation (block reason litigation or a litigation level). An invoice a
        payment plan took over counts in the plan only, whatever its level."""
        aged = self.env["account.collection.aged.receivable"]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(aged.amount_residual) FILTER (
                           WHERE aged.collection_blocked
                             AND aged.collection_block_reason = 'dispute'), 0),
                       COALESCE(SUM(aged.amount_residual) FILTER (
                           WHERE aged.collection_blocked
                             AND aged.collection_block_reason = 'payment_plan'), 0),
                       COALESCE(SUM(aged.amount_residual) FILTER (
                           WHERE (aged.collection_blocked
                                  AND aged.collection_block_reason = 'litigation')
                              OR (level.litigation
                                  AND NOT (aged.collection_blocked
                                           AND aged.collection_block_reason
                                               = 'payment_plan'))), 0)
                  FROM (%s) aged
             LEFT JOIN account_collection_level level
                    ON level.id = aged.collection_level_id
                """,
                aged._aged_query(as_of, companies.ids),
            )
        )
        dispute, payment_plan, litigation = self.env.cr.fetchone()
        return {
            "dispute": dispute,
            "payment_plan": payment_plan,
            "litigation": litigation,
        }

    @api.model
    def _days_to_pay(self, companies, date_from, date_to):
        """Return ``(partner_id, amount, days to pay)`` of the customer invoices
        fully paid between both dates (the date of the last matched payment)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT line.partner_id, move.amount_total_signed,
                       MAX(partial.max_date) - move.invoice_date AS days
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
              GROUP BY line.partner_id, move.id
                HAVING MAX(partial.max_date) BETWEEN %(date_from)s AND %(date_to)s
                """,
                company_ids=companies.ids,
                date_from=date_from,
                date_to=date_to,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _average_days_to_pay(self, rows):
        """Return the amount-weighted average of ``(partner_id, amount, days)`` rows:
        ``(overall, {partner_id: (average, invoice count)})``."""
        items = defaultdict(list)
        for partner_id, amount, days in rows:
            items[partner_id].append((amount, days))
        by_partner = {
            partner_id: (risk.weighted_average_delay(values), len(values))
            for partner_id, values in items.items()
        }
        overall = (
            risk.weighted_average_delay((amount, days) for _p, amount, days in rows)
            if rows
            else None
        )
        return overall, by_partner

    @api.model
    def _level_effectiveness(self, companies, date_from, date_to):
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
              GROUP BY line.level_id
                """,
                company_ids=companies.ids,
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
    def _monthly_series(self, companies, as_of, months=TREND_MONTHS):
        """Return one dict of indicators per month, oldest first, the last one at
        ``as_of`` (month to date)."""
        periods = ageing.month_periods(as_of, months + COUNTBACK_MONTHS)
        points = list(reversed(periods[:months]))
        earliest = min(periods[-1][0], points[0][1] - timedelta(days=DSO_PERIOD_DAYS))
        daily_sales = self._daily_sales(companies, earliest, as_of)
        dates = {end for _start, end in points} | {
            start - timedelta(days=1) for start, _end in points
        }
        totals = self.env["account.collection.aged.receivable"]._totals_by_date(
            sorted(dates), companies.ids
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
        return series

    @api.model
    def _compute_kpis(self, companies, as_of, months=TREND_MONTHS):
        """Return every indicator of the dashboard at ``as_of``."""
        series = self._monthly_series(companies, as_of, months)
        year_ago = as_of - timedelta(days=365)
        average, by_partner = self._average_days_to_pay(
            self._days_to_pay(companies, year_ago + timedelta(days=1), as_of)
        )
        return {
            **series[-1],
            "series": series,
            **self._blocked_amounts(companies, as_of),
            "days_to_pay": by_partner,
            "average_days_to_pay": average,
            "levels": self._level_effectiveness(
                companies, year_ago + timedelta(days=1), as_of
            ),
        }

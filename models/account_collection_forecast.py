from odoo import _, api, fields, models, tools
from odoo.tools import SQL

FORECAST_WEEKS = 13
FORECAST_SOURCES = [
    ("invoice", "Predicted Payment"),
    ("promise", "Promise to Pay"),
    ("plan", "Payment Plan Installment"),
]
FORECAST_BUCKETS = [
    ("expected", "Expected"),
    ("later", "After 13 Weeks"),
    ("doubtful", "Doubtful"),
]


class AccountCollectionForecast(models.Model):
    """13-week cash-in forecast: what each open customer invoice and payment plan
    installment is expected to bring, on the Monday of the week it is expected
    (this week for anything already late). A read-only SQL view:

    - an open invoice (the shared open-item definition) counts its residual on its
      predicted payment date (``account.move.collection_predicted_date``, which is
      the promised date when the customer promised to pay, its due date until the
      daily run dated it), source "promise" when its customer's promise is in force;
    - an invoice covered by an active payment plan is counted through the plan's
      unpaid installments instead, never twice;
    - disputed or litigious invoices, invoices provisioned as doubtful and the
      claims on customers in an insolvency procedure go to the "doubtful" bucket,
      without a week.

    The record rule keeps each user to their companies."""

    _name = "account.collection.forecast"
    _description = "Collection Cash-In Forecast"
    _auto = False
    _order = "week_start, company_id, currency_id, id"
    _rec_name = "week_start"
    _depends = {
        "account.move.line": [
            "move_id",
            "company_id",
            "account_id",
            "amount_residual",
            "amount_residual_currency",
            "currency_id",
            "date_maturity",
            "reconciled",
            "parent_state",
        ],
        "account.move": [
            "move_type",
            "commercial_partner_id",
            "collection_predicted_date",
            "collection_block_reason",
            "collection_doubtful_invoice_id",
            "collection_plan_ids",
        ],
        "res.partner": ["collection_promise_date", "collection_insolvency"],
        "account.collection.plan": ["state", "currency_id", "company_id"],
        "account.collection.plan.installment": ["date_due", "amount_residual", "state"],
    }

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    plan_id = fields.Many2one(
        "account.collection.plan", string="Payment Plan", readonly=True
    )
    source = fields.Selection(FORECAST_SOURCES, readonly=True)
    bucket = fields.Selection(FORECAST_BUCKETS, readonly=True)
    date_expected = fields.Date(string="Expected On", readonly=True)
    week_start = fields.Date(
        string="Week",
        readonly=True,
        help="Monday of the week the amount is expected; empty for doubtful amounts.",
    )
    amount_currency = fields.Monetary(
        string="Amount", currency_field="currency_id", readonly=True
    )
    amount = fields.Monetary(
        string="Amount in Company Currency",
        currency_field="company_currency_id",
        readonly=True,
    )

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def action_export_xlsx(self):
        """Download the forecast the user may read, weeks by company and currency."""
        return self.env["account.collection.xlsx"]._download(
            f"cash_in_forecast_{fields.Date.to_string(fields.Date.context_today(self))}"
            ".xlsx",
            self._forecast_xlsx(),
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _query(self):
        """SELECT of the view: the invoices, then the plan installments."""
        return SQL(
            """
            WITH active_plan_move AS (
                SELECT rel.move_id, rel.plan_id
                  FROM account_collection_plan_move_rel rel
                  JOIN account_collection_plan plan ON plan.id = rel.plan_id
                 WHERE plan.state = 'active'
            ), item AS (
                SELECT l.id * 2 AS id, l.company_id, l.currency_id,
                       company.currency_id AS company_currency_id,
                       m.commercial_partner_id AS partner_id, m.id AS move_id,
                       NULL::int AS plan_id,
                       CASE WHEN (partner.collection_promise_date
                                  ->> l.company_id::text)::date >= CURRENT_DATE
                            THEN 'promise' ELSE 'invoice' END AS source,
                       (COALESCE(m.collection_block_reason
                                 IN ('dispute', 'litigation'), FALSE)
                        OR partner.collection_insolvency IS NOT NULL
                        OR EXISTS (SELECT 1 FROM account_move doubtful
                                    WHERE doubtful.collection_doubtful_invoice_id = m.id
                                      AND doubtful.state = 'posted')) AS doubtful,
                       COALESCE(m.collection_predicted_date, l.date_maturity, l.date)
                           AS date_expected,
                       l.amount_residual_currency AS amount_currency,
                       l.amount_residual AS amount
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_company company ON company.id = l.company_id
                  JOIN res_partner partner ON partner.id = m.commercial_partner_id
                 WHERE %(open_items)s
                   AND m.move_type = 'out_invoice'
                   AND l.amount_residual > 0
                   AND NOT EXISTS (SELECT 1 FROM active_plan_move apm
                                    WHERE apm.move_id = m.id)
                 UNION ALL
                SELECT inst.id * 2 + 1, plan.company_id, plan.currency_id,
                       company.currency_id, partner.commercial_partner_id, NULL,
                       plan.id, 'plan',
                       commercial.collection_insolvency IS NOT NULL,
                       inst.date_due, inst.amount_residual,
                       -- In company currency at the rate of the plan's invoices.
                       inst.amount_residual * COALESCE(rate.ratio, 1.0)
                  FROM account_collection_plan_installment inst
                  JOIN account_collection_plan plan ON plan.id = inst.plan_id
                  JOIN res_company company ON company.id = plan.company_id
                  JOIN res_partner partner ON partner.id = plan.partner_id
                  JOIN res_partner commercial
                    ON commercial.id = partner.commercial_partner_id
                  LEFT JOIN LATERAL (
                        SELECT SUM(l.amount_residual)
                               / NULLIF(SUM(l.amount_residual_currency), 0) AS ratio
                          FROM active_plan_move apm
                          JOIN account_move_line l ON l.move_id = apm.move_id
                          JOIN account_account a ON a.id = l.account_id
                         WHERE apm.plan_id = plan.id
                           AND a.account_type = 'asset_receivable'
                       ) rate ON TRUE
                 WHERE plan.state = 'active'
                   AND inst.state IN ('pending', 'partial', 'late')
                   AND inst.amount_residual > 0
            )
            SELECT item.id, item.company_id, item.currency_id,
                   item.company_currency_id, item.partner_id, item.move_id,
                   item.plan_id, item.source,
                   CASE WHEN item.doubtful THEN 'doubtful'
                        WHEN GREATEST(item.date_expected, CURRENT_DATE)
                             >= date_trunc('week', CURRENT_DATE)::date + %(days)s
                        THEN 'later'
                        ELSE 'expected' END AS bucket,
                   item.date_expected,
                   CASE WHEN NOT item.doubtful
                        THEN date_trunc('week', GREATEST(item.date_expected,
                                                         CURRENT_DATE))::date
                        END AS week_start,
                   item.amount_currency, item.amount
              FROM item
            """,
            open_items=self.env["account.move.line"]._collection_open_items_sql(
                None, alias="l"
            ),
            days=FORECAST_WEEKS * 7,
        )

    @api.model
    def _forecast_xlsx(self):
        """Return the workbook of the forecast: one row per company, currency and
        week of the next 13, then the later and doubtful amounts."""
        xlsx = self.env["account.collection.xlsx"]
        output, workbook, styles = xlsx._new_workbook()
        headers = [
            _("Company"),
            _("Currency"),
            _("Week"),
            _("Predicted Payments"),
            _("Promises to Pay"),
            _("Payment Plan Installments"),
            _("Total"),
            _("Total in Company Currency"),
        ]
        sheet = xlsx._add_sheet(
            workbook,
            styles,
            _("Cash-In Forecast"),
            headers,
            titles=(_("13-Week Cash-In Forecast"),),
        )
        groups = self._read_group(
            [],
            ["company_id", "currency_id", "bucket", "week_start:day", "source"],
            ["amount_currency:sum", "amount:sum"],
        )
        rows = {}
        for company, currency, bucket, week, source, amount_currency, amount in groups:
            key = (company, currency, bucket, week)
            row = rows.setdefault(key, {"invoice": 0.0, "promise": 0.0, "plan": 0.0})
            row[source] += amount_currency
            row["company"] = row.get("company", 0.0) + amount
        buckets = dict(FORECAST_BUCKETS)
        order = {"expected": 0, "later": 1, "doubtful": 2}
        row_index = sheet.header_row + 1
        for (company, currency, bucket, week), row in sorted(
            rows.items(),
            key=lambda item: (
                item[0][0].name,
                item[0][1].name,
                order[item[0][2]],
                item[0][3] or fields.Date.today(),
            ),
        ):
            sheet.write_string(row_index, 0, company.name)
            sheet.write_string(row_index, 1, currency.name)
            if bucket == "expected" and week:
                sheet.write_datetime(row_index, 2, week, styles["date"])
            else:
                sheet.write_string(row_index, 2, buckets[bucket])
            for col, source in enumerate(("invoice", "promise", "plan"), start=3):
                sheet.write_number(row_index, col, row[source], styles["money"])
            total = row["invoice"] + row["promise"] + row["plan"]
            sheet.write_number(row_index, 6, total, styles["money"])
            sheet.write_number(row_index, 7, row["company"], styles["money"])
            row_index += 1
        sheet.finish(row_index - 1)
        return xlsx._close_workbook(output, workbook)

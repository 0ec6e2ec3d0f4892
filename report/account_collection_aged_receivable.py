from odoo import _, api, fields, models
from odoo.tools import SQL

from ..tools import ageing

BUCKETS = [
    ("0", "Not due"),
    ("1", "Period 1"),
    ("2", "Period 2"),
    ("3", "Period 3"),
    ("4", "Period 4"),
    ("5", "Beyond"),
]
BUCKET_AMOUNT_FIELDS = [
    "amount_not_due",
    "amount_bucket_1",
    "amount_bucket_2",
    "amount_bucket_3",
    "amount_bucket_4",
    "amount_bucket_5",
]


class AccountCollectionAgedReceivable(models.Model):
    """Aged receivables: one row per open receivable journal item, at today or at the
    date given in the context key ``collection_as_of``.

    "As of" a past date, an item is open for its balance less the reconciliations
    whose latest matched line is dated on or before that date, as Odoo's own aged
    balance does (``account.partial.reconcile.max_date``).
    """

    _name = "account.collection.aged.receivable"
    _description = "Aged Receivables"
    _auto = False
    _order = "partner_id, date_maturity, id"
    _rec_name = "move_id"
    _depends = {
        "account.move.line": [
            "move_id",
            "partner_id",
            "company_id",
            "account_id",
            "currency_id",
            "date",
            "date_maturity",
            "amount_residual",
            "reconciled",
            "parent_state",
        ],
        "account.partial.reconcile": [
            "debit_move_id",
            "credit_move_id",
            "amount",
            "max_date",
        ],
        "account.move": [
            "move_type",
            "invoice_user_id",
            "collection_level_id",
            "collection_blocked",
            "collection_block_reason",
            "collection_einvoice_status",
        ],
        "res.company": [
            "collection_bucket_1",
            "collection_bucket_2",
            "collection_bucket_3",
            "collection_bucket_4",
        ],
    }

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    move_line_id = fields.Many2one("account.move.line", readonly=True)
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    move_type = fields.Selection(
        selection=lambda self: self.env["account.move"]._fields["move_type"].selection,
        string="Type",
        readonly=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", string="Document Currency", readonly=True
    )
    account_id = fields.Many2one("account.account", readonly=True)
    invoice_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    collection_level_id = fields.Many2one(
        "account.collection.level", string="Dunning Level", readonly=True
    )
    collection_blocked = fields.Boolean(string="Dunning Blocked", readonly=True)
    collection_block_reason = fields.Selection(
        selection=lambda self: self.env["account.move"]
        ._fields["collection_block_reason"]
        .selection,
        string="Block Reason",
        readonly=True,
    )
    collection_insolvency = fields.Selection(
        related="partner_id.collection_insolvency", string="Customer Insolvency"
    )
    collection_einvoice_status = fields.Selection(
        selection=lambda self: self.env["account.move"]
        ._fields["collection_einvoice_status"]
        .selection,
        string="Platform Status",
        readonly=True,
    )
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(BUCKETS, readonly=True)
    amount_residual = fields.Monetary(
        string="Amount Due", currency_field="company_currency_id", readonly=True
    )
    amount_not_due = fields.Monetary(
        string="Not Due", currency_field="company_currency_id", readonly=True
    )
    amount_bucket_1 = fields.Monetary(
        string="Period 1", currency_field="company_currency_id", readonly=True
    )
    amount_bucket_2 = fields.Monetary(
        string="Period 2", currency_field="company_currency_id", readonly=True
    )
    amount_bucket_3 = fields.Monetary(
        string="Period 3", currency_field="company_currency_id", readonly=True
    )
    amount_bucket_4 = fields.Monetary(
        string="Period 4", currency_field="company_currency_id", readonly=True
    )
    amount_bucket_5 = fields.Monetary(
        string="Beyond", currency_field="company_currency_id", readonly=True
    )

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    @api.model
    def fields_get(self, allfields=None, attributes=None):
        """Name the buckets after the limits of the current company (1-30, 31-60...)."""
        res = super().fields_get(allfields, attributes)
        labels = self._bucket_labels(self.env.company)
        if "bucket" in res and "selection" in res["bucket"]:
            res["bucket"]["selection"] = [
                (key, label)
                for (key, _label), label in zip(BUCKETS, labels, strict=True)
            ]
        for field_name, label in zip(BUCKET_AMOUNT_FIELDS, labels, strict=True):
            if field_name in res and "string" in res[field_name]:
                res[field_name]["string"] = label
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_move(self):
        self.ensure_one()
        return self.move_id._get_records_action()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @property
    def _table_query(self):
        return self._aged_query(self._as_of_date(), self.env.companies.ids)

    @api.model
    def _as_of_date(self):
        return fields.Date.to_date(
            self.env.context.get("collection_as_of")
        ) or fields.Date.context_today(self)

    @api.model
    def _aged_query(self, as_of, company_ids):
        """Return the SQL of the open receivable items of ``company_ids`` at ``as_of``.

        The residual at ``as_of`` is today's residual plus the reconciliations
        dated after ``as_of``: the query reads the open items and the few reconciled
        since, not the whole ledger. The bucket follows :func:`ageing.bucket_index`
        with the limits of each company. ``as_of`` is a date or an SQL expression
        of one (the column of a series of dates, see :meth:`_totals_by_date`).
        """
        return SQL(
            """
            SELECT item.*, %(buckets)s
              FROM (
                WITH later AS (%(later)s)
                SELECT %(select)s
                  FROM %(from_)s
                 WHERE %(where)s
                   ) item
             WHERE item.amount_residual <> 0
            """,
            buckets=self._select_buckets(),
            later=self._later_reconciliations(as_of, company_ids),
            select=self._select(as_of),
            from_=self._from(),
            where=self._where(as_of, company_ids),
        )

    @api.model
    def _select(self, as_of):
        """Columns of one open item at ``as_of``, with the limits of its company's
        buckets (``limit_1`` to ``limit_4``)."""
        return SQL(
            """
            line.id,
            line.id AS move_line_id,
            line.move_id,
            move.move_type,
            COALESCE(partner.commercial_partner_id, line.partner_id) AS partner_id,
            line.company_id,
            company.currency_id AS company_currency_id,
            line.currency_id,
            line.account_id,
            move.invoice_user_id,
            move.collection_level_id,
            COALESCE(move.collection_blocked, FALSE) AS collection_blocked,
            move.collection_block_reason,
            move.collection_einvoice_status,
            line.date,
            COALESCE(line.date_maturity, line.date) AS date_maturity,
            %(as_of)s::date - COALESCE(line.date_maturity, line.date) AS days_overdue,
            company.collection_bucket_1 AS limit_1,
            company.collection_bucket_2 AS limit_2,
            company.collection_bucket_3 AS limit_3,
            company.collection_bucket_4 AS limit_4,
            line.amount_residual + COALESCE(later.amount, 0) AS amount_residual
            """,
            as_of=as_of,
        )

    @api.model
    def _from(self):
        return SQL(
            """
                 account_move_line line
       LEFT JOIN later ON later.line_id = line.id
       LEFT JOIN account_move move ON move.id = line.move_id
            JOIN res_company company ON company.id = line.company_id
       LEFT JOIN res_partner partner ON partner.id = line.partner_id
            """
        )

    @api.model
    def _where(self, as_of, company_ids):
        """The receivable items posted at ``as_of`` and open at that date: open
        today, or reconciled since (an "as of" condition of its own, not the
        open-item definition of today)."""
        return SQL(
            """
                line.account_id = ANY(%(receivable_ids)s)
            AND line.parent_state = 'posted'
            AND line.date <= %(as_of)s
            AND line.company_id = ANY(%(company_ids)s)
            AND (line.reconciled IS NOT TRUE
                 OR line.id IN (SELECT line_id FROM later))
            """,
            as_of=as_of,
            company_ids=list(company_ids),
            # Given as values, the planner estimates the receivable items from the
            # statistics of the accounts.
            receivable_ids=self.env["account.account"]
            .sudo()
            .search([("account_type", "=", "asset_receivable")])
            .ids,
        )

    @api.model
    def _later_reconciliations(self, as_of, company_ids):
        """Amount per journal item of the reconciliations after ``as_of``: added
        back to the residual (the ``later`` table of the query)."""
        return SQL(
            """
            SELECT matched_line.line_id, SUM(matched_line.amount) AS amount
              FROM (
                    SELECT debit_move_id AS line_id, amount
                      FROM account_partial_reconcile
                     WHERE max_date > %(as_of)s
                       AND company_id = ANY(%(company_ids)s)
                 UNION ALL
                    SELECT credit_move_id AS line_id, -amount
                      FROM account_partial_reconcile
                     WHERE max_date > %(as_of)s
                       AND company_id = ANY(%(company_ids)s)
                   ) matched_line
          GROUP BY matched_line.line_id
            """,
            as_of=as_of,
            company_ids=list(company_ids),
        )

    @api.model
    def _select_buckets(self):
        """The bucket and the amount per bucket of an item, by the limits of its
        company."""
        return SQL(
            """
            CASE WHEN item.days_overdue <= 0 THEN '0'
                 WHEN item.days_overdue <= item.limit_1 THEN '1'
                 WHEN item.days_overdue <= item.limit_2 THEN '2'
                 WHEN item.days_overdue <= item.limit_3 THEN '3'
                 WHEN item.days_overdue <= item.limit_4 THEN '4'
                 ELSE '5' END AS bucket,
            CASE WHEN item.days_overdue <= 0
                 THEN item.amount_residual ELSE 0 END AS amount_not_due,
            CASE WHEN item.days_overdue > 0
                  AND item.days_overdue <= item.limit_1
                 THEN item.amount_residual ELSE 0 END AS amount_bucket_1,
            CASE WHEN item.days_overdue > item.limit_1
                  AND item.days_overdue <= item.limit_2
                 THEN item.amount_residual ELSE 0 END AS amount_bucket_2,
            CASE WHEN item.days_overdue > item.limit_2
                  AND item.days_overdue <= item.limit_3
                 THEN item.amount_residual ELSE 0 END AS amount_bucket_3,
            CASE WHEN item.days_overdue > item.limit_3
                  AND item.days_overdue <= item.limit_4
                 THEN item.amount_residual ELSE 0 END AS amount_bucket_4,
            CASE WHEN item.days_overdue > item.limit_4
                 THEN item.amount_residual ELSE 0 END AS amount_bucket_5
            """
        )

    @api.model
    def _bucket_labels(self, company):
        labels = ageing.bucket_labels(company._collection_bucket_limits())
        labels[0] = _("Not due")
        labels[-1] = _("Over %s", company.collection_bucket_4)
        return labels

    @api.model
    def _totals_by_date(self, dates, company_ids, partner_ids=None):
        """Return ``{date: (total, overdue, not_due)}`` of the open receivables of
        ``company_ids`` (and of the customers ``partner_ids`` when given) at each
        date, in company currency: one query whatever the number of dates."""
        self.env.flush_all()
        partner_filter = (
            SQL("aged.partner_id = ANY(%s)", list(partner_ids))
            if partner_ids is not None
            else SQL("TRUE")
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT day.day,
                       COALESCE(SUM(aged.amount_residual), 0),
                       COALESCE(SUM(aged.amount_residual - aged.amount_not_due), 0),
                       COALESCE(SUM(aged.amount_not_due), 0)
                  FROM unnest(%(dates)s::date[]) AS day(day)
             LEFT JOIN LATERAL (%(aged)s) aged ON %(partner_filter)s
              GROUP BY day.day
                """,
                dates=[fields.Date.to_date(day) for day in dates],
                aged=self._aged_query(SQL("day.day"), company_ids),
                partner_filter=partner_filter,
            )
        )
        return {day: tuple(values) for day, *values in self.env.cr.fetchall()}

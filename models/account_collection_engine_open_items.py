from collections import defaultdict

from odoo import fields, models
from odoo.tools import SQL


class AccountCollectionEngine(models.AbstractModel):
    """The open items the collection cycle reads: the customers to remind and their
    open receivable items, each in one query."""

    _inherit = "account.collection.engine"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _fetch_partner_ids_to_remind(self, company, date):
        """Return, in one query, the customers of the company with an open invoice
        due early enough to have reached the earliest level of the company's
        policies on ``date``."""
        earliest = min(
            self.env["account.collection.level"]
            .search([("company_id", "in", [company.id, False])])
            .mapped("days"),
            default=0,
        )
        self._flush_open_items()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT aml.partner_id
                  FROM account_move_line aml
                  JOIN account_move move ON move.id = aml.move_id
                 WHERE %(open_items)s
                   AND aml.amount_residual > 0
                   AND COALESCE(aml.date_maturity, aml.date) <= %(horizon)s
                 ORDER BY aml.partner_id
                """,
                open_items=self._open_items_condition(company),
                horizon=fields.Date.subtract(date, days=earliest),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _fetch_open_items(self, company, partner_ids=None):
        """Return the open receivable items of the company (of some customers only
        when ``partner_ids`` is given) as dictionaries, in one query: invoices (one
        item per installment), credit notes and unallocated payments."""
        self._flush_open_items()
        query = SQL(
            """
            SELECT aml.id AS line_id,
                   aml.move_id,
                   aml.partner_id,
                   COALESCE(aml.currency_id, %(currency_id)s) AS currency_id,
                   COALESCE(aml.date_maturity, aml.date) AS date_maturity,
                   aml.date,
                   aml.amount_residual,
                   aml.amount_residual_currency,
                   move.move_type,
                   move.collection_level_id
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
             WHERE %(open_items)s
                   %(partner_filter)s
             ORDER BY aml.partner_id, aml.date_maturity, aml.id
            """,
            open_items=self._open_items_condition(company),
            currency_id=company.currency_id.id,
            partner_filter=SQL("AND aml.partner_id IN %s", tuple(partner_ids))
            if partner_ids
            else SQL(),
        )
        self.env.cr.execute(query)
        return self.env.cr.dictfetchall()

    def _flush_open_items(self):
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model(
            ["collection_blocked", "collection_excluded", "collection_level_id"]
        )

    def _open_items_condition(self, company):
        """The open receivable items of the company that collection may claim
        (``aml`` the move line, ``move`` its journal entry): those of a customer
        whose invoice is neither excluded from collection nor blocked."""
        return SQL(
            """
                   %(open_items)s
               AND aml.amount_residual != 0
               AND aml.partner_id IS NOT NULL
               AND NOT COALESCE(move.collection_excluded, FALSE)
               AND NOT COALESCE(move.collection_blocked, FALSE)
            """,
            open_items=self.env["account.move.line"]._collection_open_items_sql(
                company
            ),
        )

    def _group_items(self, items):
        """Group the open items as {partner_id: {currency_id: [item, ...]}}."""
        groups = defaultdict(lambda: defaultdict(list))
        for item in items:
            groups[item["partner_id"]][item["currency_id"]].append(item)
        return groups

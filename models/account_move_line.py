from odoo import api, models
from odoo.tools import SQL


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _collection_open_items_domain(self, companies):
        """Domain of the open receivable items of ``companies``: posted journal
        items on a receivable account not fully reconciled. Balances,
        statements, reports and the reminder run all start from this one
        definition and add their own conditions (overdue, customers, blocked...)."""
        return [
            ("company_id", "in", companies.ids),
            ("parent_state", "=", "posted"),
            ("account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
        ]

    @api.model
    def _collection_open_items_sql(self, companies, alias="aml"):
        """SQL condition of :meth:`_collection_open_items_domain` on the journal
        item table aliased ``alias``, for the reports and runs written in SQL.
        ``companies`` None: every company (the SQL views, which the record rules
        restrict)."""
        line = SQL.identifier(alias)
        return SQL(
            """
                %(company)s
            AND %(line)s.parent_state = 'posted'
            AND %(line)s.account_id IN (
                    SELECT id FROM account_account
                     WHERE account_type = 'asset_receivable')
            AND NOT %(line)s.reconciled
            """,
            line=line,
            company=SQL("TRUE")
            if companies is None
            else SQL("%s.company_id = ANY(%s)", line, companies.ids),
        )

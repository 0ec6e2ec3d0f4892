from datetime import timedelta

from odoo import _, models
from odoo.tools import SQL
from odoo.tools.misc import format_amount, format_date

# Open customer invoices (not fully paid), the population of several rules.
OPEN_INVOICE = SQL("move.payment_state IN ('not_paid', 'partial')")
# Invoices the dunning runs on (not blocked, not excluded).
DUNNED = SQL(
    "NOT COALESCE(move.collection_blocked, FALSE)"
    " AND NOT COALESCE(move.collection_excluded, FALSE)"
)


class AccountCollectionAudit(models.Model):
    """The rules of the receivables audit: each is a small method returning its
    findings from one query, built on the shared query helpers below."""

    _inherit = "account.collection.audit"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _audit_rules(self):
        """Return the rule methods, by rule key; extend to add rules."""
        return {
            "unallocated_payment": self._rule_unallocated_payment,
            "credit_balance": self._rule_credit_balance,
            "due_before_date": self._rule_due_before_date,
            "term_too_long": self._rule_term_too_long,
            "duplicate_invoice": self._rule_duplicate_invoice,
            "credit_note_exceeds": self._rule_credit_note_exceeds,
            "never_reminded": self._rule_never_reminded,
            "stuck_level": self._rule_stuck_level,
            "long_block": self._rule_long_block,
            "bank_change": self._rule_bank_change,
        }

    def _rule_unallocated_payment(self):
        """Payments and other credits on a receivable account, not matched after
        N days (credit notes excluded: they have their own documents)."""
        limit = self.date - timedelta(
            days=self.company_id.collection_audit_unallocated_days
        )
        rows = self._open_item_rows(
            select=SQL(
                """
                COALESCE(line.payment_id, line.move_id) AS id, line.payment_id,
                move.name, COALESCE(partner.commercial_partner_id, line.partner_id)
                    AS partner_id,
                -line.amount_residual AS amount, line.date
                """
            ),
            condition=SQL(
                """
                    move.move_type = 'entry'
                AND line.amount_residual < 0
                AND line.date <= %(limit)s
                """,
                limit=limit,
            ),
            join=SQL(
                """
                     JOIN account_move move ON move.id = line.move_id
                LEFT JOIN res_partner partner ON partner.id = line.partner_id
                """
            ),
        )
        return [
            self._finding(
                row,
                "medium",
                _(
                    "%(amount)s received on %(date)s is still not allocated to an "
                    "invoice.",
                    amount=self._format_amount(row["amount"]),
                    date=self._format_date(row["date"]),
                ),
                res_model="account.payment" if row["payment_id"] else "account.move",
            )
            for row in rows
        ]

    def _rule_credit_balance(self):
        """Customers whose open receivable items add up to a credit."""
        rows = self._open_item_rows(
            select=SQL(
                """
                COALESCE(partner.commercial_partner_id, line.partner_id) AS partner_id,
                -SUM(line.amount_residual) AS amount
                """
            ),
            join=SQL("JOIN res_partner partner ON partner.id = line.partner_id"),
            group_by=SQL("GROUP BY 1 HAVING SUM(line.amount_residual) < 0"),
        )
        partners = self.env["res.partner"].browse([row["partner_id"] for row in rows])
        return [
            self._finding(
                row,
                "medium",
                _(
                    "The customer has a credit balance of %s: refund it or allocate it.",
                    self._format_amount(row["amount"]),
                ),
                res_model="res.partner",
                res_id=partner.id,
                record_name=partner.display_name,
            )
            for row, partner in zip(rows, partners, strict=True)
        ]

    def _rule_due_before_date(self):
        rows = self._invoice_rows(
            select=SQL("move.invoice_date, move.invoice_date_due"),
            condition=SQL("move.invoice_date_due < move.invoice_date"),
            open_only=False,
        )
        return [
            self._finding(
                row,
                "medium",
                _(
                    "Due on %(due)s, before the invoice date %(date)s.",
                    due=self._format_date(row["invoice_date_due"]),
                    date=self._format_date(row["invoice_date"]),
                ),
            )
            for row in rows
        ]

    def _rule_term_too_long(self):
        """Open invoices whose term exceeds the legal maximum the company applies at
        posting, see ``account.move._collection_beyond_legal_term``."""
        rows = self._invoice_rows(
            select=SQL("move.invoice_date, move.invoice_date_due"),
            condition=SQL(
                "move.invoice_date_due - move.invoice_date > %s",
                self.company_id.collection_term_max_days,
            ),
        )
        beyond = (
            self.env["account.move"]
            .browse([row["id"] for row in rows])
            ._collection_beyond_legal_term()
        )
        return [
            self._finding(
                row,
                "medium",
                _(
                    "Payment term of %(days)s days (invoice of %(date)s due on "
                    "%(due)s) beyond the legal maximum.",
                    days=(row["invoice_date_due"] - row["invoice_date"]).days,
                    date=self._format_date(row["invoice_date"]),
                    due=self._format_date(row["invoice_date_due"]),
                ),
            )
            for row in rows
            if row["id"] in beyond.ids
        ]

    def _rule_duplicate_invoice(self):
        """Invoices of the last year with the same customer and amount as an earlier
        one, and the same reference or the same date."""
        rows = self._invoice_rows(
            select=SQL("MIN(original.name) AS original_name"),
            condition=SQL("move.invoice_date > %s", self.date - timedelta(days=365)),
            join=SQL(
                """
                JOIN account_move original
                  ON original.commercial_partner_id = move.commercial_partner_id
                 AND original.company_id = move.company_id
                 AND original.move_type = 'out_invoice'
                 AND original.state = 'posted'
                 AND original.id < move.id
                 AND original.amount_total_signed = move.amount_total_signed
                 AND (original.invoice_date = move.invoice_date
                      OR (COALESCE(move.ref, '') <> ''
                          AND original.ref = move.ref))
                """
            ),
            group_by=SQL("GROUP BY move.id"),
            open_only=False,
        )
        return [
            self._finding(
                row,
                "high",
                _(
                    "Same customer and amount as %s, with the same date or reference.",
                    row["original_name"],
                ),
            )
            for row in rows
        ]

    def _rule_credit_note_exceeds(self):
        rows = self._invoice_rows(
            select=SQL(
                "invoice.name AS invoice_name, "
                "invoice.amount_total_signed AS invoice_amount"
            ),
            condition=SQL("-move.amount_total_signed > invoice.amount_total_signed"),
            join=SQL(
                "JOIN account_move invoice ON invoice.id = move.reversed_entry_id"
            ),
            move_type="out_refund",
            amount=SQL("-move.amount_total_signed"),
            open_only=False,
        )
        return [
            self._finding(
                row,
                "high",
                _(
                    "Credit note of %(amount)s for invoice %(invoice)s of %(total)s.",
                    amount=self._format_amount(row["amount"]),
                    invoice=row["invoice_name"],
                    total=self._format_amount(row["invoice_amount"]),
                ),
            )
            for row in rows
        ]

    def _rule_never_reminded(self):
        days = self.company_id.collection_audit_unreminded_days
        rows = self._invoice_rows(
            select=SQL("%s::date - move.invoice_date_due AS days", self.date),
            condition=SQL(
                """
                    move.invoice_date_due < %(limit)s
                AND %(dunned)s
                AND NOT EXISTS (
                     SELECT 1 FROM account_collection_communication_line line
                      WHERE line.move_id = move.id)
                """,
                limit=self.date - timedelta(days=days),
                dunned=DUNNED,
            ),
        )
        return [
            self._finding(
                row,
                "medium",
                _("Overdue by %s days and never reminded.", row["days"]),
            )
            for row in rows
        ]

    def _rule_stuck_level(self):
        """Invoices at the same dunning level for more than N days: since the first
        reminder at that level, or the last reminder when the history is gone."""
        days = self.company_id.collection_audit_stuck_days
        rows = self._invoice_rows(
            select=SQL("stuck.since"),
            condition=SQL(
                """
                    move.collection_level_id IS NOT NULL
                AND %(dunned)s
                AND stuck.since < %(limit)s
                """,
                limit=self.date - timedelta(days=days),
                dunned=DUNNED,
            ),
            join=SQL(
                """
                CROSS JOIN LATERAL (
                    SELECT COALESCE(
                        (SELECT MIN(line.date)
                           FROM account_collection_communication_line line
                          WHERE line.move_id = move.id
                            AND line.level_id = move.collection_level_id),
                        move.collection_last_date) AS since
                ) stuck
                """
            ),
        )
        return [
            self._finding(
                row,
                "low",
                _("At the same dunning level since %s.", row["since"]),
            )
            for row in rows
        ]

    def _rule_long_block(self):
        days = self.company_id.collection_audit_block_days
        rows = self._invoice_rows(
            select=SQL(
                "move.collection_block_date AS since, "
                "move.collection_block_reason AS reason"
            ),
            condition=SQL(
                "move.collection_blocked AND move.collection_block_date < %s",
                self.date - timedelta(days=days),
            ),
        )
        reasons = dict(
            self.env["account.move"]
            ._fields["collection_block_reason"]
            ._description_selection(self.env)
        )
        return [
            self._finding(
                row,
                "low",
                _(
                    "Dunning blocked since %(date)s (%(reason)s).",
                    date=self._format_date(row["since"]),
                    reason=reasons.get(row["reason"], row["reason"]),
                ),
            )
            for row in rows
        ]

    def _rule_bank_change(self):
        """Outbound payments to customers (refunds) of the last year made within N
        days after a bank account of the customer was created or modified."""
        days = self.company_id.collection_audit_bank_change_days
        rows = self._fetch(
            SQL(
                """
                SELECT payment.id, payment.amount, payment.date,
                       COALESCE(partner.commercial_partner_id, payment.partner_id)
                           AS partner_id,
                       COALESCE(move.name, payment.name) AS name,
                       MAX(GREATEST(bank.create_date, bank.write_date))::date
                           AS changed
                  FROM account_payment payment
                  JOIN res_partner partner ON partner.id = payment.partner_id
             LEFT JOIN account_move move ON move.id = payment.move_id
                  JOIN res_partner bank_partner
                    ON bank_partner.commercial_partner_id
                       = COALESCE(partner.commercial_partner_id, partner.id)
                  JOIN res_partner_bank bank
                    ON bank.partner_id = bank_partner.id
                       OR bank.id = payment.partner_bank_id
                 WHERE payment.payment_type = 'outbound'
                   AND payment.partner_type = 'customer'
                   AND payment.state IN ('in_process', 'paid')
                   AND payment.company_id = %(company)s
                   AND payment.date > %(since)s
                   AND GREATEST(bank.create_date, bank.write_date)::date
                       BETWEEN payment.date - %(days)s AND payment.date
              GROUP BY payment.id, partner.commercial_partner_id, move.name
                """,
                company=self.company_id.id,
                since=self.date - timedelta(days=365),
                days=days,
            )
        )
        return [
            self._finding(
                row,
                "high",
                _(
                    "Payment of %(amount)s on %(date)s to a customer whose bank "
                    "account changed on %(changed)s: check the account with the "
                    "customer through a known contact.",
                    amount=self._format_amount(row["amount"]),
                    date=self._format_date(row["date"]),
                    changed=self._format_date(row["changed"]),
                ),
                res_model="account.payment",
            )
            for row in rows
        ]

    def _fetch(self, query):
        self.env.cr.execute(query)
        return self.env.cr.dictfetchall()

    def _invoice_rows(
        self,
        select,
        condition,
        join=None,
        group_by=None,
        move_type="out_invoice",
        amount=None,
        open_only=True,
    ):
        """Rows of the posted moves of ``move_type`` of the audited company that
        match ``condition``: ``id``, ``name``, ``partner_id`` (commercial), ``amount``
        (the residual of open invoices, else the total, unless ``amount`` is given)
        and the columns of ``select``. ``open_only`` keeps the open invoices (not
        fully paid); ``join`` and ``group_by`` complete the query (alias ``move``)."""
        if amount is None:
            amount = SQL(
                "move.amount_residual_signed"
                if open_only
                else "move.amount_total_signed"
            )
        return self._fetch(
            SQL(
                """
                SELECT move.id, move.name, move.commercial_partner_id AS partner_id,
                       %(amount)s AS amount, %(select)s
                  FROM account_move move
                       %(join)s
                 WHERE move.move_type = %(move_type)s
                   AND move.state = 'posted'
                   AND move.company_id = %(company)s
                   AND %(open)s
                   AND %(condition)s
                       %(group_by)s
                """,
                amount=amount,
                select=select,
                join=join or SQL(),
                move_type=move_type,
                company=self.company_id.id,
                open=OPEN_INVOICE if open_only else SQL("TRUE"),
                condition=condition,
                group_by=group_by or SQL(),
            )
        )

    def _open_item_rows(self, select, condition=None, join=None, group_by=None):
        """Rows of ``select`` over the open receivable items of the audited company
        (``account.move.line._collection_open_items_sql``, alias ``line``) that
        match ``condition``; ``join`` and ``group_by`` complete the query."""
        return self._fetch(
            SQL(
                """
                SELECT %(select)s
                  FROM account_move_line line
                       %(join)s
                 WHERE %(open)s
                   AND %(condition)s
                       %(group_by)s
                """,
                select=select,
                join=join or SQL(),
                open=self.env["account.move.line"]._collection_open_items_sql(
                    self.company_id, alias="line"
                ),
                condition=condition or SQL("TRUE"),
                group_by=group_by or SQL(),
            )
        )

    def _finding(self, row, severity, description, **values):
        """Values of a finding on the record of ``row`` (an ``account.move`` by
        default): ``values`` override the ones read from the row."""
        return {
            "res_model": "account.move",
            "res_id": row.get("id"),
            "record_name": row.get("name"),
            "partner_id": row["partner_id"],
            "amount": row["amount"],
            "severity": severity,
            "description": description,
            **values,
        }

    def _format_amount(self, amount):
        return format_amount(
            self.env, float(amount or 0.0), self.company_id.currency_id
        )

    def _format_date(self, date):
        return format_date(self.env, date)

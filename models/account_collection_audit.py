import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_amount

_logger = logging.getLogger(__name__)

# Open customer invoices (posted, not fully paid), the population of several rules.
OPEN_INVOICE = SQL(
    """
    move.move_type = 'out_invoice'
    AND move.state = 'posted'
    AND move.payment_state IN ('not_paid', 'partial')
    """
)


class AccountCollectionAudit(models.Model):
    """A run of the receivables audit on one company. Each rule is a small method
    returning its findings from batch queries; findings already open from an earlier
    run are kept (not recreated), those no longer detected are resolved."""

    _name = "account.collection.audit"
    _description = "Receivables Audit"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Run by", default=lambda self: self.env.user
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("error", "Error")],
        default="draft",
        required=True,
        tracking=True,
    )
    error_message = fields.Text(readonly=True)
    finding_ids = fields.One2many(
        "account.collection.audit.finding", "audit_id", string="New Findings"
    )
    seen_finding_ids = fields.One2many(
        "account.collection.audit.finding", "last_audit_id", string="Findings"
    )
    finding_count = fields.Integer(compute="_compute_finding_count")
    new_finding_count = fields.Integer(compute="_compute_finding_count")

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("date", "company_id")
    def _compute_name(self):
        for audit in self:
            audit.name = _(
                "Audit %(company)s %(date)s",
                company=audit.company_id.name or "",
                date=fields.Date.to_string(audit.date) or "",
            )

    @api.depends("finding_ids", "seen_finding_ids")
    def _compute_finding_count(self):
        for audit in self:
            audit.finding_count = len(audit.seen_finding_ids)
            audit.new_finding_count = len(audit.finding_ids)

    # ------------------------------------------------------------------
    # Rules: each returns a list of finding values
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

    def _query(self, query):
        self.env.cr.execute(query)
        return self.env.cr.dictfetchall()

    def _rule_unallocated_payment(self):
        """Payments and other credits on a receivable account, not matched after
        N days (credit notes excluded: they have their own documents)."""
        limit = self.date - timedelta(
            days=self.company_id.collection_audit_unallocated_days
        )
        rows = self._query(
            SQL(
                """
                SELECT line.id, line.payment_id, line.move_id, move.name,
                       COALESCE(partner.commercial_partner_id, line.partner_id)
                           AS partner_id,
                       -line.amount_residual AS amount, line.date
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                  JOIN account_account account ON account.id = line.account_id
             LEFT JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE account.account_type = 'asset_receivable'
                   AND line.parent_state = 'posted'
                   AND line.company_id = %(company)s
                   AND move.move_type = 'entry'
                   AND NOT line.reconciled
                   AND line.amount_residual < 0
                   AND line.date <= %(limit)s
                """,
                company=self.company_id.id,
                limit=limit,
            )
        )
        return [
            {
                "res_model": "account.payment" if row["payment_id"] else "account.move",
                "res_id": row["payment_id"] or row["move_id"],
                "record_name": row["name"],
                "partner_id": row["partner_id"],
                "amount": row["amount"],
                "severity": "medium",
                "description": _(
                    "%(amount)s received on %(date)s is still not allocated to an "
                    "invoice.",
                    amount=self._format_amount(row["amount"]),
                    date=row["date"],
                ),
            }
            for row in rows
        ]

    def _rule_credit_balance(self):
        """Customers whose open receivable items add up to a credit."""
        rows = self._query(
            SQL(
                """
                SELECT COALESCE(partner.commercial_partner_id, line.partner_id)
                           AS partner_id,
                       -SUM(line.amount_residual) AS amount
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE account.account_type = 'asset_receivable'
                   AND line.parent_state = 'posted'
                   AND line.company_id = %(company)s
                   AND NOT line.reconciled
              GROUP BY 1
                HAVING SUM(line.amount_residual) < 0
                """,
                company=self.company_id.id,
            )
        )
        partners = self.env["res.partner"].browse([row["partner_id"] for row in rows])
        return [
            {
                "res_model": "res.partner",
                "res_id": partner.id,
                "record_name": partner.display_name,
                "partner_id": partner.id,
                "amount": row["amount"],
                "severity": "medium",
                "description": _(
                    "The customer has a credit balance of %s: refund it or allocate it.",
                    self._format_amount(row["amount"]),
                ),
            }
            for row, partner in zip(rows, partners, strict=True)
        ]

    def _rule_due_before_date(self):
        rows = self._query(
            SQL(
                """
                SELECT move.id, move.name, move.commercial_partner_id AS partner_id,
                       move.amount_total_signed AS amount, move.invoice_date,
                       move.invoice_date_due
                  FROM account_move move
                 WHERE move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.company_id = %(company)s
                   AND move.invoice_date_due < move.invoice_date
                """,
                company=self.company_id.id,
            )
        )
        return [
            self._move_finding(
                row,
                "medium",
                _(
                    "Due on %(due)s, before the invoice date %(date)s.",
                    due=row["invoice_date_due"],
                    date=row["invoice_date"],
                ),
            )
            for row in rows
        ]

    def _rule_term_too_long(self):
        """Open invoices whose term exceeds the legal maximum the company applies at
        posting, see ``account.move._collection_beyond_legal_term``."""
        max_days = self.company_id.collection_term_max_days
        rows = self._query(
            SQL(
                """
                SELECT move.id, move.name, move.commercial_partner_id AS partner_id,
                       move.amount_residual_signed AS amount, move.invoice_date,
                       move.invoice_date_due
                  FROM account_move move
                 WHERE %(open)s
                   AND move.company_id = %(company)s
                   AND move.invoice_date_due - move.invoice_date > %(max_days)s
                """,
                open=OPEN_INVOICE,
                company=self.company_id.id,
                max_days=max_days,
            )
        )
        beyond = (
            self.env["account.move"]
            .browse([row["id"] for row in rows])
            ._collection_beyond_legal_term()
        )
        return [
            self._move_finding(
                row,
                "medium",
                _(
                    "Payment term of %(days)s days (invoice of %(date)s due on "
                    "%(due)s) beyond the legal maximum.",
                    days=(row["invoice_date_due"] - row["invoice_date"]).days,
                    date=row["invoice_date"],
                    due=row["invoice_date_due"],
                ),
            )
            for row in rows
            if row["id"] in beyond.ids
        ]

    def _rule_duplicate_invoice(self):
        """Invoices of the last year with the same customer and amount as an earlier
        one, and the same reference or the same date."""
        rows = self._query(
            SQL(
                """
                SELECT move.id, move.name, move.commercial_partner_id AS partner_id,
                       move.amount_total_signed AS amount,
                       MIN(original.name) AS original_name
                  FROM account_move move
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
                 WHERE move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.company_id = %(company)s
                   AND move.invoice_date > %(since)s
              GROUP BY move.id
                """,
                company=self.company_id.id,
                since=self.date - timedelta(days=365),
            )
        )
        return [
            self._move_finding(
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
        rows = self._query(
            SQL(
                """
                SELECT move.id, move.name, move.commercial_partner_id AS partner_id,
                       -move.amount_total_signed AS amount,
                       invoice.name AS invoice_name,
                       invoice.amount_total_signed AS invoice_amount
                  FROM account_move move
                  JOIN account_move invoice ON invoice.id = move.reversed_entry_id
                 WHERE move.move_type = 'out_refund'
                   AND move.state = 'posted'
                   AND move.company_id = %(company)s
                   AND -move.amount_total_signed > invoice.amount_total_signed
                """,
                company=self.company_id.id,
            )
        )
        return [
            self._move_finding(
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
        rows = self._query(
            SQL(
                """
                SELECT move.id, move.name, move.commercial_partner_id AS partner_id,
                       move.amount_residual_signed AS amount,
                       %(today)s::date - move.invoice_date_due AS days
                  FROM account_move move
                 WHERE %(open)s
                   AND move.company_id = %(company)s
                   AND move.invoice_date_due < %(limit)s
                   AND NOT COALESCE(move.collection_blocked, FALSE)
                   AND NOT COALESCE(move.collection_excluded, FALSE)
                   AND NOT EXISTS (
                        SELECT 1 FROM account_collection_communication_line line
                         WHERE line.move_id = move.id)
                """,
                today=self.date,
                open=OPEN_INVOICE,
                company=self.company_id.id,
                limit=self.date - timedelta(days=days),
            )
        )
        return [
            self._move_finding(
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
        rows = self._query(
            SQL(
                """
                SELECT * FROM (
                    SELECT move.id, move.name, move.commercial_partner_id AS partner_id,
                           move.amount_residual_signed AS amount,
                           COALESCE(
                               (SELECT MIN(line.date)
                                  FROM account_collection_communication_line line
                                 WHERE line.move_id = move.id
                                   AND line.level_id = move.collection_level_id),
                               move.collection_last_date) AS since
                      FROM account_move move
                     WHERE %(open)s
                       AND move.company_id = %(company)s
                       AND move.collection_level_id IS NOT NULL
                       AND NOT COALESCE(move.collection_blocked, FALSE)
                       AND NOT COALESCE(move.collection_excluded, FALSE)
                ) stuck
                 WHERE stuck.since < %(limit)s
                """,
                open=OPEN_INVOICE,
                company=self.company_id.id,
                limit=self.date - timedelta(days=days),
            )
        )
        return [
            self._move_finding(
                row,
                "low",
                _("At the same dunning level since %s.", row["since"]),
            )
            for row in rows
        ]

    def _rule_long_block(self):
        days = self.company_id.collection_audit_block_days
        rows = self._query(
            SQL(
                """
                SELECT move.id, move.name, move.commercial_partner_id AS partner_id,
                       move.amount_residual_signed AS amount,
                       move.collection_block_date AS since,
                       move.collection_block_reason AS reason
                  FROM account_move move
                 WHERE %(open)s
                   AND move.company_id = %(company)s
                   AND move.collection_blocked
                   AND move.collection_block_date < %(limit)s
                """,
                open=OPEN_INVOICE,
                company=self.company_id.id,
                limit=self.date - timedelta(days=days),
            )
        )
        reasons = dict(
            self.env["account.move"]
            ._fields["collection_block_reason"]
            ._description_selection(self.env)
        )
        return [
            self._move_finding(
                row,
                "low",
                _(
                    "Dunning blocked since %(date)s (%(reason)s).",
                    date=row["since"],
                    reason=reasons.get(row["reason"], row["reason"]),
                ),
            )
            for row in rows
        ]

    def _rule_bank_change(self):
        """Outbound payments to customers (refunds) of the last year made within N
        days after a bank account of the customer was created or modified."""
        days = self.company_id.collection_audit_bank_change_days
        rows = self._query(
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
            {
                "res_model": "account.payment",
                "res_id": row["id"],
                "record_name": row["name"],
                "partner_id": row["partner_id"],
                "amount": row["amount"],
                "severity": "high",
                "description": _(
                    "Payment of %(amount)s on %(date)s to a customer whose bank "
                    "account changed on %(changed)s: check the account with the "
                    "customer through a known contact.",
                    amount=self._format_amount(row["amount"]),
                    date=row["date"],
                    changed=row["changed"],
                ),
            }
            for row in rows
        ]

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _format_amount(self, amount):
        return format_amount(
            self.env, float(amount or 0.0), self.company_id.currency_id
        )

    def _move_finding(self, row, severity, description):
        return {
            "res_model": "account.move",
            "res_id": row["id"],
            "record_name": row["name"],
            "partner_id": row["partner_id"],
            "amount": row["amount"],
            "severity": severity,
            "description": description,
        }

    def _run(self):
        """Run every rule and record the findings; keeps findings already open."""
        self.ensure_one()
        self.env.flush_all()
        Finding = self.env["account.collection.audit.finding"]
        existing = Finding.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("open", "dismissed")),
            ]
        )
        by_key = {(f.rule, f.res_model, f.res_id): f for f in existing}
        detected, new_vals = set(), []
        for rule, method in self._audit_rules().items():
            for values in method():
                key = (rule, values["res_model"], values["res_id"])
                if key in detected:
                    continue
                detected.add(key)
                if key not in by_key:
                    new_vals.append(
                        {
                            **values,
                            "rule": rule,
                            "audit_id": self.id,
                            "company_id": self.company_id.id,
                        }
                    )
        seen = Finding.browse(
            [finding.id for key, finding in by_key.items() if key in detected]
        )
        seen.last_audit_id = self
        gone = existing.filtered(
            lambda f: f.state == "open"
            and (f.rule, f.res_model, f.res_id) not in detected
        )
        gone.write({"state": "resolved", "date_resolved": self.date})
        gone.activity_ids.action_feedback(
            feedback=_("No longer detected by the audit.")
        )
        new_findings = Finding.create(new_vals)
        new_findings.last_audit_id = self
        self._assign_and_notify(new_findings)
        self.state = "done"
        return new_findings

    def _assign_and_notify(self, findings):
        """Give each new finding a responsible (the customer's collector, else the
        person who ran the audit) and one to-do activity."""
        collectors = {
            partner.id: partner.collection_user_id
            for partner in findings.partner_id.with_company(self.company_id)
        }
        for finding in findings:
            user = collectors.get(finding.partner_id.id) or self.user_id
            if not user or user._is_public() or not user.active:
                user = self.env.user
            finding.user_id = user
            finding.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self.date,
                summary=dict(finding._fields["rule"]._description_selection(self.env))[
                    finding.rule
                ],
                note=finding.description,
                user_id=user.id,
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_run(self):
        for audit in self:
            audit._run()
        return True

    @api.model
    def action_run_now(self):
        audit = self.create({"company_id": self.env.company.id})
        audit._run()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": audit.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_view_findings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_collection.account_collection_audit_finding_action"
        )
        action["domain"] = [("last_audit_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_export_xlsx(self):
        self.ensure_one()
        xlsx = self.env["account.collection.xlsx"]
        return xlsx._download(
            f"audit_{self.company_id.id}_{fields.Date.to_string(self.date)}.xlsx",
            xlsx._audit_xlsx(self),
        )

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_run_audits(self):
        """Audit every company with receivables; a failing company is logged and
        recorded as an audit in error, the others go on."""
        companies = self.env["res.company"].sudo().search([])
        for company in companies:
            audit = self.sudo().with_company(company).create({"company_id": company.id})
            try:
                with self.env.cr.savepoint():
                    audit.with_company(company)._run()
            except Exception as error:
                _logger.exception("Receivables audit failed for %s", company.name)
                audit.write({"state": "error", "error_message": str(error)})

import io

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from .reporting_common import TODAY, ReportingCommon, days_ago


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestReceivablesAudit(ReportingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.clean = Partner.create({"name": "Clean Customer"})
        cls.credit_customer = Partner.create({"name": "Credit Customer"})
        cls.refund_customer = Partner.create({"name": "Refund Customer"})
        cls.safe_refund_customer = Partner.create({"name": "Safe Refund Customer"})
        # Clean book: an invoice partly paid recently, a normal term.
        cls.clean_invoice = cls._invoice(cls.clean, 1000.0, days_ago(20), days_ago(-10))
        cls._pay(cls.clean_invoice, 200.0, days_ago(2))
        # Unallocated payments: one old (found), one recent (not).
        cls.old_payment = cls._payment(cls.credit_customer, 500.0, days_ago(60))
        cls.recent_payment = cls._payment(cls.clean, 50.0, days_ago(5))
        # Due date before the invoice date.
        cls.inverted = cls._invoice(cls.partner_a, 300.0, days_ago(10), days_ago(20))
        # Terms: 106 days (found) and 45 days end of month (75 days, allowed), to a
        # professional customer (the legal maximum binds professionals only).
        cls.professional = Partner.create({"name": "Term Customer", "is_company": True})
        cls.long_term = cls._invoice(
            cls.professional, 310.0, "2025-06-01", "2025-09-15"
        )
        cls.eom_term = cls._invoice(cls.professional, 320.0, "2025-06-01", "2025-08-14")
        # Duplicates: same customer, amount and date (found once, on the second);
        # same amount on another date without reference (not a duplicate).
        cls.original = cls._invoice(cls.partner_b, 777.0, days_ago(3), days_ago(-27))
        cls.duplicate = cls._invoice(cls.partner_b, 777.0, days_ago(3), days_ago(-27))
        cls.monthly = cls._invoice(cls.partner_b, 777.0, days_ago(33), days_ago(3))
        # Credit notes: one larger than its invoice, one smaller.
        cls.refunded = cls._invoice(
            cls.refund_customer, 500.0, days_ago(10), days_ago(-20)
        )
        cls.big_refund = cls._refund(cls.refunded, 700.0)
        cls.small_refunded = cls._invoice(
            cls.safe_refund_customer, 500.0, days_ago(10), days_ago(-20)
        )
        cls.small_refund = cls._refund(cls.small_refunded, 300.0)
        # Long overdue: never reminded (found), reminded, blocked.
        cls.forgotten = cls._invoice(cls.partner_a, 330.0, days_ago(120), days_ago(90))
        cls.reminded = cls._invoice(cls.partner_a, 340.0, days_ago(120), days_ago(90))
        friendly = cls.policy.level_ids.filtered(lambda level: level.days == 7)
        cls._reminder(cls.reminded, friendly, days_ago(10))
        cls.reminded.collection_level_id = friendly
        # Stuck at a level: reminded at that level 100 days ago (found); the
        # reminded invoice above reached its level 10 days ago (not).
        cls.stuck = cls._invoice(cls.partner_a, 350.0, days_ago(150), days_ago(110))
        cls._reminder(cls.stuck, friendly, days_ago(100))
        cls.stuck.collection_level_id = friendly
        # Blocked for long (found) and recently (not).
        cls.long_blocked = cls._invoice(
            cls.partner_a, 360.0, days_ago(20), days_ago(10)
        )
        cls.long_blocked._collection_block("dispute")
        cls.long_blocked.collection_block_date = days_ago(100)
        cls.recently_blocked = cls._invoice(
            cls.partner_a, 370.0, days_ago(20), days_ago(10)
        )
        cls.recently_blocked._collection_block("dispute")
        # Refunds to customers: bank account changed 3 days before (found), 200
        # days before (not).
        cls.suspect_refund = cls._refund_payment(cls.refund_customer, 3)
        cls.safe_refund = cls._refund_payment(cls.safe_refund_customer, 200)

    @classmethod
    def _refund(cls, invoice, amount):
        refund = invoice._reverse_moves(
            [{"invoice_date": TODAY, "invoice_date_due": TODAY, "date": TODAY}]
        )
        refund.invoice_line_ids.price_unit = amount
        refund.action_post()
        return refund

    @classmethod
    def _refund_payment(cls, partner, bank_age):
        bank = cls.env["res.partner.bank"].create(
            {"acc_number": f"FR76 {partner.id} {bank_age}", "partner_id": partner.id}
        )
        changed = days_ago(bank_age)
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE res_partner_bank SET create_date = %s, write_date = %s "
                "WHERE id = %s",
                changed,
                changed,
                bank.id,
            )
        )
        bank.invalidate_recordset()
        return cls._payment(partner, 100.0, days_ago(1), payment_type="outbound")

    def _run_audit(self):
        audit = self.env["account.collection.audit"].create(
            {"company_id": self.company.id}
        )
        audit.action_run()
        return audit

    def _found(self, audit, rule):
        findings = audit.seen_finding_ids.filtered(lambda f: f.rule == rule)
        return {(f.res_model, f.res_id) for f in findings}

    def assertDatesFormatted(self, audit):
        """Dates in the findings in the user's format (07/04/2025), not ISO
        (checked on the audit of the first test: another run here would shift
        the ids the tests below compare)."""
        rules = {"unallocated_payment", "due_before_date", "term_too_long"}
        rules |= {"long_block", "bank_change"}
        findings = audit.seen_finding_ids.filtered(lambda f: f.rule in rules)
        self.assertEqual(set(findings.mapped("rule")), rules)
        for finding in findings:
            self.assertNotRegex(finding.description, r"\d{4}-\d{2}-\d{2}")
            self.assertRegex(finding.description, r"\d{2}/\d{2}/\d{4}")

    def test_each_rule_finds_its_planted_case_only(self):
        audit = self._run_audit()
        self.assertEqual(audit.state, "done")
        self.assertDatesFormatted(audit)
        move, payment = "account.move", "account.payment"
        expectations = {
            "unallocated_payment": (
                [(payment, self.old_payment.id)],
                [(payment, self.recent_payment.id)],
            ),
            "credit_balance": (
                [("res.partner", self.credit_customer.id)],
                [("res.partner", self.clean.id)],
            ),
            "due_before_date": (
                [(move, self.inverted.id)],
                [(move, self.clean_invoice.id)],
            ),
            "term_too_long": (
                [(move, self.long_term.id)],
                [(move, self.eom_term.id), (move, self.clean_invoice.id)],
            ),
            "duplicate_invoice": (
                [(move, self.duplicate.id)],
                [(move, self.original.id), (move, self.monthly.id)],
            ),
            "credit_note_exceeds": (
                [(move, self.big_refund.id)],
                [(move, self.small_refund.id)],
            ),
            "never_reminded": (
                [(move, self.forgotten.id)],
                [(move, self.reminded.id), (move, self.clean_invoice.id)],
            ),
            "stuck_level": (
                [(move, self.stuck.id)],
                [(move, self.reminded.id)],
            ),
            "long_block": (
                [(move, self.long_blocked.id)],
                [(move, self.recently_blocked.id)],
            ),
            "bank_change": (
                [(payment, self.suspect_refund.id)],
                [(payment, self.safe_refund.id)],
            ),
        }
        for rule, (planted, clean) in expectations.items():
            found = self._found(audit, rule)
            with self.subTest(rule=rule):
                for key in planted:
                    self.assertIn(key, found)
                for key in clean:
                    self.assertNotIn(key, found)
        finding = audit.seen_finding_ids.filtered(
            lambda f: f.rule == "duplicate_invoice"
        )
        self.assertIn(self.original.name, finding.description)
        self.assertEqual(finding.record_ref, self.duplicate)
        self.assertEqual(finding.action_open_record()["res_id"], self.duplicate.id)

    def test_term_rule_is_the_posting_rule(self):
        """The audit applies the company's legal maximum term as posting does: no
        end-of-month term when the company allows none, no check on consumers."""
        consumer = self.env["res.partner"].create(
            {"name": "Consumer", "collection_debtor_type": "consumer"}
        )
        consumer_term = self._invoice(consumer, 360.0, "2025-06-01", "2025-09-15")
        self.company.collection_term_eom_days = 0
        found = self._found(self._run_audit(), "term_too_long")
        self.assertIn(("account.move", self.long_term.id), found)
        self.assertIn(("account.move", self.eom_term.id), found)
        self.assertNotIn(("account.move", consumer_term.id), found)

    def test_second_run_creates_no_duplicate(self):
        first = self._run_audit()
        findings = first.seen_finding_ids
        self.assertTrue(findings)
        self.assertEqual(len(findings.activity_ids), len(findings))
        self.assertEqual(findings.activity_ids.user_id, self.env.user)
        second = self._run_audit()
        self.assertFalse(second.finding_ids, "nothing new")
        self.assertEqual(second.seen_finding_ids, findings)
        self.assertEqual(len(findings.activity_ids), len(findings))
        # Fixing an anomaly resolves its finding and closes its activity.
        self.duplicate.button_draft()
        self.duplicate.button_cancel()
        third = self._run_audit()
        fixed = findings.filtered(lambda f: f.res_id == self.duplicate.id)
        self.assertEqual(fixed.state, "resolved")
        self.assertFalse(fixed.activity_ids)
        self.assertNotIn(fixed, third.seen_finding_ids)
        # A dismissed finding is not reported again either.
        dismissed = findings.filtered(lambda f: f.rule == "long_block")
        dismissed.action_dismiss()
        self.assertFalse(self._run_audit().finding_ids)

    def test_collector_is_responsible(self):
        self.partner_a.with_company(
            self.company
        ).collection_user_id = self.collection_user
        audit = self._run_audit()
        finding = audit.seen_finding_ids.filtered(
            lambda f: f.res_model == "account.move" and f.res_id == self.forgotten.id
        )
        self.assertEqual(finding.user_id, self.collection_user)
        self.assertEqual(finding.activity_ids.user_id, self.collection_user)

    def test_thresholds_are_configurable(self):
        self.company.collection_audit_block_days = 120
        self.company.collection_audit_unreminded_days = 200
        audit = self._run_audit()
        self.assertFalse(self._found(audit, "long_block"))
        self.assertFalse(self._found(audit, "never_reminded"))

    def test_reports_and_cron(self):
        audit = self._run_audit()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "account_collection.account_collection_audit_report", audit.ids
        )[0]
        self.assertIn(b"Likely duplicate invoice", html)
        self.assertIn(self.duplicate.name.encode(), html)
        action = audit.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        book = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        self.assertEqual(book.sheetnames, ["Summary", "Findings"])
        self.assertEqual(book["Findings"].max_row, len(audit.seen_finding_ids) + 1)
        summary = list(book["Summary"].iter_rows(min_row=4, values_only=True))
        self.assertEqual(summary[-1][:2], ("Total", len(audit.seen_finding_ids)))
        before = self.env["account.collection.audit"].search_count([])
        self.env["account.collection.audit"]._cron_run_audits()
        self.assertGreater(
            self.env["account.collection.audit"].search_count([]), before
        )

    def test_collector_can_run_an_audit_of_his_company_only(self):
        other = self.setup_other_company(name="Audit Co 2")["company"]
        self._invoice(self.partner_a, 100.0, days_ago(10), days_ago(20), company=other)
        self.env["account.collection.audit"].create(
            {"company_id": other.id}
        ).action_run()
        action = (
            self.env["account.collection.audit"]
            .with_user(self.collection_user)
            .action_run_now()
        )
        audit = self.env["account.collection.audit"].browse(action["res_id"])
        self.assertEqual(audit.company_id, self.company)
        visible = (
            self.env["account.collection.audit.finding"]
            .with_user(self.collection_user)
            .search([])
        )
        self.assertEqual(visible.company_id, self.company)

import base64
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .late_fee_common import LateFeeCommon


@tagged("post_install", "-at_install")
class TestEinvoiceStatus(LateFeeCommon):
    """Platform statuses of the e-invoicing reform: the dunning blocks of 207, 208,
    210 and 213, the 212 Encaissee at payment, the import and the reporting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.collection_einvoice_enabled = True
        cls.invoice = cls._post_invoice(cls.customer, 1000.0, "2026-09-10")
        cls.other = cls._post_invoice(cls.other_customer, 500.0, "2026-09-10")
        cls.Move = cls.env["account.move"].with_user(cls.collection_user)

    def _set(self, invoice, code, day, **values):
        return self.Move._collection_set_einvoice_status(
            [{"invoice": invoice.name, "status": code, "date": day, **values}]
        )

    def _reminded(self, invoice):
        items = self.env["account.collection.engine"]._fetch_open_items(
            self.company, invoice.commercial_partner_id.ids
        )
        return invoice.id in {item["move_id"] for item in items}

    def test_207_blocks_dunning_and_the_next_status_lifts_it(self):
        report = self._set(self.invoice, "207", "2026-09-14", note="Price disputed")
        self.assertEqual(report[0]["result"], "applied")
        self.assertTrue(self.invoice.collection_blocked)
        self.assertEqual(self.invoice.collection_block_reason, "einvoice_dispute")
        self.assertEqual(self.invoice.collection_block_date, date(2026, 9, 14))
        self.assertEqual(self.invoice.collection_einvoice_status, "207")
        # The engine's open items leave it out (the shared block mechanism).
        self.assertFalse(self._reminded(self.invoice))
        self._set(self.invoice, "213", "2026-09-15")
        self.assertEqual(self.invoice.collection_block_reason, "einvoice_rejected")
        self._set(self.invoice, "205", "2026-09-16")
        self.assertFalse(self.invoice.collection_blocked)
        self.assertFalse(self.invoice.collection_block_reason)
        self.assertTrue(self._reminded(self.invoice))
        self.assertEqual(
            self.invoice.collection_einvoice_status_ids.sorted().mapped("status"),
            ["205", "213", "207"],
        )

    def test_a_block_set_by_the_user_stays(self):
        self.invoice.with_user(self.collection_user).action_collection_dispute("Late")
        self._set(self.invoice, "208", "2026-09-14")
        self.assertEqual(self.invoice.collection_block_reason, "dispute")
        self._set(self.invoice, "205", "2026-09-16")
        self.assertTrue(self.invoice.collection_blocked)
        self.assertEqual(self.invoice.collection_block_reason, "dispute")

    def test_import_report_unknown_invoice_code_out_of_order_duplicate(self):
        csv = (
            "invoice;status;date;amount;note\n"
            f"{self.invoice.name};210;2026-09-20;;Wrong VAT\n"
            "INV/NOPE/1;207;2026-09-20;;\n"
            f"{self.other.name};299;2026-09-20;;\n"
            f"{self.invoice.name};202;15/09/2026;;\n"
            f"{self.invoice.name};210;2026-09-20;;\n"
        )
        wizard = (
            self.env["account.collection.einvoice.import.wizard"]
            .with_user(self.collection_user)
            .create({"file": base64.b64encode(csv.encode()), "filename": "s.csv"})
        )
        wizard.action_import()
        lines = wizard.report.split("\n")
        self.assertEqual(
            lines[0],
            "1 applied, 1 history only, 1 already recorded, 2 errors.",
        )
        self.assertIn("Unknown invoice: INV/NOPE/1", lines[2])
        self.assertIn("Unknown status code: 299", lines[3])
        self.assertIn("history only", lines[4])
        self.assertIn("already recorded", lines[5])
        # The older 202 is in the history, the status is still 210 and blocks.
        self.assertEqual(self.invoice.collection_einvoice_status, "210")
        self.assertEqual(self.invoice.collection_block_reason, "einvoice_refused")
        history = self.invoice.collection_einvoice_status_ids
        self.assertEqual(history.filtered(lambda h: not h.applied).status, "202")

    def test_user_sets_the_status_from_the_invoice(self):
        action = self.invoice.with_user(
            self.collection_user
        ).action_collection_einvoice_set_status()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.collection_user)
            .with_context(**action["context"])
            .create({"status": "207", "date": "2026-09-14"})
        )
        wizard.action_confirm()
        self.assertEqual(self.invoice.collection_einvoice_status, "207")
        self.assertEqual(self.invoice.collection_einvoice_status_ids.source, "user")

    @freeze_time("2026-09-25")
    def test_212_recorded_once_per_payment(self):
        # 400.00 then 600.00: two 212 Encaissee with their amounts and dates.
        payment = self._pay(self.invoice, 400.0, "2026-09-20")
        cashed = self.invoice.collection_einvoice_status_ids
        self.assertEqual(
            (cashed.status, cashed.amount, cashed.date, cashed.source),
            ("212", 400.0, date(2026, 9, 20), "payment"),
        )
        # Unmatched and matched again: still one 212 for this payment.
        term = self.invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        term.remove_move_reconcile()
        (
            term
            | payment.move_id.line_ids.filtered(
                lambda line: line.account_id == term.account_id
            )
        ).reconcile()
        self.assertEqual(len(self.invoice.collection_einvoice_status_ids), 1)
        self._pay(self.invoice, 600.0, "2026-09-24")
        self.assertEqual(
            sorted(self.invoice.collection_einvoice_status_ids.mapped("amount")),
            [400.0, 600.0],
        )
        self.assertEqual(self.invoice.collection_einvoice_status, "212")

    @freeze_time("2026-09-25")
    def test_no_212_without_e_invoicing(self):
        self.company.collection_einvoice_enabled = False
        self._pay(self.invoice, 1000.0, "2026-09-20")
        self.assertFalse(self.invoice.collection_einvoice_status_ids)

    @freeze_time("2026-09-25")
    def test_dashboard_ageing_and_audit(self):
        self._set(self.invoice, "207", "2026-09-14")
        self._set(self.other, "210", "2026-09-14")
        kpis = self.env["account.collection.kpi"]._blocked_amounts(
            self.company, date(2026, 9, 25)
        )
        # The platform dispute: 1000.00.
        self.assertEqual(kpis["dispute"], 1000.0)
        aged = self.env["account.collection.aged.receivable"].with_user(
            self.collection_user
        )
        rows = aged.search([("collection_einvoice_status", "in", ("207", "208"))])
        self.assertEqual(rows.move_id, self.invoice)
        # Paid through the platform with no 212 (recorded before the setting).
        paid = self._post_invoice(self.customer, 200.0, "2026-09-10")
        self._set(paid, "205", "2026-09-12")
        self.company.collection_einvoice_enabled = False
        self._pay(paid, 200.0, "2026-09-20")
        self.company.collection_einvoice_enabled = True
        audit = self.env["account.collection.audit"].create(
            {"company_id": self.company.id}
        )
        audit.action_run()
        findings = audit.seen_finding_ids
        refused = findings.filtered(lambda f: f.rule == "einvoice_refused_open")
        self.assertEqual(refused.mapped("res_id"), self.other.ids)
        not_cashed = findings.filtered(lambda f: f.rule == "einvoice_paid_not_cashed")
        self.assertEqual(not_cashed.mapped("res_id"), paid.ids)

    def test_multi_company_invoice_of_another_company_unknown(self):
        other_company = self.setup_other_company(name="Einvoice B")["company"]
        self.collection_user.company_ids = [Command.link(other_company.id)]
        report = self.Move.with_context(
            allowed_company_ids=other_company.ids
        )._collection_set_einvoice_status(
            [{"invoice": self.invoice.name, "status": "207", "date": "2026-09-14"}]
        )
        self.assertEqual(report[0]["result"], "error")
        self.assertFalse(self.invoice.collection_einvoice_status)
        history = self.env["account.collection.einvoice.status"].with_user(
            self.collection_user
        )
        self._set(self.invoice, "207", "2026-09-14")
        self.assertFalse(
            history.with_context(allowed_company_ids=other_company.ids).search([])
        )

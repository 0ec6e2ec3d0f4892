from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .late_fee_common import LateFeeCommon


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestPrescription(LateFeeCommon):
    """Prescription dates of open invoices, the audit's warning six months before
    and the dashboard's card, read as the collection user."""

    def _invoice(self, partner, due, amount=1000.0):
        return self._post_invoice(partner, amount, due, invoice_date=due)

    def test_l110_4_five_years_between_merchants_restarted_by_a_payment(self):
        invoice = self._invoice(self.customer, "2025-05-15")
        # 15 May 2025 + 5 years
        self.assertEqual(invoice.collection_prescription_date, date(2030, 5, 15))
        self._pay(invoice, 300.0, "2025-06-14")
        # partial payment on 14 June 2025 + 5 years (Code civil 2240)
        self.assertEqual(invoice.collection_prescription_date, date(2030, 6, 14))
        self._pay(invoice, 700.0, "2025-07-01")
        self.assertFalse(invoice.collection_prescription_date)

    def test_l218_2_two_years_against_a_consumer_restarted_by_acknowledgment(self):
        invoice = self._invoice(self.consumer, "2025-05-15")
        # 15 May 2025 + 2 years
        self.assertEqual(invoice.collection_prescription_date, date(2027, 5, 15))
        invoice.with_user(
            self.collection_user
        ).collection_debt_acknowledged_date = "2025-07-01"
        # acknowledged 1 July 2025 + 2 years
        self.assertEqual(invoice.collection_prescription_date, date(2027, 7, 1))

    def test_l622_25_1_declared_claim_interrupts(self):
        invoice = self._invoice(self.customer, "2025-05-15")
        procedure = self.env["account.collection.insolvency"].create(
            {
                "partner_id": self.customer.id,
                "kind": "liquidation",
                "judgment_date": "2025-07-01",
                "publication_date": "2025-07-10",
            }
        )
        self.assertEqual(procedure.line_ids.move_id, invoice)
        procedure.action_declare()
        self.assertFalse(invoice.collection_prescription_date)

    def test_audit_and_dashboard_count_the_claims_at_risk(self):
        # consumer invoice due 1 September 2023: prescribed 1 September 2025,
        # within six months of 15 July 2025
        at_risk = self._invoice(self.consumer, "2023-09-01", amount=450.0)
        # merchant invoice of the same day: 2028, not at risk
        self._invoice(self.customer, "2023-09-01", amount=800.0)
        audit = self.env["account.collection.audit"].create(
            {"company_id": self.company.id}
        )
        audit.action_run()
        findings = audit.seen_finding_ids.filtered(lambda f: f.rule == "prescription")
        self.assertEqual(findings.mapped("res_id"), at_risk.ids)
        self.assertEqual(findings.severity, "high")
        dashboard = self.env["account.collection.dashboard"].with_user(
            self.collection_user
        )
        cards = {
            card["key"]: card for card in dashboard.get_dashboard_data({})["cards"]
        }
        self.assertEqual(cards["prescription"]["value"], 450.0)
        self.assertEqual(cards["prescription"]["count"], 1)
        self.assertIn("insolvency", cards)
        action = dashboard.action_open_kpi("prescription", {})
        self.assertEqual(self.env["account.move"].search(action["domain"]), at_risk)

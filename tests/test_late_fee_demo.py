from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from ..demo import book
from .common import CollectionCommon

TODAY = date(2025, 11, 15)


@tagged("post_install", "-at_install")
class TestLateFeeDemo(CollectionCommon):
    """The receivable book of `make demo`, on a fixed day (2025-H2: ECB 2.15 + 10)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The French VAT rate the demo looks for: the base of the interest includes it.
        cls.env["account.tax"].create(
            {
                "name": "TVA 20 %",
                "amount": 20.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
                "sequence": 0,  # before the price-included test taxes of 20 %
            }
        )
        with freeze_time(TODAY):
            # The book without the paid history of the risk scoring.
            cls.partners = book.load_demo_data(
                cls.env, cls.company, TODAY, paid_history=False
            )
        cls.invoices = cls.env["account.move"].search(
            [("partner_id", "in", cls.partners.ids), ("move_type", "=", "out_invoice")]
        )

    def _invoice(self, customer, due_date):
        return self.invoices.filtered(
            lambda m: m.partner_id.name == customer
            and m.invoice_date_due == date.fromisoformat(due_date)
        )

    @freeze_time(TODAY)
    def test_paid_late_invoice_charged_once(self):
        # "Boulangerie Martin SARL" paid its invoice due 21 Oct 2025 five days late, on
        # 26 Oct: 800 + 20 % VAT = 960.00; 22..26 Oct = 5 days at 12.15 %:
        # 960 * 5 * 12.15 / 36500 = 58320 / 36500 = 1.597... -> 1.60, and 40.00.
        invoice = self._invoice("Boulangerie Martin SARL", "2025-10-21")
        self.assertEqual(invoice.amount_total, 960.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.collection_late_days, 5)
        self.assertEqual(invoice.collection_late_interest, 1.60)
        self.assertEqual(invoice.collection_late_indemnity, 40.0)
        # "Hôtel Bellevue" paid 40 % of 3600.00 due 6 Oct on 11 Oct: 7..11 Oct = 5
        # days on 3600, 12 Oct..15 Nov = 35 days on 2160 at 12.15 %:
        # (3600 * 5 + 2160 * 35) * 12.15 / 36500 = 1137240 / 36500 = 31.157...
        partial = self._invoice("Hôtel Bellevue", "2025-10-06")
        self.assertEqual(partial.amount_total, 3600.0)
        self.assertEqual(partial.collection_late_interest, 31.16)
        self.assertEqual(partial.collection_late_days, 40)

        charge_moves = self.env["account.move"]._collection_charge_late_fees(
            self.invoices
        )
        charge = invoice.collection_charge_ids
        self.assertEqual(
            (charge.interest_amount, charge.indemnity_amount), (1.60, 40.0)
        )
        self.assertEqual(
            charge.charge_move_id.partner_id.name, "Boulangerie Martin SARL"
        )
        self.assertEqual(charge.charge_move_id.amount_total, 41.60)
        self.assertEqual(charge.charge_move_id.amount_tax, 0.0)
        self.assertEqual(partial.collection_charge_ids.interest_amount, 31.16)
        # One late-fee invoice per customer with an invoice due before today: every
        # profile but "due_soon" (the paid ones were paid five days late).
        late_customers = self.invoices.filtered(
            lambda m: m.invoice_date_due < TODAY
        ).partner_id
        self.assertEqual(charge_moves.partner_id, late_customers)
        self.assertEqual(len(charge_moves), len(late_customers))
        # Charging again the same day charges nothing.
        self.assertFalse(
            self.env["account.move"]._collection_charge_late_fees(self.invoices)
        )
        self.assertEqual(len(invoice.collection_charge_ids), 1)

from datetime import date
from decimal import Decimal as D

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .late_fee_common import LateFeeCommon


@tagged("post_install", "-at_install")
class TestLateFeeCharge(LateFeeCommon):
    """Late-fee invoices: one per customer and currency, never the same days twice."""

    def _lines(self, charge_move):
        return [
            (line.product_id, line.price_unit, line.tax_ids)
            for line in charge_move.invoice_line_ids
        ]

    def test_charge_creates_one_invoice_per_customer_and_currency(self):
        interest = self.env.ref("account_collection.product_late_interest")
        indemnity = self.env.ref("account_collection.product_recovery_indemnity")
        currency = self.setup_other_currency("EUR")
        first = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        second = self._post_invoice(self.customer, 1000.0, "2025-03-01")
        self._pay(second, 1000.0, "2025-03-05")
        in_eur = self._post_invoice(
            self.customer, 2000.0, "2025-05-15", currency=currency
        )
        self._pay(in_eur, 500.0, "2025-06-14", currency=currency)
        other = self._post_invoice(self.other_customer, 10000.0, "2025-05-15")
        on_time = self._post_invoice(self.other_customer, 500.0, "2025-08-31")
        charge_moves = self._charge(
            first + second + in_eur + other + on_time, "2025-07-15"
        )
        self.assertEqual(len(charge_moves), 3)
        for move in charge_moves:
            self.assertEqual(move.state, "posted")
            self.assertEqual(move.move_type, "out_invoice")
            self.assertTrue(move.collection_charge_invoice)
            self.assertEqual(move.invoice_date, date(2025, 7, 15))
            self.assertFalse(move.invoice_line_ids.tax_ids)
            self.assertEqual(move.amount_tax, 0.0)
        by_key = {(m.partner_id, m.currency_id): m for m in charge_moves}
        main = by_key[self.customer, self.company.currency_id]
        # Interest and indemnity of each invoice, the older due date first.
        self.assertEqual(
            self._lines(main),
            [
                (interest, 1.44, self.env["account.tax"]),
                (indemnity, 40.0, self.env["account.tax"]),
                (interest, 215.66, self.env["account.tax"]),
                (indemnity, 40.0, self.env["account.tax"]),
            ],
        )
        self.assertEqual(main.amount_total, 297.10)
        self.assertEqual(main.invoice_origin, f"{second.name}, {first.name}")
        eur = by_key[self.customer, currency]
        self.assertEqual([line[1] for line in self._lines(eur)], [37.75, 80.0])
        self.assertEqual(
            by_key[self.other_customer, self.company.currency_id].amount_total, 255.66
        )
        # Explained: the periods with their days, balance and rate.
        description = main.invoice_line_ids[2].name
        self.assertIn(
            f"Late-payment interest on invoice {first.name} from 05/16/2025 to 07/15/2025",
            description,
        )
        self.assertIn("05/16/2025 to 06/30/2025: 46 days x", description)
        self.assertIn("13.15 % / 365", description)
        self.assertIn("07/01/2025 to 07/15/2025: 15 days x", description)
        self.assertIn(first.name, main.invoice_line_ids[3].name)
        # Linked both ways.
        self.assertEqual(first.collection_charge_count, 1)
        self.assertEqual(main.collection_charged_count, 2)
        self.assertEqual(main.collection_charged_ids.source_move_id, first + second)
        charge = first.collection_charge_ids
        self.assertEqual(
            (charge.date_from, charge.date_to, charge.days, charge.state),
            (date(2025, 5, 16), date(2025, 7, 15), 61, "posted"),
        )
        self.assertEqual(
            (charge.interest_amount, charge.indemnity_amount), (215.66, 40.0)
        )
        self.assertEqual(first.action_view_collection_charges()["res_id"], main.id)
        action = main.action_view_collection_charged_invoices()
        self.assertEqual(set(action["domain"][0][2]), set((first + second).ids))
        self.assertFalse(on_time.collection_charge_ids)

    def test_charging_twice_only_adds_the_new_days(self):
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        # 16 May..15 Jun = 31 days at 13.15: 10000 * 31 * 13.15 / 36500 = 111.684...
        first = self._charge(invoice, "2025-06-15")
        self.assertEqual([line[1] for line in self._lines(first)], [111.68, 40.0])
        self.assertFalse(self._charge(invoice, "2025-06-15"))
        # 16..30 Jun at 13.15 and 1..15 Jul at 12.15, no second indemnity:
        # 10000 * (15 * 13.15 + 15 * 12.15) / 36500 = 3795000 / 36500 = 103.972...
        second = self._charge(invoice, "2025-07-15")
        self.assertEqual([line[1] for line in self._lines(second)], [103.97])
        self.assertIn("from 06/16/2025 to 07/15/2025", second.invoice_line_ids.name)
        fees = self._fees(invoice, "2025-07-15")
        self.assertEqual(fees.interest_charged + fees.indemnity_charged, D("255.65"))
        self.assertEqual(fees.to_charge, 0)
        # Paid on 31 Jul: 16..31 Jul = 16 days at 12.15: 10000 * 16 * 12.15 / 36500
        # = 53.260... ; nothing accrues after the payment.
        self._pay(invoice, 10000.0, "2025-07-31")
        third = self._charge(invoice, "2025-09-30")
        self.assertEqual([line[1] for line in self._lines(third)], [53.26])
        self.assertFalse(self._charge(invoice, "2025-12-31"))
        self.assertEqual(len(invoice.collection_charge_ids), 3)

    def test_reversal_reopens_the_days(self):
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        first = self._charge(invoice, "2025-06-15")
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=first.ids)
            .create({"journal_id": first.journal_id.id, "reason": "Goodwill"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        # A draft credit note changes nothing yet.
        self.assertFalse(self._charge(invoice, "2025-06-15"))
        credit_note.action_post()
        self.assertEqual(first.payment_state, "reversed")
        self.assertEqual(invoice.collection_charge_ids.state, "cancel")
        again = self._charge(invoice, "2025-06-15")
        self.assertEqual([line[1] for line in self._lines(again)], [111.68, 40.0])

    def test_cancelled_late_fee_invoice_no_longer_counts(self):
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        first = self._charge(invoice, "2025-06-15")
        first.button_draft()
        self.assertEqual(invoice.collection_charge_ids.state, "draft")
        self.assertFalse(self._charge(invoice, "2025-06-15"))
        first.button_cancel()
        self.assertEqual(invoice.collection_charge_ids.state, "cancel")
        self.assertEqual(self._charge(invoice, "2025-06-15").amount_total, 151.68)

    def test_late_fee_invoices_bear_no_interest(self):
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        charge_move = self._charge(invoice, "2025-06-15")
        self.assertFalse(self.LateFee._get_late_fees(charge_move, date(2026, 1, 1)))
        with self.assertRaisesRegex(UserError, "Select posted customer invoices"):
            charge_move.action_collection_charge_late_fees()

    def test_excluded_invoices_are_not_charged(self):
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        invoice.collection_excluded = True
        self.assertFalse(self._charge(invoice, "2025-06-15"))

    def test_dunning_hook_charges_each_customer_on_its_own(self):
        # No ECB rate before 16 March 2016: the interest of an invoice due in 2015
        # cannot be computed; the other customer is charged all the same.
        broken = self._post_invoice(self.other_customer, 1000.0, "2015-06-01")
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        with (
            freeze_time("2025-06-15"),
            self.assertLogs(
                "odoo.addons.account_collection.models.account_collection_late_fee_charge",
                "WARNING",
            ) as logs,
        ):
            charge_moves = self.env["account.move"]._collection_charge_late_fees(
                broken + invoice
            )
        self.assertEqual(charge_moves.partner_id, self.customer)
        self.assertEqual(charge_moves.amount_total, 151.68)
        self.assertIn(broken.name, logs.output[0])
        self.assertIn("first half of 2015", logs.output[0])

    def test_dunning_hook_isolates_a_customer_that_cannot_be_invoiced(self):
        currency = self.setup_other_currency("EUR")
        in_eur = self._post_invoice(
            self.other_customer, 1000.0, "2025-05-15", currency=currency
        )
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        currency.active = False  # a late-fee invoice in EUR cannot be posted
        with (
            freeze_time("2025-06-15"),
            self.assertLogs(
                "odoo.addons.account_collection.models.account_collection_late_fee_charge",
                "WARNING",
            ) as logs,
        ):
            charge_moves = self.env["account.move"]._collection_charge_late_fees(
                in_eur + invoice
            )
        self.assertEqual(charge_moves.partner_id, self.customer)
        self.assertEqual(charge_moves.amount_total, 151.68)
        self.assertFalse(in_eur.collection_charge_ids)
        self.assertEqual(len(logs.output), 1)
        self.assertIn("Garage du Centre", logs.output[0])
        self.assertIn("inactive currency", logs.output[0])

    @freeze_time("2025-06-15")
    def test_manual_charge_stops_on_the_first_problem(self):
        broken = self._post_invoice(self.other_customer, 1000.0, "2015-06-01")
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        self.assertIn("ECB", broken.collection_late_fee_error)
        with self.assertRaisesRegex(UserError, "Late-Payment Rates"):
            (broken + invoice).action_collection_charge_late_fees()
        self.assertFalse(invoice.collection_charge_ids)

    @freeze_time("2025-06-15")
    def test_server_action_charges_the_selected_invoices(self):
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        action = self.env.ref("account_collection.account_move_action_charge_late_fees")
        result = (
            action.with_user(self.collection_user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .run()
        )
        charge_move = invoice.collection_charge_ids.charge_move_id
        self.assertEqual(result["res_id"], charge_move.id)
        self.assertEqual(charge_move.amount_total, 151.68)
        with self.assertRaisesRegex(UserError, "No late fees to charge"):
            invoice.action_collection_charge_late_fees()

    def test_charges_are_company_bound(self):
        company_2 = self.setup_other_company()["company"]
        company_2.collection_penalty_margin = 8.0
        invoice = self.init_invoice(
            "out_invoice",
            partner=self.customer,
            invoice_date="2025-05-15",
            amounts=[10000.0],
            taxes=[],
            company=company_2,
        )
        invoice.write(
            {"invoice_payment_term_id": False, "invoice_date_due": "2025-05-15"}
        )
        invoice.action_post()
        # ECB + 8: 10000 * (46 * 11.15 + 15 * 10.15) / 36500 = 182.232...
        charge_move = self._charge(invoice, "2025-07-15")
        self.assertEqual(charge_move.company_id, company_2)
        self.assertEqual(charge_move.amount_total, 222.23)
        charge = invoice.collection_charge_ids
        self.assertEqual(charge.company_id, company_2)
        visible = self.env["account.collection.charge"].with_user(self.collection_user)
        self.assertFalse(visible.search([("id", "=", charge.id)]))
        with self.assertRaises(AccessError):
            charge.with_user(self.collection_user).read(["interest_amount"])
        user_2 = new_test_user(
            self.env,
            login="collector_2",
            groups="account_collection.account_collection_group_user",
            company_id=company_2.id,
            company_ids=[Command.set(company_2.ids)],
        )
        self.assertEqual(
            self.env["account.collection.charge"].with_user(user_2).search([]), charge
        )

    def test_late_fee_invoice_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_collection"], ["fr_FR"], overwrite=True
        )
        self.customer.lang = "fr_FR"
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        charge_move = self._charge(invoice, "2025-07-15")
        interest_line, indemnity_line = charge_move.invoice_line_ids
        self.assertIn(
            f"Intérêts de retard facture {invoice.name} du 16/05/2025 au 15/07/2025",
            interest_line.name,
        )
        self.assertIn("- du 16/05/2025 au 30/06/2025 : 46 j x", interest_line.name)
        self.assertIn("x 13,15 % / 365", interest_line.name)
        self.assertIn("- du 01/07/2025 au 15/07/2025 : 15 j x", interest_line.name)
        self.assertEqual(
            indemnity_line.name,
            "Indemnité forfaitaire pour frais de recouvrement, facture "
            f"{invoice.name} échue le 15/05/2025",
        )

    def test_late_fees_escape_credit_control_and_term_check(self):
        """A late-fee invoice is a consequence of collection: charged to a customer
        on credit hold in blocking mode, whatever its payment term, while the
        customer's ordinary invoices stay stopped by both checks."""
        self.company.write(
            {"collection_credit_check": "block", "collection_term_check": "block"}
        )
        self.customer.property_payment_term_id = self.env[
            "account.payment.term"
        ].create(
            {
                "name": "90 days",
                "line_ids": [Command.create({"value": "percent", "nb_days": 90})],
            }
        )
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        self.customer._collection_risk_ensure().write(
            {"credit_hold": True, "credit_hold_reason": "Unpaid invoices"}
        )
        with freeze_time("2025-06-15"):
            charge_move = self._charge(invoice, "2025-06-15")
            self.assertEqual(charge_move.state, "posted")
            self.assertTrue(charge_move.collection_generated)
            self.assertEqual(charge_move.amount_total, 151.68)
            self.assertEqual(charge_move.invoice_payment_term_id.name, "90 days")
            ordinary = self.init_invoice(
                "out_invoice", partner=self.customer, amounts=[100.0], taxes=[]
            )
            with self.assertRaisesRegex(UserError, "legal maximum payment term"):
                ordinary.action_post()
            ordinary.invoice_payment_term_id = self.env.ref(
                "account.account_payment_term_immediate"
            )
            with self.assertRaisesRegex(UserError, "credit hold"):
                ordinary.action_post()
            self.assertEqual(ordinary.state, "draft")

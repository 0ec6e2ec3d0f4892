from datetime import date
from decimal import Decimal as D
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .late_fee_common import LateFeeCommon


@tagged("post_install", "-at_install")
class TestLateFees(LateFeeCommon):
    """Interest and indemnity of invoices from their real payment dates.

    ECB rate + 10 points: 2023-H2 14.00, 2024-H1 14.50, 2025-H1 13.15, 2025-H2 12.15.
    """

    @freeze_time("2025-07-15")
    def test_interest_across_1_july_and_one_indemnity(self):
        # 16 May..30 Jun = 46 days at 13.15, 1..15 Jul = 15 days at 12.15:
        # 10000 * (46 * 13.15 + 15 * 12.15) / 36500 = 7871500 / 36500 = 215.657...
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        self.assertEqual(invoice.collection_late_days, 61)
        self.assertEqual(invoice.collection_late_interest, 215.66)
        self.assertEqual(invoice.collection_late_indemnity, 40.0)
        self.assertEqual(invoice.collection_late_fees_to_charge, 255.66)
        self.assertEqual(invoice.collection_late_fees_charged, 0.0)
        self.assertFalse(invoice.collection_late_fee_error)
        details = str(invoice.collection_late_fee_details)
        for text in ("05/16/2025", "06/30/2025", "07/01/2025", "13.15", "12.15"):
            self.assertIn(text, details)
        fees = self._fees(invoice, "2025-07-15")
        self.assertEqual([p.days for p in fees.periods], [46, 15])
        self.assertEqual([p.rate for p in fees.periods], [D("13.15"), D("12.15")])

    def test_across_1_january_in_a_leap_year(self):
        # Paid on 5 Mar 2024: 21..31 Dec 2023 = 11 days at 14.00, 1 Jan..5 Mar 2024
        # = 31 + 29 + 5 = 65 days at 14.50 (29 Feb counts, basis stays 365):
        # 5000 * (11 * 14 + 65 * 14.50) / 36500 = 5482500 / 36500 = 150.205...
        invoice = self._post_invoice(self.customer, 5000.0, "2023-12-20")
        self._pay(invoice, 5000.0, "2024-03-05")
        fees = self._fees(invoice, "2024-04-30")
        self.assertEqual(fees.interest, D("150.21"))
        self.assertEqual(fees.late_days, 76)
        self.assertEqual(fees.indemnity, D("40.00"))
        self.assertEqual([p.days for p in fees.periods], [11, 65])

    def test_partial_payments_lower_the_base_the_day_after(self):
        # 4000 received 11 Mar, 6000 on 31 Mar, 2025-H1 at 13.15:
        # (10000 * 10 + 6000 * 20) * 13.15 / 36500 = 2893000 / 36500 = 79.260...
        invoice = self._post_invoice(self.customer, 10000.0, "2025-03-01")
        self._pay(invoice, 4000.0, "2025-03-11")
        self._pay(invoice, 6000.0, "2025-03-31")
        fees = self._fees(invoice, "2025-07-15")
        self.assertEqual(fees.interest, D("79.26"))
        self.assertEqual(fees.late_days, 30)
        # The indemnity is owed in full even after partial payments.
        self.assertEqual(fees.indemnity, D("40.00"))
        self.assertEqual(
            [(p.days, p.balance) for p in fees.periods],
            [(10, D("10000.0")), (20, D("6000.0"))],
        )

    def test_overpayment_stops_interest(self):
        # 1500 received on 5 Mar for 1000 due: 1000 * 4 * 13.15 / 36500 = 1.441...
        invoice = self._post_invoice(self.customer, 1000.0, "2025-03-01")
        self._pay(invoice, 1500.0, "2025-03-05")
        self.assertEqual(invoice.payment_state, "paid")
        fees = self._fees(invoice, "2025-07-15")
        self.assertEqual(fees.interest, D("1.44"))
        self.assertEqual(fees.late_days, 4)

    def test_paid_on_time_owes_nothing(self):
        invoice = self._post_invoice(self.customer, 1000.0, "2025-03-01")
        self._pay(invoice, 1000.0, "2025-03-01")
        fees = self._fees(invoice, "2025-07-15")
        self.assertEqual(
            (fees.interest, fees.indemnity, fees.late_days, fees.to_charge),
            (D("0.00"), D("0"), 0, D("0.00")),
        )

    def test_zero_rate_period(self):
        # 2022-H1: ECB 0.00. Margin 10: 1000 * 30 * 10 / 36500 = 8.219... ; margin 0:
        # a zero rate, no interest, but the invoice is late and the indemnity due.
        invoice = self._post_invoice(self.customer, 1000.0, "2022-03-01")
        self._pay(invoice, 1000.0, "2022-03-31")
        self.assertEqual(self._fees(invoice, "2022-04-30").interest, D("8.22"))
        self.company.collection_penalty_margin = 0.0
        fees = self._fees(invoice, "2022-04-30")
        self.assertEqual(fees.interest, D("0.00"))
        self.assertEqual(fees.late_days, 30)
        self.assertEqual(fees.indemnity, D("40.00"))

    def test_margin_of_another_jurisdiction(self):
        # ECB + 8 (Belgium, Spain): 10000 * (46 * 11.15 + 15 * 10.15) / 36500
        # = 6651500 / 36500 = 182.232...
        self.company.collection_penalty_margin = 8.0
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        self.assertEqual(self._fees(invoice, "2025-07-15").interest, D("182.23"))

    @freeze_time("2025-09-01")
    def test_contractual_rate_floored_at_three_times_the_legal_rate(self):
        self.company.write(
            {
                "collection_penalty_rate_mode": "contractual",
                "collection_contractual_rate": 12.0,
            }
        )
        # 2025: 12 % is above 3 x 3.71 = 11.13 and 3 x 2.76 = 8.28:
        # 10000 * 61 * 12 / 36500 = 7320000 / 36500 = 200.547...
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        self.assertEqual(self._fees(invoice, "2025-07-15").interest, D("200.55"))
        # 2024: 3 x 5.07 = 15.21 (H1) and 3 x 4.92 = 14.76 (H2) exceed 12 %:
        # 10000 * (46 * 15.21 + 15 * 14.76) / 36500 = 9210600 / 36500 = 252.345...
        invoice = self._post_invoice(self.customer, 10000.0, "2024-05-15")
        self.assertEqual(self._fees(invoice, "2024-07-15").interest, D("252.35"))

    def test_consumer_owes_legal_interest_from_the_formal_notice_only(self):
        invoice = self._post_invoice(self.consumer, 2000.0, "2025-05-15")
        self.assertEqual(self.consumer.collection_debtor_type, "consumer")
        fees = self._fees(invoice, "2025-07-15")
        self.assertEqual((fees.interest, fees.indemnity), (D("0.00"), D("0")))
        self.assertEqual(fees.late_days, 61)
        level = self.policy.level_ids.filtered("formal_notice")
        communication = self.env["account.collection.communication"].create(
            {
                "partner_id": self.consumer.id,
                "company_id": self.company.id,
                "currency_id": invoice.currency_id.id,
                "level_id": level.id,
                "date": "2025-06-10",
                "formal_notice": True,
                "state": "sent",
                "line_ids": [
                    Command.create(
                        {
                            "move_line_id": invoice.line_ids.filtered(
                                lambda line: line.display_type == "payment_term"
                            ).id,
                            "level_id": level.id,
                        }
                    )
                ],
            }
        )
        # Legal interest rate from 11 Jun: 20 days at 3.71 and 15 days at 2.76:
        # 2000 * (20 * 3.71 + 15 * 2.76) / 36500 = 231200 / 36500 = 6.334...
        fees = self._fees(invoice, "2025-07-15")
        self.assertEqual(fees.interest, D("6.33"))
        self.assertEqual(fees.indemnity, D("0"))
        communication.state = "cancel"
        self.assertEqual(self._fees(invoice, "2025-07-15").interest, D("0.00"))

    def test_individual_flagged_professional_owes_the_indemnity(self):
        self.consumer.collection_debtor_type = "professional"
        invoice = self._post_invoice(self.consumer, 10000.0, "2025-05-15")
        fees = self._fees(invoice, "2025-07-15")
        self.assertEqual((fees.interest, fees.indemnity), (D("215.66"), D("40.00")))

    def test_insolvency_stops_interest_and_bars_the_indemnity(self):
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        self.customer.write(
            {
                "collection_insolvency": "receivership",
                "collection_insolvency_date": "2025-06-20",
            }
        )
        # Interest up to the day before the judgment: 16 May..19 Jun = 35 days:
        # 10000 * 35 * 13.15 / 36500 = 4602500 / 36500 = 126.095...
        fees = self._fees(invoice, "2025-07-15")
        self.assertEqual(fees.interest, D("126.10"))
        self.assertEqual(fees.indemnity, D("0"))
        self.assertEqual(fees.late_days, 61)

    def test_invoice_in_a_foreign_currency(self):
        # Invoice of 2000 in a currency worth half the company's (rate 2.0):
        # 500 received on 14 Jun. 16 May..14 Jun = 30 days on 2000 and 15..30 Jun =
        # 16 days on 1500 at 13.15, 1..15 Jul = 15 days on 1500 at 12.15:
        # (2000 * 30 * 13.15 + 1500 * 16 * 13.15 + 1500 * 15 * 12.15) / 36500
        # = 1377975 / 36500 = 37.752... ; indemnity 40 x 2.0 = 80.00.
        currency = self.setup_other_currency("EUR")
        invoice = self._post_invoice(
            self.customer, 2000.0, "2025-05-15", currency=currency
        )
        self._pay(invoice, 500.0, "2025-06-14", currency=currency)
        fees = self._fees(invoice, "2025-07-15")
        self.assertEqual(fees.interest, D("37.75"))
        self.assertEqual(fees.indemnity, D("80.0"))

    @freeze_time("2025-07-15")
    def test_customer_totals(self):
        first = self._post_invoice(self.customer, 10000.0, "2025-05-15")
        second = self._post_invoice(self.customer, 1000.0, "2025-03-01")
        self._pay(second, 1000.0, "2025-03-05")  # 1.44 of interest, see above
        self._post_invoice(self.customer, 500.0, "2025-08-31")  # not due
        self.assertEqual(first.collection_late_interest, 215.66)
        self.assertAlmostEqual(self.customer.collection_late_interest_due, 217.10)
        self.assertAlmostEqual(self.customer.collection_late_indemnity_due, 80.0)
        self.assertAlmostEqual(self.customer.collection_late_fees_charged, 0.0)
        self.assertAlmostEqual(self.other_customer.collection_late_interest_due, 0.0)

    def test_computation_is_batched(self):
        """Reading the fees of many invoices costs the same queries as of a few."""
        invoices = self.env["account.move"]
        for index in range(8):
            invoice = self._post_invoice(
                self.customer if index % 2 else self.other_customer,
                1000.0 + index,
                "2025-03-01",
            )
            self._pay(invoice, 400.0, "2025-03-10")
            invoices |= invoice
        counts = []
        self.LateFee._get_late_fees(invoices, date(2025, 7, 15))  # warm the caches
        for batch in (invoices[:2], invoices):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            fees = self.LateFee._get_late_fees(batch, date(2025, 7, 15))
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(len(fees), len(batch))
        self.assertLessEqual(counts[1], counts[0])

    def test_payment_plan_hook_exempts_days_when_enabled(self):
        invoice = self._post_invoice(self.customer, 10000.0, "2025-05-15")

        def exempt(model, invoices):
            return {
                move.id: [(date(2025, 6, 1), date(2025, 7, 15))] for move in invoices
            }

        move_class = type(self.env["account.move"])
        with patch.object(move_class, "_collection_interest_exempt_periods", exempt):
            # Option off: the hook is not asked, 215.66 as above.
            self.assertEqual(self._fees(invoice, "2025-07-15").interest, D("215.66"))
            self.company.collection_interest_plan_exempt = True
            # 16..31 May only: 10000 * 16 * 13.15 / 36500 = 57.643...
            self.assertEqual(self._fees(invoice, "2025-07-15").interest, D("57.64"))
        self.assertEqual(
            self.env["account.move"]._collection_interest_exempt_periods(invoice), {}
        )

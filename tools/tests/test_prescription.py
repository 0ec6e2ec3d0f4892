import unittest
from datetime import date

from tools.prescription import prescription_date


class TestPrescription(unittest.TestCase):
    def test_l110_4_five_years_between_merchants_from_the_due_date(self):
        # due 31 March 2026 + 5 years = 31 March 2031
        self.assertEqual(prescription_date(date(2026, 3, 31)), date(2031, 3, 31))

    def test_l218_2_two_years_against_a_consumer(self):
        # due 29 February 2028 + 2 years = 28 February 2030
        self.assertEqual(
            prescription_date(date(2028, 2, 29), consumer=True), date(2030, 2, 28)
        )

    def test_code_civil_2240_partial_payment_restarts_the_time(self):
        # due 1 Jan 2026, partial payment 15 June 2027: 15 June 2027 + 5 years
        self.assertEqual(
            prescription_date(date(2026, 1, 1), last_partial_payment=date(2027, 6, 15)),
            date(2032, 6, 15),
        )

    def test_code_civil_2240_acknowledgment_restarts_the_time(self):
        # consumer, due 1 Jan 2026, payment plan signed 10 Oct 2026: + 2 years
        self.assertEqual(
            prescription_date(
                date(2026, 1, 1),
                consumer=True,
                last_partial_payment=date(2026, 5, 1),
                acknowledged=date(2026, 10, 10),
            ),
            date(2028, 10, 10),
        )

    def test_l622_25_1_declared_claim_is_interrupted(self):
        self.assertIsNone(
            prescription_date(date(2026, 1, 1), declared=date(2026, 4, 1))
        )

    def test_no_due_date_no_prescription_date(self):
        self.assertIsNone(prescription_date(None))

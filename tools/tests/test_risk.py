import unittest
from decimal import Decimal as D

from tools.risk import payment_score, risk_segment, weighted_average_delay


class TestWeightedAverageDelay(unittest.TestCase):
    def test_amount_weighted(self):
        # (1000 * 10 + 3000 * 50) / 4000 = 160000 / 4000 = 40
        self.assertEqual(
            weighted_average_delay([(D("1000"), 10), (D("3000"), 50)]), D("40")
        )

    def test_early_payments_count_as_zero_and_credit_notes_are_ignored(self):
        # (1000 * 0 + 1000 * 30) / 2000 = 15; the credit note of -500 weighs nothing.
        items = [(D("1000"), -5), (D("1000"), 30), (D("-500"), 90)]
        self.assertEqual(weighted_average_delay(items), D("15"))

    def test_empty(self):
        self.assertEqual(weighted_average_delay([]), D("0"))
        self.assertEqual(weighted_average_delay([(D("0"), 40)]), D("0"))


class TestRiskSegment(unittest.TestCase):
    def test_default_segments(self):
        expected = {
            0: "A",
            30: "A",
            D("30.01"): "B",
            60: "B",
            61: "C",
            90: "C",
            D("90.5"): "D",
        }
        for delay, code in expected.items():
            with self.subTest(delay=delay):
                self.assertEqual(risk_segment(delay), code)

    def test_custom_segments(self):
        self.assertEqual(
            risk_segment(20, thresholds=(15,), codes=("good", "bad")), "bad"
        )
        with self.assertRaisesRegex(ValueError, "expected 2 codes"):
            risk_segment(20, thresholds=(15,))
        with self.assertRaisesRegex(ValueError, "strictly increasing"):
            risk_segment(20, thresholds=(60, 30), codes=("A", "B", "C"))


class TestPaymentScore(unittest.TestCase):
    def test_formula(self):
        self.assertEqual(payment_score(0, 0), 100)
        self.assertEqual(payment_score(-10, 0), 100)
        # 100 - 40 * 30 / 120 - 30 * 0.5 - 10 - 5 = 100 - 10 - 15 - 10 - 5 = 60
        self.assertEqual(
            payment_score(30, D("0.5"), formal_notices=1, broken_promises=1), 60
        )
        # 100 - 40 * 45 / 120 - 30 * 0.25 = 100 - 15 - 7.5 = 77.5 -> 78
        self.assertEqual(payment_score(45, D("0.25")), 78)
        self.assertEqual(payment_score(400, 1, formal_notices=5, broken_promises=9), 0)

    def test_invalid_arguments(self):
        with self.assertRaisesRegex(ValueError, "between 0 and 1"):
            payment_score(10, D("1.5"))
        with self.assertRaisesRegex(ValueError, "must not be negative"):
            payment_score(10, 0, formal_notices=-1)


if __name__ == "__main__":
    unittest.main()

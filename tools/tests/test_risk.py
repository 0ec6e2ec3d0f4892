import unittest
from decimal import Decimal as D

from tools.risk import (
    effective_credit_limit,
    payment_score,
    payment_term_max_days,
    risk_segment,
    segment_rank,
    weighted_average_delay,
)


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


class TestSegmentRank(unittest.TestCase):
    thresholds = (30, 60, 90)
    min_scores = (60, 40, 20, 0)

    def test_worst_criterion_wins(self):
        # Delay 20 days -> A, score 80 -> A.
        self.assertEqual(segment_rank(20, 80, self.thresholds, self.min_scores), 0)
        # Delay 20 days -> A, but a score of 45 only reaches B.
        self.assertEqual(segment_rank(20, 45, self.thresholds, self.min_scores), 1)
        # Delay 75 days -> C even with a perfect score.
        self.assertEqual(segment_rank(75, 100, self.thresholds, self.min_scores), 2)
        # A score below every minimum but the last one -> D.
        self.assertEqual(segment_rank(0, 10, self.thresholds, self.min_scores), 3)
        # A bad rating sets C as a floor for an otherwise excellent payer.
        self.assertEqual(
            segment_rank(0, 100, self.thresholds, self.min_scores, floor=2), 2
        )

    def test_thresholds_are_included(self):
        self.assertEqual(segment_rank(30, 100, self.thresholds, self.min_scores), 0)
        self.assertEqual(
            segment_rank(D("30.1"), 100, self.thresholds, self.min_scores), 1
        )
        self.assertEqual(segment_rank(0, 60, self.thresholds, self.min_scores), 0)
        self.assertEqual(segment_rank(0, 59, self.thresholds, self.min_scores), 1)

    def test_invalid_arguments(self):
        with self.assertRaisesRegex(ValueError, "at least one segment"):
            segment_rank(0, 100, (), ())
        with self.assertRaisesRegex(ValueError, "floor"):
            segment_rank(0, 100, self.thresholds, self.min_scores, floor=4)
        with self.assertRaisesRegex(ValueError, "expected 2 codes"):
            segment_rank(0, 100, (30,), self.min_scores)


class TestEffectiveCreditLimit(unittest.TestCase):
    def test_manual_limit_wins(self):
        self.assertEqual(effective_credit_limit(5000, 20000, D("0.5")), D("5000.00"))

    def test_recommended_limit_weighted_by_factor(self):
        self.assertEqual(effective_credit_limit(0, 20000, D("0.5")), D("10000.00"))
        self.assertEqual(effective_credit_limit(None, 1000.005, 1), D("1000.01"))

    def test_no_limit(self):
        self.assertEqual(effective_credit_limit(0, 0, 1), D("0"))
        self.assertEqual(effective_credit_limit(False, False), D("0"))
        # the segment's default applies only without a manual nor a recommended
        # limit, and is not weighted by the factor
        self.assertEqual(effective_credit_limit(0, 0, D("0.5"), 3000), D("3000.00"))
        self.assertEqual(
            effective_credit_limit(0, 20000, D("0.5"), 3000), D("10000.00")
        )
        self.assertEqual(effective_credit_limit(5000, 0, 1, 3000), D("5000.00"))

    def test_invalid_arguments(self):
        with self.assertRaisesRegex(ValueError, "must not be negative"):
            effective_credit_limit(-1, 0)
        with self.assertRaisesRegex(ValueError, "must be a number"):
            effective_credit_limit("abc", 0)


if __name__ == "__main__":
    unittest.main()


class TestPaymentTermMaxDays(unittest.TestCase):
    def test_longest_line_wins(self):
        # 30 % now, 70 % at 45 days: 45
        self.assertEqual(
            payment_term_max_days([("days_after", 0, "10"), ("days_after", 45, "10")]),
            45,
        )

    def test_end_of_month_counts_the_longest_month(self):
        # 45 days end of month: 31 + 45 = 76; end of next month + 10: 62 + 10 = 72
        self.assertEqual(
            payment_term_max_days([("days_after_end_of_month", 45, 0)]), 76
        )
        self.assertEqual(
            payment_term_max_days([("days_after_end_of_next_month", 10, 0)]), 72
        )

    def test_immediate(self):
        self.assertEqual(payment_term_max_days([]), 0)

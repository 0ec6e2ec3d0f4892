import unittest
from decimal import Decimal as D

from tools.ageing import (
    DEFAULT_BUCKETS,
    bucket_index,
    bucket_labels,
    collection_effectiveness_index,
    dso_countback,
    dso_simple,
)


class TestBuckets(unittest.TestCase):
    def test_default_bucket_boundaries(self):
        expected = {
            -10: 0,
            0: 0,
            1: 1,
            30: 1,
            31: 2,
            60: 2,
            61: 3,
            90: 3,
            91: 4,
            120: 4,
            121: 5,
        }
        for days, index in expected.items():
            with self.subTest(days=days):
                self.assertEqual(bucket_index(days), index)

    def test_labels(self):
        self.assertEqual(
            bucket_labels(DEFAULT_BUCKETS),
            ["Not due", "1-30", "31-60", "61-90", "91-120", "+120"],
        )
        self.assertEqual(bucket_labels((0, 15)), ["Not due", "1-15", "+15"])
        self.assertEqual(bucket_index(16, (0, 15)), 2)

    def test_invalid_limits(self):
        for limits in ((), (1, 30), (0, 30, 30), (0, 60, 30), (0, 30.5)):
            with self.subTest(limits=limits), self.assertRaises(ValueError):
                bucket_index(10, limits)


class TestRatios(unittest.TestCase):
    def test_dso_simple(self):
        self.assertEqual(dso_simple(D("150000"), D("450000"), 90), D("30"))
        self.assertIsNone(dso_simple(D("150000"), D("0"), 90))

    def test_dso_countback(self):
        # 60000 (31 days) and 70000 (30 days) consumed, 20000 left of 80000:
        # 31 + 30 + 20000 / 80000 * 31 = 68.75
        months = [
            (31, D("60000")),
            (30, D("70000")),
            (31, D("80000")),
            (30, D("90000")),
        ]
        self.assertEqual(dso_countback(D("150000"), months), D("68.75"))
        self.assertEqual(dso_countback(D("30000"), months), D("15.5"))
        self.assertEqual(dso_countback(D("60000"), months), D("31"))
        self.assertEqual(dso_countback(D("0"), months), D("0"))

    def test_dso_countback_months_without_sales(self):
        # An empty month and a month of net credit notes add days but consume nothing.
        months = [(30, D("0")), (31, D("-500")), (30, D("1000"))]
        self.assertEqual(dso_countback(D("500"), months), D("76"))  # 30 + 31 + 15

    def test_dso_countback_beyond_history(self):
        self.assertIsNone(dso_countback(D("1000"), [(31, D("400")), (30, D("500"))]))

    def test_collection_effectiveness_index(self):
        # (100 + 500 - 150) / (100 + 500 - 90) * 100 = 450 / 510 * 100 = 88.235...
        cei = collection_effectiveness_index(D("100"), D("500"), D("150"), D("90"))
        self.assertEqual(round(cei, 3), D("88.235"))
        self.assertEqual(collection_effectiveness_index(0, 100, 0, 0), D("100"))
        self.assertIsNone(collection_effectiveness_index(0, 0, 0, 0))


if __name__ == "__main__":
    unittest.main()


class TestPeriods(unittest.TestCase):
    def test_month_periods_start_with_the_month_to_date(self):
        from datetime import date

        from tools.ageing import month_periods

        self.assertEqual(
            month_periods(date(2025, 3, 15), 3),
            [
                (date(2025, 3, 1), date(2025, 3, 15)),
                (date(2025, 2, 1), date(2025, 2, 28)),
                (date(2025, 1, 1), date(2025, 1, 31)),
            ],
        )
        self.assertEqual(
            month_periods(date(2024, 12, 31), 1),
            [(date(2024, 12, 1), date(2024, 12, 31))],
        )
        with self.assertRaises(ValueError):
            month_periods(date(2024, 12, 31), 0)

    def test_flow_period_start(self):
        from datetime import date

        from tools.ageing import flow_period_start

        today = date(2025, 6, 30)
        self.assertEqual(flow_period_start(today, "month"), date(2025, 6, 1))
        self.assertEqual(flow_period_start(today, "quarter"), date(2025, 4, 2))
        self.assertEqual(flow_period_start(today, "year"), date(2024, 7, 1))
        with self.assertRaises(ValueError):
            flow_period_start(today, "week")

    def test_ratio_percent(self):
        from tools.ageing import ratio_percent

        self.assertEqual(ratio_percent(25, 200), D("12.5"))
        self.assertIsNone(ratio_percent(25, 0))

"""Rates as they change (issue #17 item 6): a half-year whose reference rate was not
entered uses the last known one, and says so (``HalfYearRate.fallback``)."""

import unittest
from datetime import date
from decimal import Decimal as D

from tools.late_payment import (
    HalfYearRate,
    floored_contractual_rate,
    half_year_rate,
    half_year_starts,
    rate_entered,
)

from .test_late_payment import ECB_HISTORY, LEGAL_HISTORY


class TestHalfYearRate(unittest.TestCase):
    def test_l441_10_ecb_rate_of_the_reference_date(self):
        # 2025-H2: the 2.15 of 2025-06-11 was decided in the six months up to 1 July.
        self.assertEqual(
            half_year_rate(ECB_HISTORY, date(2025, 9, 1)),
            HalfYearRate(date(2025, 7, 1), D("2.15"), date(2025, 6, 11), False),
        )
        # 2021-H1: no decision since 2016, but the table goes on to 2022: kept up
        # to date, the 0.00 of 2016-03-16 is the rate of 1 January 2021.
        self.assertEqual(
            half_year_rate(ECB_HISTORY, date(2021, 3, 1)),
            HalfYearRate(date(2021, 1, 1), D("0.00"), date(2016, 3, 16), False),
        )

    def test_l441_10_ecb_rate_not_entered_falls_back_to_the_last_known(self):
        # Nothing after 1 July 2025 in the table: 1 January and 1 July 2026 use the
        # 2.15 of 2025-06-11 and are flagged.
        for day, start in (
            (date(2026, 3, 1), date(2026, 1, 1)),
            (date(2026, 9, 1), date(2026, 7, 1)),
        ):
            with self.subTest(day=day):
                self.assertEqual(
                    half_year_rate(ECB_HISTORY, day),
                    HalfYearRate(start, D("2.15"), date(2025, 6, 11), True),
                )
        # a table stopped in 2016 does not tell the rate of 1 January 2021
        stopped = [item for item in ECB_HISTORY if item[0].year < 2017]
        self.assertTrue(half_year_rate(stopped, date(2021, 3, 1)).fallback)

    def test_legal_rate_of_the_half_year_or_the_last_known(self):
        # 2026-H1: 2.62 (arrete of 15-12-2025), entered.
        self.assertEqual(
            half_year_rate(LEGAL_HISTORY, date(2026, 3, 1), per_half_year=True),
            HalfYearRate(date(2026, 1, 1), D("2.62"), date(2026, 1, 1), False),
        )
        # 2026-H2 not entered: the 2.62 of 2026-H1, flagged.
        self.assertEqual(
            half_year_rate(LEGAL_HISTORY, date(2026, 9, 1), per_half_year=True),
            HalfYearRate(date(2026, 7, 1), D("2.62"), date(2026, 1, 1), True),
        )
        # a gap: 2025-H2 missing uses the 3.71 of 2025-H1
        gap = [item for item in LEGAL_HISTORY if item[0] != date(2025, 7, 1)]
        self.assertEqual(
            half_year_rate(gap, date(2025, 9, 1), per_half_year=True),
            HalfYearRate(date(2025, 7, 1), D("3.71"), date(2025, 1, 1), True),
        )
        # before the first legal rate there is nothing to fall back on
        with self.assertRaisesRegex(ValueError, "no rate is in force on 2022-07-01"):
            half_year_rate(LEGAL_HISTORY, date(2022, 9, 1), per_half_year=True)

    def test_rate_entered(self):
        history = [(date(2025, 7, 1), D("2")), (date(2026, 3, 11), D("2"))]
        # legal: only a rate on the first day of the half-year
        self.assertTrue(rate_entered(history, date(2025, 7, 1), per_half_year=True))
        self.assertFalse(rate_entered(history, date(2026, 1, 1), per_half_year=True))
        # ECB: a decision after the start of the half-year before the reference
        # date; one on that start itself is six months old and does not count
        self.assertTrue(rate_entered(history, date(2026, 7, 1), per_half_year=False))
        self.assertTrue(rate_entered(history, date(2026, 1, 1), per_half_year=False))
        self.assertFalse(
            rate_entered(history[:1], date(2026, 1, 1), per_half_year=False)
        )
        self.assertTrue(
            rate_entered(history[:1], date(2025, 7, 1), per_half_year=False)
        )
        self.assertFalse(rate_entered([], date(2026, 1, 1), per_half_year=False))

    def test_l441_10_floor_with_the_last_known_legal_rate(self):
        # 7 % agreed, 2026-H2 has no legal rate yet: floored at 3 x 2.62 (2026-H1,
        # last known) = 7.86; before the first legal rate (2022) the 7 % stays.
        self.assertEqual(
            floored_contractual_rate(date(2026, 9, 1), D("7"), LEGAL_HISTORY),
            D("7.86"),
        )
        self.assertEqual(
            floored_contractual_rate(date(2022, 9, 1), D("7"), LEGAL_HISTORY), D("7")
        )

    def test_half_year_starts(self):
        self.assertEqual(
            half_year_starts(date(2025, 6, 15), date(2026, 7, 1)),
            [date(2025, 1, 1), date(2025, 7, 1), date(2026, 1, 1), date(2026, 7, 1)],
        )
        self.assertEqual(
            half_year_starts(date(2025, 8, 1), date(2025, 8, 1)), [date(2025, 7, 1)]
        )
        self.assertEqual(half_year_starts(date(2025, 8, 1), date(2025, 6, 1)), [])

import unittest
from datetime import date

from tools.dates import next_working_day


class TestNextWorkingDay(unittest.TestCase):
    def test_weekday_is_followed_by_the_next_day(self):
        # Monday 2025-06-30 -> Tuesday; Thursday -> Friday.
        self.assertEqual(next_working_day(date(2025, 6, 30)), date(2025, 7, 1))
        self.assertEqual(next_working_day(date(2025, 7, 3)), date(2025, 7, 4))

    def test_friday_and_weekend_are_followed_by_monday(self):
        for day in (date(2025, 7, 4), date(2025, 7, 5), date(2025, 7, 6)):
            self.assertEqual(next_working_day(day), date(2025, 7, 7))

import unittest

from tools.levels import reached_level

# Courtesy at D-5, friendly at D+7, formal notice at D+30 from 100 due.
LADDER = [(-5, 0, "courtesy"), (7, 0, "friendly"), (30, 100, "formal notice")]


class TestReachedLevel(unittest.TestCase):
    def test_highest_level_reached_by_days(self):
        self.assertIsNone(reached_level(LADDER, -6, 500))
        self.assertEqual(reached_level(LADDER, -5, 500), "courtesy")
        self.assertEqual(reached_level(LADDER, 6, 500), "courtesy")
        self.assertEqual(reached_level(LADDER, 7, 500), "friendly")
        self.assertEqual(reached_level(LADDER, 200, 500), "formal notice")

    def test_minimum_amount_keeps_a_small_debt_at_the_level_below(self):
        self.assertEqual(reached_level(LADDER, 45, 99.99), "friendly")
        self.assertEqual(reached_level(LADDER, 45, 100), "formal notice")

    def test_empty_ladder(self):
        self.assertIsNone(reached_level([], 100, 1000))


if __name__ == "__main__":
    unittest.main()

import unittest

from tools.levels import allocate_credits, next_level, reached_level

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


class TestNextLevel(unittest.TestCase):
    def test_level_after_the_days_given(self):
        self.assertEqual(next_level(LADDER), "courtesy")
        self.assertEqual(next_level(LADDER, -5), "friendly")
        self.assertEqual(next_level(LADDER, 7), "formal notice")
        self.assertIsNone(next_level(LADDER, 30))
        self.assertIsNone(next_level([]))


class TestAllocateCredits(unittest.TestCase):
    def test_credit_covers_the_first_amounts_due(self):
        # 100 due 31 days ago, a credit note of 300: nothing left, 200 of credit.
        self.assertEqual(allocate_credits([100.0, -300.0]), [0, 0])
        # The oldest first: 1000 then 300, credit 1000.
        self.assertEqual(allocate_credits([1000.0, 300.0, -1000.0]), [0, 300.0, 0])
        self.assertEqual(allocate_credits([150.0, -100.0]), [50.0, 0])
        self.assertEqual(
            allocate_credits([-50.0, 1000.0, 300.0, -25.5]), [0, 924.5, 300.0, 0]
        )

    def test_no_credit_leaves_the_amounts(self):
        self.assertEqual(allocate_credits([100.0, 200.0]), [100.0, 200.0])
        self.assertEqual(allocate_credits([]), [])

    def test_amounts_left_are_rounded_to_the_currency(self):
        # 0.1 + 0.2 in binary floats is not 0.3: nothing is left, not 5.5e-17.
        self.assertEqual(allocate_credits([0.1 + 0.2, -0.3]), [0, 0])
        self.assertEqual(allocate_credits([1000.4, -400.0], digits=0), [600.0, 0])


if __name__ == "__main__":
    unittest.main()

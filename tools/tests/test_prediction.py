import unittest
from datetime import date

from tools.prediction import (
    OVERDUE_SLACK_DAYS,
    PaidInvoice,
    customer_delay,
    predict,
    weighted_delay,
)

TODAY = date(2025, 6, 30)


class TestWeightedDelay(unittest.TestCase):
    def test_amount_weighted_without_decay_on_the_same_day(self):
        # Both paid today (age 0, weight = amount): (1000 * 10 + 3000 * 30) / 4000 = 25
        history = [
            PaidInvoice(date(2025, 6, 20), 1000, 10, TODAY),
            PaidInvoice(date(2025, 5, 31), 3000, 30, TODAY),
        ]
        self.assertEqual(weighted_delay(history, TODAY), (25.0, 2))

    def test_recent_invoices_weigh_more(self):
        # Paid 120 days ago (one half-life): weight 1000 * 0.5 = 500, 40 days late;
        # paid today: weight 1000, 10 days late. (500 * 40 + 1000 * 10) / 1500 = 20
        history = [
            PaidInvoice(date(2025, 1, 21), 1000, 40, date(2025, 3, 2)),
            PaidInvoice(date(2025, 6, 20), 1000, 10, TODAY),
        ]
        delay, count = weighted_delay(history, TODAY, half_life=120)
        self.assertAlmostEqual(delay, 20.0)
        self.assertEqual(count, 2)

    def test_early_payments_count_negative_credit_notes_ignored(self):
        # (1000 * -5 + 1000 * 15) / 2000 = 5; the credit note weighs nothing.
        history = [
            PaidInvoice(date(2025, 7, 5), 1000, -5, TODAY),
            PaidInvoice(date(2025, 6, 15), 1000, 15, TODAY),
            PaidInvoice(date(2025, 6, 15), -500, 90, TODAY),
        ]
        self.assertEqual(weighted_delay(history, TODAY), (5.0, 2))

    def test_empty_and_bad_half_life(self):
        self.assertEqual(weighted_delay([], TODAY), (None, 0))
        with self.assertRaises(ValueError):
            weighted_delay([], TODAY, half_life=0)


class TestCustomerDelay(unittest.TestCase):
    def test_shrunk_towards_the_fallback(self):
        # Own 30 days over 2 invoices, fallback 6 with a prior of 2 invoices:
        # (2 * 30 + 2 * 6) / 4 = 18
        history = [
            PaidInvoice(date(2025, 5, 31), 1000, 30, TODAY),
            PaidInvoice(date(2025, 5, 31), 500, 30, TODAY),
        ]
        self.assertEqual(
            customer_delay(history, TODAY, fallback=6, prior_weight=2), 18.0
        )
        # By default (no shrinking) its own 30 days.
        self.assertEqual(customer_delay(history, TODAY, fallback=6), 30.0)

    def test_fallback_without_history(self):
        self.assertEqual(customer_delay([], TODAY, fallback=12.5), 12.5)
        self.assertEqual(customer_delay([], TODAY, fallback=None), 0.0)


class TestPredict(unittest.TestCase):
    def test_due_date_plus_delay(self):
        # Due 15 July + 12.4 days rounded to 12 = 27 July.
        self.assertEqual(
            predict(date(2025, 7, 15), TODAY, 12.4), (date(2025, 7, 27), 12)
        )

    def test_never_before_today(self):
        # Due 1 June + 10 = 11 June, already past: today + the slack.
        expected = date(2025, 7, 7)
        self.assertEqual((expected - TODAY).days, OVERDUE_SLACK_DAYS)
        self.assertEqual(predict(date(2025, 6, 1), TODAY, 10), (expected, 36))
        # Paying early, due tomorrow: not before today either (today + slack).
        self.assertEqual(predict(date(2025, 7, 1), TODAY, -5), (expected, 6))

    def test_backlog_pushes_the_date(self):
        # Habit 10 days, an older invoice 50 days overdue: 10 + (50 - 10) / 2 = 30.
        self.assertEqual(
            predict(date(2025, 7, 15), TODAY, 10, backlog_days=50),
            (date(2025, 8, 14), 30),
        )
        # A backlog shorter than the habit changes nothing.
        self.assertEqual(
            predict(date(2025, 7, 15), TODAY, 10, backlog_days=5),
            (date(2025, 7, 25), 10),
        )

    def test_plan_then_promise_win(self):
        due = date(2025, 7, 15)
        self.assertEqual(
            predict(
                due,
                TODAY,
                40,
                promise_date=date(2025, 7, 10),
                plan_date=date(2025, 8, 5),
            ),
            (date(2025, 8, 5), 21),
        )
        self.assertEqual(
            predict(due, TODAY, 40, promise_date=date(2025, 7, 10)),
            (date(2025, 7, 10), -5),
        )

    def test_disputed_gets_no_date(self):
        self.assertEqual(
            predict(date(2025, 7, 15), TODAY, 10, disputed=True), (None, None)
        )

    def test_partial_payment_sets_the_rhythm(self):
        # Due 15 July + 0 = 15 July, but a part paid 20 June: 20 June + 30 = 20 July.
        self.assertEqual(
            predict(date(2025, 7, 15), TODAY, 0, last_payment_date=date(2025, 6, 20)),
            (date(2025, 7, 20), 5),
        )


if __name__ == "__main__":
    unittest.main()

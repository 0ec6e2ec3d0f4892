import unittest
from datetime import date
from decimal import Decimal as D

from tools.installments import (
    DATES_NOT_INCREASING,
    EMPTY,
    NON_POSITIVE_AMOUNT,
    SUM_MISMATCH,
    add_months,
    allocate_payments,
    schedule_interest,
    split_installments,
    validate_schedule,
)


class TestSplitInstallments(unittest.TestCase):
    def test_monthly_from_end_of_month(self):
        plan = split_installments(D("1000"), 3, date(2025, 1, 31))
        self.assertEqual(
            plan,
            [
                (date(2025, 1, 31), D("333.33")),
                (date(2025, 2, 28), D("333.33")),
                (date(2025, 3, 31), D("333.34")),
            ],
        )
        self.assertEqual(validate_schedule(D("1000"), plan), [])

    def test_monthly_leap_year_and_not_cumulative(self):
        plan = split_installments(D("400"), 4, date(2024, 1, 31))
        self.assertEqual(
            [due for due, _amount in plan],
            [
                date(2024, 1, 31),
                date(2024, 2, 29),
                date(2024, 3, 31),
                date(2024, 4, 30),
            ],
        )

    def test_quarterly_from_start_date_each_time(self):
        # Cumulative steps would drift to 28 May and 28 Aug after 28 Feb.
        plan = split_installments(D("100"), 4, date(2024, 11, 30), "quarterly")
        self.assertEqual(
            plan,
            [
                (date(2024, 11, 30), D("25.00")),
                (date(2025, 2, 28), D("25.00")),
                (date(2025, 5, 30), D("25.00")),
                (date(2025, 8, 30), D("25.00")),
            ],
        )

    def test_weekly_and_biweekly(self):
        weekly = split_installments(D("10"), 3, date(2025, 12, 24), "weekly")
        self.assertEqual(
            weekly,
            [
                (date(2025, 12, 24), D("3.33")),
                (date(2025, 12, 31), D("3.33")),
                (date(2026, 1, 7), D("3.34")),
            ],
        )
        biweekly = split_installments(D("10"), 2, date(2025, 2, 20), "biweekly")
        self.assertEqual(
            biweekly, [(date(2025, 2, 20), D("5.00")), (date(2025, 3, 6), D("5.00"))]
        )

    def test_down_payment_on_start_date_shifts_installments(self):
        plan = split_installments(
            D("1000"), 3, date(2025, 1, 15), down_payment=D("100")
        )
        self.assertEqual(
            plan,
            [
                (date(2025, 1, 15), D("100")),
                (date(2025, 2, 15), D("300.00")),
                (date(2025, 3, 15), D("300.00")),
                (date(2025, 4, 15), D("300.00")),
            ],
        )
        self.assertEqual(validate_schedule(D("1000"), plan), [])

    def test_down_payment_with_its_own_date(self):
        plan = split_installments(
            D("1000.01"),
            2,
            date(2025, 2, 1),
            down_payment=D("200"),
            down_payment_date=date(2025, 1, 10),
        )
        self.assertEqual(
            plan,
            [
                (date(2025, 1, 10), D("200")),
                (date(2025, 2, 1), D("400.00")),
                (date(2025, 3, 1), D("400.01")),
            ],
        )
        with self.assertRaisesRegex(ValueError, "after the first installment date"):
            split_installments(
                D("1000"),
                2,
                date(2025, 2, 1),
                down_payment=1,
                down_payment_date=date(2025, 2, 2),
            )

    def test_sum_is_exact(self):
        for total in (D("0.05"), D("99.99"), D("1000.00"), D("123456.78")):
            for count in (1, 2, 3, 5):
                plan = split_installments(total, count, date(2025, 1, 1), "weekly")
                self.assertEqual(sum(amount for _due, amount in plan), total)
        plan = split_installments(D("100"), 3, date(2025, 1, 1), rounding=D("1"))
        self.assertEqual([amount for _due, amount in plan], [D("33"), D("33"), D("34")])

    def test_invalid_arguments(self):
        start = date(2025, 1, 1)
        cases = [
            ((D("0"), 3, start), {}, "total must be positive"),
            ((D("-5"), 3, start), {}, "total must be positive"),
            ((D("100"), 0, start), {}, "count must be an integer of at least 1"),
            ((D("100"), 2, start), {"frequency": "daily"}, "unknown frequency 'daily'"),
            (
                (D("100"), 2, start),
                {"down_payment": D("-1")},
                "down payment must be at least 0",
            ),
            ((D("100"), 2, start), {"down_payment": D("100")}, "below the total 100"),
            ((D("100"), 2, start), {"rounding": D("0")}, "rounding must be positive"),
            ((D("0.05"), 10, start), {}, "too small to split into 10 installments"),
        ]
        for args, kwargs, message in cases:
            with (
                self.subTest(message=message),
                self.assertRaisesRegex(ValueError, message),
            ):
                split_installments(*args, **kwargs)

    def test_add_months(self):
        self.assertEqual(add_months(date(2024, 12, 31), 2), date(2025, 2, 28))
        self.assertEqual(add_months(date(2025, 3, 31), -1), date(2025, 2, 28))
        self.assertEqual(add_months(date(2025, 1, 15), 12), date(2026, 1, 15))


class TestValidateSchedule(unittest.TestCase):
    def test_problems(self):
        self.assertEqual(validate_schedule(D("100"), []), [EMPTY])
        self.assertEqual(
            validate_schedule(
                D("100"), [(date(2025, 1, 1), D("50")), (date(2025, 2, 1), D("49"))]
            ),
            [SUM_MISMATCH],
        )
        same_day = [(date(2025, 1, 1), D("50")), (date(2025, 1, 1), D("50"))]
        self.assertEqual(validate_schedule(D("100"), same_day), [DATES_NOT_INCREASING])
        bad = [(date(2025, 2, 1), D("120")), (date(2025, 1, 1), D("-20"))]
        self.assertEqual(
            validate_schedule(D("90"), bad),
            [SUM_MISMATCH, DATES_NOT_INCREASING, NON_POSITIVE_AMOUNT],
        )


class TestAllocatePayments(unittest.TestCase):
    PLAN = [
        (date(2025, 1, 1), D("100")),
        (date(2025, 2, 1), D("100")),
        (date(2025, 3, 1), D("100")),
    ]

    def test_fills_oldest_first(self):
        self.assertEqual(
            allocate_payments(self.PLAN, D("150")), [D("100"), D("50"), D("0")]
        )
        self.assertEqual(allocate_payments(self.PLAN, 0), [D("0")] * 3)
        self.assertEqual(allocate_payments(self.PLAN, D("500")), [D("100")] * 3)

    def test_keeps_the_given_order(self):
        shuffled = [self.PLAN[2], self.PLAN[0], self.PLAN[1]]
        self.assertEqual(
            allocate_payments(shuffled, D("150")), [D("0"), D("100"), D("50")]
        )

    def test_negative_paid_total(self):
        with self.assertRaisesRegex(ValueError, "paid total must not be negative"):
            allocate_payments(self.PLAN, D("-1"))


if __name__ == "__main__":
    unittest.main()


class TestScheduleInterest(unittest.TestCase):
    def test_each_line_bears_interest_for_its_own_days(self):
        start = date(2025, 1, 1)
        lines = [(date(2025, 1, 31), D("1000")), (date(2025, 3, 2), D("1000"))]
        # 1000 x 5% x 30/365 + 1000 x 5% x 60/365 = 4.1096 + 8.2192 = 12.33
        self.assertEqual(schedule_interest(lines, D("5"), start), D("12.33"))

    def test_rounded_once_at_the_end(self):
        start = date(2025, 1, 1)
        # Each line alone is 0.0041 (rounds to 0.00); three add up to 0.0123.
        lines = [(date(2025, 1, 2), D("30"))] * 3
        self.assertEqual(schedule_interest(lines, D("5"), start), D("0.01"))

    def test_no_interest_before_start_or_at_zero_rate(self):
        start = date(2025, 6, 1)
        self.assertEqual(
            schedule_interest([(date(2025, 5, 1), D("500"))], 10, start), D("0.00")
        )
        self.assertEqual(
            schedule_interest([(date(2025, 9, 1), D("500"))], 0, start), D("0.00")
        )

    def test_invalid_arguments(self):
        with self.assertRaises(ValueError):
            schedule_interest([], -1, date(2025, 1, 1))
        with self.assertRaises(ValueError):
            schedule_interest([], 1, date(2025, 1, 1), rounding=0)

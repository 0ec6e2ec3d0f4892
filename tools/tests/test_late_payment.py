import math
import random
import unittest
from datetime import date, timedelta
from decimal import Decimal as D
from fractions import Fraction

from tools.late_payment import (
    InterestPeriod,
    days_late,
    ecb_plus_margin_rate,
    floored_contractual_rate,
    half_year_start,
    interest_of_periods,
    interest_periods,
    late_interest,
    late_span,
    legal_rate_for_half_year,
    max_legal_term_ok,
    minimum_contractual_rate,
    periods_after,
    rate_in_force,
    rate_outside,
    recovery_indemnity,
)

# ECB main refinancing rate (LEGAL.md), effective date -> percent.
ECB_HISTORY = [
    (date(2016, 3, 16), D("0.00")),
    (date(2022, 7, 27), D("0.50")),
    (date(2022, 9, 14), D("1.25")),
    (date(2022, 11, 2), D("2.00")),
    (date(2022, 12, 21), D("2.50")),
    (date(2023, 2, 8), D("3.00")),
    (date(2023, 3, 22), D("3.50")),
    (date(2023, 5, 10), D("3.75")),
    (date(2023, 6, 21), D("4.00")),
    (date(2023, 8, 2), D("4.25")),
    (date(2023, 9, 20), D("4.50")),
    (date(2024, 6, 12), D("4.25")),
    (date(2024, 9, 18), D("3.65")),
    (date(2024, 10, 23), D("3.40")),
    (date(2024, 12, 18), D("3.15")),
    (date(2025, 2, 5), D("2.90")),
    (date(2025, 3, 12), D("2.65")),
    (date(2025, 4, 23), D("2.40")),
    (date(2025, 6, 11), D("2.15")),
]

# Taux de l'interet legal, professional creditor (LEGAL.md), half-year start -> percent.
LEGAL_HISTORY = [
    (date(2023, 1, 1), D("2.06")),
    (date(2023, 7, 1), D("4.22")),
    (date(2024, 1, 1), D("5.07")),
    (date(2024, 7, 1), D("4.92")),
    (date(2025, 1, 1), D("3.71")),
    (date(2025, 7, 1), D("2.76")),
    (date(2026, 1, 1), D("2.62")),
]


def french_rate(day):
    return ecb_plus_margin_rate(day, ECB_HISTORY)


def contractual_minimum(day):
    return minimum_contractual_rate(day, LEGAL_HISTORY)


def random_daily_rate(generator):
    """Return an opaque rate callable that changes from day to day, stable across calls."""
    rates = {}

    def rate(day):
        if day not in rates:
            rates[day] = D(generator.choice(["0", "3.5", "10", "12.15"]))
        return rates[day]

    return rate


class TestRates(unittest.TestCase):
    def test_half_year_start(self):
        self.assertEqual(half_year_start(date(2024, 6, 30)), date(2024, 1, 1))
        self.assertEqual(half_year_start(date(2024, 7, 1)), date(2024, 7, 1))
        self.assertEqual(half_year_start(date(2024, 12, 31)), date(2024, 7, 1))

    def test_ecb_rate_fixed_per_half_year(self):
        # 1 Jan 2024: 4.50 (since 2023-09-20); the 4.25 of 2024-06-12 waits for 1 July.
        self.assertEqual(french_rate(date(2024, 1, 1)), D("14.50"))
        self.assertEqual(french_rate(date(2024, 6, 30)), D("14.50"))
        self.assertEqual(french_rate(date(2024, 7, 1)), D("14.25"))
        self.assertEqual(french_rate(date(2024, 12, 31)), D("14.25"))
        self.assertEqual(french_rate(date(2025, 1, 1)), D("13.15"))
        self.assertEqual(french_rate(date(2025, 9, 1)), D("12.15"))
        # 2022-H2: 0.00 on 1 July, the 27 July rise does not count.
        self.assertEqual(french_rate(date(2022, 12, 31)), D("10.00"))
        self.assertEqual(french_rate(date(2023, 3, 1)), D("12.50"))

    def test_ecb_history_in_any_order_and_margin(self):
        shuffled = list(ECB_HISTORY)
        random.Random(7).shuffle(shuffled)
        self.assertEqual(ecb_plus_margin_rate(date(2024, 8, 1), shuffled), D("14.25"))
        self.assertEqual(
            ecb_plus_margin_rate(date(2024, 8, 1), shuffled, margin=8), D("12.25")
        )

    def test_no_rate_in_force(self):
        with self.assertRaisesRegex(ValueError, "no rate is in force on 2016-01-01"):
            french_rate(date(2016, 2, 1))

    def test_conflicting_rates(self):
        history = [(date(2024, 1, 1), D("1")), (date(2024, 1, 1), D("2"))]
        with self.assertRaisesRegex(ValueError, "two different rates"):
            rate_in_force(history, date(2024, 2, 1))
        duplicated = [(date(2024, 1, 1), D("1")), (date(2024, 1, 1), D("1"))]
        self.assertEqual(rate_in_force(duplicated, date(2024, 2, 1)), D("1"))

    def test_legal_rate_and_contractual_minimum(self):
        self.assertEqual(
            legal_rate_for_half_year(date(2025, 3, 31), LEGAL_HISTORY), D("3.71")
        )
        self.assertEqual(contractual_minimum(date(2025, 7, 1)), D("8.28"))  # 3 x 2.76
        self.assertEqual(contractual_minimum(date(2025, 6, 30)), D("11.13"))  # 3 x 3.71
        with self.assertRaisesRegex(ValueError, "half-year starting 2026-07-01"):
            contractual_minimum(date(2026, 7, 1))


class TestLateInterest(unittest.TestCase):
    def test_brief_example_across_1_july(self):
        # 16 May..30 Jun 2024 = 46 days at 14.50, 1..15 Jul = 15 days at 14.25:
        # 10000 * (46 * 14.50 + 15 * 14.25) / 100 / 365 = 8807500 / 36500
        # = 241.3013... -> 241.30
        interest = late_interest(
            D("10000"), date(2024, 5, 15), date(2024, 7, 15), [], french_rate
        )
        self.assertEqual(interest, D("241.30"))
        periods = interest_periods(
            D("10000"), date(2024, 5, 15), date(2024, 7, 15), [], french_rate
        )
        self.assertEqual(
            periods,
            [
                InterestPeriod(
                    date(2024, 5, 16), date(2024, 6, 30), D("10000"), D("14.50")
                ),
                InterestPeriod(
                    date(2024, 7, 1), date(2024, 7, 15), D("10000"), D("14.25")
                ),
            ],
        )
        self.assertEqual([period.days for period in periods], [46, 15])

    def test_across_1_january(self):
        # 11..31 Dec 2024 = 21 days at 14.25, 1..20 Jan 2025 = 20 days at 13.15:
        # 5000 * (21 * 14.25 + 20 * 13.15) / 36500 = 2811250 / 36500 = 77.0205...
        interest = late_interest(
            D("5000"), date(2024, 12, 10), date(2025, 1, 20), [], french_rate
        )
        self.assertEqual(interest, D("77.02"))

    def test_leap_year_keeps_basis_365(self):
        # 2024 has 366 late days: 182 (Jan-Jun) at 14.50 and 184 (Jul-Dec) at 14.25:
        # 1000 * (182 * 14.50 + 184 * 14.25) / 36500 = 5261000 / 36500 = 144.1369...
        interest = late_interest(
            D("1000"), date(2023, 12, 31), date(2024, 12, 31), [], french_rate
        )
        self.assertEqual(interest, D("144.14"))
        # Flat 10 %: 36500 * 10 * 366 / 36500 = 3660.00, a day more than a year's rate.
        flat = late_interest(
            36500, date(2023, 12, 31), date(2024, 12, 31), [], lambda day: 10
        )
        self.assertEqual(flat, D("3660.00"))

    def test_partial_payments_lower_the_base_the_day_after(self):
        # 4000 received 11 Mar: days 2..11 Mar (10) on 10000, days 12..31 Mar (20) on
        # 6000, the last 6000 received 31 Mar still bears that day:
        # (10000 * 10 + 6000 * 20) * 14.50 / 36500
        # = 3190000 / 36500 = 87.3972... -> 87.40
        payments = [(date(2024, 3, 31), D("6000")), (date(2024, 3, 11), D("4000"))]
        interest = late_interest(
            D("10000"), date(2024, 3, 1), date(2024, 4, 30), payments, french_rate
        )
        self.assertEqual(interest, D("87.40"))

    def test_overpayment_stops_accrual(self):
        # Days 2..5 Mar on 1000, then a balance of -500 accrues nothing:
        # 1000 * 4 * 14.50 / 36500 = 58000 / 36500 = 1.5890... -> 1.59
        payments = [(date(2024, 3, 5), D("1500"))]
        interest = late_interest(
            D("1000"), date(2024, 3, 1), date(2024, 3, 31), payments, french_rate
        )
        self.assertEqual(interest, D("1.59"))

    def test_bounced_payment_raises_the_balance_again(self):
        calls = []

        def rate(day):
            calls.append(day)
            return D(10)

        # 1000 paid on 3 Mar, cheque bounced on 10 Mar: 2..3 Mar and 11..12 Mar on 1000.
        payments = [(date(2024, 3, 3), D("1000")), (date(2024, 3, 10), D("-1000"))]
        periods = interest_periods(
            D("1000"), date(2024, 3, 1), date(2024, 3, 12), payments, rate
        )
        self.assertEqual(
            periods,
            [
                InterestPeriod(date(2024, 3, 2), date(2024, 3, 3), D("1000"), D("10")),
                InterestPeriod(
                    date(2024, 3, 11), date(2024, 3, 12), D("1000"), D("10")
                ),
            ],
        )
        # the rate is not asked for the days with nothing due
        self.assertEqual(len(calls), 4)

    def test_payments_before_due_date_lower_the_base_from_the_start(self):
        # 600 left for 2..11 Mar: 600 * 10 * 14.50 / 36500 = 87000 / 36500 = 2.3835...
        payments = [(date(2024, 2, 20), D("400"))]
        interest = late_interest(
            D("1000"), date(2024, 3, 1), date(2024, 3, 11), payments, french_rate
        )
        self.assertEqual(interest, D("2.38"))
        paid_on_due_date = [(date(2024, 3, 1), D("1000"))]
        interest = late_interest(
            D("1000"),
            date(2024, 3, 1),
            date(2024, 3, 11),
            paid_on_due_date,
            french_rate,
        )
        self.assertEqual(interest, D("0.00"))

    def test_zero_ecb_rate_gives_ten_percent(self):
        # ECB 0.00 in 2020: 1..29 Feb + 1 Mar = 30 days at 10 %:
        # 1000 * 30 * 10 / 36500 = 300000 / 36500 = 8.2191... -> 8.22
        interest = late_interest(
            D("1000"), date(2020, 1, 31), date(2020, 3, 1), [], french_rate
        )
        self.assertEqual(interest, D("8.22"))
        # 2..31 Dec 2022 = 30 days at 10.00 (0.00 on 1 July),
        # 1..31 Jan 2023 = 31 days at 12.50:
        # 2000 * (30 * 10 + 31 * 12.50) / 36500 = 1375000 / 36500 = 37.6712... -> 37.67
        interest = late_interest(
            D("2000"), date(2022, 12, 1), date(2023, 1, 31), [], french_rate
        )
        self.assertEqual(interest, D("37.67"))

    def test_zero_rate_callable(self):
        interest = late_interest(
            D("1000"), date(2024, 1, 1), date(2024, 12, 31), [], lambda day: 0
        )
        self.assertEqual(interest, D("0.00"))

    def test_contractual_minimum_rate_across_1_july_2025(self):
        # 21..30 Jun 2025 = 10 days at 3 x 3.71 = 11.13,
        # 1..10 Jul 2025 = 10 days at 3 x 2.76 = 8.28:
        # 3000 * (10 * 11.13 + 10 * 8.28) / 36500 = 582300 / 36500 = 15.9534... -> 15.95
        interest = late_interest(
            D("3000"), date(2025, 6, 20), date(2025, 7, 10), [], contractual_minimum
        )
        self.assertEqual(interest, D("15.95"))

    def test_several_invoices_of_one_customer(self):
        # Statement on 20 Jan 2025, each invoice rounded on its own:
        # 1200 due 30 Nov 2024: 31 days at 14.25 + 20 days at 13.15:
        #   1200 * (441.75 + 263) / 36500 = 845700 / 36500 = 23.1698... -> 23.17
        # 800 due 31 Dec 2024: 800 * 20 * 13.15 / 36500 = 210400 / 36500 = 5.7643...
        # 500 due 31 Jan 2025: not late yet -> 0.00
        invoices = [
            (D("1200"), date(2024, 11, 30)),
            (D("800"), date(2024, 12, 31)),
            (D("500"), date(2025, 1, 31)),
        ]
        interests = [
            late_interest(amount, due, date(2025, 1, 20), [], french_rate)
            for amount, due in invoices
        ]
        self.assertEqual(interests, [D("23.17"), D("5.76"), D("0.00")])
        self.assertEqual(sum(interests), D("28.93"))

    def test_not_late(self):
        for end_date in (date(2024, 3, 1), date(2024, 2, 1)):
            interest = late_interest(
                D("1000"), date(2024, 3, 1), end_date, [], french_rate
            )
            self.assertEqual(interest, D("0.00"))
            self.assertEqual(str(interest), "0.00")

    def test_rounds_half_up_once(self):
        # 18.25 * 10 days * 1 % / 36500 = 0.005 exactly -> 0.01 (half-even gives 0.00)
        interest = late_interest(
            "18.25", date(2024, 1, 1), date(2024, 1, 11), [], lambda day: 1
        )
        self.assertEqual(interest, D("0.01"))
        # 10 days of 0.0027... each: rounding every day would give 0.00.
        interest = late_interest(
            1, date(2024, 1, 1), date(2024, 1, 11), [], lambda day: 100
        )
        self.assertEqual(interest, D("0.03"))  # 1 * 10 * 100 / 36500 = 0.0273...

    def test_float_amounts_are_read_as_written(self):
        # 1.825 * 1 day * 100 % / 36500 = 0.005 -> 0.01; the binary float 1.82499999...
        # would give 0.00 if it were converted exactly.
        interest = late_interest(
            1.825, date(2024, 1, 1), date(2024, 1, 2), [], lambda day: 100.0
        )
        self.assertEqual(interest, D("0.01"))

    def test_invalid_arguments(self):
        with self.assertRaisesRegex(ValueError, "annual_rate is required"):
            late_interest(D("100"), date(2024, 1, 1), date(2024, 2, 1))
        with self.assertRaisesRegex(ValueError, "amount must not be negative"):
            late_interest(
                D("-100"), date(2024, 1, 1), date(2024, 2, 1), [], french_rate
            )
        with self.assertRaisesRegex(ValueError, "amount must be a number"):
            late_interest("abc", date(2024, 1, 1), date(2024, 2, 1), [], french_rate)
        with self.assertRaisesRegex(ValueError, "year_days must be positive"):
            late_interest(
                D("100"), date(2024, 1, 1), date(2024, 2, 1), [], french_rate, 0
            )
        with self.assertRaisesRegex(ValueError, "must not be negative"):
            late_interest(
                D("100"), date(2024, 1, 1), date(2024, 2, 1), [], lambda day: -1
            )

    def test_matches_a_day_by_day_computation(self):
        generator = random.Random(2025)
        for _case in range(50):
            due = date(2020, 1, 1) + timedelta(days=generator.randrange(1500))
            end = due + timedelta(days=generator.randrange(-5, 800))
            amount = D(generator.randrange(1, 10**7)) / 100
            payments = [
                (
                    due + timedelta(days=generator.randrange(-30, 800)),
                    D(generator.randrange(10**6)) / 100,
                )
                for _payment in range(generator.randrange(5))
            ]
            rate = random_daily_rate(generator)
            expected = Fraction(0)
            day = due + timedelta(days=1)
            while day <= end:
                balance = amount - sum(
                    paid for paid_on, paid in payments if paid_on < day
                )
                if balance > 0:
                    expected += Fraction(balance) * Fraction(rate(day))
                day += timedelta(days=1)
            expected_cents = math.floor(expected * 100 / 36500 + Fraction(1, 2))
            self.assertEqual(
                late_interest(amount, due, end, payments, rate), D(expected_cents) / 100
            )
            late_days = [
                day
                for period in interest_periods(amount, due, end, payments, rate)
                for day in (period.start, period.end)
            ]
            self.assertEqual(
                late_span(amount, due, end, payments),
                (min(late_days), max(late_days)) if late_days else None,
            )
            # What is left after a charge up to a random day is the same interest as
            # computing from that day.
            charged_to = due + timedelta(days=generator.randrange(0, 900))
            self.assertEqual(
                periods_after(
                    interest_periods(amount, due, end, payments, rate), charged_to
                ),
                interest_periods(amount, charged_to, end, payments, rate),
            )


class TestPeriodsAndContractualRates(unittest.TestCase):
    def test_interest_of_periods_of_two_instalments_rounds_once(self):
        # Two instalments of 175.20 due 1 and 4 Mar, 3 late days each at 1 %:
        # 175.20 * 3 * 1 / 36500 = 0.0144 each, rounded alone 0.01 + 0.01 = 0.02;
        # the invoice's interest is rounded once: 0.0288 -> 0.03.
        first = interest_periods("175.20", date(2024, 3, 1), date(2024, 3, 4), [], _one)
        second = interest_periods(
            "175.20", date(2024, 3, 4), date(2024, 3, 7), [], _one
        )
        self.assertEqual(
            late_interest("175.20", date(2024, 3, 1), date(2024, 3, 4), [], _one),
            D("0.01"),
        )
        self.assertEqual(interest_of_periods(first + second), D("0.03"))

    def test_interest_of_periods_quantum_and_basis(self):
        periods = [
            InterestPeriod(date(2024, 1, 1), date(2024, 1, 10), D("1000"), D("10"))
        ]
        # 1000 * 10 * 10 / 36500 = 2.7397... ; basis 360: 2.7777...
        self.assertEqual(interest_of_periods(periods), D("2.74"))
        self.assertEqual(interest_of_periods(periods, 360), D("2.78"))
        self.assertEqual(interest_of_periods(periods, quantum=D("1")), D("3"))
        self.assertEqual(interest_of_periods([]), D("0.00"))
        with self.assertRaisesRegex(ValueError, "quantum must be positive"):
            interest_of_periods(periods, quantum=0)
        with self.assertRaisesRegex(ValueError, "year_days must be positive"):
            interest_of_periods(periods, 0)

    def test_floored_contractual_rate(self):
        # 12 % agreed: above 3 x 3.71 = 11.13 in 2025-H1, kept; 3 x 5.07 = 15.21 in
        # 2024-H1 is higher, the legal minimum applies; 2026-H2 has no legal rate yet.
        self.assertEqual(
            floored_contractual_rate(date(2025, 3, 1), D("12"), LEGAL_HISTORY), D("12")
        )
        self.assertEqual(
            floored_contractual_rate(date(2024, 3, 1), D("12"), LEGAL_HISTORY),
            D("15.21"),
        )
        self.assertEqual(
            floored_contractual_rate(date(2026, 9, 1), "12.5", LEGAL_HISTORY),
            D("12.5"),
        )

    def test_late_span(self):
        payments = [(date(2024, 3, 5), D("400")), (date(2024, 3, 9), D("600"))]
        self.assertEqual(
            late_span(D("1000"), date(2024, 3, 1), date(2024, 4, 30), payments),
            (date(2024, 3, 2), date(2024, 3, 9)),
        )
        self.assertEqual(
            late_span(D("1000"), date(2024, 3, 1), date(2024, 3, 6), payments),
            (date(2024, 3, 2), date(2024, 3, 6)),
        )
        paid_on_time = [(date(2024, 3, 1), D("1000"))]
        self.assertIsNone(
            late_span(D("1000"), date(2024, 3, 1), date(2024, 4, 30), paid_on_time)
        )
        self.assertIsNone(late_span(D("1000"), date(2024, 3, 1), date(2024, 3, 1)))

    def test_periods_after_a_charge(self):
        periods = interest_periods(
            D("10000"), date(2024, 5, 15), date(2024, 7, 15), [], french_rate
        )
        self.assertEqual(periods_after(periods, None), periods)
        self.assertEqual(
            periods_after(periods, date(2024, 6, 15)),
            [
                InterestPeriod(
                    date(2024, 6, 16), date(2024, 6, 30), D("10000"), D("14.50")
                ),
                InterestPeriod(
                    date(2024, 7, 1), date(2024, 7, 15), D("10000"), D("14.25")
                ),
            ],
        )
        self.assertEqual(periods_after(periods, date(2024, 7, 15)), [])

    def test_rate_outside_exempt_periods(self):
        # 10 days late at 14.50, of which 3..6 Mar exempt (payment plan):
        # 1000 * 6 * 14.50 / 36500 = 87000 / 36500 = 2.3835... -> 2.38
        rate = rate_outside(french_rate, [(date(2024, 3, 3), date(2024, 3, 6))])
        self.assertEqual(rate(date(2024, 3, 3)), D("0"))
        self.assertEqual(rate(date(2024, 3, 7)), D("14.50"))
        interest = late_interest(1000, date(2024, 3, 1), date(2024, 3, 11), [], rate)
        self.assertEqual(interest, D("2.38"))
        self.assertEqual(
            rate_outside(french_rate, [])(date(2024, 3, 3)),
            french_rate(date(2024, 3, 3)),
        )


def _one(day):
    return D(1)


class TestIndemnityAndTerms(unittest.TestCase):
    def test_recovery_indemnity(self):
        self.assertEqual(recovery_indemnity(True, True), D("40"))
        self.assertEqual(recovery_indemnity(True, True, amount=D("70")), D("70"))
        self.assertEqual(recovery_indemnity(False, True), D("0"))
        self.assertEqual(recovery_indemnity(True, False), D("0"))  # consumer
        self.assertEqual(recovery_indemnity(True, True, insolvency=True), D("0"))
        with self.assertRaisesRegex(ValueError, "must not be negative"):
            recovery_indemnity(True, True, amount=-40)

    def test_days_late(self):
        self.assertEqual(days_late(date(2024, 5, 15), date(2024, 7, 15)), 61)
        self.assertEqual(days_late(date(2024, 5, 15), date(2024, 5, 15)), 0)
        self.assertEqual(days_late(date(2024, 5, 15), date(2024, 5, 1)), 0)

    def test_max_legal_term(self):
        # Invoice 15 Jan 2025: 60 days -> 16 Mar; +45 days (1 Mar), month end -> 31 Mar.
        self.assertTrue(max_legal_term_ok(date(2025, 1, 15), date(2025, 3, 31)))
        self.assertFalse(max_legal_term_ok(date(2025, 1, 15), date(2025, 4, 1)))
        # Invoice 2 Jan 2025: 60 days -> 3 Mar; +45 days (16 Feb), month end -> 28 Feb;
        # end of January then +45 days -> 17 Mar, the latest reading.
        self.assertTrue(max_legal_term_ok(date(2025, 1, 2), date(2025, 3, 17)))
        self.assertFalse(max_legal_term_ok(date(2025, 1, 2), date(2025, 3, 18)))
        # Invoice 31 Jan 2025: 60 days -> 1 Apr, after both end-of-month readings
        # (17 and 31 Mar).
        self.assertTrue(max_legal_term_ok(date(2025, 1, 31), date(2025, 4, 1)))
        self.assertFalse(max_legal_term_ok(date(2025, 1, 31), date(2025, 4, 2)))
        # Transport (30 days) or no end-of-month term agreed: eom_days=None.
        self.assertTrue(
            max_legal_term_ok(date(2025, 1, 31), date(2025, 3, 2), 30, None)
        )
        self.assertFalse(
            max_legal_term_ok(date(2025, 1, 31), date(2025, 3, 3), 30, None)
        )
        self.assertFalse(
            max_legal_term_ok(date(2025, 1, 2), date(2025, 3, 17), eom_days=None)
        )


if __name__ == "__main__":
    unittest.main()

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestLateFeeRates(CollectionCommon):
    def test_rate_tables_are_shipped_as_noupdate_data(self):
        Rate = self.env["account.collection.rate"]
        histories = Rate._get_histories()
        self.assertEqual(len(histories["ecb"]), 19)
        self.assertEqual(len(histories["legal_professional"]), 7)
        self.assertEqual(len(histories["legal_private"]), 5)
        ecb = dict(histories["ecb"])
        self.assertEqual(
            [str(ecb[day]) for day in sorted(ecb)][:3], ["0.0", "0.5", "1.25"]
        )
        self.assertEqual(float(ecb[max(ecb)]), 2.15)
        self.assertEqual(str(max(ecb)), "2025-06-11")
        legal = {str(day): float(rate) for day, rate in histories["legal_professional"]}
        self.assertEqual(legal["2024-01-01"], 5.07)
        self.assertEqual(legal["2025-07-01"], 2.76)
        self.assertEqual(legal["2026-01-01"], 2.62)
        private = {str(day): float(rate) for day, rate in histories["legal_private"]}
        self.assertEqual(private["2024-07-01"], 8.16)
        self.assertEqual(private["2026-01-01"], 6.67)
        data = self.env["ir.model.data"].search(
            [("module", "=", "account_collection"), ("model", "=", Rate._name)]
        )
        self.assertEqual(len(data), 31)
        self.assertTrue(all(data.mapped("noupdate")))

    def test_one_rate_per_type_and_date(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["account.collection.rate"].create(
                {"rate_type": "ecb", "date_from": "2025-06-11", "rate": 2.0}
            )

    def test_legal_rate_takes_effect_on_a_half_year(self):
        with self.assertRaisesRegex(ValidationError, "1 January or 1 July"):
            self.env["account.collection.rate"].create(
                {
                    "rate_type": "legal_professional",
                    "date_from": "2026-03-01",
                    "rate": 2.5,
                }
            )
        rate = self.env["account.collection.rate"].create(
            {"rate_type": "legal_professional", "date_from": "2026-07-01", "rate": 2.5}
        )
        self.assertIn("2026", rate.display_name)
        # An ECB decision takes effect on any day.
        self.env["account.collection.rate"].create(
            {"rate_type": "ecb", "date_from": "2026-03-11", "rate": 2.0}
        )

    def test_collection_user_reads_but_cannot_edit_rates(self):
        Rate = self.env["account.collection.rate"]
        rate = self.env.ref("account_collection.account_collection_rate_ecb_20250611")
        self.assertEqual(rate.with_user(self.collection_user).rate, 2.15)
        self.assertTrue(Rate.with_user(self.collection_user).search_count([]))
        with self.assertRaises(AccessError):
            rate.with_user(self.collection_user).rate = 2.0
        with self.assertRaises(AccessError):
            Rate.with_user(self.collection_user).create(
                {"rate_type": "ecb", "date_from": "2026-02-04", "rate": 2.0}
            )
        new_rate = Rate.with_user(self.collection_manager).create(
            {"rate_type": "ecb", "date_from": "2026-02-04", "rate": 2.0}
        )
        self.assertEqual(new_rate.rate, 2.0)

    @freeze_time("2025-09-01")
    def test_contractual_rate_not_below_three_times_the_legal_rate(self):
        # 2025-H2: 3 x 2.76 = 8.28 %.
        with self.assertRaisesRegex(ValidationError, "8.28"):
            self.company.write(
                {
                    "collection_penalty_rate_mode": "contractual",
                    "collection_contractual_rate": 8.0,
                }
            )
        self.company.write(
            {
                "collection_penalty_rate_mode": "contractual",
                "collection_contractual_rate": 8.28,
            }
        )
        with self.assertRaisesRegex(ValidationError, "Enter the contractual"):
            self.company.collection_contractual_rate = 0.0

    @freeze_time("2026-09-01")
    def test_contractual_rate_checked_against_the_latest_legal_rate(self):
        # No legal rate for 2026-H2 yet: the latest one, 2026-H1, applies: 3 x 2.62.
        with self.assertRaisesRegex(ValidationError, "7.86"):
            self.company.write(
                {
                    "collection_penalty_rate_mode": "contractual",
                    "collection_contractual_rate": 7.5,
                }
            )

    def test_company_settings_are_validated(self):
        for field, value in (
            ("collection_penalty_margin", -1.0),
            ("collection_indemnity_amount", -40.0),
            ("collection_interest_year_days", 400),
            ("collection_term_max_days", 0),
            ("collection_term_eom_days", -1),
        ):
            with self.subTest(field=field), self.assertRaises(ValidationError):
                self.company.write({field: value})

    def test_settings_of_another_jurisdiction(self):
        self.assertEqual(self.company.collection_penalty_margin, 10.0)
        self.assertEqual(self.company.collection_indemnity_amount, 40.0)
        self.assertEqual(self.company.collection_interest_year_days, 365)
        self.assertEqual(self.company.collection_term_check, "warning")
        self.assertEqual(self.company.collection_term_max_days, 60)
        self.assertEqual(self.company.collection_term_eom_days, 45)
        self.env["res.config.settings"].create(
            {"collection_penalty_margin": 8.0, "collection_term_check": "block"}
        ).execute()  # Belgium, Spain: ECB + 8
        self.assertEqual(self.company.collection_penalty_margin, 8.0)
        self.assertEqual(self.company.collection_term_check, "block")

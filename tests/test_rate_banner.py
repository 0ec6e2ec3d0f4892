"""Issue #17 item 6: the late-payment rates list warns, in a banner, when a
half-year begun and still used has no rate entered (the tour runs in Chromium;
static/tests/tours/collection_rate_banner_tour.js)."""

from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from ..tools import late_payment
from .common import CollectionCommon

ECB_2026_H2 = (
    "ECB Main Refinancing Rate: not entered for the {}. The last known rate, "
    "2.15 % in force since 06/11/2025, is used meanwhile."
)
LEGAL_2026_H2 = (
    "Legal Interest Rate (professional creditor): not entered for the {}. The last "
    "known rate, 2.62 % in force since 01/01/2026, is used meanwhile."
)
PRIVATE_2026_H2 = (
    "Legal Interest Rate (private creditor): not entered for the second half of "
    "2026. The last known rate, 6.67 % in force since 01/01/2026, is used meanwhile."
)


@tagged("post_install", "-at_install")
class TestRateBanner(CollectionCommon):
    """The lines of the banner: per rate type, the half-years missing from the
    oldest open overdue item of the user's companies, and the rate used."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rate = cls.env["account.collection.rate"]
        # the shipped tables: ECB up to 2025-06-11, legal rates up to 2026-H1
        cls.Rate.search([("date_from", ">", "2026-01-01")]).unlink()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Menuiserie Girard", "is_company": True}
        )
        cls.company_2 = cls.setup_other_company(name="Collection 2")["company"]

    def _banner(self, user=None, companies=None):
        rates = self.Rate.with_user(user or self.collection_user)
        if companies:
            rates = rates.with_context(allowed_company_ids=companies.ids)
        return rates.get_missing_rates_banner()

    @freeze_time("2026-11-28")
    def test_banner_names_the_half_years_missing_and_the_rate_used(self):
        # No overdue item: the current half-year only. ECB: no decision after
        # 1 January 2026; legal rates: none on 1 July 2026.
        self.assertEqual(
            self._banner(),
            [
                ECB_2026_H2.format("second half of 2026"),
                LEGAL_2026_H2.format("second half of 2026"),
                PRIVATE_2026_H2,
            ],
        )
        # An invoice overdue since February 2026 still uses the rates of 2026-H1:
        # its ECB rate (1 January 2026) is missing too; its legal rates are there.
        self._post_invoice(self.customer, 1000.0, "2026-02-15")
        self.assertEqual(
            self._banner()[0],
            ECB_2026_H2.format("first half of 2026, second half of 2026"),
        )
        self.assertEqual(
            self._banner()[1],
            LEGAL_2026_H2.format("second half of 2026"),
        )

    @freeze_time("2026-11-28")
    def test_banner_follows_the_companies_of_the_user(self):
        # Without the legal rate of 2025-H2, an invoice of the other company overdue
        # since September 2025 shows that gap to whom works in both companies only.
        self.Rate.search(
            [("rate_type", "=", "legal_professional"), ("date_from", "=", "2025-07-01")]
        ).unlink()
        self._post_invoice(self.customer, 1000.0, "2025-09-01", company=self.company_2)
        self._post_invoice(self.customer, 1000.0, "2026-02-15")
        legal_line = LEGAL_2026_H2.format("second half of 2026")
        self.assertEqual(self._banner()[1], legal_line)
        both = self.company + self.company_2
        self.assertEqual(
            self._banner(self.env.user, both)[1],
            # the last known rate of the latest half-year missing, 2026-H2
            LEGAL_2026_H2.format("second half of 2025, second half of 2026"),
        )

    @freeze_time("2026-11-28")
    def test_no_banner_once_the_rates_are_entered(self):
        self._post_invoice(self.customer, 1000.0, "2026-02-15")
        self.Rate.with_user(self.collection_manager).create(
            [
                {"rate_type": "ecb", "date_from": "2026-07-01", "rate": 2.15},
                {
                    "rate_type": "legal_professional",
                    "date_from": "2026-07-01",
                    "rate": 2.6,
                },
                {"rate_type": "legal_private", "date_from": "2026-07-01", "rate": 6.6},
            ]
        )
        self.assertEqual(self._banner(), [])

    @freeze_time("2026-11-28")
    def test_missing_rates_before_the_first_rate_are_not_reported(self):
        # the legal rates begin in 2023 (professional) and 2024 (private): an item
        # overdue since 2022 reports no half-year before them
        missing = self.Rate._collection_missing_rates(
            date(2026, 11, 28), since=date(2022, 3, 1)
        )
        self.assertEqual(
            missing,
            [
                ("ecb", date(2026, 1, 1)),
                ("ecb", date(2026, 7, 1)),
                ("legal_professional", date(2026, 7, 1)),
                ("legal_private", date(2026, 7, 1)),
            ],
        )


@tagged("post_install", "-at_install")
class TestRateBannerTour(CollectionCommon, AccountTestInvoicingHttpCommon):
    """The banner in the browser, as a collection user (the lowest role). The
    browser runs on today's date: the rates are set up around it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rate = cls.env["account.collection.rate"]
        cls.start = late_payment.half_year_start(fields.Date.today())
        cls.Rate.search([("date_from", ">=", cls.start)]).unlink()

    def _enter_every_rate(self):
        # every half-year from 2026 to today's, each rate type
        vals = []
        for start in late_payment.half_year_starts(date(2026, 1, 1), self.start):
            for rate_type in ("ecb", "legal_professional", "legal_private"):
                if not self.Rate.search_count(
                    [("rate_type", "=", rate_type), ("date_from", "=", start)]
                ):
                    vals.append(
                        {"rate_type": rate_type, "date_from": start, "rate": 2.5}
                    )
        self.Rate.create(vals)

    def test_banner_shows_the_missing_half_year(self):
        self.assertTrue(
            self.Rate.with_user(self.collection_user).get_missing_rates_banner()
        )
        self.start_tour(
            "/odoo/action-account_collection.account_collection_rate_action",
            "account_collection_rate_banner_missing",
            login=self.collection_user.login,
        )

    def test_no_banner_when_every_rate_is_entered(self):
        self._enter_every_rate()
        self.assertFalse(
            self.Rate.with_user(self.collection_user).get_missing_rates_banner()
        )
        self.start_tour(
            "/odoo/action-account_collection.account_collection_rate_action",
            "account_collection_rate_banner_none",
            login=self.collection_user.login,
        )

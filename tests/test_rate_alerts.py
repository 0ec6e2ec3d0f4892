from datetime import date

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged

from ..tools.groups import COLLECTION_MANAGER


@tagged("post_install", "-at_install")
class TestRateAlerts(TransactionCase):
    """A half-year begun without its reference rates: a collection manager gets one
    activity per missing rate, not repeated, closed when the rate is entered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rate = cls.env["account.collection.rate"]
        # no rate of 2027-H1, nor any ECB decision since 1 July 2026
        cls.Rate.search([("date_from", ">", "2026-07-01")]).unlink()
        cls.manager = new_test_user(
            cls.env,
            login="rate_manager",
            groups=f"base.group_user,{COLLECTION_MANAGER}",
        )
        cls.partner, cls.assignee = cls.Rate._collection_rate_alert_target()

    def _alerts(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.partner.id),
                ("summary", "like", "Missing rate:"),
            ]
        )

    @freeze_time("2027-01-02")
    def test_missing_rates_of_the_half_year(self):
        self.assertEqual(
            self.Rate._collection_missing_rates(),
            [
                ("ecb", date(2027, 1, 1)),
                ("legal_professional", date(2027, 1, 1)),
                ("legal_private", date(2027, 1, 1)),
            ],
        )
        # an ECB decision taken during 2026-H2 is the rate in force on 1 January
        self.Rate.create({"rate_type": "ecb", "date_from": "2026-10-15", "rate": 2.0})
        self.assertNotIn(
            ("ecb", date(2027, 1, 1)), self.Rate._collection_missing_rates()
        )

    @freeze_time("2027-01-02")
    def test_one_activity_per_missing_rate_closed_when_entered(self):
        self.assertTrue(self.assignee.has_group(COLLECTION_MANAGER))
        self.Rate._cron_collection_check_rates()
        alerts = self._alerts()
        self.assertEqual(len(alerts), 3)
        self.assertEqual(alerts.user_id, self.assignee)
        self.assertIn(
            "Missing rate: Legal Interest Rate (professional creditor) of the first "
            "half of 2027",
            alerts.mapped("summary"),
        )
        # the next day's run does not repeat them
        self.Rate._cron_collection_check_rates()
        self.assertEqual(self._alerts(), alerts)
        # the manager enters the legal rate: its activity is done, the others stay
        self.Rate.with_user(self.manager).create(
            {"rate_type": "legal_professional", "date_from": "2027-01-01", "rate": 3.1}
        )
        remaining = self._alerts()
        self.assertEqual(len(remaining), 2)
        self.assertNotIn("professional", " ".join(remaining.mapped("summary")))
        self.Rate._cron_collection_check_rates()
        self.assertEqual(self._alerts(), remaining)

    @freeze_time("2026-12-31")
    def test_no_alert_of_a_half_year_not_begun(self):
        missing = self.Rate._collection_missing_rates()
        self.assertFalse([item for item in missing if item[1] == date(2027, 1, 1)])

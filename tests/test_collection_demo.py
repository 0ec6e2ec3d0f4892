from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from ..models.account_collection_demo import DEMO_CUSTOMERS
from .common import CollectionCommon

TODAY = date(2025, 6, 30)

# Days of the level each demo profile reaches with the default French policy
# (courtesy D-5, friendly D+7, firm D+15, formal notice D+30, litigation D+45).
EXPECTED_LEVEL_DAYS = {
    "good": None,
    "due_soon": -5,
    "late_7": 7,
    "late_15": 15,
    "late_30": 30,
    "late_45": 45,
    "late_60": 45,
    "late_100": 45,
    "late_130": 45,
    "partial": 30,
    "disputed": 15,
    "credit_note": 15,
}


@tagged("post_install", "-at_install")
class TestCollectionCycleOnDemo(CollectionCommon):
    """One cycle on the demo book reminds each customer once, at the right level."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.company._collection_create_default_policy()
            cls.partners = cls.env["account.collection.demo"]._load_demo_data(
                cls.company, TODAY, anomalies=False
            )

    def test_one_cycle_on_the_demo_book(self):
        engine = self.env["account.collection.engine"]
        with freeze_time(TODAY):
            communications = engine._run_collection_cycle(self.company, date=TODAY)
        by_partner = {c.partner_id: c for c in communications}
        self.assertEqual(len(by_partner), len(communications), "One per customer")
        for partner, (name, _city, profile) in zip(
            self.partners, DEMO_CUSTOMERS, strict=True
        ):
            expected = EXPECTED_LEVEL_DAYS[profile]
            communication = by_partner.get(partner)
            with self.subTest(customer=name, profile=profile):
                if expected is None:
                    self.assertFalse(communication)
                    continue
                self.assertEqual(communication.level_id.days, expected)
                self.assertNotEqual(communication.state, "error")
                self.assertTrue(communication.mail_id or communication.send_letter)
                if profile == "disputed":
                    self.assertEqual(len(communication.line_ids), 1)
                if profile == "credit_note":
                    self.assertLess(
                        min(communication.line_ids.mapped("amount_residual")), 0
                    )
                if profile == "partial":
                    invoice = communication.line_ids.move_id.sorted("invoice_date_due")[
                        0
                    ]
                    self.assertAlmostEqual(
                        communication.line_ids.sorted("date_maturity")[
                            0
                        ].amount_residual,
                        invoice.amount_residual,
                    )
        with freeze_time(TODAY):
            self.assertFalse(engine._run_collection_cycle(self.company, date=TODAY))
        # Every notice of the cycle renders.
        reports = communications.level_id.report_id
        for report in reports:
            records = communications.filtered(
                lambda c, r=report: c.level_id.report_id == r
            )
            html = self.env["ir.actions.report"]._render_qweb_html(report, records.ids)[
                0
            ]
            self.assertIn(records[0].partner_id.name, html.decode())

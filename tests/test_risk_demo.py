from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..demo import book
from ..demo.book import DEMO_CUSTOMERS
from .common_risk import TODAY, RiskCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestRiskDemo(RiskCommon):
    """The demo receivable book, with its payment history, scored at a fixed date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partners = book.load_demo_data(cls.env, cls.company, TODAY)
        cls.by_profile = {}
        for partner, (_name, _city, profile) in zip(
            partners, DEMO_CUSTOMERS, strict=True
        ):
            cls.by_profile.setdefault(profile, cls.env["res.partner"])
            cls.by_profile[profile] |= partner
        cls.firm_policy = cls._create_policy(cls.company, "Firm policy")
        cls.litigation_policy = cls._create_policy(cls.company, "Litigation policy")
        cls.seg_c.policy_id = cls.firm_policy
        cls.seg_d.policy_id = cls.litigation_policy
        cls.env["account.collection.risk.scoring"]._score_company(
            cls.company, today=TODAY
        )

    def test_bad_payers_land_in_c_or_d_and_their_policy_follows(self):
        bad = self.by_profile["late_100"] | self.by_profile["late_130"]
        self.assertEqual(len(bad), 5)
        for partner in bad:
            risk = self._risk(partner)
            with self.subTest(partner=partner.name):
                self.assertGreater(risk.avg_days_late, 90)
                self.assertIn(risk.segment_id, self.seg_c | self.seg_d)
                self.assertEqual(risk.late_share, 1.0)
                self.assertEqual(
                    partner._get_collection_segment_policy(),
                    risk.segment_id.policy_id,
                )
                self.assertIn(
                    partner._get_collection_segment_policy(),
                    self.firm_policy | self.litigation_policy,
                )
        for partner in self.by_profile["good"]:
            with self.subTest(partner=partner.name):
                self.assertEqual(self._risk(partner).segment_id, self.seg_a)
                self.assertFalse(partner._get_collection_segment_policy())
        # Every demo customer with a history or an open invoice is scored.
        scored = self.risk_model.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(scored.partner_id & self.by_profile["late_60"]), 3)
        pivot = dict(
            self.risk_model._read_group(
                [("company_id", "=", self.company.id)], ["segment_id"], ["__count"]
            )
        )
        self.assertGreaterEqual(pivot.get(self.seg_d, 0), 5)

    def test_posting_beyond_the_limit_stopped_for_a_user_allowed_for_a_manager(self):
        self.company.collection_credit_check = "block"
        garage = self.by_profile["late_60"][0]
        self.env["account.collection.solvency.note"].create(
            {
                "partner_id": garage.id,
                "source": "banque_de_france",
                "rating": "5",
                "credit_limit": 10000.0,
            }
        )
        risk = self._risk(garage)
        self.assertEqual(
            risk.credit_limit, 10000.0 * risk.segment_id.credit_limit_factor
        )
        invoice = self._invoices([(garage, 10000.0, "2025-07-30")], post=False)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            invoice.with_user(self.collection_user).action_post()
        self.assertEqual(invoice.state, "draft")
        invoice.with_user(self.collection_manager).action_post_collection_override()
        self.assertEqual(invoice.state, "posted")
        for record in (invoice, garage):
            with self.subTest(record=record._name):
                self.assertIn("overridden by", record.message_ids[0].body)
                self.assertIn(self.collection_manager.name, record.message_ids[0].body)
        # A customer of a blocked segment is held, limit or not.
        held = self.by_profile["late_130"][0]
        self.assertTrue(self._risk(held).blocked)
        invoice = self._invoices([(held, 100.0, "2025-07-30")], post=False)
        with self.assertRaisesRegex(UserError, "credit hold"):
            invoice.with_user(self.collection_user).action_post()

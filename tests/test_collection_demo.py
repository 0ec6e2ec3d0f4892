from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from ..demo import book, showcase
from ..demo.book import DEMO_CUSTOMERS
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
            cls.partners = book.load_demo_data(
                cls.env, cls.company, TODAY, anomalies=False
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


@tagged("post_install", "-at_install")
class TestDemoShowcase(CollectionCommon):
    """`make demo` shows every feature at work: the showcase leaves each menu with
    meaningful records (plans in every state, promises, insolvency, a second currency,
    solvency notes) and one cycle treats each case as the feature says."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.company._collection_create_default_policy()
            cls.partners = showcase.load_demo_showcase(cls.env, cls.company, TODAY)

    def test_payment_plans_in_every_state(self):
        plans = self.env["account.collection.plan"].search(
            [("partner_id", "in", [p.id for p in self.partners.values()])]
        )
        state_of = {plan.partner_id: plan.state for plan in plans}
        with freeze_time(TODAY):
            at_risk = plans.filtered("at_risk").partner_id
        self.assertEqual(state_of[self.partners["plan_running"]], "active")
        self.assertEqual(state_of[self.partners["plan_breached"]], "breached")
        self.assertEqual(state_of[self.partners["plan_completed"]], "completed")
        self.assertEqual(at_risk, self.partners["plan_at_risk"])

    def test_promises_insolvency_currency_and_notes(self):
        self.assertEqual(
            self.partners["promise_running"].collection_promise_date,
            date(2025, 7, 8),
        )
        self.assertEqual(
            self.partners["insolvent"].collection_insolvency, "receivership"
        )
        foreign = self.env["account.move"].search(
            [("partner_id", "=", self.partners["foreign"].id)]
        )
        self.assertEqual(foreign.currency_id, self.env.ref("base.USD"))
        notes = self.env["account.collection.solvency.note"].search(
            [("partner_id", "in", [p.id for p in self.partners.values()])]
        )
        with freeze_time(TODAY):
            notes.invalidate_recordset(["state"])
            self.assertEqual(
                sorted(notes.mapped("state")), ["expired", "valid", "valid"]
            )

    def test_one_cycle_on_the_showcase(self):
        engine = self.env["account.collection.engine"]
        with freeze_time(TODAY):
            communications = engine._run_collection_cycle(self.company, date=TODAY)
        reminded = communications.partner_id
        self.assertNotIn(self.partners["promise_running"], reminded)
        self.assertNotIn(self.partners["plan_running"], reminded)
        self.assertNotIn(self.partners["promise_kept"], reminded)
        self.assertIn(self.partners["promise_broken"], reminded)
        self.assertEqual(
            self.partners["promise_broken"].collection_broken_promise_count, 1
        )
        foreign = communications.filtered(
            lambda c: c.partner_id == self.partners["foreign"]
        )
        self.assertEqual(foreign.currency_id, self.env.ref("base.USD"))

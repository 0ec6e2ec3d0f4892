from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common_risk import TODAY, RiskCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestRiskScoring(RiskCommon):
    def test_weighted_delay_hand_computed(self):
        partner = self._create_partners(1)
        self._paid_invoice(partner, 1000.0, "2025-03-01", "2025-03-11")  # 10 days
        self._paid_invoice(partner, 3000.0, "2025-04-01", "2025-05-21")  # 50 days
        self._paid_invoice(partner, 2000.0, "2025-05-01", "2025-04-25")  # early: 0
        # Paid more than 12 months ago: out of the period.
        self._paid_invoice(partner, 5000.0, "2024-01-01", "2024-02-01")
        # Still open, 10 days overdue today; and one not due yet, not scored.
        self._invoices(
            [(partner, 1000.0, "2025-06-20"), (partner, 700.0, "2025-07-31")]
        )
        self._score()
        risk = self._risk(partner)
        # (1000 * 10 + 3000 * 50 + 2000 * 0 + 1000 * 10) / 7000 = 170000 / 7000 = 24.29
        self.assertAlmostEqual(risk.avg_days_late, 24.3, places=1)
        self.assertEqual(risk.invoice_count, 4)
        self.assertEqual(risk.late_invoice_count, 3)
        self.assertAlmostEqual(risk.late_share, 0.75)
        # 100 - 40 * 24.29 / 120 - 30 * 0.75 = 100 - 8.10 - 22.5 = 69.4 -> 69
        self.assertEqual(risk.score, 69)
        self.assertEqual(risk.segment_id, self.seg_a)
        self.assertAlmostEqual(risk.amount_overdue, 1000.0)
        self.assertAlmostEqual(risk.exposure, 1700.0)
        self.assertEqual(risk.date_scored, TODAY)

    def test_formal_notices_and_broken_promises_lower_the_score(self):
        partner = self._create_partners(1)
        self._paid_invoice(partner, 1000.0, "2025-03-01", "2025-03-11")
        formal_level = self.policy.level_ids.filtered("formal_notice")
        self.env["account.collection.communication"].create(
            [
                {
                    "partner_id": partner.id,
                    "currency_id": self.company.currency_id.id,
                    "level_id": formal_level.id,
                    "formal_notice": True,
                    "state": state,
                    "date": "2025-04-15",
                }
                for state in ("sent", "cancel")
            ]
        )
        partner.with_company(self.company).collection_broken_promise_count = 2
        self._score()
        risk = self._risk(partner)
        self.assertEqual(risk.formal_notice_count, 1, "only the notice sent counts")
        self.assertEqual(risk.broken_promise_count, 2)
        # 100 - 40 * 10 / 120 - 30 * 1 - 10 - 2 * 5 = 46.67 -> 47: B by score.
        self.assertEqual(risk.score, 47)
        self.assertEqual(risk.segment_id, self.seg_b)

    def test_broken_payment_plan_lowers_the_score(self):
        without_plan, with_plan = self._create_partners(2, prefix="Plan")
        invoices = self._invoices(
            [(without_plan, 1000.0, "2025-05-01"), (with_plan, 1000.0, "2025-05-01")]
        )
        plan = self.env["account.collection.plan"].create(
            {
                "partner_id": with_plan.id,
                "invoice_ids": [Command.set(invoices[1].ids)],
                "date": "2025-05-10",
                "date_start": "2025-05-15",
                "installment_count": 2,
            }
        )
        plan.action_generate_installments()
        with freeze_time("2025-05-10"):
            plan.action_activate()
        with freeze_time("2025-05-20"):
            plan.action_update()
        self.assertEqual(plan.state, "breached")
        self._score(partners=without_plan | with_plan)
        kept, broken = self._risk(without_plan), self._risk(with_plan)
        self.assertEqual((kept.broken_plan_count, broken.broken_plan_count), (0, 1))
        # Both 60 days late on everything: 100 - 40 * 60 / 120 - 30 = 50, and 5
        # points less for the broken plan.
        self.assertEqual(kept.score, 50)
        self.assertEqual(broken.score, 45)
        # Scored on the whole company too, and forgotten once out of the period.
        self._score()
        self.assertEqual(self._risk(with_plan).broken_plan_count, 1)
        self._score(partners=with_plan, today=TODAY + timedelta(days=366))
        self.assertEqual(self._risk(with_plan).broken_plan_count, 0)

    def test_segment_thresholds(self):
        """A <= 30 days <= B <= 60 days <= C <= 90 days < D, thresholds included."""
        delays = [30, 31, 60, 61, 90, 91]
        expected = [
            self.seg_a,
            self.seg_b,
            self.seg_b,
            self.seg_c,
            self.seg_c,
            self.seg_d,
        ]
        partners = self._create_partners(len(delays))
        invoices = self._invoices(
            [(partner, 1000.0, "2025-01-10") for partner in partners]
        )
        for invoice, delay in zip(invoices, delays, strict=True):
            self._pay(invoice, invoice.invoice_date_due + timedelta(days=delay))
        self._score(partners=partners)
        for partner, delay, segment in zip(partners, delays, expected, strict=True):
            with self.subTest(delay=delay):
                risk = self._risk(partner)
                self.assertEqual(risk.avg_days_late, delay)
                self.assertEqual(risk.segment_id, segment)

    def test_disputed_and_excluded_invoices_are_not_held_against_the_customer(self):
        partner = self._create_partners(1)
        disputed, excluded = self._invoices(
            [(partner, 1000.0, "2025-02-01"), (partner, 500.0, "2025-02-01")]
        )
        disputed._collection_block("dispute", "Goods damaged")
        excluded.collection_excluded = True
        self._score()
        risk = self._risk(partner)
        self.assertEqual(risk.invoice_count, 0)
        self.assertEqual(risk.segment_id, self.seg_a)
        self.assertAlmostEqual(risk.amount_overdue, 1500.0, msg="still overdue")

    def test_note_sets_a_minimum_segment_while_valid(self):
        partner = self._create_partners(1)
        self._paid_invoice(partner, 1000.0, "2025-03-01", "2025-03-01")
        self._score()
        self.assertEqual(self._risk(partner).segment_id, self.seg_a)
        note = self.env["account.collection.solvency.note"].create(
            {
                "partner_id": partner.id,
                "source": "court_registry",
                "rating": "Redressement judiciaire",
                "date": "2025-06-01",
                "min_segment_id": self.seg_c.id,
            }
        )
        risk = self._risk(partner)
        self.assertEqual(risk.segment_id, self.seg_c, "the note rescored at once")
        self.assertEqual(risk.solvency_note_id, note)
        # Once expired, the note no longer weighs.
        note.date_end = "2025-06-15"
        self.assertEqual(risk.segment_id, self.seg_a)
        self.assertEqual(risk.note_state, "expired")

    def test_manual_override_with_reason(self):
        partner = self._create_partners(1)
        self._paid_invoice(partner, 1000.0, "2025-03-01", "2025-03-01")
        self._score()
        risk = self._risk(partner)
        risk_as_manager = risk.with_user(self.collection_manager)
        with self.assertRaises(ValidationError):
            risk_as_manager.segment_override_id = self.seg_d
        risk_as_manager.write(
            {
                "segment_override_id": self.seg_d.id,
                "override_reason": "Main customer lost",
            }
        )
        self.assertEqual(risk.segment_id, self.seg_d)
        self.assertEqual(risk.computed_segment_id, self.seg_a)
        self.assertEqual(partner.collection_segment_id, self.seg_d)
        self.assertIn("Main customer lost", partner.message_ids[0].body)
        self.assertIn(self.collection_manager.name, partner.message_ids[0].body)
        # Back to the history, from the customer form (for who may edit customers).
        partner_manager = self.env.ref("base.group_partner_manager")
        (self.collection_manager | self.collection_user).write(
            {"groups_id": [Command.link(partner_manager.id)]}
        )
        partner.with_user(self.collection_manager).write(
            {
                "collection_segment_override_id": False,
                "collection_override_reason": False,
            }
        )
        self.assertEqual(risk.segment_id, self.seg_a)
        # Collection users see the segment, they cannot force it.
        with self.assertRaises(AccessError):
            partner.with_user(self.collection_user).write(
                {
                    "collection_segment_override_id": self.seg_a.id,
                    "collection_override_reason": "Friend of mine",
                }
            )
        with self.assertRaises(AccessError):
            risk.with_user(self.collection_user).credit_hold = True

    def test_policy_follows_segment(self):
        strict = self._create_policy(self.company, "Strict policy")
        self.seg_d.policy_id = strict
        good, bad = self._create_partners(2)
        self._paid_invoice(good, 1000.0, "2025-03-01", "2025-03-01")
        self._paid_invoice(bad, 1000.0, "2025-01-01", "2025-05-01")  # 120 days
        self._score()
        contact = self.env["res.partner"].create(
            {"name": "Accountant", "parent_id": bad.id}
        )
        self.assertEqual(bad._get_collection_segment_policy(), strict)
        self.assertEqual(contact._get_collection_segment_policy(), strict)
        self.assertFalse(good._get_collection_segment_policy())
        if hasattr(bad, "_get_collection_policy"):  # with the dunning engine
            self.assertEqual(
                bad.with_company(self.company)._get_collection_policy(), strict
            )
        # The segment moves, the policy with it.
        self._risk(bad).write(
            {
                "segment_override_id": self.seg_a.id,
                "override_reason": "Guarantee received",
            }
        )
        self.assertFalse(bad._get_collection_segment_policy())

    def test_bulk_scoring_query_count_does_not_grow(self):
        partners = self._create_partners(50)
        invoices = self._invoices(
            [(partner, 100.0, "2025-03-01") for partner in partners]
        )
        self._pay(invoices[:5], "2025-03-20")
        self._score(partners=partners[:1])  # default segments, caches

        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["account.collection.risk.scoring"]._score_company(
                self.company, today=TODAY
            )
            return self.env.cr.sql_log_count - before

        # 5 customers with a payment history and 45 not scored (no history yet).
        invoices[5:].button_draft()
        invoices[5:].button_cancel()
        few = count_queries()
        self.assertEqual(
            self.risk_model.search_count([("company_id", "=", self.company.id)]), 5
        )
        invoices[5:].button_draft()
        invoices[5:].action_post()
        self._pay(invoices[5:], "2025-04-20")
        many = count_queries()
        self.assertEqual(
            self.risk_model.search_count([("company_id", "=", self.company.id)]), 50
        )
        self.assertEqual(few, many, "the scoring must not query per customer")
        self.assertLessEqual(many, 15)

    def test_multi_company(self):
        other = self.setup_other_company()["company"]
        partner = self._create_partners(1)
        self._paid_invoice(partner, 1000.0, "2025-01-01", "2025-05-01")  # 120 days
        self._paid_invoice(partner, 1000.0, "2025-03-01", "2025-03-01", company=other)
        self._score()
        self._score(company=other)
        here, there = self._risk(partner), self._risk(partner, other)
        self.assertEqual(here.segment_id, self.seg_d)
        self.assertEqual(there.segment_id.company_id, other)
        self.assertEqual(there.segment_id.code, "A")
        self.assertEqual(
            partner.with_company(other).collection_segment_id, there.segment_id
        )
        self.assertEqual(
            partner.with_company(self.company).collection_segment_id, self.seg_d
        )
        # A collector of the first company sees neither the other's risk nor segments.
        visible = self.risk_model.with_user(self.collection_user).search([])
        self.assertIn(here, visible)
        self.assertNotIn(there, visible)
        self.assertFalse(
            self.env["account.collection.risk.segment"]
            .with_user(self.collection_user)
            .search([("company_id", "=", other.id)])
        )
        # The other company's segment cannot be forced in this company.
        with self.assertRaises(UserError):
            here.write(
                {"segment_override_id": there.segment_id.id, "override_reason": "x"}
            )

    def test_access_rights(self):
        segment_as_user = self.seg_a.with_user(self.collection_user)
        self.assertTrue(segment_as_user.name)
        with self.assertRaises(AccessError):
            segment_as_user.deposit_percent = 10
        self.seg_a.with_user(self.collection_manager).deposit_percent = 10
        partner = self._create_partners(1)
        self._score(partners=partner)
        risk = self._risk(partner)
        self.assertTrue(risk.with_user(self.collection_user).score)
        with self.assertRaises(AccessError):
            risk.with_user(self.collection_user).credit_limit_manual = 1000
        risk.with_user(self.collection_manager).credit_limit_manual = 1000
        self.assertEqual(risk.credit_limit, 1000)
        # Users outside collection do not see risk at all.
        salesman = new_test_user(
            self.env,
            login="salesman",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.risk_model.with_user(salesman).search([])
        with self.assertRaises(AccessError):
            partner.with_user(salesman).action_collection_compute_risk()

    def test_segment_configuration_is_checked(self):
        with self.assertRaises(ValidationError):
            self.seg_b.max_delay = 20  # below A's 30 days
        with self.assertRaises(ValidationError):
            self.seg_c.deposit_percent = 120
        self.assertEqual(self.segments.mapped("code"), ["A", "B", "C", "D"])
        self.assertTrue(self.seg_d.blocked)

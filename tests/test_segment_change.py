from freezegun import freeze_time

from odoo.tests import tagged

from .common_risk import TODAY, RiskCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSegmentChange(RiskCommon):
    """A customer moving to a worse risk segment is flagged to its collector with
    what changes; a better segment or no change flags nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.customer,) = cls._create_partners(1, prefix="Moving")
        cls.customer.with_company(cls.company).collection_user_id = cls.collection_user
        # Paid 104 days late (due 2025-01-01, paid 2025-04-15): a D payer.
        cls._paid_invoice(cls.customer, 1000.0, "2025-01-01", "2025-04-15")
        cls.seg_b.write({"default_credit_limit": 5000.0, "policy_id": cls.policy.id})
        cls.seg_d.write({"default_credit_limit": 0.0, "policy_id": False})

    def _activities(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(
                        "account_collection.mail_activity_type_segment_change"
                    ).id,
                ),
            ]
        )

    def test_move_to_a_worse_segment_is_flagged_once(self):
        # held in B by an override, then the override is lifted: the scoring
        # puts the customer in D
        record = self.customer._collection_risk_ensure()
        record.write({"segment_override_id": self.seg_b.id, "override_reason": "T"})
        self.assertEqual(record.segment_id, self.seg_b)
        before = self._activities()
        record.write({"segment_override_id": False, "override_reason": False})
        self.assertEqual(record.segment_id, self.seg_d)
        activity = self._activities() - before
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.collection_user)
        note = str(activity.note)
        self.assertIn(self.seg_b.display_name, activity.summary)
        self.assertIn(self.seg_d.display_name, activity.summary)
        # B: 15 days, 0 %, 5,000.00, the test policy; D: immediate, 100 %,
        # 0.00, no policy: all four differ
        self.assertIn("Payment term", note)
        self.assertIn(self.seg_d.payment_term_id.display_name, note)
        self.assertIn("Deposit: 0%, now 100%", note)
        self.assertIn("5,000.00", note)
        self.assertIn("Dunning policy", note)
        # a rescoring without change flags nothing more
        self._score(partners=self.customer)
        self.assertEqual(len(self._activities() - before), 1)

    def test_only_the_terms_that_differ(self):
        # C and D share the immediate term: no payment term line
        record = self.customer._collection_risk_ensure()
        record.write({"segment_override_id": self.seg_c.id, "override_reason": "T"})
        before = self._activities()
        record.write({"segment_override_id": False, "override_reason": False})
        note = str((self._activities() - before).note)
        self.assertNotIn("Payment term", note)
        self.assertIn("Deposit: 30%, now 100%", note)

    def test_move_to_a_better_segment_is_not_flagged(self):
        self._score(partners=self.customer)
        record = self._risk(self.customer)
        self.assertEqual(record.segment_id, self.seg_d)
        before = self._activities()
        record.write({"segment_override_id": self.seg_a.id, "override_reason": "T"})
        self.assertEqual(record.segment_id, self.seg_a)
        self.assertFalse(self._activities() - before)

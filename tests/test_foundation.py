from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestFoundation(CollectionCommon):
    def test_accounting_groups_imply_collection_groups(self):
        manager_group = self.env.ref(
            "account_collection.account_collection_group_manager"
        )
        user_group = self.env.ref("account_collection.account_collection_group_user")
        accountant = self.env.ref("account.group_account_manager")
        billing = self.env.ref("account.group_account_invoice")
        self.assertIn(manager_group, accountant.trans_implied_ids)
        self.assertIn(user_group, billing.trans_implied_ids)
        self.assertIn(user_group, manager_group.trans_implied_ids)

    def test_level_reached_is_the_highest_applicable(self):
        levels = self.policy.level_ids.sorted("days")
        courtesy, friendly, formal = levels
        self.assertFalse(self.policy._get_level_for(-10, 500))
        self.assertEqual(self.policy._get_level_for(-5, 500), courtesy)
        self.assertEqual(self.policy._get_level_for(20, 500), friendly)
        self.assertEqual(self.policy._get_level_for(45, 500), formal)
        # Below the minimum amount of the formal notice, the friendly level stays.
        self.assertEqual(self.policy._get_level_for(45, 99), friendly)

    def test_level_validation(self):
        with self.assertRaises(ValidationError):
            self.policy.level_ids[0].min_amount = -1
        with self.assertRaises(ValidationError):
            self.env["account.collection.level"].create(
                {"name": "Twin", "days": 7, "policy_id": self.policy.id}
            )

    def test_collection_user_cannot_configure_policies(self):
        with self.assertRaises(AccessError):
            self.env["account.collection.policy"].with_user(
                self.collection_user
            ).create({"name": "Rogue policy"})
        policy = (
            self.env["account.collection.policy"]
            .with_user(self.collection_manager)
            .create({"name": "Manager policy"})
        )
        self.assertEqual(policy.company_id, self.company)

    def test_policies_are_company_bound(self):
        other_company = self.setup_other_company()["company"]
        other_policy = self._create_policy(other_company, "Other company policy")
        visible = (
            self.env["account.collection.policy"]
            .with_user(self.collection_manager)
            .search([])
        )
        self.assertIn(self.policy, visible)
        self.assertNotIn(other_policy, visible)

    def test_block_requires_a_reason(self):
        partner = self.partner_a
        invoice = self._post_invoice(partner, 1000.0, "2025-01-31")
        with self.assertRaises(ValidationError):
            invoice.collection_blocked = True
        invoice._collection_block("dispute", "Goods damaged")
        self.assertTrue(invoice.collection_blocked)
        invoice._collection_unblock()
        self.assertFalse(invoice.collection_block_reason)

    def test_partner_overdue_amount(self):
        partner = self.partner_a
        self._post_invoice(partner, 1000.0, "2025-01-31")
        self._post_invoice(partner, 500.0, "2099-01-31")
        partner.invalidate_recordset(
            ["collection_amount_due", "collection_amount_overdue"]
        )
        self.assertAlmostEqual(partner.collection_amount_due, 1500.0, 2)
        self.assertAlmostEqual(partner.collection_amount_overdue, 1000.0, 2)

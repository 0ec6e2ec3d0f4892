from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import CycleCommon


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")
class TestCollectionResponsible(CycleCommon):
    """The reminders of the scheduled run belong to the customer's collector, else
    to the company's default collector, and their emails are signed by that user,
    never by OdooBot who runs the cron."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collection_user.write(
            {"name": "Claire Collector", "email": "claire@company.example.com"}
        )
        cls.collection_manager.write(
            {"name": "Dan Default", "email": "dan@company.example.com"}
        )
        cls.company.email = "credit@company.example.com"
        cls.partner_a.with_company(cls.company).collection_user_id = cls.collection_user
        # Every level also plans a phone call and prints a letter.
        cls.policy.level_ids.write({"phone_call": True, "send_letter": True})
        cls.odoobot = cls.env.ref("base.user_root")

    def _run_as_cron(self):
        """The cycle as the scheduled action runs it: as OdooBot, auto-sending."""
        engine = self.engine.with_user(self.odoobot)
        runs = engine._run_collection(self.company, auto_send=True, trigger="scheduled")
        return runs.communication_ids

    def _assert_owned_by(self, communication, user):
        self.assertEqual(communication.user_id, user)
        self.assertEqual(communication.mail_id.author_id, user.partner_id)
        self.assertIn(user.email, communication.mail_id.email_from)
        self.assertEqual(communication.activity_ids.user_id, user)

    def test_cron_reminders_belong_to_the_collector_or_default_collector(self):
        self.company.collection_risk_user_id = self.collection_manager
        self._post_invoice(self.partner_a, 1000.0, "2025-05-21")
        self._post_invoice(self.partner_b, 400.0, "2025-05-21")

        communications = self._run_as_cron()

        self.assertEqual(len(communications), 2)
        by_partner = communications.grouped("partner_id")
        self._assert_owned_by(by_partner[self.partner_a], self.collection_user)
        self._assert_owned_by(by_partner[self.partner_b], self.collection_manager)
        self.assertNotIn(self.odoobot, communications.user_id)
        self.assertNotIn(self.odoobot.partner_id, communications.mail_id.author_id)
        # The letter is signed by the collector.
        letter = by_partner[self.partner_a]
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "account_collection.action_report_collection_letter", letter.ids
            )[0]
            .decode()
        )
        self.assertIn("Claire Collector", html)
        self.assertNotIn("OdooBot", html)

    def test_cron_without_any_collector_signs_with_the_company(self):
        self._post_invoice(self.partner_b, 400.0, "2025-05-21")

        communication = self._run_as_cron()

        self.assertFalse(communication.user_id)
        self.assertEqual(communication.mail_id.author_id, self.company.partner_id)
        self.assertNotIn("odoobot", (communication.mail_id.email_from or "").lower())
        # An activity needs someone: the call falls to Odoo's default, the user
        # running the cycle; the worklist gives it to the default collector.
        self.assertEqual(communication.state, "to_print")
        self.assertEqual(len(communication.activity_ids), 1)

    def test_calls_planned_without_one_email_per_call(self):
        """The morning's calls land in the collector's activities, not as one
        "activity assigned" email per customer (Odoo's default when someone else
        plans an activity)."""
        self.partner_b.with_company(
            self.company
        ).collection_user_id = self.collection_user
        self._post_invoice(self.partner_a, 1000.0, "2025-05-21")
        self._post_invoice(self.partner_b, 400.0, "2025-05-21")
        self.collection_user.notification_type = "email"

        communications = self._run_as_cron()

        self.assertEqual(len(communications), 2)
        self.assertEqual(communications.activity_ids.user_id, self.collection_user)
        self.assertEqual(len(communications.activity_ids), 2)
        # Still a follower: the customer's replies to the reminder reach them.
        for communication in communications:
            self.assertIn(
                self.collection_user.partner_id,
                communication.message_partner_ids,
            )
        notified = self.env["mail.message"].search(
            [
                ("model", "=", "account.collection.communication"),
                ("res_id", "in", communications.ids),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertFalse(notified)

    def test_the_one_rule(self):
        partner = self.partner_b.with_company(self.company)
        # A real user running it is the last resort, OdooBot never is.
        self.assertEqual(
            partner.with_user(self.collection_user)._collection_responsible_user(),
            self.collection_user,
        )
        self.assertFalse(
            partner.with_user(self.odoobot)._collection_responsible_user(self.company)
        )
        self.company.collection_risk_user_id = self.collection_manager
        self.assertEqual(
            partner.with_user(self.collection_user)._collection_responsible_user(),
            self.collection_manager,
        )
        # A plan's responsible comes before the default collector.
        self.assertEqual(
            partner._collection_responsible_user(
                self.company, fallback=self.collection_user
            ),
            self.collection_user,
        )
        # The collector is per company.
        other = self.setup_other_company(name="Other collection company")["company"]
        self.collection_user.company_ids = [Command.link(other.id)]
        self.assertEqual(
            self.partner_a.with_user(self.odoobot)._collection_responsible_user(other),
            self.env["res.users"],
        )
        self.assertEqual(
            self.partner_a._collection_responsible_user(self.company),
            self.collection_user,
        )

"""The collector's workspace (issue #14, item 4): every action says what it did,
and the letters printed move forward."""

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CycleCommon

RELOAD = {"type": "ir.actions.client", "tag": "soft_reload"}


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")
class TestActionFeedback(CycleCommon):
    def assertNotification(self, action, *texts):
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(action["tag"], "display_notification")
        shown = f"{action['params']['title']} {action['params']['message']}"
        for text in texts:
            self.assertIn(text, shown)
        return action["params"]["next"]

    def test_send_says_what_it_sent_and_opens_it(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        self._post_invoice(self.partner_b, 500.0, "2025-06-20")
        drafts = self._run(auto_send=False)
        self.assertEqual(drafts.mapped("state"), ["draft", "draft"])
        # The list filtered on the drafts would look empty: the sent ones open.
        opened = self.assertNotification(
            drafts.action_send(), "Reminders sent: 2.", "To Send: 2"
        )
        self.assertEqual(opened["res_model"], "account.collection.communication")
        self.assertEqual(opened["domain"], [("id", "in", drafts.ids)])
        self.assertEqual(drafts.mapped("state"), ["queued", "queued"])

    def test_retry_says_what_it_sent_again(self):
        self.levels[1].mail_template_id = False
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        failed = self._run()
        self.assertEqual(failed.state, "error")
        self.levels[1].mail_template_id = self.template
        opened = self.assertNotification(
            failed.action_retry(), "Reminders sent again: 1.", "To Send: 1"
        )
        self.assertEqual(opened["res_id"], failed.id)

    def test_cancel_says_what_it_cancelled(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        draft = self._run(auto_send=False)
        reload = self.assertNotification(
            draft.action_cancel(), "Reminders cancelled: 1."
        )
        self.assertEqual(reload, RELOAD)
        self.assertEqual(draft.state, "cancel")

    def test_dispute_and_close_say_what_they_did(self):
        invoices = self._post_invoice(
            self.partner_a, 1000.0, "2025-06-20"
        ) | self._post_invoice(self.partner_a, 300.0, "2025-06-20")
        dispute = self.env.ref(
            "account_collection.action_server_move_collection_dispute"
        ).with_context(active_model="account.move", active_ids=invoices.ids)
        reload = self.assertNotification(dispute.run(), "Invoices disputed: 2.")
        self.assertEqual(reload, RELOAD)
        self.assertEqual(invoices.mapped("collection_block_reason"), ["dispute"] * 2)
        close = self.env.ref(
            "account_collection.action_server_move_collection_undispute"
        ).with_context(active_model="account.move", active_ids=invoices[0].ids)
        self.assertNotification(close.run(), "Disputes closed: 1.")
        self.assertFalse(invoices[0].collection_blocked)
        with self.assertRaisesRegex(UserError, "disputed"):
            invoices[0].action_collection_undispute()

    def test_promise_says_what_was_promised(self):
        wizard = Form(
            self.env["account.collection.promise.wizard"].with_context(
                default_partner_ids=self.partner_a.ids
            )
        )
        wizard.date = "2025-07-04"
        wizard.amount = 1000.0
        close = self.assertNotification(
            wizard.save().action_confirm(),
            "1,000.00",
            "07/04/2025",
            self.partner_a.display_name,
        )
        self.assertEqual(close, {"type": "ir.actions.act_window_close"})


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")
class TestPrintedLettersMoveForward(CycleCommon):
    def setUp(self):
        super().setUp()
        # wkhtmltopdf loads the report assets from this server, which must answer
        # through the test's cursor instead of waiting for it.
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)

    # wkhtmltopdf builds without the patched Qt print warnings on its options.
    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_printed_letter_waits_for_its_email_then_is_done(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-05-20")
        communication = self._run().with_context(force_report_rendering=True)
        self.assertEqual(communication.state, "to_print")
        self.assertTrue(communication._email_pending())
        order = [key for key, _label in communication._fields["state"].selection]
        communication.action_print_letters()
        self.assertEqual(communication.state, "queued", "Its email is still queued")
        # The statusbar and the grouped list follow the order of the states: the
        # printed letter moves forward, not back.
        self.assertLess(order.index("to_print"), order.index("queued"))
        # Printed again while its email waits: the same letter.
        attachment = communication.letter_attachment_id
        action = communication.action_print_letters()
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        communication.mail_id._send()
        self.assertEqual(communication.state, "sent")


@tagged("post_install", "-at_install")
class TestPercentagesShown(CycleCommon):
    """Issue #14, item 2: percentages written as Odoo writes them, with their sign,
    in the user's language."""

    def test_dashboard_tables_write_percentages_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        dashboard = self.env["account.collection.dashboard"].with_context(lang="fr_FR")
        self.assertEqual(dashboard._percent(75.1875), "75,2%")
        self.assertEqual(dashboard._percent(None), "")
        point = {
            "date": fields.Date.to_date("2025-06-30"),
            "receivables": 4000.0,
            "overdue": 1000.0,
            "overdue_ratio": 25.0,
            "sales": 3000.0,
            "dso_simple": 1234.5,
            "dso_countback": None,
            "cei": 50.0,
        }
        formatted = dashboard._format_point(point)
        self.assertEqual(formatted["overdue_ratio_formatted"], "25,0%")
        self.assertEqual(formatted["cei_formatted"], "50,0%")
        self.assertEqual(
            formatted["dso_simple_formatted"].replace("\xa0", "\u202f"),
            "1\u202f234,5",
        )

    def test_dashboard_cards_show_the_percent_sign(self):
        data = self.env["account.collection.dashboard"].get_dashboard_data()
        cards = {card["key"]: card for card in data["cards"]}
        for value in (cards["overdue"]["ratio_formatted"], cards["cei"]["formatted"]):
            self.assertTrue(not value or value.endswith("%"), value)

    def test_risk_share_shown_with_one_decimal_and_labelled(self):
        for model, view_type, name in (
            ("account.collection.partner.risk", "list", "late_share"),
            ("account.collection.partner.risk", "form", "late_share"),
            ("res.partner", "form", "collection_late_share"),
        ):
            arch = etree.fromstring(
                self.env[model].get_view(view_type=view_type)["arch"]
            )
            (node,) = arch.xpath(f"//field[@name='{name}']")
            self.assertEqual(node.get("widget"), "percentage")
            self.assertEqual(node.get("digits"), "[16, 1]")
        # The share counts invoices; the segment weighs the delay by the amounts.
        field = self.env["account.collection.partner.risk"]._fields["late_share"]
        self.assertEqual(field.string, "Invoices Late (%)")
        self.assertIn("weighted by the amounts", field.help)


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")
class TestBulkActions(CycleCommon):
    """The reminders list acts on a selection, as the collection user: each
    reminder on its own, saying what was done and what could not be, and why."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Like every internal user by default, the collector may edit contacts.
        cls.collection_user.groups_id += cls.env.ref("base.group_partner_manager")

    def _as_collector(self, records):
        return records.with_user(self.collection_user)

    def _message(self, action):
        self.assertEqual(action["tag"], "display_notification")
        return action["params"]["message"]

    def test_bulk_retry_isolates_the_reminder_still_failing(self):
        self.levels[1].mail_template_id = False
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        self._post_invoice(self.partner_b, 500.0, "2025-06-20")
        failed = self._run()
        self.assertEqual(failed.mapped("state"), ["error", "error"])
        self.levels[1].mail_template_id = self.template
        self.partner_b.email = False  # still fails
        action = self._as_collector(failed).action_bulk_retry()
        message = self._message(action)
        self.assertIn("Reminders sent again: 1.", message)
        self.assertIn("Not processed: 1.", message)
        still = failed.filtered(lambda c: c.state == "error")
        self.assertEqual(still.partner_id, self.partner_b)
        self.assertIn(still.display_name, message)
        self.assertEqual(action["params"]["type"], "warning")

    def test_bulk_cancel_skips_what_cannot_be_cancelled(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        self._post_invoice(self.partner_b, 500.0, "2025-06-20")
        drafts = self._run(auto_send=False)
        sent = drafts[0]
        sent.state = "sent"
        message = self._message(self._as_collector(drafts).action_bulk_cancel())
        self.assertIn("Reminders cancelled: 1.", message)
        self.assertIn(f"{sent.display_name}: A communication already sent", message)
        self.assertEqual(drafts.mapped("state"), ["sent", "cancel"])

    def test_bulk_print_says_which_have_no_letter(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        draft = self._run(auto_send=False)
        action = self._as_collector(draft).action_bulk_print()
        message = self._message(action)
        self.assertIn("Letters printed: 0.", message)
        self.assertIn(f"{draft.display_name}: no letter to print", message)

    def test_bulk_actions_are_bound_to_the_list(self):
        for xmlid in ("retry", "cancel", "print"):
            action = self.env.ref(
                f"account_collection.action_server_communication_{xmlid}"
            )
            self.assertEqual(action.binding_view_types, "list")

    def test_exclude_and_include_say_what_they_did(self):
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        move = self._as_collector(invoice)
        self.assertIn(
            "Invoices excluded from collection: 1.",
            self._message(move.action_collection_exclude()),
        )
        self.assertTrue(invoice.collection_excluded)
        self.assertIn(
            "Invoices included in collection again: 1.",
            self._message(move.action_collection_include()),
        )
        partner = self._as_collector(self.partner_a)
        self.assertIn(
            "Customers excluded from collection: 1.",
            self._message(partner.action_collection_exclude()),
        )
        self.assertIn(
            "Customers included in collection again: 1.",
            self._message(partner.action_collection_include()),
        )
        self.assertFalse(self.partner_a.collection_excluded)

"""The life of a reminder: review, cancellation, channels, what its level does to
the invoices, previews and the failures reported (issue "Trust", items 3, 4, 7, 8
and 9)."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import CycleCommon

ENGINE_LOGGER = "odoo.addons.account_collection.models.account_collection_engine"
RUN_LOGGER = "odoo.addons.account_collection.models.account_collection_run"


class LifecycleCommon(CycleCommon):
    def _mails_outgoing(self):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "account.collection.communication"),
                ("state", "=", "outgoing"),
            ]
        )

    def _live(self, partner):
        return self.env["account.collection.communication"].search(
            [("partner_id", "=", partner.id), ("state", "not in", ("cancel", "error"))]
        )


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")
class TestCancelledReminderStaysCancelled(LifecycleCommon):
    """Item 3: a reminder cancelled at review does not come back."""

    def test_cancelled_at_review_is_not_recreated_nor_sent(self):
        self.company.collection_auto_send = True
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        draft = self._run(auto_send=False)
        draft.action_cancel()
        self.assertFalse(self._run(), "The next run of the day skips it")
        self.assertFalse(self._mails_outgoing(), "Nothing was sent")
        self.assertFalse(invoice.collection_level_id)
        with freeze_time("2025-07-03"):
            self.assertFalse(self._run(), "Not before the interval of the policy")
        with freeze_time("2025-07-05"):
            again = self._run()
        self.assertEqual(again.level_id, self.levels[1])
        self.assertEqual(again.state, "queued")

    def test_user_can_still_remind_a_cancelled_customer(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        self._run(auto_send=False).action_cancel()
        self.partner_a.action_collection_send_now()
        self.assertEqual(self._live(self.partner_a).state, "queued")


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")
class TestCancelUndoesTheReminder(LifecycleCommon):
    """Item 4: cancelling a reminder cancels its email and what it did."""

    def test_cancel_takes_the_email_out_of_the_queue(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        communication = self._run()
        mail = communication.mail_id
        self.assertEqual(mail.state, "outgoing")
        communication.action_cancel()
        self.assertEqual(mail.state, "cancel")
        mail._send()
        self.assertEqual(mail.state, "cancel", "The mail queue does not send it")
        self.assertEqual(communication.state, "cancel")

    def test_late_mail_result_leaves_the_reminder_cancelled(self):
        self.partner_a.email = "not-an-email"
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        communication = self._run()
        mail = communication.mail_id
        communication.action_cancel()
        # The mail was already being sent when the reminder was cancelled.
        mail.mark_outgoing()
        mail._send()
        self.assertEqual(communication.state, "cancel")
        self.assertFalse(communication.error_message)
        with self.assertRaises(UserError):
            communication.action_retry()

    def test_cancel_before_the_hand_over_leaves_the_invoices_open(self):
        self.levels[2].litigation = True
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-05-20")
        communication = self._run()
        self.assertEqual(communication.level_id, self.levels[2])
        self.assertFalse(invoice.collection_blocked)
        communication.action_cancel()
        self.assertFalse(invoice.collection_blocked)
        self.assertFalse(invoice.collection_level_id)

    def test_cancel_removes_the_phone_call(self):
        self.levels[1].phone_call = True
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        communication = self._run()
        self.assertEqual(len(communication.activity_ids), 1)
        communication.action_cancel()
        self.assertFalse(communication.activity_ids)

    def test_reminder_whose_email_left_cannot_be_cancelled(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-05-20")
        communication = self._run()
        communication.mail_id._send()
        self.assertEqual(communication.state, "to_print")
        with self.assertRaises(UserError):
            communication.action_cancel()


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")
class TestLevelAppliedOnSuccess(LifecycleCommon):
    """Item 7: late fees and hand-over follow the success of the channels; a
    reminder in error does not count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A formal notice by email that hands over and charges the late fees.
        cls.levels[2].write(
            {"send_letter": False, "litigation": True, "charge_late_fees": True}
        )
        cls.partner_a.is_company = True

    def test_failed_email_neither_charges_nor_hands_over(self):
        self.partner_a.email = "not-an-email"
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-05-20")
        communication = self._run()
        self.assertEqual(communication.state, "queued")
        self.assertFalse(invoice.collection_blocked)
        self.assertFalse(invoice.collection_charge_ids)
        communication.mail_id._send()
        self.assertEqual(communication.state, "error")
        self.assertFalse(invoice.collection_blocked)
        self.assertFalse(invoice.collection_charge_ids)
        # The failed formal notice does not count as a reminder.
        self.assertFalse(invoice.collection_level_id)
        self.assertFalse(invoice.collection_last_date)

    def test_sent_email_charges_and_hands_over(self):
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-05-20")
        communication = self._run()
        self.assertFalse(invoice.collection_blocked)
        self.assertFalse(invoice.collection_charge_ids)
        communication.mail_id._send()
        self.assertEqual(communication.state, "sent")
        self.assertTrue(invoice.collection_blocked)
        self.assertEqual(invoice.collection_block_reason, "litigation")
        self.assertTrue(invoice.collection_charge_ids)

    def test_send_now_after_a_failure(self):
        self.partner_a.email = "not-an-email"
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        failed = self._run()
        failed.mail_id._send()
        self.assertEqual(failed.state, "error")
        self.partner_a.email = "accounts@partner-a.example.com"
        invoice.action_collection_send_now()
        self.assertEqual(failed.state, "cancel", "Replaced by the new reminder")
        self.assertEqual(self._live(self.partner_a).state, "queued")
        self.assertEqual(invoice.collection_level_id, self.levels[1])

    def test_escalate_after_a_failure(self):
        self.partner_a.email = "not-an-email"
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        self._run().mail_id._send()
        self.partner_a.email = "accounts@partner-a.example.com"
        invoice.action_collection_escalate()
        escalated = self._live(self.partner_a)
        self.assertEqual(escalated.level_id, self.levels[2])
        self.assertEqual(escalated.state, "queued")

    def test_escalate_asks_for_confirmation(self):
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        action = (
            self.env.ref("account_collection.action_server_move_collection_escalate")
            .with_context(
                active_model="account.move",
                active_ids=invoice.ids,
                active_id=invoice.id,
            )
            .run()
        )
        self.assertEqual(action["res_model"], "account.collection.escalate.wizard")
        self.assertFalse(self._live(self.partner_a), "Nothing sent yet")
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.move_ids, invoice)
        self.assertIn(self.partner_a.display_name, wizard.summary)
        self.assertIn(self.levels[2].name, wizard.summary)
        self.assertIn("Agency / Litigation", wizard.summary)
        self.assertFalse(self.partner_a.collection_escalate)
        wizard.action_confirm()
        self.assertEqual(self._live(self.partner_a).level_id, self.levels[2])
        self.assertEqual(invoice.collection_level_id, self.levels[2])

    def test_escalate_refuses_at_once_what_it_cannot_do(self):
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        self._run()
        with self.assertRaisesRegex(UserError, "already reminded today"):
            invoice.action_collection_open_escalate_wizard()


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")
class TestPreviewFutureDate(LifecycleCommon):
    """Item 8: Run Collection previews a future date and sends nothing."""

    def _preview(self, day):
        wizard = self.env["account.collection.run.wizard"].create(
            {"date": day, "company_ids": [Command.set(self.company.ids)]}
        )
        action = wizard.action_preview()
        return self.env["account.collection.communication"].search(action["domain"])

    def test_preview_sends_nothing_and_changes_nothing(self):
        # Due two days ago: the friendly level (7 days) is reached on July 5.
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-28")
        previews = self._preview("2025-07-05")
        self.assertEqual(previews.mapped("state"), ["preview"])
        self.assertEqual(previews.level_id, self.levels[1])
        self.assertFalse(previews.mail_id)
        self.assertFalse(self._mails_outgoing())
        self.assertFalse(invoice.collection_level_id)
        self.assertFalse(invoice.collection_last_date)
        with self.assertRaises(UserError):
            previews.action_send()
        # A new preview replaces it; the run of that date is not held back by it.
        previews = self._preview("2025-07-05")
        self.assertEqual(len(previews), 1)
        with freeze_time("2025-07-05"):
            communication = self._run()
        self.assertEqual(communication.level_id, self.levels[1])
        self.assertEqual(communication.state, "queued")
        self.assertFalse(previews.exists(), "The run of the date replaces it")

    def test_collection_user_discards_a_preview(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-06-28")
        previews = self._preview("2025-07-10").with_user(self.collection_user)
        previews.action_discard_previews()
        self.assertFalse(previews.exists())


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")
class TestFailuresReported(LifecycleCommon):
    """Item 9: failures are reported to the user and to the managers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.failing = cls._post_invoice(cls.partner_a, 1000.0, "2025-06-20")
        cls.working = cls._post_invoice(cls.partner_b, 700.0, "2025-06-20")

    def _make_customer_fail(self, partner):
        """The database refuses the reminders of ``partner`` (a real failure)."""
        self.env.cr.execute(
            SQL(
                "ALTER TABLE account_collection_communication ADD CONSTRAINT "
                "test_failing_customer CHECK (partner_id != %s) NOT VALID",
                partner.id,
            )
        )

    def _run_wizard(self):
        wizard = self.env["account.collection.run.wizard"].create(
            {"company_ids": [Command.set(self.company.ids)]}
        )
        return wizard.action_preview()

    @mute_logger(RUN_LOGGER, "odoo.sql_db")
    def test_manual_run_names_the_failing_customers(self):
        self._make_customer_fail(self.partner_a)
        with self.assertLogs(ENGINE_LOGGER, level="INFO") as logs:
            action = self._run_wizard()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn(self.partner_a.display_name, action["params"]["message"])
        self.assertIn("test_failing_customer", action["params"]["message"])
        drafts = self.env["account.collection.communication"].search(
            action["params"]["next"]["domain"]
        )
        self.assertEqual(drafts.partner_id, self.partner_b)
        # The tracebacks are logged.
        self.assertTrue(
            [record for record in logs.records if record.exc_info],
            "logged with their traceback",
        )

    @mute_logger(ENGINE_LOGGER, RUN_LOGGER, "odoo.sql_db")
    def test_manual_run_where_everyone_failed_says_why(self):
        self._make_customer_fail(self.partner_a)
        self.working.action_collection_exclude()
        with self.assertRaisesRegex(UserError, "test_failing_customer"):
            self._run_wizard()

    @mute_logger(ENGINE_LOGGER, RUN_LOGGER, "odoo.sql_db")
    def test_scheduled_run_leaves_a_trace_for_the_managers(self):
        self._make_customer_fail(self.partner_a)
        runs = self.engine._run_collection(self.company, trigger="scheduled")
        runs._notify_managers()
        self.assertEqual(runs.state, "failed")
        self.assertEqual(runs.failed_partner_ids, self.partner_a)
        self.assertIn("test_failing_customer", runs.failure_details)
        self.assertEqual(runs.communication_ids.partner_id, self.partner_b)
        self.assertIn(self.collection_manager, runs.activity_ids.user_id)
        self.assertNotIn(self.collection_user, runs.activity_ids.user_id)
        self.assertIn(self.partner_a.display_name, runs.activity_ids[0].note)
        self.assertIn("run of 06/30/2025", runs.activity_ids[0].note)

    def test_run_without_failure_is_done(self):
        runs = self.engine._run_collection(self.company, trigger="scheduled")
        runs._notify_managers()
        self.assertEqual(runs.state, "done")
        self.assertEqual(runs.communication_count, 2)
        self.assertFalse(runs.activity_ids)

    def test_send_now_tells_which_reminder_failed(self):
        self.levels[1].mail_template_id = False
        action = self.partner_a.action_collection_send_now()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("mail template", action["params"]["message"])
        self.assertIn(self.partner_a.display_name, action["params"]["message"])


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")
class TestPaidBeforeTheEmailLeft(LifecycleCommon):
    """Issue #15: a customer who pays (online, from the page its reminder links
    to, or otherwise) while the reminder's email waits in the queue is not
    reminded."""

    def _pay(self, invoice, amount=None):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount or invoice.amount_residual})._create_payments()

    def test_paid_reminder_is_cancelled_not_sent(self):
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        communication = self._run()
        mail = communication.mail_id
        self.assertEqual(mail.state, "outgoing")
        self._pay(invoice)
        mail._send()
        self.assertEqual(mail.state, "cancel", "The paid reminder is not sent")
        self.assertEqual(communication.state, "cancel")
        self.assertIn("Paid before its email left", communication.message_ids[0].body)

    def test_partly_paid_reminder_is_sent(self):
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        communication = self._run()
        self._pay(invoice, 400.0)
        communication.mail_id._send()
        self.assertNotEqual(communication.state, "cancel")
        self.assertNotEqual(communication.mail_id.state, "cancel")

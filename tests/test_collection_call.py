"""Logging a collection phone call (issue #14, item 3): its outcome sets up the
next step and marks the call done, all or nothing."""

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.mail.tools.discuss import Store

from .common import CycleCommon


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")  # a Monday
class TestCollectionCall(CycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")
        cls.todo_type = cls.env.ref("mail.mail_activity_data_todo")
        cls.collection_user.groups_id += cls.env.ref("base.group_partner_manager")

    def setUp(self):
        super().setUp()
        self.invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-10")
        self.call = self._schedule(self.invoice)

    def _schedule(self, record, activity_type=None):
        return record.activity_schedule(
            activity_type_id=(activity_type or self.call_type).id,
            summary="Call about the overdue invoices",
            user_id=self.collection_user.id,
        )

    def _wizard(self, activity, **values):
        """The call dialog as the collection user opens it from the chatter."""
        action = activity.with_user(self.collection_user).action_collection_log_call()
        self.assertEqual(action["res_model"], "account.collection.call.wizard")
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.collection_user)
            .with_context(**action["context"])
        )
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def _feedback(self, record):
        return record.message_ids[0].body

    def test_the_chatter_knows_a_collection_call(self):
        todo = self._schedule(self.invoice, self.todo_type)
        store = Store(self.call | todo).get_result()
        flags = {data["id"]: data["collection_call"] for data in store["mail.activity"]}
        self.assertEqual(flags, {self.call.id: True, todo.id: False})
        with self.assertRaisesRegex(UserError, "not a phone call"):
            todo.with_user(self.collection_user).action_collection_log_call()

    def test_level_call_type_is_a_collection_call(self):
        """A reminder's call uses its level's activity type, whatever its category."""
        self.levels[1].write(
            {"phone_call": True, "activity_type_id": self.todo_type.id}
        )
        reminder = self._run()
        call = reminder.activity_ids
        self.assertEqual(call.activity_type_id, self.todo_type)
        self.assertTrue(call.collection_call)
        self.assertEqual(reminder.collection_call_activity_id, call)
        self.assertFalse(self._schedule(self.partner_b, self.todo_type).collection_call)

    def test_promise_is_recorded_and_the_call_done(self):
        wizard = self._wizard(self.call, outcome="promise", promise_date="2025-07-04")
        self.assertEqual(wizard.partner_id, self.partner_a)
        self.assertEqual(wizard.move_ids, self.invoice)
        self.assertEqual(wizard.promise_amount, 1000.0)
        wizard.note = "Paying on Friday"
        action = wizard.action_confirm()
        self.assertIn("$\xa01,000.00", action["params"]["message"])
        self.assertIn("07/04/2025", action["params"]["message"])
        self.assertEqual(str(self.partner_a.collection_promise_date), "2025-07-04")
        self.assertEqual(self.partner_a.collection_promise_amount, 1000.0)
        self.assertFalse(self.call.exists())
        feedback = self._feedback(self.invoice)
        self.assertIn("Promise to Pay", feedback)
        self.assertIn("07/04/2025", feedback)
        self.assertIn("Paying on Friday", feedback)

    def test_promise_needs_no_right_to_edit_contacts(self):
        # The collector's tour found it: a collection user without the right to
        # edit contacts could not record the promise heard on the phone.
        collector = new_test_user(
            self.env,
            login="collector_without_contacts",
            groups="account_collection.account_collection_group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertFalse(collector.has_group("base.group_partner_manager"))
        promise_date = fields.Date.to_date("2025-07-04")
        self.partner_a.with_user(collector)._collection_record_promise(
            promise_date, 300.0
        )
        self.assertEqual(self.partner_a.collection_promise_date, promise_date)
        self.assertEqual(self.partner_a.collection_promise_amount, 300.0)
        self.assertEqual(self.partner_a.message_ids[0].author_id, collector.partner_id)
        outsider = new_test_user(
            self.env,
            login="not_a_collector",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.partner_a.with_user(outsider)._collection_record_promise(
                promise_date, 100.0
            )
        self.assertEqual(self.partner_a.collection_promise_amount, 300.0)

    def test_promise_without_date_changes_nothing(self):
        wizard = self._wizard(self.call, outcome="promise", promise_date="2025-07-04")
        wizard.promise_date = False
        with self.assertRaisesRegex(UserError, "needs a date"):
            wizard.action_confirm()
        self.assertTrue(self.call.exists())
        self.assertFalse(self.partner_a.collection_promise_date)

    def test_dispute_blocks_the_invoices_with_the_reason(self):
        other = self._post_invoice(self.partner_a, 200.0, "2025-06-10")
        wizard = self._wizard(self.call, outcome="dispute", dispute_reason="Damaged")
        wizard.move_ids |= other
        wizard.action_confirm()
        self.assertEqual(
            (self.invoice | other).mapped("collection_block_reason"), ["dispute"] * 2
        )
        self.assertEqual(self.invoice.collection_block_note, "Damaged")
        self.assertFalse(self.call.exists())
        self.assertIn("Damaged", self._feedback(self.invoice))

    def test_dispute_without_invoice_changes_nothing(self):
        wizard = self._wizard(self.call, outcome="dispute", dispute_reason="Damaged")
        wizard.move_ids = False
        with self.assertRaisesRegex(UserError, "Select the invoices"):
            wizard.action_confirm()
        self.assertTrue(self.call.exists())
        self.assertFalse(self.invoice.collection_blocked)

    def test_no_answer_calls_again_the_next_working_day(self):
        wizard = self._wizard(self.call, outcome="no_answer")
        self.assertEqual(str(wizard.next_call_date), "2025-07-01")
        wizard.action_confirm()
        self.assertFalse(self.call.exists())
        again = self.invoice.activity_ids
        self.assertEqual(again.activity_type_id, self.call_type)
        self.assertEqual(again.user_id, self.collection_user)
        self.assertEqual(str(again.date_deadline), "2025-07-01")
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.collection_call_activity_id, again)
        self.assertIn("07/01/2025", self._feedback(self.invoice))

    @freeze_time("2025-07-04")  # a Friday
    def test_no_answer_on_friday_calls_again_on_monday(self):
        wizard = self._wizard(self.call, outcome="no_answer")
        self.assertEqual(str(wizard.next_call_date), "2025-07-07")
        wizard.next_call_date = "2025-07-03"
        with self.assertRaisesRegex(UserError, "next call"):
            wizard.action_confirm()
        self.assertTrue(self.call.exists())

    def test_wrong_number_plans_a_fix_of_the_contact(self):
        call = self._schedule(self.partner_a)
        self.assertEqual(self.partner_a.activity_ids, call)
        self._wizard(call, outcome="wrong_number").action_confirm()
        self.assertFalse(call.exists())
        fix = self.partner_a.activity_ids
        self.assertEqual(fix.activity_type_id, self.todo_type)
        self.assertEqual(fix.user_id, self.collection_user)
        self.assertIn("phone number", fix.summary)
        self.assertFalse(fix.collection_call)

    def test_reached_only_notes(self):
        self._wizard(self.call, outcome="reached", note="Will check").action_confirm()
        self.assertFalse(self.call.exists())
        self.assertFalse(self.invoice.activity_ids)
        self.assertFalse(self.invoice.collection_blocked)
        self.assertIn("Will check", self._feedback(self.invoice))

    def test_log_call_button_of_the_invoice(self):
        invoice = self.invoice.with_user(self.collection_user)
        self.assertEqual(invoice.collection_call_activity_id, self.call)
        action = invoice.action_collection_log_call()
        self.assertEqual(action["context"], {"default_activity_id": self.call.id})
        self.call.action_feedback()
        invoice.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "No phone call"):
            invoice.action_collection_log_call()

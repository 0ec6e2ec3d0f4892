from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CycleCommon


@tagged("post_install", "-at_install")
@freeze_time("2025-06-30")
class TestCollectionCycle(CycleCommon):
    def test_one_communication_per_customer_with_all_open_items(self):
        late_40 = self._post_invoice(self.partner_a, 1000.0, "2025-05-21")
        late_10 = self._post_invoice(self.partner_a, 300.0, "2025-06-20")
        not_due = self._post_invoice(self.partner_a, 200.0, "2025-07-31")
        credit_note = self.init_invoice(
            "out_refund", self.partner_a, "2025-06-01", amounts=[50.0], taxes=[]
        )
        credit_note.action_post()
        other = self._post_invoice(self.partner_b, 400.0, "2025-06-22")

        communications = self._run()

        self.assertEqual(len(communications), 2)
        comm_a = communications.filtered(lambda c: c.partner_id == self.partner_a)
        # The highest level reached by the customer's invoices: the formal notice.
        self.assertEqual(comm_a.level_id, self.levels[2])
        self.assertTrue(comm_a.formal_notice)
        self.assertEqual(comm_a.line_ids.move_id, late_40 | late_10 | credit_note)
        self.assertNotIn(not_due, comm_a.line_ids.move_id)
        self.assertAlmostEqual(comm_a.amount_overdue, 1300.0)
        self.assertAlmostEqual(comm_a.amount_due, 1250.0)
        self.assertEqual(late_40.collection_level_id, self.levels[2])
        self.assertEqual(late_10.collection_level_id, self.levels[1])
        self.assertEqual(late_40.collection_last_date, fields.Date.today())
        # The formal notice is the last level: nothing comes after it.
        self.assertFalse(late_40.collection_next_date)
        self.assertEqual(
            late_10.collection_next_date, fields.Date.to_date("2025-07-20")
        )
        self.assertEqual(late_40.collection_line_ids.communication_id, comm_a)
        self.assertEqual(
            communications.filtered(
                lambda c: c.partner_id == self.partner_b
            ).line_ids.move_id,
            other,
        )

    def test_second_run_the_same_day_sends_nothing(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        first = self._run()
        self.assertEqual(len(first), 1)
        self.assertFalse(self._run())
        self.assertEqual(first.mail_id.mapped("res_id"), first.ids)
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", first._name), ("res_id", "in", first.ids)]
            ),
            1,
        )

    def test_next_level_after_the_minimum_interval(self):
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        self._run()
        with freeze_time("2025-07-01"):
            self.assertFalse(self._run(), "No new level was reached")
        self._post_invoice(self.partner_a, 500.0, "2025-05-25")
        with freeze_time("2025-07-02"):
            self.assertFalse(self._run(), "Reminded less than 5 days ago")
        with freeze_time("2025-07-05"):
            communication = self._run()
        self.assertEqual(communication.level_id, self.levels[2])
        self.assertEqual(invoice.collection_level_id, self.levels[1])

    def test_partial_payment_lists_the_residual(self):
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 400.0, "payment_date": "2025-06-25"})._create_payments()
        communication = self._run()
        self.assertAlmostEqual(communication.amount_overdue, 600.0)
        self.assertEqual(invoice.payment_state, "partial")

    def test_unallocated_payment_is_listed(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.partner_a.id,
                "amount": 150.0,
                "date": "2025-06-26",
            }
        )
        payment.action_post()
        communication = self._run()
        self.assertAlmostEqual(communication.amount_due, 850.0)
        self.assertIn(payment.move_id, communication.line_ids.move_id)

    def test_blocked_excluded_and_paused_are_skipped(self):
        disputed = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        kept = self._post_invoice(self.partner_a, 300.0, "2025-06-10")
        disputed.action_collection_dispute()
        self._post_invoice(self.partner_b, 700.0, "2025-06-20")
        self.partner_b.action_collection_exclude()
        communication = self._run()
        self.assertEqual(communication.partner_id, self.partner_a)
        self.assertEqual(communication.line_ids.move_id, kept)
        self.assertEqual(disputed.collection_block_reason, "dispute")
        self.assertFalse(disputed.collection_level_id)

    def test_promise_pauses_then_broken_escalates(self):
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-22")
        wizard = Form(
            self.env["account.collection.promise.wizard"].with_context(
                default_partner_ids=self.partner_a.ids
            )
        )
        wizard.date = "2025-07-04"
        wizard.amount = 1000.0
        wizard.save().action_confirm()
        self.assertFalse(self._run(), "Reminders pause during a promise")
        with freeze_time("2025-07-05"):
            communication = self._run()
        # Broken: logged, counted, and the reminder goes one level above the reached one.
        self.assertEqual(self.partner_a.collection_broken_promise_count, 1)
        self.assertFalse(self.partner_a.collection_promise_date)
        self.assertEqual(communication.level_id, self.levels[2])
        self.assertEqual(invoice.collection_level_id, self.levels[2])
        self.assertFalse(self.partner_a.collection_escalate)
        self.assertIn("broken", self.partner_a.message_ids[0].body)

    def test_promise_kept(self):
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-22")
        self.partner_a._collection_record_promise(
            fields.Date.to_date("2025-07-04"), 1000.0
        )
        with freeze_time("2025-07-03"):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"payment_date": "2025-07-03"})._create_payments()
        with freeze_time("2025-07-05"):
            self.assertFalse(self._run())
        self.assertEqual(self.partner_a.collection_broken_promise_count, 0)
        self.assertIn("kept", self.partner_a.message_ids[0].body)

    def test_invalid_promise(self):
        with self.assertRaises(UserError):
            self.partner_a._collection_record_promise(
                fields.Date.to_date("2025-06-01"), 10.0
            )
        with self.assertRaises(UserError):
            self.partner_a._collection_record_promise(
                fields.Date.to_date("2025-07-01"), -5.0
            )

    def test_failed_mail_puts_the_communication_in_error_and_retry(self):
        self.partner_a.email = "not-an-email"
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        communication = self._run()
        self.assertEqual(communication.state, "queued")
        communication.mail_id._send()
        self.assertEqual(communication.state, "error")
        self.assertTrue(communication.error_message)
        self.partner_a.email = "accounts@partner-a.example.com"
        communication.action_retry()
        self.assertEqual(communication.state, "queued")
        self.assertEqual(len(communication.line_ids), 1)

    def test_missing_template_is_reported(self):
        self.levels[1].mail_template_id = False
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        communication = self._run()
        self.assertEqual(communication.state, "error")
        self.assertIn("mail template", communication.error_message)

    def test_phone_call_and_letter_channels(self):
        self.levels[2].phone_call = True
        self._post_invoice(self.partner_a, 1000.0, "2025-05-20")
        communication = self._run()
        self.assertEqual(communication.state, "to_print")
        self.assertEqual(
            communication.activity_ids.activity_type_id,
            self.env.ref("mail.mail_activity_data_call"),
        )

    def test_litigation_blocks_the_invoices(self):
        # Handed over by email only: once the email is sent.
        self.levels[2].write({"litigation": True, "send_letter": False})
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-05-20")
        disputed = self._post_invoice(self.partner_b, 1000.0, "2025-08-31")
        communication = self.engine.with_context(
            tracking_disable=False
        )._run_collection_cycle(self.company)
        self.assertFalse(invoice.collection_blocked, "Not before the email is sent")
        communication.mail_id.with_context(tracking_disable=False)._send()
        self.assertEqual(communication.state, "sent")
        self.assertTrue(invoice.collection_blocked)
        self.assertEqual(invoice.collection_block_reason, "litigation")
        self.assertTrue(invoice.collection_block_note.startswith("Handed over on"))

        def blocked_tracking(move):
            return move.message_ids.tracking_value_ids.filtered(
                lambda value: value.field_id.name == "collection_blocked"
            )

        # The communication records the hand-over: no tracking message per invoice,
        # unlike a block by hand.
        self.assertFalse(blocked_tracking(invoice))
        disputed.with_context(tracking_disable=False)._collection_block("dispute")
        self.env.cr.flush()  # tracking messages are written when the data is flushed
        self.assertTrue(blocked_tracking(disputed))

    def test_review_before_sending(self):
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        wizard = self.env["account.collection.run.wizard"].create(
            {"company_ids": [Command.set(self.company.ids)]}
        )
        action = wizard.action_preview()
        draft = self.env["account.collection.communication"].search(action["domain"])
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.mail_id)
        self.assertEqual(invoice.collection_level_id, self.levels[1])
        # Skipping it gives the invoice its previous level back.
        draft.action_cancel()
        self.assertFalse(invoice.collection_level_id)
        # A skipped reminder stays skipped; the user can still ask for it.
        self.assertFalse(self._run(auto_send=False))
        self.partner_a.action_collection_send_now()
        redo = self.env["account.collection.communication"].search(
            [("partner_id", "=", self.partner_a.id), ("state", "!=", "cancel")]
        )
        self.assertEqual(redo.state, "queued")

    def test_send_now_and_escalate_actions(self):
        invoice = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        self._run()
        with freeze_time("2025-07-01"):
            invoice.action_collection_escalate()
            self.assertEqual(invoice.collection_level_id, self.levels[2])
            with self.assertRaises(UserError):
                invoice.action_collection_send_now()
        with self.assertRaises(UserError):
            self.partner_b.action_collection_send_now()

    def test_multi_company(self):
        other_company = self.setup_other_company()["company"]
        other_policy = self._create_policy(other_company, "Other policy")
        other_company.collection_policy_id = other_policy
        own = self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        foreign = self._post_invoice(
            self.partner_a, 900.0, "2025-06-20", company=other_company
        )
        communication = self._run()
        self.assertEqual(communication.line_ids.move_id, own)
        self.assertEqual(communication.company_id, self.company)
        self.assertFalse(foreign.collection_level_id)
        visible = (
            self.env["account.collection.communication"]
            .with_user(self.collection_user)
            .search([])
        )
        self.assertEqual(visible, communication)

    def test_foreign_currency_gets_its_own_communication(self):
        currency = self.setup_other_currency("EUR")
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        self._post_invoice(self.partner_a, 500.0, "2025-06-20", currency=currency)
        communications = self._run()
        self.assertEqual(len(communications), 2)
        foreign = communications.filtered(lambda c: c.currency_id == currency)
        self.assertAlmostEqual(foreign.amount_overdue, 500.0)

    def test_user_rights(self):
        self._post_invoice(self.partner_a, 1000.0, "2025-06-20")
        communication = self.engine.with_user(
            self.collection_user
        )._run_collection_cycle(self.company)
        self.assertEqual(communication.state, "queued")
        with self.assertRaises(UserError):
            communication.with_user(self.collection_user).unlink()

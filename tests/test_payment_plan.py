from datetime import date

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from ..demo import book
from .common import CollectionCommon


class PaymentPlanCommon(CollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["account.collection.plan"]
        cls.customer = cls.partner_a
        cls.customer.email = "accounts@customer-a.example.com"
        cls.formal_notice = cls.policy.level_ids.filtered("formal_notice")
        cls.company.collection_plan_resume_level_id = cls.formal_notice
        cls.invoice_1 = cls._post_invoice(cls.customer, 1000.0, "2025-01-31")
        cls.invoice_2 = cls._post_invoice(cls.customer, 500.0, "2025-02-28")
        cls.invoices = cls.invoice_1 | cls.invoice_2

    @classmethod
    def _pay(cls, invoices, amount, payment_date):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(
                {
                    "amount": amount,
                    "payment_date": payment_date,
                    "group_payment": True,
                    "payment_difference_handling": "open",
                }
            )
            ._create_payments()
        )

    def _make_plan(self, invoices=None, **values):
        invoices = self.invoices if invoices is None else invoices
        plan = self.Plan.create(
            {
                "partner_id": invoices[:1].commercial_partner_id.id or self.customer.id,
                "invoice_ids": [Command.set(invoices.ids)],
                "date": "2025-03-10",
                "date_start": "2025-03-15",
                "installment_count": 3,
                "frequency": "monthly",
                **values,
            }
        )
        plan.action_generate_installments()
        return plan

    def _schedule(self, plan):
        return [(line.date_due, line.amount) for line in plan.installment_ids]


@tagged("post_install", "-at_install")
class TestPaymentPlanSchedule(PaymentPlanCommon):
    def test_generation_last_installment_absorbs_rounding(self):
        plan = self._make_plan(installment_count=7)
        self.assertEqual(plan.amount_total, 1500.0)
        self.assertTrue(plan.name.startswith("PLAN/"))
        amounts = plan.installment_ids.mapped("amount")
        self.assertEqual(amounts[:6], [214.28] * 6)
        self.assertAlmostEqual(amounts[6], 214.32, 2)
        self.assertAlmostEqual(sum(amounts), 1500.0, 2)
        self.assertEqual(
            plan.installment_ids.mapped("date_due")[:3],
            [date(2025, 3, 15), date(2025, 4, 15), date(2025, 5, 15)],
        )
        self.assertFalse(plan.schedule_mismatch)

    def test_down_payment_and_weekly_frequency(self):
        plan = self._make_plan(down_payment=300.0, frequency="weekly")
        self.assertEqual(
            self._schedule(plan),
            [
                (date(2025, 3, 15), 300.0),
                (date(2025, 3, 22), 400.0),
                (date(2025, 3, 29), 400.0),
                (date(2025, 4, 5), 400.0),
            ],
        )
        self.assertTrue(plan.installment_ids[0].is_down_payment)
        with self.assertRaisesRegex(UserError, "down payment"):
            plan.write({"down_payment": 1500.0})
            plan.action_generate_installments()

    def test_total_follows_invoices_while_draft_then_is_fixed(self):
        with freeze_time("2025-03-10"):
            plan = self._make_plan()
            self._pay(self.invoice_2, 200.0, "2025-03-10")
            self.assertAlmostEqual(plan.amount_invoices, 1300.0, 2)
            self.assertTrue(plan.schedule_mismatch)
            with self.assertRaisesRegex(UserError, "add up to"):
                plan.action_activate()
            self.assertEqual(plan.state, "draft")
            plan.action_generate_installments()
            plan.action_activate()
            self._pay(self.invoice_2, 100.0, "2025-03-11")
        self.assertAlmostEqual(plan.amount_invoices, 1300.0, 2)
        self.assertAlmostEqual(plan.amount_total, 1300.0, 2)
        self.assertAlmostEqual(plan.amount_paid, 100.0, 2)

    def test_manual_edits_are_validated(self):
        plan = self._make_plan()
        first, second, third = plan.installment_ids
        with self.assertRaises(ValidationError):
            first.amount = 0.0
        with self.assertRaises(ValidationError):
            second.amount = -10.0
        with self.assertRaises(ValidationError):
            second.date_due = first.date_due
        # A sum that does not match is refused at activation, with nothing done.
        third.amount = 400.0
        with self.assertRaisesRegex(UserError, "add up to"):
            plan.action_activate()
        self.assertEqual(plan.state, "draft")
        self.assertFalse(self.invoices.filtered("collection_blocked"))
        # Fixed by hand: activation works and the schedule is then frozen.
        third.amount = 500.0
        plan.action_activate()
        with self.assertRaises(ValidationError):
            third.amount = 400.0
        with self.assertRaises(UserError):
            plan.action_generate_installments()

    def test_schedule_edited_inline_in_the_form(self):
        plan = self._make_plan()
        with Form(plan) as form:
            with form.installment_ids.edit(2) as line:
                line.amount = 400.0
            with form.installment_ids.new() as line:
                line.date_due = "2025-06-15"
                line.amount = 100.0
        self.assertEqual(len(plan.installment_ids), 4)
        self.assertFalse(plan.schedule_mismatch)
        plan.action_activate()
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.next_installment_date, date(2025, 3, 15))
        views = self.env["account.collection.plan.installment"].get_views(
            [(False, "calendar"), (False, "list"), (False, "search")]
        )
        self.assertIn("calendar", views["views"])

    def test_invoices_must_match_the_plan(self):
        other = self._post_invoice(self.partner_b, 100.0, "2025-01-31")
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self.Plan.create(
                {
                    "partner_id": self.customer.id,
                    "invoice_ids": [Command.set((self.invoice_1 | other).ids)],
                }
            )
        refund = self.init_invoice(
            "out_refund", partner=self.customer, amounts=[50.0], post=True
        )
        with self.assertRaises(ValidationError):
            self.Plan.create(
                {
                    "partner_id": self.customer.id,
                    "invoice_ids": [Command.set(refund.ids)],
                }
            )
        paid = self._post_invoice(self.customer, 100.0, "2025-01-31")
        self._pay(paid, 100.0, "2025-02-01")
        plan = self._make_plan(paid | self.invoice_1)
        with self.assertRaisesRegex(UserError, "already paid"):
            plan.action_activate()

    def test_invoice_in_one_active_plan_only(self):
        first = self._make_plan()
        first.action_activate()
        second = self._make_plan(self.invoice_1)
        with self.assertRaisesRegex(UserError, "already covered by the active"):
            second.action_activate()
        self.assertEqual(second.state, "draft")
        # The constraint stands behind the check, whatever the way in.
        with self.assertRaises(ValidationError):
            second.write({"state": "active"})
        first.action_cancel()
        second.action_activate()
        self.assertEqual(second.state, "active")

    def test_interest_added_to_the_plan(self):
        plan = self._make_plan(interest_rate=10.0)
        # 500 x 10% x (5, 36, 66 days) / 365 = 0.68 + 4.93 + 9.04 = 14.66
        self.assertAlmostEqual(plan.amount_interest, 14.66, 2)
        self.assertAlmostEqual(plan.amount_total, 1514.66, 2)
        self.assertAlmostEqual(sum(plan.installment_ids.mapped("amount")), 1514.66, 2)
        plan.action_activate()
        interest = plan.interest_move_id
        self.assertEqual(interest.state, "posted")
        self.assertAlmostEqual(interest.amount_total, 14.66, 2)
        self.assertIn(interest, plan.invoice_ids)
        self.assertTrue(interest.collection_blocked)
        self.assertAlmostEqual(plan.amount_invoices, 1500.0, 2)
        self.assertAlmostEqual(plan.amount_base_residual, 1514.66, 2)
        plan.action_cancel()
        self.assertEqual(interest.payment_state, "reversed")

    def test_interest_invoice_escapes_credit_control_and_term_check(self):
        """The interest invoice of a plan, due with the last installment, is a
        consequence of collection: neither the legal maximum term nor the credit
        hold of the customer stops the plan's activation."""
        self.company.write(
            {"collection_credit_check": "block", "collection_term_check": "block"}
        )
        self.customer.collection_debtor_type = "professional"
        self.customer._collection_risk_ensure().write(
            {"credit_hold": True, "credit_hold_reason": "Payment plan"}
        )
        with freeze_time("2025-03-10"):
            plan = self._make_plan(interest_rate=10.0, installment_count=6)
            plan.action_activate()
            # An ordinary invoice of the customer with the same dates is refused.
            ordinary = self.init_invoice(
                "out_invoice",
                partner=self.customer,
                invoice_date="2025-03-10",
                amounts=[100.0],
                taxes=[],
            )
            ordinary.write(
                {"invoice_payment_term_id": False, "invoice_date_due": "2025-08-15"}
            )
            with self.assertRaisesRegex(UserError, "legal maximum payment term"):
                ordinary.action_post()
        interest = plan.interest_move_id
        self.assertEqual(plan.state, "active")
        self.assertEqual(interest.state, "posted")
        self.assertTrue(interest.collection_generated)
        self.assertEqual(interest.invoice_date_due, date(2025, 8, 15))
        self.assertFalse(interest.collection_term_warning)
        self.assertFalse(
            interest.message_ids.filtered(
                lambda message: "credit control" in (message.body or "")
                or "legal maximum" in (message.body or "")
            )
        )

    def test_interest_waived(self):
        plan = self._make_plan(interest_rate=10.0, interest_included=False)
        self.assertAlmostEqual(plan.amount_interest, 14.66, 2)
        self.assertAlmostEqual(plan.amount_total, 1500.0, 2)
        plan.action_activate()
        self.assertFalse(plan.interest_move_id)


@tagged("post_install", "-at_install")
class TestPaymentPlanFollowUp(PaymentPlanCommon):
    def test_activation_blocks_dunning_and_cancel_releases(self):
        disputed = self._post_invoice(self.customer, 200.0, "2025-01-15")
        disputed._collection_block("dispute", "Damaged goods")
        with freeze_time("2025-03-10"):
            plan = self._make_plan(self.invoices | disputed)
            plan.action_activate()
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.date_activation, date(2025, 3, 10))
        for invoice in self.invoices:
            self.assertTrue(invoice.collection_blocked)
            self.assertEqual(invoice.collection_block_reason, "payment_plan")
            self.assertEqual(invoice.collection_block_note, plan.name)
        # The plan takes over an invoice blocked for another reason; its block comes
        # back when the plan ends without settling it.
        self.assertEqual(disputed.collection_block_reason, "payment_plan")
        self.assertEqual(disputed.collection_prior_block_reason, "dispute")
        self.assertEqual(self.invoice_1.collection_plan_count, 1)
        self.assertEqual(self.customer.collection_plan_count, 1)
        plan.action_cancel()
        self.assertEqual(plan.state, "cancelled")
        self.assertFalse(self.invoices.filtered("collection_blocked"))
        self.assertEqual(disputed.collection_block_reason, "dispute")
        self.assertEqual(disputed.collection_block_note, "Damaged goods")
        self.assertFalse(disputed.collection_prior_block_reason)
        with self.assertRaises(UserError):
            plan.action_activate()

    def test_dispute_settled_during_the_plan_does_not_come_back(self):
        """A credit note posted for an invoice the plan took over in dispute settles
        the dispute: cancelling the plan leaves the invoice free, not in dispute."""
        disputed = self._post_invoice(self.customer, 200.0, "2025-01-15")
        disputed._collection_block("dispute", "Damaged goods")
        with freeze_time("2025-03-10"):
            plan = self._make_plan(self.invoices | disputed)
            plan.action_activate()
            credit_note = disputed._reverse_moves(
                [{"invoice_date": date(2025, 3, 10), "ref": "Damaged goods"}]
            )
            credit_note.invoice_line_ids.price_unit = 50.0
            credit_note.action_post()
        self.assertEqual(disputed.collection_block_reason, "payment_plan")
        self.assertFalse(disputed.collection_prior_block_reason)
        plan.action_cancel()
        self.assertFalse(disputed.collection_blocked)
        self.assertTrue(
            disputed.message_ids.filtered(
                lambda message: credit_note.name in (message.body or "")
            )
        )

    def test_plan_takes_over_a_litigation_block(self):
        agency = self.env["account.collection.level"].create(
            {
                "policy_id": self.policy.id,
                "name": "Agency",
                "days": 60,
                "send_email": False,
                "litigation": True,
            }
        )
        litigated = self.invoice_1
        litigated.collection_level_id = agency
        with freeze_time("2025-03-01"):
            litigated._collection_block("litigation", "Handed over on 2025-03-01")
        kpi = self.env["account.collection.kpi"]
        before = kpi._blocked_amounts(self.company, date(2025, 3, 10))
        self.assertEqual((before["payment_plan"], before["litigation"]), (0, 1000))
        with freeze_time("2025-03-10"):
            plan = self._make_plan()
            plan.action_activate()
        self.assertEqual(
            self.invoices.mapped("collection_block_reason"), ["payment_plan"] * 2
        )
        self.assertEqual(litigated.collection_block_note, plan.name)
        # The dashboard shows the plan, not the litigation it took over.
        during = kpi._blocked_amounts(self.company, date(2025, 3, 10))
        self.assertEqual((during["payment_plan"], during["litigation"]), (1500, 0))
        # Breached: the litigated invoice goes back to litigation as it was, the
        # other one is dunned again.
        with freeze_time("2025-03-19"):
            self.Plan._cron_update_plans()
        self.assertEqual(plan.state, "breached")
        self.assertEqual(
            (
                litigated.collection_blocked,
                litigated.collection_block_reason,
                litigated.collection_block_date,
                litigated.collection_block_note,
            ),
            (True, "litigation", date(2025, 3, 1), "Handed over on 2025-03-01"),
        )
        self.assertFalse(litigated.collection_prior_block_reason)
        self.assertEqual(litigated.collection_level_id, agency)
        self.assertFalse(self.invoice_2.collection_blocked)
        self.assertTrue(self.invoice_2.collection_resume_level_id)
        self.assertTrue(
            plan.message_ids.filtered(
                lambda message: "Blocked again as before the plan"
                in (message.body or "")
                and litigated.name in message.body
            )
        )
        after = kpi._blocked_amounts(self.company, date(2025, 3, 19))
        self.assertEqual((after["payment_plan"], after["litigation"]), (0, 1000))

    def test_completed_plan_forgets_the_previous_block(self):
        self.invoice_2._collection_block("dispute", "Damaged goods")
        with freeze_time("2025-03-10"):
            plan = self._make_plan()
            plan.action_activate()
            self._pay(self.invoices, 1500.0, "2025-03-14")
            self.Plan._cron_update_plans()
        self.assertEqual(plan.state, "completed")
        self.assertFalse(self.invoices.filtered("collection_blocked"))
        self.assertFalse(self.invoices.filtered("collection_prior_block_reason"))

    def test_payments_allocated_in_date_order(self):
        with freeze_time("2025-03-10"):
            plan = self._make_plan()
            plan.action_activate()
            self._pay(self.invoice_1, 600.0, "2025-03-14")
            first, second, third = plan.installment_ids
            self.assertAlmostEqual(plan.amount_paid, 600.0, 2)
            self.assertAlmostEqual(plan.amount_residual, 900.0, 2)
            self.assertAlmostEqual(plan.progress, 40.0, 1)
            self.assertEqual((first.amount_paid, first.state), (500.0, "paid"))
            self.assertEqual((second.amount_paid, second.state), (100.0, "partial"))
            self.assertEqual((third.amount_paid, third.state), (0.0, "pending"))
            self.assertEqual(plan.next_installment_date, date(2025, 4, 15))
            self.assertAlmostEqual(plan.next_installment_amount, 400.0, 2)
        # A payment on the other invoice counts the same: the plan is one debt.
        with freeze_time("2025-04-16"):
            self._pay(self.invoice_2, 450.0, "2025-04-16")
            plan.action_update()
            self.assertEqual(second.state, "paid")
            self.assertEqual((third.amount_paid, third.state), (50.0, "partial"))
            self.assertEqual(plan.state, "active")

    def test_late_installment_within_grace_does_not_break(self):
        with freeze_time("2025-03-10"):
            plan = self._make_plan()
            plan.action_activate()
        with freeze_time("2025-03-18"):
            self.Plan._cron_update_plans()
            self.assertEqual(plan.installment_ids[0].state, "late")
            self.assertEqual(plan.late_installment_count, 1)
            self.assertTrue(plan.at_risk)
            self.assertIn(plan, self.Plan.search([("at_risk", "=", True)]))
            self.assertEqual(plan.state, "active")

    def test_missed_installment_breaks_the_plan(self):
        collector = self.collection_user
        self.customer.with_company(self.company).collection_user_id = collector
        with freeze_time("2025-03-10"):
            plan = self._make_plan()
            plan.action_activate()
            self._pay(self.invoice_1, 200.0, "2025-03-12")
        with freeze_time("2025-03-19"):
            self.Plan._cron_update_plans()
        self.assertEqual(plan.state, "breached")
        self.assertEqual(plan.date_end, date(2025, 3, 19))
        self.assertEqual(plan.breach_installment_id, plan.installment_ids[0])
        activity = plan.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, collector)
        self.assertIn("breached", activity.summary)
        self.assertFalse(self.invoices.filtered("collection_blocked"))
        # The next dunning cycle reminds the invoices at the formal notice at once.
        self.company.collection_policy_id = self.policy
        with freeze_time("2025-03-19"):
            communication = self.env["account.collection.engine"]._run_collection_cycle(
                self.company, auto_send=False
            )
        self.assertEqual(communication.level_id, self.formal_notice)
        self.assertEqual(self.invoices.collection_level_id, self.formal_notice)
        self.assertTrue(
            plan.message_ids.filtered(lambda m: "breached" in (m.body or ""))
        )
        # Idempotent: a second run changes nothing.
        with freeze_time("2025-03-20"):
            self.Plan._cron_update_plans()
        self.assertEqual(len(plan.activity_ids), 1)

    def test_completion_when_everything_is_paid(self):
        with freeze_time("2025-03-10"):
            plan = self._make_plan()
            plan.action_activate()
            self._pay(self.invoices, 1500.0, "2025-03-14")
            self.assertEqual(plan.installment_ids.mapped("state"), ["paid"] * 3)
            self.assertAlmostEqual(plan.progress, 100.0, 1)
            self.Plan._cron_update_plans()
        self.assertEqual(plan.state, "completed")
        self.assertEqual(plan.date_end, date(2025, 3, 10))
        self.assertFalse(self.invoices.filtered("collection_blocked"))
        self.assertFalse(plan.activity_ids)
        with freeze_time("2025-09-01"):
            self.Plan._cron_update_plans()
        self.assertEqual(plan.state, "completed")

    def test_installment_reminder_sent_once(self):
        self.company.collection_plan_reminder_days = 5
        with freeze_time("2025-03-01"):
            plan = self._make_plan(date="2025-03-01")
            plan.action_activate()
        second = plan.installment_ids[1]
        messages_before = plan.message_ids
        with freeze_time("2025-04-09"):
            self._pay(self.invoice_1, 500.0, "2025-03-15")
            self.Plan._cron_update_plans()
            self.assertFalse(second.reminder_date)
        with freeze_time("2025-04-10"):
            self.Plan._cron_update_plans()
            self.Plan._cron_update_plans()
        self.assertEqual(second.reminder_date, date(2025, 4, 10))
        reminders = plan.message_ids - messages_before
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.partner_ids, self.customer)
        self.assertEqual(reminders.message_type, "comment")
        self.assertIn("500.00", reminders.subject)
        self.assertIn(plan.name, reminders.body)
        self.assertFalse(plan.installment_ids[2].reminder_date)

    def test_failing_plan_is_isolated(self):
        broken = self.env["mail.template"].create(
            {
                "name": "Broken reminder",
                "model_id": self.env["ir.model"]._get_id(
                    "account.collection.plan.installment"
                ),
                "subject": "Installment",
                "body_html": "<p><t t-out='object.no_such_field'/></p>",
            }
        )
        other_invoice = self._post_invoice(self.partner_b, 900.0, "2025-01-31")
        with freeze_time("2025-03-10"):
            failing = self._make_plan(reminder_template_id=broken.id)
            healthy = self._make_plan(other_invoice)
            (failing | healthy).action_activate()
            with self.assertLogs(
                "odoo.addons.account_collection.models.account_collection_plan_followup",
                level="ERROR",
            ) as logs:
                self.Plan._cron_update_plans()
        self.assertIn(failing.name, logs.output[0])
        self.assertFalse(failing.installment_ids[0].reminder_date)
        self.assertEqual(healthy.installment_ids[0].reminder_date, date(2025, 3, 10))

    def test_interest_exempt_periods(self):
        with freeze_time("2025-03-10"):
            plan = self._make_plan()
            plan.action_activate()
        other = self._post_invoice(self.customer, 80.0, "2025-01-31")
        periods = self.env["account.move"]._collection_interest_exempt_periods(
            self.invoice_1 | other
        )
        self.assertEqual(
            periods, {self.invoice_1.id: [(date(2025, 3, 10), date(2025, 5, 15))]}
        )
        with freeze_time("2025-03-12"):
            self._pay(self.invoices, 1500.0, "2025-03-12")
            plan.action_update()
        periods = self.env["account.move"]._collection_interest_exempt_periods(
            self.invoice_2
        )
        self.assertEqual(
            periods, {self.invoice_2.id: [(date(2025, 3, 10), date(2025, 3, 12))]}
        )

    def test_agreement_report(self):
        plan = self._make_plan(down_payment=500.0)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "account_collection.report_account_collection_plan", plan.ids
            )[0]
            .decode()
        )
        currency = plan.currency_id.name
        words = plan._amount_in_words(1500.0)
        self.assertIn(words, html)
        self.assertEqual(
            words,
            {"USD": "one thousand, five hundred dollars"}.get(currency, words),
        )
        self.assertIn(self.invoice_1.name, html)
        self.assertIn("L441-10", html)
        self.assertIn("40 EUR", html)
        self.assertIn(plan._amount_in_words(500.0), html)


@tagged("post_install", "-at_install")
class TestPaymentPlanWizardAndAccess(PaymentPlanCommon):
    def test_wizard_from_invoices(self):
        action = self.invoices.action_create_payment_plan()
        self.assertEqual(action["res_model"], "account.collection.plan.wizard")
        context = action["context"]
        self.assertEqual(context["default_partner_id"], self.customer.id)
        wizard_form = Form(
            self.env["account.collection.plan.wizard"].with_context(**context)
        )
        self.assertAlmostEqual(wizard_form.amount_total, 1500.0, 2)
        wizard_form.date_start = "2025-04-01"
        wizard_form.installment_count = 4
        wizard_form.down_payment = 100.0
        self.assertIn("100.00", wizard_form.schedule_preview)
        wizard = wizard_form.save()
        result = wizard.action_create_plan()
        plan = self.Plan.browse(result["res_id"])
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.invoice_ids, self.invoices)
        self.assertEqual(len(plan.installment_ids), 5)
        self.assertAlmostEqual(sum(plan.installment_ids.mapped("amount")), 1500.0, 2)

    def test_wizard_from_customer_and_errors(self):
        action = self.customer.action_create_payment_plan()
        self.assertEqual(
            action["context"]["default_invoice_ids"], [Command.set(self.invoices.ids)]
        )
        with self.assertRaisesRegex(UserError, "one customer"):
            (self.customer | self.partner_b).action_create_payment_plan()
        with self.assertRaisesRegex(UserError, "no open invoice"):
            self.partner_b.action_create_payment_plan()
        plan = self._make_plan()
        plan.action_activate()
        wizard = self.env["account.collection.plan.wizard"].create(
            {
                "partner_id": self.customer.id,
                "invoice_ids": [Command.set(self.invoice_1.ids)],
            }
        )
        with self.assertRaisesRegex(UserError, "already covered"):
            wizard.action_create_plan()

    def test_collection_user_runs_plans_others_cannot(self):
        collector = self.collection_user
        plan = self._make_plan().with_user(collector)
        plan.invalidate_recordset()
        plan.action_activate()
        self.assertEqual(plan.state, "active")
        plan.action_cancel()
        outsider = new_test_user(
            self.env,
            login="outsider",
            groups="base.group_user",
            company_id=self.company.id,
        )
        with self.assertRaises(AccessError):
            self.Plan.with_user(outsider).search([])
        with self.assertRaises(AccessError):
            plan.installment_ids.with_user(outsider).read(["amount"])

    def test_plans_are_company_bound(self):
        other_company = self.setup_other_company()["company"]
        other_invoice = self._post_invoice(
            self.customer, 300.0, "2025-01-31", company=other_company
        )
        with self.assertRaises(UserError):
            self._make_plan(self.invoice_1 | other_invoice)
        foreign_plan = self.Plan.with_company(other_company).create(
            {
                "partner_id": self.customer.id,
                "company_id": other_company.id,
                "invoice_ids": [Command.set(other_invoice.ids)],
            }
        )
        self.assertEqual(foreign_plan.currency_id, other_invoice.currency_id)
        own_plan = self._make_plan()
        visible = self.Plan.with_user(self.collection_user).search([])
        self.assertIn(own_plan, visible)
        self.assertNotIn(foreign_plan, visible)


@tagged("post_install", "-at_install")
class TestPaymentPlanOnDemoData(CollectionCommon):
    def test_plan_for_an_overdue_demo_customer(self):
        today = fields.Date.to_date("2025-06-02")
        with freeze_time(today):
            partners = book.load_demo_data(self.env, self.company, today)
        late = partners.filtered(lambda p: p.name == "Transports Lefèvre SAS")
        late_too = partners.filtered(lambda p: p.name == "Brasserie du Port")
        Plan = self.env["account.collection.plan"]
        plans = Plan.browse()
        with freeze_time(today):
            for partner in late | late_too:
                action = partner.action_create_payment_plan()
                wizard = (
                    self.env["account.collection.plan.wizard"]
                    .with_context(**action["context"])
                    .create({"date_start": "2025-06-10", "installment_count": 2})
                )
                plans |= Plan.browse(wizard.action_create_plan()["res_id"])
            plans.action_activate()
        kept, missed = plans
        invoices = kept.invoice_ids
        self.assertEqual(len(invoices), 2)
        self.assertTrue(all(invoices.mapped("collection_blocked")))
        self.assertEqual(
            set(invoices.mapped("collection_block_reason")), {"payment_plan"}
        )
        # Courtesy reminder of the first installment, 5 days before it.
        with freeze_time("2025-06-05"):
            Plan._cron_update_plans()
        self.assertEqual(kept.installment_ids[0].reminder_date, date(2025, 6, 5))
        self.assertEqual(missed.installment_ids[0].reminder_date, date(2025, 6, 5))
        # The first customer pays everything, the second one nothing.
        with freeze_time("2025-06-10"):
            book.demo_pay(self.env, invoices[0], invoices[0].amount_residual, today)
            book.demo_pay(self.env, invoices[1], invoices[1].amount_residual, today)
        with freeze_time("2025-06-14"):
            Plan._cron_update_plans()
        self.assertEqual(kept.state, "completed")
        self.assertFalse(any(invoices.mapped("collection_blocked")))
        self.assertEqual(missed.state, "breached")
        self.assertFalse(any(missed.invoice_ids.mapped("collection_blocked")))
        self.assertTrue(missed.activity_ids)

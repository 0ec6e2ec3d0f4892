from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionWorklist(CollectionCommon):
    """My collection day, read as the collection user: each kind of thing to do
    appears for its case and leaves once done, the most urgent first, each
    collector sees their own customers (and the default collector those without
    one), each user their companies. The view reads the database's current date:
    these tests are not frozen in time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.company.collection_policy_id = cls.policy
        cls.Worklist = cls.env["account.collection.worklist"]

    def _customer(self, name, collector=None):
        partner = self.env["res.partner"].create({"name": name, "is_company": True})
        if collector:
            partner.with_company(self.company).collection_user_id = collector
        return partner

    def _ago(self, days):
        return self.today - timedelta(days=days)

    def _lines(self, user=None, domain=(), companies=None):
        self.env.flush_all()
        user = user or self.collection_user
        worklist = self.Worklist.with_user(user)
        if companies:
            worklist = worklist.with_context(allowed_company_ids=companies.ids)
        return worklist.search(list(domain))

    def _kind(self, kind, partner, user=None):
        return self._lines(user, [("kind", "=", kind), ("partner_id", "=", partner.id)])

    def _dispute(self, partner, amount, days, company=None):
        invoice = self._post_invoice(
            partner, amount, self._ago(days), company=company or self.company
        )
        invoice.action_collection_dispute()
        return invoice

    # ------------------------------------------------------------------
    # One kind at a time: appears, then leaves when done
    # ------------------------------------------------------------------
    def test_call_due(self):
        customer = self._customer("Call Co", self.collection_user)
        friendly = self.policy.level_ids.filtered(lambda level: level.days == 7)
        friendly.phone_call = True
        self._post_invoice(customer, 500.0, self._ago(10))
        communication = self.env["account.collection.engine"]._run_collection_cycle(
            self.company, auto_send=True
        )
        line = self._kind("call_due", customer)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.activity_id, communication.activity_ids)
        self.assertEqual(line.communication_id, communication)
        self.assertEqual(line.user_id, self.collection_user)
        self.assertAlmostEqual(line.amount, 500.0)
        self.assertEqual(line.days_overdue, 10)
        communication.activity_ids.action_feedback(feedback="Reached")
        self.assertFalse(self._kind("call_due", customer))

    def test_calls_planned_on_an_invoice_or_a_customer(self):
        customer = self._customer("Call Me Co", self.collection_user)
        invoice = self._post_invoice(customer, 300.0, self._ago(15))
        on_invoice = invoice.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.collection_user.id
        )
        on_customer = customer.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=self._ago(2),
            user_id=self.collection_user.id,
        )
        # A to-do is not a call; a call planned next week is not for today.
        invoice.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.collection_user.id
        )
        customer.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=self.today + timedelta(days=7),
            user_id=self.collection_user.id,
        )
        lines = self._kind("call_due", customer)
        self.assertEqual(lines.activity_id, on_invoice | on_customer)
        self.assertEqual(
            lines.filtered(lambda line: line.activity_id == on_invoice).move_id, invoice
        )
        self.assertEqual(lines.company_id, self.company)
        self.assertEqual(
            lines.filtered(lambda line: line.activity_id == on_customer).age_days, 2
        )
        on_invoice.action_feedback(feedback="Reached")
        self.assertEqual(self._kind("call_due", customer).activity_id, on_customer)

    def test_letter_to_print_and_reminder_in_error(self):
        customer = self._customer("Letter Co", self.collection_user)
        self._post_invoice(customer, 500.0, self._ago(40))
        letter = self.env["account.collection.engine"]._run_collection_cycle(
            self.company, auto_send=True
        )
        self.assertEqual(letter.state, "to_print")
        line = self._kind("letter_to_print", customer)
        self.assertEqual(line.communication_id, letter)
        # Printed (what Print does once the PDF exists): it leaves the list.
        letter.printed = True
        self.env["account.collection.dispatch"]._update_state(letter)
        self.assertFalse(self._kind("letter_to_print", customer))

        letter._set_error("Printer on fire")
        line = self._kind("reminder_error", customer)
        self.assertEqual(line.description, "Printer on fire")
        letter.action_cancel()
        self.assertFalse(self._kind("reminder_error", customer))

    def test_dispute_waiting_with_its_age(self):
        customer = self._customer("Dispute Co")
        invoice = self._dispute(customer, 800.0, 20)
        invoice.collection_block_date = self._ago(12)
        line = self._kind("dispute", customer)
        self.assertEqual(line.move_id, invoice)
        self.assertEqual(line.age_days, 12)
        self.assertEqual(line.days_overdue, 20)
        self.assertAlmostEqual(line.amount, 800.0)
        self.assertEqual(line.action_open_document()["res_id"], invoice.id)
        invoice.action_collection_undispute()
        self.assertFalse(self._kind("dispute", customer))

    def test_broken_promise(self):
        customer = self._customer("Promise Co").with_company(self.company)
        invoice = self._post_invoice(customer, 300.0, self._ago(15))
        customer._collection_record_promise(self.today, 300.0)
        self.assertFalse(self._kind("broken_promise", customer))
        customer._collection_settle_promise(kept=False)
        line = self._kind("broken_promise", customer)
        self.assertEqual(len(line), 1)
        self.assertAlmostEqual(line.amount, 300.0)
        # Paid: nothing left to chase.
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": self.today})._create_payments()
        self.assertFalse(self._kind("broken_promise", customer))

    def test_plan_at_risk(self):
        customer = self._customer("Plan Co")
        invoice = self._post_invoice(customer, 900.0, self._ago(90))
        plan = self.env["account.collection.plan"].create(
            {
                "partner_id": customer.id,
                "invoice_ids": [Command.set(invoice.ids)],
                "date": self._ago(70),
                "date_start": self._ago(60),
                "installment_count": 3,
                "frequency": "monthly",
            }
        )
        plan.action_generate_installments()
        plan.action_activate()
        line = self._kind("plan_at_risk", customer)
        self.assertEqual(line.plan_id, plan)
        self.assertEqual(line.days_overdue, 60)
        self.assertAlmostEqual(line.amount, 900.0)
        plan.action_cancel()
        self.assertFalse(self._kind("plan_at_risk", customer))

    def test_over_credit_limit(self):
        customer = self._customer("Limit Co")
        self._post_invoice(customer, 500.0, self._ago(5))
        risk = self.env["account.collection.partner.risk"].create(
            {
                "partner_id": customer.id,
                "company_id": self.company.id,
                "credit_limit_manual": 100.0,
            }
        )
        self.assertTrue(risk.over_limit)
        line = self._kind("over_credit_limit", customer)
        self.assertAlmostEqual(line.amount, risk.exposure - 100.0)
        risk.credit_limit_manual = 1000.0
        self.assertFalse(risk.over_limit)
        self.assertFalse(self._kind("over_credit_limit", customer))

    def test_credit_to_allocate(self):
        customer = self._customer("Credit Co")
        invoice = self._post_invoice(customer, 400.0, self._ago(20))
        refund = self.init_invoice(
            "out_refund", customer, self._ago(5), amounts=[150.0], taxes=[]
        )
        refund.action_post()
        line = self._kind("credit_to_allocate", customer)
        self.assertAlmostEqual(line.amount, 150.0)
        (invoice | refund).line_ids.filtered(
            lambda aml: aml.account_type == "asset_receivable"
        ).reconcile()
        self.assertFalse(self._kind("credit_to_allocate", customer))

    def test_insolvency_deadline(self):
        customer = self._customer("Insolvent Co")
        self._post_invoice(customer, 700.0, self._ago(30))
        customer.write(
            {
                "collection_insolvency": "receivership",
                "collection_insolvency_date": self._ago(10),
            }
        )
        line = self._kind("insolvency_deadline", customer)
        self.assertEqual(line.date, fields.Date.add(self._ago(10), months=2))
        self.assertEqual(line.age_days, 10)
        self.assertAlmostEqual(line.amount, 700.0)
        # The two months are over: too late for this list.
        customer.collection_insolvency_date = self._ago(70)
        self.assertFalse(self._kind("insolvency_deadline", customer))

    # ------------------------------------------------------------------
    # Priority, "My Day", companies
    # ------------------------------------------------------------------
    def test_bigger_older_riskier_first(self):
        small = self._customer("Small")
        big = self._customer("Big")
        old = self._customer("Old")
        risky = self._customer("Risky")
        self._dispute(small, 100.0, 10)
        self._dispute(big, 1000.0, 10)
        self._dispute(old, 1000.0, 60)
        self._dispute(risky, 1000.0, 10)
        self.env["account.collection.partner.risk"].create(
            {"partner_id": risky.id, "company_id": self.company.id, "score": 10}
        )
        lines = self._lines(domain=[("kind", "=", "dispute")])
        self.assertEqual(lines.partner_id, old | risky | big | small)
        self.assertEqual(
            lines.mapped("priority"), sorted(lines.mapped("priority"), reverse=True)
        )

    def test_my_day(self):
        mine = self._customer("Mine", self.collection_user)
        theirs = self._customer("Theirs", self.collection_manager)
        nobodys = self._customer("Nobody's")
        for customer in mine | theirs | nobodys:
            self._dispute(customer, 500.0, 10)
        my_day = [("user_id", "=", self.collection_user.id)]
        self.assertEqual(self._lines(domain=my_day).partner_id, mine)
        self.assertFalse(self._kind("dispute", nobodys).user_id)
        # The default collector gets the customers without collector.
        self.company.collection_risk_user_id = self.collection_user
        self.assertEqual(self._lines(domain=my_day).partner_id, mine | nobodys)

    def test_companies(self):
        company_b = self.setup_other_company(name="Worklist B")["company"]
        self._create_policy(company_b, name="Policy B")
        customer = self._customer("Everywhere")
        self._dispute(customer, 500.0, 10)
        self._dispute(customer, 300.0, 10, company=company_b)
        self.assertEqual(self._lines().company_id, self.company)
        both = self.company | company_b
        collector_ab = new_test_user(
            self.env,
            login="collector_ab",
            groups="account_collection.account_collection_group_user",
            company_id=self.company.id,
            company_ids=[Command.set(both.ids)],
        )
        lines = self._lines(collector_ab, companies=both)
        self.assertEqual(lines.company_id, both)
        self.assertEqual(
            lines.filtered(lambda line: line.company_id == company_b).currency_id,
            company_b.currency_id,
        )

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_risk import TODAY, RiskCommon


@tagged("post_install", "-at_install")
class TestCollectionPrediction(RiskCommon):
    """Predicted payment dates on a hand-computed book, scored at TODAY (30 June
    2025); every payment is made on 10 June so that the recency weights, equal,
    cancel out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a, cls.customer_b, cls.customer_c, cls.customer_d = (
            cls._create_partners(4)
        )
        # History: A paid 1000 30 days late and 3000 5 days late, B 2000 9 days late.
        cls._paid_invoice(cls.customer_a, 1000.0, "2025-05-11", "2025-06-10")
        cls._paid_invoice(cls.customer_a, 3000.0, "2025-06-05", "2025-06-10")
        cls._paid_invoice(cls.customer_b, 2000.0, "2025-06-01", "2025-06-10")
        cls.open_a, cls.disputed_a, cls.open_b, cls.old_c, cls.new_c, cls.open_d = (
            cls._invoices(
                [
                    (cls.customer_a, 500.0, "2025-07-15"),
                    (cls.customer_a, 800.0, "2025-07-15"),
                    (cls.customer_b, 700.0, "2025-07-20"),
                    (cls.customer_c, 300.0, "2025-06-01"),
                    (cls.customer_c, 400.0, "2025-07-10"),
                    (cls.customer_d, 600.0, "2025-06-20"),
                ]
            )
        )
        cls.disputed_a.write(
            {"collection_blocked": True, "collection_block_reason": "dispute"}
        )
        cls.customer_d.with_company(cls.company_data["company"]).write(
            {"collection_promise_date": "2025-07-04", "collection_promise_amount": 600}
        )
        # Another company: a late payer there does not change company A's figures.
        cls.company_2 = cls.setup_other_company(name="Collection 2")["company"]
        cls._paid_invoice(
            cls.customer_a, 1000.0, "2025-03-01", "2025-06-10", company=cls.company_2
        )
        cls.open_a_2 = cls._invoices(
            [(cls.customer_a, 100.0, "2025-07-15")], company=cls.company_2
        )

    def _predict(self, company=None, today=TODAY):
        with freeze_time(today):
            return self.env["account.collection.prediction"]._predict_company(
                company or self.company, today=today
            )

    def _prediction(self, invoice):
        invoice.invalidate_recordset()
        return invoice.collection_predicted_date, invoice.collection_predicted_delay

    def test_hand_computed_dates(self):
        self.assertEqual(self._predict(), 5)
        # Company habit: (1000 * 30 + 3000 * 5 + 2000 * 9) / 6000 = 10.5 days.
        # A: its own (1000 * 30 + 3000 * 5) / 4000 = 11.25 -> 11: 15 July + 11.
        self.assertEqual(self._prediction(self.open_a), (date(2025, 7, 26), 11))
        # Disputed: no date.
        self.assertEqual(self._prediction(self.disputed_a), (False, 0))
        # B: its own 9 days: 20 July + 9.
        self.assertEqual(self._prediction(self.open_b), (date(2025, 7, 29), 9))
        # C, no history: the company's 10.5 (rounded half to even: 10). Its old
        # invoice, 1 June + 10 = 11 June, is already past: today + 7 = 7 July.
        self.assertEqual(self._prediction(self.old_c), (date(2025, 7, 7), 36))
        # Its new invoice waits for the old one, 29 days overdue:
        # 10.5 + (29 - 10.5) / 2 = 19.75 -> 20: 10 July + 20 = 30 July.
        self.assertEqual(self._prediction(self.new_c), (date(2025, 7, 30), 20))
        # D promised to pay on 4 July: 14 days after its due date.
        self.assertEqual(self._prediction(self.open_d), (date(2025, 7, 4), 14))
        # Company 2 untouched until its own run.
        self.assertEqual(self._prediction(self.open_a_2), (False, 0))

    def test_other_company_and_window(self):
        # Company 2: A's only history there, 101 days late (1 March -> 10 June).
        self._predict(self.company_2)
        self.assertEqual(self._prediction(self.open_a_2), (date(2025, 10, 24), 101))
        # A one-month window (from 30 May) still holds the payments of 10 June; a
        # window ending before them leaves the customer without history.
        self.company.collection_prediction_months = 1
        self._predict()
        self.assertEqual(self._prediction(self.open_a), (date(2025, 7, 26), 11))
        # On 12 July the window starts on 12 June: the payments of 10 June are out,
        # nobody has a history, 0 days late: paid on its due date, 15 July.
        self._predict(today=date(2025, 7, 12))
        self.assertEqual(self._prediction(self.open_a), (date(2025, 7, 15), 0))

    def test_paid_invoice_loses_its_prediction(self):
        self._predict()
        self._pay(self.open_b, "2025-06-30")
        self._predict()
        self.assertEqual(self._prediction(self.open_b), (False, 0))
        self.assertTrue(self._prediction(self.open_a)[0])

    def test_collection_user_reads_the_prediction(self):
        self._predict()
        invoice = self.open_a.with_user(self.collection_user)
        self.assertEqual(invoice.collection_predicted_date, date(2025, 7, 26))

    def test_window_is_validated(self):
        with self.assertRaises(ValidationError):
            self.company.collection_prediction_months = 0

    def test_queries_do_not_grow_with_invoices(self):
        def queries(count):
            company = self.setup_other_company(name=f"Book {count}")["company"]
            partners = self._create_partners(3, prefix=f"Book {count}")
            invoices = self._invoices(
                [
                    (partners[index % 3], 100.0 + index, "2025-07-01")
                    for index in range(count)
                ],
                company=company,
            )
            self._pay(invoices[:2], "2025-06-10")
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._predict(company)
            return self.env.cr.sql_log_count - before

        few = queries(5)
        many = queries(60)
        self.assertLessEqual(many, few)


@tagged("post_install", "-at_install")
class TestCollectionForecast(RiskCommon):
    """The 13-week forecast reads the database's current date: the book is built
    around the real today, each week computed from it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.monday = cls.today - timedelta(days=cls.today.weekday())
        customer, disputed, insolvent, promising, planned = cls._create_partners(5)
        cls.customer = customer
        day = timedelta(days=1)
        cls.soon, cls.far, cls.disputed, cls.insolvent, cls.promised = cls._invoices(
            [
                (customer, 1000.0, cls.today + 10 * day),
                (customer, 200.0, cls.today + 200 * day),
                (disputed, 300.0, cls.today + 5 * day),
                (insolvent, 400.0, cls.today - 40 * day),
                (promising, 500.0, cls.today - 20 * day),
            ]
        )
        cls.disputed.write(
            {"collection_blocked": True, "collection_block_reason": "litigation"}
        )
        insolvent.write(
            {
                "collection_insolvency": "receivership",
                "collection_insolvency_date": cls.today - 5 * day,
            }
        )
        promising.with_company(cls.company_data["company"]).write(
            {
                "collection_promise_date": cls.today + 3 * day,
                "collection_promise_amount": 500.0,
            }
        )
        cls.planned_invoice = cls._invoices([(planned, 900.0, cls.today - 10 * day)])
        cls.plan = cls.env["account.collection.plan"].create(
            {
                "partner_id": planned.id,
                "invoice_ids": [Command.set(cls.planned_invoice.ids)],
                "date": cls.today,
                "date_start": cls.today + 7 * day,
                "installment_count": 3,
                "frequency": "monthly",
            }
        )
        cls.plan.action_generate_installments()
        cls.plan.action_activate()
        cls.company_2 = cls.setup_other_company(name="Collection 2")["company"]
        cls._invoices([(customer, 50.0, cls.today + 10 * day)], company=cls.company_2)
        cls.env["account.collection.prediction"]._predict_company(cls.company)
        cls.env["account.collection.prediction"]._predict_company(cls.company_2)

    def _week(self, day):
        return day - timedelta(days=day.weekday())

    def _rows(self, user=None):
        forecast = self.env["account.collection.forecast"]
        if user:
            forecast = forecast.with_user(user)
        return {
            (row.move_id or row.plan_id, row.bucket, row.week_start, row.source): (
                row.amount_currency
            )
            for row in forecast.search([])
        }

    def test_weeks_buckets_and_sources(self):
        rows = self._rows(self.collection_user)
        day = timedelta(days=1)
        self.assertIn(
            (self.soon, "expected", self._week(self.today + 10 * day), "invoice"),
            rows,
            rows,
        )
        # No history anywhere: due date + 0, never before today.
        self.assertEqual(
            rows[(self.soon, "expected", self._week(self.today + 10 * day), "invoice")],
            1000.0,
        )
        # Due in 200 days: beyond the 13 weeks.
        self.assertEqual(
            rows[(self.far, "later", self._week(self.today + 200 * day), "invoice")],
            200.0,
        )
        # Litigation and insolvency: doubtful, no week.
        self.assertEqual(rows[(self.disputed, "doubtful", False, "invoice")], 300.0)
        self.assertEqual(rows[(self.insolvent, "doubtful", False, "invoice")], 400.0)
        # The promised date, 3 days from today.
        self.assertEqual(
            rows[
                (self.promised, "expected", self._week(self.today + 3 * day), "promise")
            ],
            500.0,
        )
        # The plan's three installments of 900 / 3 = 300, not its invoice too.
        plan_rows = {key: amount for key, amount in rows.items() if key[0] == self.plan}
        self.assertEqual(len(plan_rows), 3)
        self.assertAlmostEqual(sum(plan_rows.values()), 900.0)
        self.assertFalse([key for key in rows if key[0] == self.planned_invoice])
        # Company 2's invoice is not the user's.
        self.assertEqual(len(rows), 8)

    def test_multi_company_user_and_export(self):
        collector = self.collection_user
        collector.company_ids = [Command.link(self.company_2.id)]
        forecast = (
            self.env["account.collection.forecast"]
            .with_user(collector)
            .with_context(allowed_company_ids=[self.company.id, self.company_2.id])
        )
        self.assertEqual(forecast.search([]).company_id, self.company | self.company_2)
        action = forecast.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")

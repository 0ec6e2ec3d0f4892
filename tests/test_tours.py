"""Issue #14 item 6: the collector's and the manager's day, clicked through the
Collection menu in a real browser (Odoo tours in Chromium), then checked on the
server. The tours are in static/tests/tours/."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import CollectionCommon, CycleCommon


@tagged("post_install", "-at_install")
class TestCollectorDayTour(CycleCommon, AccountTestInvoicingHttpCommon):
    """A collection user (the lowest role) opens the dashboard and the overdue
    items behind a card, runs the collection in review mode, cancels one draft,
    sends the others, logs a call with a promise to pay from the worklist, prints
    the letters and proposes a plan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.skipped = cls.env["res.partner"].create(
            {
                "name": "Skipped Customer",
                "is_company": True,
                "email": "accounts@skipped.example.com",
            }
        )
        # 40 days late: formal notice, by email and letter; 10 days: friendly email.
        cls._post_invoice(cls.partner_a, 1000.0, today - timedelta(days=40))
        cls.invoice_b = cls._post_invoice(
            cls.partner_b, 500.0, today - timedelta(days=10)
        )
        cls._post_invoice(cls.skipped, 300.0, today - timedelta(days=10))
        # The call the collector has to make today about partner_b's invoice.
        cls.call = cls.invoice_b.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=today,
            user_id=cls.collection_user.id,
        )

    def setUp(self):
        super().setUp()
        # In test mode Odoo renders reports as HTML unless asked for a PDF with
        # force_report_rendering (as the notices tests do); a letter is a PDF or
        # nothing, so the letters printed from the browser are rendered for real.
        report_class = type(self.env["ir.actions.report"])
        render = report_class._render_qweb_pdf

        def _render_qweb_pdf(report, report_ref, res_ids=None, data=None):
            report = report.with_context(force_report_rendering=True)
            return render(report, report_ref, res_ids=res_ids, data=data)

        self.patch(report_class, "_render_qweb_pdf", _render_qweb_pdf)

    def _reminder(self, partner):
        return self.env["account.collection.communication"].search(
            [("partner_id", "=", partner.id)]
        )

    def test_collector_day(self):
        self.start_tour(
            "/odoo",
            "account_collection_collector_day",
            login=self.collection_user.login,
        )
        self.env.invalidate_all()
        skipped, letter, email = (
            self._reminder(partner)
            for partner in (self.skipped, self.partner_a, self.partner_b)
        )
        self.assertEqual(skipped.state, "cancel")
        self.assertFalse(skipped.mail_id)
        for reminder in letter | email:
            with self.subTest(partner=reminder.partner_id.name):
                self.assertEqual(reminder.mail_id.state, "outgoing", "email queued")
        self.assertTrue(letter.send_letter)
        self.assertTrue(letter.printed)
        self.assertTrue(letter.letter_attachment_id)
        self.assertIn(letter.state, ("queued", "sent"), "out of the print queue")
        self.assertEqual(email.state, "queued")
        self.assertFalse(self.call.exists(), "the call is done")
        self.assertEqual(self.partner_b.collection_promise_amount, 200.0)
        self.assertEqual(
            self.partner_b.collection_promise_date, fields.Date.to_date("2030-12-31")
        )
        plan = self.env["account.collection.plan"].search(
            [("partner_id", "=", self.partner_b.id)]
        )
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.invoice_ids, self.invoice_b)
        self.assertEqual(len(plan.installment_ids), 2)
        self.assertAlmostEqual(sum(plan.installment_ids.mapped("amount")), 500.0)


@tagged("post_install", "-at_install")
class TestManagerDayTour(CollectionCommon, AccountTestInvoicingHttpCommon):
    """A collection manager edits a level of a policy, posts an invoice beyond the
    credit limit by override, runs the receivables audit and opens a finding."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.friendly = cls.policy.level_ids.filtered(
            lambda level: level.name == "Friendly"
        )
        cls.blocked = cls.env["res.partner"].create(
            {"name": "Blocked Customer", "is_company": True}
        )
        cls.duplicated = cls.env["res.partner"].create(
            {"name": "Duplicated Customer", "is_company": True}
        )
        # 1000 open against a limit of 500: the next invoice is blocked.
        cls._post_invoice(cls.blocked, 1000.0, today - timedelta(days=10))
        cls.env["account.collection.solvency.note"].create(
            {
                "partner_id": cls.blocked.id,
                "company_id": cls.company.id,
                "source": "credit_insurer",
                "credit_limit": 500.0,
            }
        )
        cls.company.collection_credit_check = "block"
        cls.draft = cls.init_invoice(
            "out_invoice", partner=cls.blocked, amounts=[100.0], taxes=[]
        )
        # The same invoice twice: a finding of the audit.
        invoice_date = today - timedelta(days=5)
        cls.duplicate = cls._post_invoice(
            cls.duplicated, 250.0, today + timedelta(days=25), invoice_date=invoice_date
        )
        cls._post_invoice(
            cls.duplicated, 250.0, today + timedelta(days=25), invoice_date=invoice_date
        )
        # The manager is also allowed in a second company with a duplicate of its
        # own; working in the first one, the tour neither sees nor audits it.
        cls.company_b = cls.setup_other_company(name="Collection B")["company"]
        cls.collection_manager.company_ids = [Command.link(cls.company_b.id)]
        for _index in range(2):
            cls._post_invoice(
                cls.duplicated,
                250.0,
                today + timedelta(days=25),
                invoice_date=invoice_date,
                company=cls.company_b,
            )

    def test_manager_day(self):
        self.assertTrue(self.draft.collection_credit_blocking)
        self.start_tour(
            "/odoo",
            "account_collection_manager_day",
            login=self.collection_manager.login,
        )
        self.env.invalidate_all()
        self.assertEqual(self.friendly.days, 12)
        self.assertEqual(self.draft.state, "posted")
        override = self.draft.message_ids.filtered(
            lambda message: "overridden by" in message.body
        )
        self.assertEqual(len(override), 1, "the override is logged on the invoice")
        self.assertIn(self.collection_manager.name, override.body)
        audit = self.env["account.collection.audit"].search([])
        self.assertEqual(len(audit), 1)
        self.assertEqual(audit.state, "done")
        self.assertEqual(audit.company_id, self.company)
        self.assertEqual(audit.user_id, self.collection_manager)
        duplicates = audit.seen_finding_ids.filtered(
            lambda finding: finding.rule == "duplicate_invoice"
        )
        self.assertEqual(len(duplicates), 1)
        self.assertEqual(duplicates.company_id, self.company)


@tagged("post_install", "-at_install")
class TestCallFromChatterTour(CycleCommon, AccountTestInvoicingHttpCommon):
    """Marking a collection call done in the invoice's chatter asks for its outcome:
    no answer plans the next call by itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.invoice = cls._post_invoice(
            cls.partner_b, 500.0, today - timedelta(days=20)
        )
        cls.call = cls.invoice.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=today,
            user_id=cls.collection_user.id,
        )

    def test_mark_call_done_from_the_chatter(self):
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{self.invoice.id}",
            "account_collection_call_from_chatter",
            login=self.collection_user.login,
        )
        self.env.invalidate_all()
        self.assertFalse(self.call.exists(), "the call is done")
        again = self.invoice.activity_ids
        self.assertEqual(len(again), 1, "the next call is planned")
        self.assertEqual(
            again.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertGreater(again.date_deadline, fields.Date.today())
        self.assertEqual(again.user_id, self.collection_user)

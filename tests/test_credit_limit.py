from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common_risk import TODAY, RiskCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCreditLimit(RiskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer, cls.other_customer = cls._create_partners(2, prefix="Credit")
        # Open receivable of 600: 1000 invoiced, 400 paid.
        invoice = cls._invoices([(cls.customer, 1000.0, "2025-07-15")])
        cls._pay(invoice, "2025-06-20", amount=400.0)
        cls.env["account.collection.solvency.note"].create(
            {
                "partner_id": cls.customer.id,
                "source": "credit_insurer",
                "rating": "Covered",
                "credit_limit": 2000.0,
            }
        )

    def _draft(self, amount, partner=None):
        return self._invoices(
            [(partner or self.customer, amount, "2025-07-30")], post=False
        )

    def _set_mode(self, mode):
        self.company.collection_credit_check = mode

    def test_exposure_and_limit(self):
        self._draft(500.0)
        self.customer.invalidate_recordset()
        # 600 open + 500 draft.
        self.assertAlmostEqual(self.customer.collection_exposure, 1100.0)
        self.assertAlmostEqual(self.customer.collection_credit_limit, 2000.0)
        self.assertFalse(self.customer.collection_credit_exceeded)
        # In a riskier segment the recommended limit is weighted (C: 50%).
        self._risk(self.customer).write(
            {"segment_override_id": self.seg_c.id, "override_reason": "Test"}
        )
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.customer.collection_credit_limit, 1000.0)
        self.assertTrue(self.customer.collection_credit_exceeded)
        # A manual limit replaces the note's, as it is.
        self._risk(self.customer).credit_limit_manual = 5000.0
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.customer.collection_credit_limit, 5000.0)
        self.assertFalse(self.customer.collection_credit_exceeded)

    def test_no_check(self):
        self._set_mode("none")
        invoice = self._draft(5000.0)
        invoice.with_user(self.collection_user).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertNotIn("credit control", str(invoice.message_ids.mapped("body")))

    def test_warning_posts_and_logs(self):
        self._set_mode("warning")
        within = self._draft(1000.0)  # 600 + 1000 <= 2000
        within.with_user(self.collection_user).action_post()
        self.assertNotIn("credit", str(within.message_ids.mapped("body")))
        beyond = self._draft(1000.0)  # 1600 + 1000 > 2000
        self.assertIn("over its credit limit", beyond.collection_risk_warning)
        self.assertFalse(beyond.collection_credit_blocking)
        beyond.with_user(self.collection_user).action_post()
        self.assertEqual(beyond.state, "posted")
        self.assertIn("despite the credit control", beyond.message_ids[0].body)

    def test_block_stops_users_and_managers_without_override(self):
        self._set_mode("block")
        invoice = self._draft(1500.0)  # 600 + 1500 > 2000
        self.assertTrue(invoice.collection_credit_blocking)
        self.assertIn("manager's override", invoice.collection_risk_warning)
        for user in (self.collection_user, self.collection_manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                invoice.with_user(user).action_post()
        self.assertEqual(invoice.state, "draft")
        with self.assertRaises(AccessError):
            invoice.with_user(self.collection_user).action_post_collection_override()
        with self.assertRaises(AccessError):
            invoice.with_user(self.collection_user).with_context(
                collection_credit_override=True
            ).action_post()
        self.assertEqual(invoice.state, "draft")

    def test_manager_override_is_logged(self):
        self._set_mode("block")
        invoice = self._draft(1500.0)
        invoice.with_user(self.collection_manager).action_post_collection_override()
        self.assertEqual(invoice.state, "posted")
        for record in (invoice, self.customer):
            body = record.message_ids[0].body
            with self.subTest(record=record._name):
                self.assertIn("overridden by", body)
                self.assertIn(self.collection_manager.name, body)
                self.assertIn("2,100.00", body)  # exposure with this invoice
                self.assertIn("2,000.00", body)  # limit

    def test_hold_blocks_without_limit(self):
        self._set_mode("block")
        self._score(partners=self.other_customer)
        risk = self._risk(self.other_customer)
        risk.write({"credit_hold": True, "credit_hold_reason": "Bankruptcy"})
        self.assertTrue(risk.blocked)
        invoice = self._draft(10.0, partner=self.other_customer)
        with self.assertRaisesRegex(UserError, "credit hold"):
            invoice.with_user(self.collection_user).action_post()
        # A blocked segment holds its customers too.
        risk.write(
            {
                "credit_hold": False,
                "segment_override_id": self.seg_d.id,
                "override_reason": "Test",
            }
        )
        self.assertTrue(self.seg_d.blocked)
        with self.assertRaisesRegex(UserError, "credit hold"):
            invoice.with_user(self.collection_user).action_post()
        self.seg_d.blocked = False
        invoice.with_user(self.collection_user).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_batch_posting_counts_all_invoices_of_a_customer(self):
        self._set_mode("block")
        # Each fits under the limit alone (600 + 800), not together (600 + 1600).
        first, second = self._draft(800.0) | self._draft(800.0)
        other = self._draft(5000.0, partner=self.other_customer)  # no limit
        with self.assertRaises(UserError):
            (first | second | other).with_user(self.collection_user).action_post()
        self.assertEqual((first | second | other).mapped("state"), ["draft"] * 3)
        second.unlink()
        (first | other).with_user(self.collection_user).action_post()
        self.assertEqual((first | other).mapped("state"), ["posted"] * 2)

    def test_scheduled_invoices_and_credit_notes_are_not_checked(self):
        self._set_mode("block")
        refund = self.init_invoice(
            "out_refund", partner=self.customer, amounts=[5000.0], taxes=[]
        )
        refund.with_user(self.collection_user).action_post()
        self.assertEqual(refund.state, "posted")
        # Dated in the future, a soft posting only schedules it: checked when posted.
        scheduled = self._draft(5000.0)
        scheduled.write({"invoice_date": "2025-08-15", "date": "2025-08-15"})
        scheduled._post(soft=True)
        self.assertEqual(scheduled.state, "draft")
        self.assertEqual(scheduled.auto_post, "at_date")

    def test_banner_suggests_terms_and_deposit(self):
        self._set_mode("warning")
        self._risk(self.customer).write(
            {"segment_override_id": self.seg_c.id, "override_reason": "Test"}
        )
        with Form(
            self.env["account.move"].with_context(default_move_type="out_invoice")
        ) as form:
            form.partner_id = self.customer
            form.invoice_date = TODAY
            with form.invoice_line_ids.new() as line:
                line.name = "Service"
                line.quantity = 1
                line.price_unit = 300.0
                line.tax_ids.clear()
            warning = form.collection_risk_warning
            # The segment's stricter term is no longer only suggested by the banner:
            # it is the invoice's default (issue #19, segments that set the terms).
            term = form.invoice_payment_term_id
        self.assertIn("deposit of", warning)
        self.assertIn("90.00", warning)  # 30% of 300
        self.assertEqual(term, self.seg_c.payment_term_id)
        self.assertNotIn("credit limit", warning, "600 + 300 fits in 1000")
        partner = self.customer.with_user(self.collection_user)
        self.assertEqual(
            partner.collection_suggested_payment_term_id, self.seg_c.payment_term_id
        )
        self.assertEqual(partner.collection_deposit_percent, 30.0)
        self.customer.action_collection_apply_payment_term()
        self.assertEqual(
            self.customer.property_payment_term_id, self.seg_c.payment_term_id
        )

    def test_posting_check_is_batched(self):
        self._set_mode("warning")
        partners = self._create_partners(10, prefix="Batch")

        def count_queries(moves):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            moves._collection_check_credit(soft=False)
            return self.env.cr.sql_log_count - before

        few = self._invoices(
            [(partner, 10.0, "2025-07-30") for partner in partners[:2]], post=False
        )
        many = self._invoices(
            [(partner, 10.0, "2025-07-30") for partner in partners], post=False
        )
        self.assertEqual(count_queries(few), count_queries(many))

    def test_views_load_for_collection_users(self):
        for model in (
            "res.partner",
            "account.move",
            "account.collection.partner.risk",
            "account.collection.solvency.note",
            "account.collection.risk.segment",
        ):
            with self.subTest(model=model):
                views = (
                    self.env[model]
                    .with_user(self.collection_user)
                    .get_views([(False, "form"), (False, "list"), (False, "search")])
                )
                self.assertTrue(views["views"]["form"]["arch"])
        partner_form = (
            self.env["res.partner"]
            .with_user(self.collection_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("collection_segment_id", partner_form)
        self.assertNotIn(
            "collection_segment_override_id", partner_form, "managers only"
        )
        manager_form = (
            self.env["res.partner"]
            .with_user(self.collection_manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("collection_segment_override_id", manager_form)

    def test_new_customer_and_invoice_forms(self):
        """The risk fields compute on records not saved yet."""
        manager = self.collection_manager
        manager.write(
            {"groups_id": [Command.link(self.env.ref("base.group_partner_manager").id)]}
        )
        with Form(self.env["res.partner"].with_user(manager)) as form:
            form.name = "Brand new customer"
            self.assertFalse(form.collection_segment_id)
            self.assertEqual(form.collection_exposure, 0.0)
        self.assertTrue(form.record.id)
        with Form(
            self.env["account.move"]
            .with_user(manager)
            .with_context(default_move_type="out_invoice")
        ) as form:
            form.partner_id = self.customer
            form.invoice_date = TODAY
            with form.invoice_line_ids.new() as line:
                line.name = "Service"
                line.price_unit = 5000.0
                line.tax_ids.clear()
            self.assertIn("over its credit limit", form.collection_risk_warning)
            self.assertEqual(form.collection_solvency_note_id.rating, "Covered")

    def test_auto_post_with_an_entry_without_customer(self):
        """Odoo's scheduled posting of the drafts: the collection's checks apply to
        the invoices of a customer only; an invoice without one is refused by the
        accounting's own check, in its own savepoint, the others are posted."""
        self._set_mode("block")
        valid = self._draft(100.0)
        no_customer = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "invoice_date": TODAY,
                "date": TODAY,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": 10.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": TODAY,
                "line_ids": [
                    Command.create(
                        {
                            "name": "Debit",
                            "debit": 50.0,
                            "account_id": self.company_data[
                                "default_account_revenue"
                            ].id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Credit",
                            "credit": 50.0,
                            "account_id": self.company_data[
                                "default_account_expense"
                            ].id,
                        }
                    ),
                ],
            }
        )
        (valid | no_customer | entry).auto_post = "at_date"
        self.env["account.move"]._autopost_draft_entries()
        self.assertEqual(valid.state, "posted")
        self.assertEqual(entry.state, "posted")
        self.assertEqual(no_customer.state, "draft")
        self.assertIn("Customer", no_customer.message_ids[0].body)
        self.assertFalse(no_customer._collection_checked_invoices())

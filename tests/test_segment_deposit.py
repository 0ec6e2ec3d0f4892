from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common_risk import TODAY, RiskCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSegmentDeposit(RiskCommon):
    """Segments that set the terms of sale: the deposit of the customer's risk
    segment (a share of the invoice) must be received before posting; what the
    customer paid and is not yet allocated counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The lowest role that posts invoices: an invoicing user (a collection
        # user by implication).
        cls.invoicer = new_test_user(
            cls.env,
            login="deposit_invoicer",
            groups="account.group_account_invoice,"
            "account_collection.account_collection_group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.customer, cls.other_customer = cls._create_partners(2, prefix="Deposit")
        cls.seg_c.deposit_percent = 30.0
        for partner in cls.customer | cls.other_customer:
            partner._collection_risk_ensure().write(
                {"segment_override_id": cls.seg_c.id, "override_reason": "Test"}
            )
        cls.company.collection_credit_check = "none"
        cls.company_2 = cls.setup_other_company(name="Deposit 2")["company"]

    def _set_mode(self, mode):
        self.company.collection_deposit_check = mode

    def _draft(self, amount, partner=None, company=None):
        return self._invoices(
            [(partner or self.customer, amount, "2025-07-30")],
            company=company,
            post=False,
        )

    def _advance(self, amount, partner=None, company=None):
        """A customer payment received and not allocated to any invoice."""
        company = company or self.company
        payment = (
            self.env["account.payment"]
            .with_company(company)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": (partner or self.customer).id,
                    "amount": amount,
                    "date": fields.Date.to_date(TODAY),
                    "company_id": company.id,
                }
            )
        )
        payment.action_post()
        return payment

    def _post(self, invoices):
        invoices.with_user(self.invoicer).action_post()

    def _bodies(self, invoice):
        return "".join(invoice.message_ids.mapped("body"))

    def test_block_names_customer_required_received_missing(self):
        self._set_mode("block")
        self._advance(200.0)
        invoice = self._draft(1200.0)
        # required 1,200.00 x 30% = 360.00; received 200.00; missing 360 - 200 =
        # 160.00
        with self.assertRaises(UserError) as caught:
            self._post(invoice)
        message = str(caught.exception)
        self.assertIn(self.customer.name, message)
        for figure in ("360.00", "200.00", "160.00"):
            self.assertIn(figure, message)
        self.assertEqual(invoice.state, "draft")
        # the draft's risk banner names the same missing amount
        invoice.invalidate_recordset()
        warning = invoice.with_user(self.invoicer).collection_risk_warning
        self.assertIn("deposit of", warning)
        self.assertIn("160.00", warning)
        # a further payment of 160.00 covers it: posted silently
        self._advance(160.0)
        self._post(invoice)
        self.assertEqual(invoice.state, "posted")
        self.assertNotIn("deposit", self._bodies(invoice))

    def test_warning_posts_and_logs_the_missing_amount(self):
        self._set_mode("warning")
        self._advance(200.0)
        invoice = self._draft(1200.0)
        self._post(invoice)
        self.assertEqual(invoice.state, "posted")
        self.assertIn("without the deposit", self._bodies(invoice))
        self.assertIn("160.00", self._bodies(invoice))

    def test_enough_deposit_posts_silently(self):
        self._set_mode("block")
        # 1,000.00 x 30% = 300.00 required, 300.00 received
        self._advance(300.0)
        invoice = self._draft(1000.0)
        self._post(invoice)
        self.assertEqual(invoice.state, "posted")
        self.assertNotIn("deposit", self._bodies(invoice))

    def test_no_check_posts_silently(self):
        self._set_mode("none")
        invoice = self._draft(1000.0)
        self._post(invoice)
        self.assertEqual(invoice.state, "posted")
        self.assertNotIn("deposit", self._bodies(invoice))

    def test_other_company_payments_do_not_count(self):
        self._set_mode("block")
        self._advance(1000.0, company=self.company_2)
        invoice = self._draft(1000.0)
        # 300.00 required, the 1,000.00 received by the other company not counted
        with self.assertRaisesRegex(UserError, "300.00"):
            self._post(invoice)
        self.assertEqual(invoice.state, "draft")

    def test_collection_generated_invoices_are_exempt(self):
        self._set_mode("block")
        invoice = self._draft(1000.0)
        invoice.collection_generated = True
        self._post(invoice)
        self.assertEqual(invoice.state, "posted")

    def test_batch_posting_names_the_invoices_and_posts_nothing(self):
        self._set_mode("block")
        # customer: 1,000.00 -> 300.00 required, 300.00 received (covered);
        # other customer: 500.00 -> 150.00 required, nothing received
        self._advance(300.0)
        covered = self._draft(1000.0)
        short = self._draft(500.0, partner=self.other_customer)
        with self.assertRaises(UserError) as caught:
            self._post(covered | short)
        message = str(caught.exception)
        self.assertIn(short.display_name, message)
        self.assertIn(self.other_customer.name, message)
        self.assertNotIn(self.customer.name + " must", message)
        self.assertEqual((covered | short).mapped("state"), ["draft", "draft"])

    def test_batch_payments_cover_the_invoices_in_turn(self):
        self._set_mode("warning")
        # two invoices of 1,000.00: 300.00 required each; 400.00 received covers
        # the first, the second gets 400 - 300 = 100.00, missing 200.00
        self._advance(400.0)
        first = self._draft(1000.0)
        second = self._draft(1000.0)
        self._post(first | second)
        self.assertNotIn("deposit", self._bodies(first))
        self.assertIn("without the deposit", self._bodies(second))
        self.assertIn("200.00", self._bodies(second))

    def test_auto_post_leaves_the_short_invoice_in_draft(self):
        self._set_mode("block")
        self._advance(300.0)
        covered = self._draft(1000.0)
        short = self._draft(500.0, partner=self.other_customer)
        (covered | short).write({"auto_post": "at_date"})
        self.env["account.move"]._autopost_draft_entries()
        self.assertEqual(covered.state, "posted")
        self.assertEqual(short.state, "draft")
        self.assertEqual(short.auto_post, "no")
        self.assertIn("150.00", self._bodies(short))

    def test_deposit_check_is_batched(self):
        self._set_mode("warning")
        partners = self._create_partners(10, prefix="Batch")
        for partner in partners:
            partner._collection_risk_ensure().write(
                {"segment_override_id": self.seg_c.id, "override_reason": "Test"}
            )

        def count_queries(moves):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            moves._collection_check_deposit(soft=False)
            return self.env.cr.sql_log_count - before

        few = self._invoices(
            [(partner, 10.0, "2025-07-30") for partner in partners[:2]], post=False
        )
        many = self._invoices(
            [(partner, 10.0, "2025-07-30") for partner in partners], post=False
        )
        count_queries(few)  # warm the registry caches (references, ir.model)
        self.assertEqual(count_queries(few), count_queries(many))

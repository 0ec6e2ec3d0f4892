from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_risk import TODAY, RiskCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSegmentTerms(RiskCommon):
    """Segments that set the terms of sale: the default credit limit of the
    customers without their own (manual limit wins, then the solvency note's limit
    weighted by the segment's factor, then the segment's default)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.customer,) = cls._create_partners(1, prefix="Terms")
        # Open receivable of 1,200.00 (one invoice, nothing paid).
        cls._invoices([(cls.customer, 1200.0, "2025-07-15")])
        cls.seg_c.default_credit_limit = 1000.0

    def setUp(self):
        super().setUp()
        self.customer._collection_risk_ensure().write(
            {"segment_override_id": self.seg_c.id, "override_reason": "Test"}
        )

    def _limit(self, user=None):
        partner = self.customer.with_user(user or self.env.user)
        partner.invalidate_recordset()
        return partner.collection_credit_limit, partner.collection_credit_exceeded

    def test_default_credit_limit_of_the_segment(self):
        # no manual limit, no solvency note: the segment's 1,000.00 applies and
        # the exposure of 1,200.00 exceeds it
        self.assertEqual(self._limit(self.collection_user), (1000.0, True))
        # a solvency note's 4,000.00 weighted by C's factor 0.5 = 2,000.00 wins
        self.env["account.collection.solvency.note"].create(
            {
                "partner_id": self.customer.id,
                "source": "credit_insurer",
                "rating": "Covered",
                "credit_limit": 4000.0,
            }
        )
        self.assertEqual(self._limit(self.collection_user), (2000.0, False))
        # a manual limit wins over both
        self._risk(self.customer).credit_limit_manual = 500.0
        self.assertEqual(self._limit(self.collection_user), (500.0, True))

    def test_default_credit_limit_cannot_be_negative(self):
        with self.assertRaises(ValidationError):
            self.seg_c.default_credit_limit = -1.0

    def _new_invoice(self, **values):
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": TODAY,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Service", "quantity": 1, "price_unit": 100.0}
                    )
                ],
                **values,
            }
        )

    def test_segment_term_is_the_default_of_new_invoices(self):
        term_15 = self.env.ref("account.account_payment_term_15days")
        term_30 = self.env.ref("account.account_payment_term_30days")
        immediate = self.env.ref("account.account_payment_term_immediate")
        self.seg_c.payment_term_id = term_15
        # the customer's own 30 days are longer than the segment's 15: 15 days
        self.customer.property_payment_term_id = term_30
        self.assertEqual(self._new_invoice().invoice_payment_term_id, term_15)
        # no own term: the segment's
        self.customer.property_payment_term_id = False
        self.assertEqual(self._new_invoice().invoice_payment_term_id, term_15)
        # an own stricter term (immediate, 0 days) stays
        self.customer.property_payment_term_id = immediate
        self.assertEqual(self._new_invoice().invoice_payment_term_id, immediate)

    def test_posting_a_longer_term_leaves_a_note(self):
        term_15 = self.env.ref("account.account_payment_term_15days")
        term_30 = self.env.ref("account.account_payment_term_30days")
        self.seg_c.payment_term_id = term_15
        invoice = self._new_invoice()
        invoice.invoice_payment_term_id = term_30
        invoice.action_post()
        self.assertIn(
            "longer than the one of the customer's risk segment",
            "".join(invoice.message_ids.mapped("body")),
        )
        strict = self._new_invoice()
        strict.action_post()
        self.assertNotIn("risk segment", "".join(strict.message_ids.mapped("body")))

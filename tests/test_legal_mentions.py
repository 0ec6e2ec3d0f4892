from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .late_fee_common import LateFeeCommon


@tagged("post_install", "-at_install")
class TestLegalMentions(LateFeeCommon):
    """Invoice mentions (L441-9) and the maximum payment term (L441-10 I)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_90_days = cls.env["account.payment.term"].create(
            {
                "name": "90 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 90}
                    )
                ],
            }
        )
        cls.term_discount = cls.env["account.payment.term"].create(
            {
                "name": "30 days, 2% within 10 days",
                "early_discount": True,
                "discount_percentage": 2.0,
                "discount_days": 10,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 30}
                    )
                ],
            }
        )

    def _draft_invoice(self, partner, invoice_date, term):
        invoice = self.init_invoice(
            "out_invoice", partner=partner, invoice_date=invoice_date, amounts=[1000.0]
        )
        invoice.invoice_payment_term_id = term
        return invoice

    def _render(self, invoice):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )

    def _french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_collection"], ["fr_FR"], overwrite=True
        )

    def test_mentions_of_an_invoice_to_a_professional(self):
        invoice = self._draft_invoice(self.customer, "2025-06-20", self.term_discount)
        self.assertEqual(invoice.invoice_date_due, fields.Date.to_date("2025-07-20"))
        self.assertTrue(invoice.collection_legal_mentions)
        # Penalties run from 21 Jul 2025: ECB 2.15 on 1 Jul + 10.
        self.assertEqual(
            invoice.collection_penalty_rate_text,
            "ECB rate + 10 points, i.e. 12.15 % for the second half of 2025",
        )
        self.assertEqual(
            invoice.collection_indemnity_text,
            "Fixed indemnity for recovery costs in case of late payment: $\xa040.00",
        )
        self.assertEqual(
            invoice.collection_early_discount_text,
            "Early payment discount: 2.00 % if paid by 06/30/2025",
        )
        invoice.invoice_payment_term_id = self.term_90_days
        self.assertEqual(
            invoice.collection_early_discount_text, "No discount for early payment"
        )

    @freeze_time("2025-09-01")
    def test_contractual_rate_and_other_margins(self):
        invoice = self._draft_invoice(self.customer, "2025-01-10", self.term_discount)
        self.company.collection_penalty_margin = 8.5
        self.assertEqual(
            invoice.collection_penalty_rate_text,
            "ECB rate + 8.50 points, i.e. 11.65 % for the first half of 2025",
        )
        self.company.write(
            {
                "collection_penalty_rate_mode": "contractual",
                "collection_contractual_rate": 15.0,
            }
        )
        self.assertEqual(
            invoice.collection_penalty_rate_text, "15.00 % a year (contractual rate)"
        )

    def test_mentions_in_french(self):
        self._french()
        self.customer.lang = "fr_FR"
        invoice = self._draft_invoice(self.customer, "2025-06-20", self.term_discount)
        invoice = invoice.with_context(lang="fr_FR")
        self.assertEqual(
            invoice.collection_penalty_rate_text,
            "taux BCE + 10 points, soit 12,15 % pour le 2e semestre 2025",
        )
        self.assertEqual(
            invoice.collection_indemnity_text,
            "Indemnité forfaitaire pour frais de recouvrement en cas de retard de "
            "paiement : $\xa040,00",
        )
        self.assertEqual(
            invoice.collection_early_discount_text,
            "Escompte pour paiement anticipé : 2,00 % si paiement au plus tard le "
            "30/06/2025",
        )
        invoice.invoice_payment_term_id = self.term_90_days
        self.assertEqual(
            invoice.collection_early_discount_text,
            "Pas d'escompte pour paiement anticipé",
        )

    def test_invoice_pdf_prints_the_mentions(self):
        invoice = self._draft_invoice(self.customer, "2025-06-20", self.term_discount)
        invoice.action_post()
        html = self._render(invoice)
        self.assertIn("Due Date", html)
        self.assertIn("07/20/2025", html)
        self.assertIn("Late-payment penalties from the day after the due date", html)
        self.assertIn("12.15 % for the second half of 2025", html)
        self.assertIn(
            "Fixed indemnity for recovery costs in case of late payment", html
        )
        self.assertIn("Early payment discount: 2.00 %", html)
        # In the customer's language.
        self._french()
        self.customer.lang = "fr_FR"
        html = self._render(invoice)
        self.assertIn("Pénalités de retard", html)
        self.assertIn("Indemnité forfaitaire pour frais de recouvrement", html)

    def test_consumer_invoice_has_no_professional_mentions(self):
        invoice = self._draft_invoice(self.consumer, "2025-06-20", self.term_90_days)
        self.assertFalse(invoice.collection_legal_mentions)
        self.assertFalse(invoice.collection_indemnity_text)
        self.assertFalse(invoice.collection_penalty_rate_text)
        self.assertEqual(
            invoice.collection_early_discount_text, "No discount for early payment"
        )
        invoice.action_post()
        html = self._render(invoice)
        self.assertNotIn("Fixed indemnity for recovery costs", html)
        self.assertIn("No discount for early payment", html)
        # No maximum term between a professional and a consumer.
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.collection_term_warning)

    def test_term_beyond_the_legal_maximum_warns(self):
        # Invoice 15 Jan 2025 at 90 days: due 15 Apr, after 16 Mar (60 days) and
        # 31 Mar (45 days end of month).
        invoice = self._draft_invoice(self.customer, "2025-01-15", self.term_90_days)
        self.assertIn("04/15/2025", invoice.collection_term_warning)
        self.assertIn("60 days", invoice.collection_term_warning)
        action = invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn(invoice.name, action["params"]["message"])
        self.assertTrue(
            any(
                "beyond the legal maximum payment term" in message.body
                for message in invoice.message_ids
            )
        )
        within = self._draft_invoice(self.customer, "2025-01-15", self.term_discount)
        self.assertFalse(within.collection_term_warning)
        self.assertFalse(within.action_post())

    def test_term_beyond_the_legal_maximum_blocks(self):
        self.company.collection_term_check = "block"
        invoice = self._draft_invoice(self.customer, "2025-01-15", self.term_90_days)
        with self.assertRaisesRegex(UserError, "legal maximum payment term"):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        # 45 days end of month not agreed: only 60 days.
        self.company.collection_term_eom_days = 0
        invoice.invoice_payment_term_id = False
        invoice.invoice_date_due = "2025-03-31"
        with self.assertRaisesRegex(UserError, "60 days from the invoice date"):
            invoice.action_post()
        invoice.invoice_date_due = "2025-03-16"
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_term_check_can_be_disabled(self):
        self.company.collection_term_check = "none"
        invoice = self._draft_invoice(self.customer, "2025-01-15", self.term_90_days)
        self.assertFalse(invoice.collection_term_warning)
        self.assertFalse(invoice.action_post())
        self.assertEqual(invoice.state, "posted")

    def test_term_warning_shown_while_editing(self):
        with Form(
            self.env["account.move"].with_context(default_move_type="out_invoice")
        ) as form:
            form.partner_id = self.customer
            form.invoice_date = fields.Date.to_date("2025-01-15")
            form.invoice_payment_term_id = self.term_90_days
            with form.invoice_line_ids.new() as line:
                line.name = "Service"
                line.price_unit = 100.0
            self.assertIn("beyond the legal maximum", form.collection_term_warning)
            form.invoice_payment_term_id = self.term_discount
            self.assertFalse(form.collection_term_warning)

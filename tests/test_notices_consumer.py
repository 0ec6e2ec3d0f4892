from odoo.tests import tagged

from .test_notices import REPORT_FORMAL_NOTICE, REPORT_LETTER, NoticesCommon


@tagged("post_install", "-at_install")
class TestConsumerNotices(NoticesCommon):
    """A consumer (a private person) is claimed the legal interest of Code civil
    1231-6, never the commercial penalties nor the 40 EUR indemnity of Code de
    commerce L441-10 / D441-5; a professional keeps the commercial wording."""

    PROFESSIONAL_WORDS = ["L441-10", "40 EUR", "Commercial Court"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A private person: not a company, hence a consumer by default.
        cls.customer_en.is_company = False

    def test_debtor_type_decides_consumer(self):
        self.assertTrue(self.customer_en._collection_is_consumer())
        self.assertFalse(self.customer_fr._collection_is_consumer())
        # a contact of the company follows its commercial entity
        self.assertFalse(self.invoice_contact_fr._collection_is_consumer())
        # the debtor type, not is_company, decides
        self.customer_fr.collection_debtor_type = "consumer"
        self.assertTrue(self.invoice_contact_fr._collection_is_consumer())

    def test_formal_notice_letter_for_a_consumer(self):
        communication = self._create_communication(self.customer_en, self.levels[30])
        html = self._render_html(REPORT_FORMAL_NOTICE, communication)
        self.assertIn("Article 1344", html)
        self.assertIn("Article 1231-6 of the French Civil Code", html)
        self.assertIn("competent court", html)
        for word in [*self.PROFESSIONAL_WORDS, "recovery indemnity"]:
            self.assertNotIn(word, html)

    def test_formal_notice_letter_for_a_professional(self):
        communication = self._create_communication(self.customer_fr, self.levels[30])
        self.customer_fr.lang = "en_US"
        html = self._render_html(REPORT_FORMAL_NOTICE, communication)
        for word in self.PROFESSIONAL_WORDS:
            self.assertIn(word, html)
        self.assertNotIn("1231-6", html)
        # 3 overdue invoices x 40.00 = 120.00 of indemnity
        self.assertIn("120.00", html)

    def test_firm_and_litigation_letters_for_a_consumer(self):
        for days in (15, 45):
            communication = self._create_communication(
                self.customer_en, self.levels[days]
            )
            html = self._render_html(REPORT_LETTER, communication)
            self.assertIn("Article 1231-6", html, days)
            self.assertNotIn("40 EUR", html, days)
            self.assertNotIn("L441-10", html, days)

    def test_emails_for_a_consumer_and_a_professional(self):
        templates = {
            15: "account_collection.mail_template_collection_firm",
            30: "account_collection.mail_template_collection_formal_notice",
            45: "account_collection.mail_template_collection_litigation",
        }
        self.customer_fr.lang = "en_US"
        for days, xmlid in templates.items():
            template = self.env.ref(xmlid)
            consumer = self._create_communication(self.customer_en, self.levels[days])
            professional = self._create_communication(
                self.customer_fr, self.levels[days]
            )
            body = template._render_field("body_html", consumer.ids)[consumer.id]
            self.assertIn("Article 1231-6 of the French Civil Code", body, days)
            self.assertNotIn("40 EUR", body, days)
            self.assertNotIn("L441-10", body, days)
            body = template._render_field("body_html", professional.ids)[
                professional.id
            ]
            self.assertIn("40 EUR", body, days)
            self.assertNotIn("1231-6", body, days)

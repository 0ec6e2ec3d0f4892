import io
import re
from datetime import date

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from .common import CollectionCommon

COMMUNICATION_DATE = date(2026, 11, 20)
REPORT_LETTER = "account_collection.action_report_collection_letter"
REPORT_FORMAL_NOTICE = "account_collection.action_report_collection_formal_notice"
REPORT_STATEMENT = "account_collection.action_report_customer_statement"


class NoticesCommon(CollectionCommon):
    """A French company (EUR) and two customers, one French, one English, each with
    three overdue invoices (one partly paid), an open credit note and an invoice not
    yet due; their communications are built directly from the receivable lines."""

    country_code = "FR"
    chart_template = "generic_coa"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["account_collection"], ["fr_FR"], overwrite=True
        )
        cls.company.write(
            {
                "street": "12 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "company_registry": "812 345 678 00017",
                "email": "compta@example.com",
            }
        )
        cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630004000031234567890143",
                "partner_id": cls.company.partner_id.id,
            }
        )
        cls.env.user.write(
            {"email": "collector@example.com", "phone": "04 72 00 00 00"}
        )
        cls.default_policy = cls.company.collection_policy_id
        # The company was created before French was installed: translate its policy
        # as if French had been there.
        companies = cls.env["res.company"]
        companies._collection_translate_default_policy(
            cls.default_policy,
            companies._collection_default_levels_by_code(cls.default_policy),
        )
        cls.levels = {level.days: level for level in cls.default_policy.level_ids}
        cls.customer_fr = cls.env["res.partner"].create(
            {
                "name": "Boulangerie Martin SARL",
                "is_company": True,
                "lang": "fr_FR",
                "street": "3 place Bellecour",
                "zip": "69002",
                "city": "Lyon",
                "email": "contact@boulangerie-martin.example.com",
            }
        )
        cls.invoice_contact_fr = cls.env["res.partner"].create(
            {
                "name": "Service comptabilité",
                "type": "invoice",
                "parent_id": cls.customer_fr.id,
                "email": "factures@boulangerie-martin.example.com",
            }
        )
        cls.customer_en = cls.env["res.partner"].create(
            {
                "name": "Thames Bakery Ltd",
                "is_company": True,
                "lang": "en_US",
                "street": "1 Baker Street",
                "city": "London",
                "email": "accounts@thames-bakery.example.com",
            }
        )
        cls.moves_fr = cls._create_open_items(cls.customer_fr)
        cls.moves_en = cls._create_open_items(cls.customer_en)

    @classmethod
    def _create_open_items(cls, partner):
        """Overdue: 1,000.00 (45 days), 234.56 (19 days), 500.00 paid 200.00 (35 days);
        not due: 80.00; credit note: 100.00. Overdue 1,534.56, due 1,514.56."""
        old = cls._post_invoice(partner, 1000.0, "2026-10-06")
        recent = cls._post_invoice(partner, 234.56, "2026-11-01")
        partial = cls._post_invoice(partner, 500.0, "2026-10-16")
        not_due = cls._post_invoice(
            partner, 80.0, "2026-12-05", invoice_date="2026-11-05"
        )
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=partial.ids
        ).create({"amount": 200.0, "payment_date": "2026-11-10"})._create_payments()
        credit_note = cls.init_invoice(
            "out_refund",
            partner=partner,
            invoice_date=fields.Date.to_date("2026-11-02"),
            amounts=[100.0],
            taxes=[],
        )
        credit_note.write(
            {
                "invoice_payment_term_id": False,
                "invoice_date_due": fields.Date.to_date("2026-11-02"),
            }
        )
        credit_note.action_post()
        return {
            "old": old,
            "recent": recent,
            "partial": partial,
            "not_due": not_due,
            "credit_note": credit_note,
        }

    @classmethod
    def _create_communication(cls, partner, level, moves=None, day=COMMUNICATION_DATE):
        moves = moves or (cls.moves_fr if partner == cls.customer_fr else cls.moves_en)
        receivable_lines = (
            cls.env["account.move"]
            .union(*moves.values())
            .line_ids.filtered(
                lambda line: line.account_type == "asset_receivable"
                and not line.reconciled
            )
        )
        # one live communication per customer, currency and day
        communications = cls.env["account.collection.communication"]
        communications.search(
            [("partner_id", "=", partner.id), ("date", "=", day)]
        ).unlink()
        return communications.create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "currency_id": cls.company.currency_id.id,
                "policy_id": level.policy_id.id,
                "level_id": level.id,
                "date": day,
                "line_ids": [
                    Command.create(
                        {
                            "move_line_id": line.id,
                            "level_id": level.id if line.amount_residual > 0 else False,
                            "date_maturity": line.date_maturity,
                            "days_overdue": (day - line.date_maturity).days,
                            "amount_residual": line.amount_residual,
                        }
                    )
                    for line in receivable_lines
                ],
            }
        )

    @classmethod
    def _create_broken_report(cls):
        """A notice whose QWeb template fails for the French customer only."""
        cls.env["ir.ui.view"].create(
            {
                "name": "test_broken_notice",
                "type": "qweb",
                "key": "account_collection.test_broken_notice",
                "arch": """
                    <t t-name="account_collection.test_broken_notice">
                        <t t-call="web.html_container">
                            <t t-foreach="docs" t-as="doc">
                                <p t-if="doc.partner_id.lang == 'fr_FR'"
                                   t-out="doc.partner_id.name.no_such_attribute"/>
                                <p>Notice to <t t-out="doc.partner_id.name"/></p>
                            </t>
                        </t>
                    </t>
                """,
            }
        )
        return cls.env["ir.actions.report"].create(
            {
                "name": "Broken notice",
                "model": "account.collection.communication",
                "report_type": "qweb-pdf",
                "report_name": "account_collection.test_broken_notice",
                "print_report_name": "'Notice - %s' % object.partner_id.name",
            }
        )

    def _render_html(self, report_ref, records):
        html, report_type = self.env["ir.actions.report"]._render_qweb_html(
            report_ref, records.ids
        )
        self.assertEqual(report_type, "html")
        return html.decode()

    def assertContainsAll(self, text, expected):
        missing = [value for value in expected if value not in text]
        self.assertFalse(missing, f"Missing from the rendering: {missing}")


@tagged("post_install", "-at_install")
class TestDefaultPolicy(NoticesCommon):
    def test_main_company_gets_the_french_policy(self):
        # The main company is not one of the test user's companies.
        policy = self.env.ref(
            "account_collection.account_collection_policy_default"
        ).sudo()
        main_company = self.env.ref("base.main_company").sudo()
        self.assertEqual(policy.company_id, main_company)
        self.assertEqual(main_company.collection_policy_id, policy)
        levels = policy.level_ids.sorted("days")
        self.assertEqual(levels.mapped("days"), [-5, 7, 15, 30, 45])
        courtesy, friendly, firm, formal, litigation = levels
        self.assertEqual(
            self.env.ref(
                "account_collection.account_collection_policy_default_formal_notice"
            ),
            formal,
        )
        self.assertTrue(all(levels[:4].mapped("send_email")))
        self.assertFalse(litigation.send_email)
        self.assertTrue(firm.phone_call and litigation.phone_call)
        call = self.env.ref("mail.mail_activity_data_call")
        self.assertEqual(firm.activity_type_id, call)
        self.assertEqual(litigation.activity_type_id, call)
        self.assertFalse(friendly.activity_type_id)
        self.assertTrue(formal.send_letter and formal.formal_notice)
        self.assertTrue(formal.charge_late_fees)
        self.assertFalse((levels - formal).filtered("charge_late_fees"))
        self.assertTrue(litigation.send_letter and litigation.litigation)
        self.assertEqual(
            levels.mapped("mail_template_id.model"),
            ["account.collection.communication"] * 5,
        )
        self.assertEqual(len(levels.mail_template_id), 5)
        self.assertEqual(formal.report_id, self.env.ref(REPORT_FORMAL_NOTICE))
        self.assertEqual(
            (courtesy | friendly | firm | litigation).report_id,
            self.env.ref(REPORT_LETTER),
        )

    def test_main_policy_translated_from_the_catalogue(self):
        policy = (
            self.env.ref("account_collection.account_collection_policy_default")
            .sudo()
            .with_context(lang="fr_FR")
        )
        self.assertEqual(policy.name, "Politique de recouvrement B2B (France)")
        self.assertEqual(
            policy.level_ids.sorted("days").mapped("name"),
            [
                "Rappel avant échéance",
                "Relance amiable",
                "Relance ferme",
                "Mise en demeure",
                "Recouvrement contentieux",
            ],
        )

    def test_new_company_gets_its_own_translated_policy(self):
        company = self.env["res.company"].create({"name": "Nouvelle Société SAS"})
        policy = company.collection_policy_id
        self.assertTrue(policy)
        self.assertEqual(policy.company_id, company)
        self.assertNotEqual(policy, self.default_policy)
        self.assertEqual(
            policy.level_ids.sorted("days").mapped("days"), [-5, 7, 15, 30, 45]
        )
        self.assertEqual(policy.level_ids.company_id, company)
        self.assertEqual(
            policy.level_ids.mail_template_id,
            self.default_policy.level_ids.mail_template_id,
        )
        self.assertEqual(policy.name, "French B2B collection policy")
        french = policy.with_context(lang="fr_FR")
        self.assertEqual(french.name, "Politique de recouvrement B2B (France)")
        self.assertIn("Mise en demeure", french.level_ids.mapped("name"))

    def test_companies_created_together_get_one_policy_each(self):
        companies = self.env["res.company"].create(
            [{"name": "Filiale Nord"}, {"name": "Filiale Sud"}]
        )
        policies = companies.collection_policy_id
        self.assertEqual(len(policies), 2)
        self.assertEqual(policies.company_id, companies)


@tagged("post_install", "-at_install")
class TestNoticeHelpers(NoticesCommon):
    def test_amounts_and_deadline(self):
        communication = self._create_communication(self.customer_fr, self.levels[30])
        self.assertAlmostEqual(communication.amount_overdue, 1534.56)
        self.assertAlmostEqual(communication.amount_due, 1514.56)
        # Overdue invoices less the open credit note; the invoice not due is not claimed.
        self.assertAlmostEqual(communication.amount_claimed, 1434.56)
        self.assertEqual(communication.payment_deadline, date(2026, 11, 28))
        self.assertEqual(
            communication._get_notice_amount_in_words(),
            "mille quatre cent trente-quatre euros et cinquante-six centimes",
        )
        self.assertEqual(len(communication._get_notice_overdue_lines()), 3)
        # The credit note comes last on the notices.
        self.assertEqual(
            communication._get_notice_lines()[-1].move_id,
            self.moves_fr["credit_note"],
        )

    def test_amount_claimed_is_never_negative(self):
        communication = self._create_communication(
            self.customer_en,
            self.levels[30],
            moves={"credit_note": self.moves_en["credit_note"]},
        )
        self.assertAlmostEqual(communication.amount_due, -100.0)
        self.assertEqual(communication.amount_claimed, 0.0)

    def test_invoicing_contact_with_email_receives_the_reminders(self):
        communication = self._create_communication(self.customer_fr, self.levels[7])
        self.assertEqual(communication.notice_contact_id, self.invoice_contact_fr)
        self.invoice_contact_fr.email = False
        communication.invalidate_recordset(["notice_contact_id"])
        self.assertEqual(communication.notice_contact_id, self.customer_fr)

    def test_wording_follows_the_level(self):
        expected = {
            -5: "courtesy",
            7: "friendly",
            15: "firm",
            30: "formal_notice",
            45: "litigation",
        }
        for days, tone in expected.items():
            communication = self._create_communication(
                self.customer_en, self.levels[days]
            )
            self.assertEqual(communication.notice_tone, tone, days)
        # The first reminder after the due date is friendly, a later one is firm
        # even without a phone call.
        self.assertEqual(
            self._create_communication(self.customer_en, self.policy.level_ids[1])[
                "notice_tone"
            ],
            "friendly",
        )
        self.env["account.collection.level"].create(
            {"name": "Second", "days": 20, "policy_id": self.policy.id}
        )
        second = self.policy.level_ids.filtered(lambda level: level.days == 20)
        self.assertEqual(
            self._create_communication(self.customer_en, second).notice_tone, "firm"
        )

    def test_recovery_indemnity_only_for_professionals(self):
        communication = self._create_communication(self.customer_fr, self.levels[30])
        self.assertIn("120,00", communication._get_notice_recovery_indemnity())
        self.customer_fr.is_company = False
        self.assertEqual(communication._get_notice_recovery_indemnity(), "")

    def test_insolvency_notice_claims_no_indemnity(self):
        communication = self._create_communication(self.customer_fr, self.levels[30])
        with freeze_time("2026-11-20"):
            self.customer_fr.write(
                {
                    "collection_insolvency": "receivership",
                    "collection_insolvency_date": "2026-11-10",
                }
            )
        self.assertEqual(communication._get_notice_recovery_indemnity(), "")

    def test_notice_indemnity_follows_the_company_setting(self):
        communication = self._create_communication(self.customer_fr, self.levels[30])
        self.company.collection_indemnity_amount = 50.0
        self.assertIn("150,00", communication._get_notice_recovery_indemnity())
        self.company.collection_indemnity_amount = 0.0
        self.assertEqual(communication._get_notice_recovery_indemnity(), "")


@tagged("post_install", "-at_install")
class TestNoticeReports(NoticesCommon):
    def test_reminder_letter_in_english(self):
        communication = self._create_communication(self.customer_en, self.levels[7])
        html = self._render_html(REPORT_LETTER, communication)
        moves = self.moves_en
        self.assertContainsAll(
            html,
            [
                "Payment reminder",
                "Dear Sir or Madam",
                "Thames Bakery Ltd",
                *(move.name for move in moves.values()),
                "1,534.56",  # total overdue
                "1,514.56",  # total due
                "100.00",  # the credit note
                "300.00",  # what is left of the partly paid invoice
                "November 28, 2026",  # deadline: date + 8 days
                "Lyon, November 20, 2026",
                "FR7630004000031234567890143",
            ],
        )
        self.assertNotIn("formal notice", html)

    def test_reminder_letter_adapts_its_wording(self):
        wording = {
            -5: "Upcoming due dates",
            15: "we will be compelled to send you a formal",
            45: "handed over to our",
        }
        for days, text in wording.items():
            communication = self._create_communication(
                self.customer_en, self.levels[days]
            )
            self.assertIn(text, self._render_html(REPORT_LETTER, communication))

    def test_letter_of_a_formal_notice_level_has_the_formal_layout(self):
        communication = self._create_communication(self.customer_en, self.levels[30])
        html = self._render_html(REPORT_LETTER, communication)
        self.assertIn("REGISTERED LETTER WITH ACKNOWLEDGMENT OF RECEIPT", html)
        self.assertIn("one thousand, four hundred and thirty-four euro", html)

    def test_reminder_letter_in_french(self):
        communication = self._create_communication(self.customer_fr, self.levels[15])
        html = self._render_html(REPORT_LETTER, communication)
        self.assertContainsAll(
            html,
            [
                "Deuxième relance : factures échues",
                "Madame, Monsieur,",
                "mise en demeure",
                "534,56",
                "28 novembre 2026",
                "Lyon, le 20 novembre 2026",
                *(move.name for move in self.moves_fr.values()),
            ],
        )
        self.assertNotIn("Dear Sir or Madam", html)

    def test_formal_notice_in_french(self):
        communication = self._create_communication(self.customer_fr, self.levels[30])
        html = self._render_html(REPORT_FORMAL_NOTICE, communication)
        self.assertContainsAll(
            html,
            [
                "LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION",
                "Mise en demeure de payer",
                "Lyon, le 20 novembre 2026",
                "Boulangerie Martin SARL",
                "812 345 678 00017",
                *(move.name for move in self.moves_fr.values()),
                "434,56",  # total claimed 1 434,56
                "mille quatre cent trente-quatre euros et cinquante-six centimes",
                "dans un délai de",
                "8</strong>",
                "jours à compter de la réception",
                "article 1344 du Code civil",
                "L441-10",
                "40 EUR",
                "120,00",  # three overdue invoices x 40 EUR
                "injonction de payer",
                "tribunal de commerce",
            ],
        )

    def test_formal_notice_in_english(self):
        communication = self._create_communication(self.customer_en, self.levels[30])
        html = self._render_html(REPORT_FORMAL_NOTICE, communication)
        self.assertContainsAll(
            html,
            [
                "REGISTERED LETTER WITH ACKNOWLEDGMENT OF RECEIPT",
                "Formal notice to pay",
                "1,434.56",
                "one thousand, four hundred and thirty-four euro, fifty-six cents",
                "Article 1344",
                "L441-10",
                "order for",
            ],
        )

    # wkhtmltopdf builds without the patched Qt print warnings on its options.
    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_formal_notice_renders_a_real_pdf(self):
        # wkhtmltopdf loads the assets from this server, through the test's cursor.
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        communication = self._create_communication(self.customer_fr, self.levels[30])
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT_FORMAL_NOTICE, communication.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_reports_render_as_pdf_outside_tests(self):
        """Without forcing, tests get HTML: the reports are wired for PDF."""
        for ref in (REPORT_LETTER, REPORT_FORMAL_NOTICE, REPORT_STATEMENT):
            report = self.env.ref(ref)
            self.assertEqual(report.report_type, "qweb-pdf")
            self.assertEqual(report.paperformat_id.format, "A4")
        communication = self._create_communication(self.customer_en, self.levels[7])
        content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            REPORT_LETTER, communication.ids
        )
        self.assertEqual(report_type, "html")
        self.assertIn(b"Payment reminder", content)

    def test_collection_user_can_print(self):
        communication = self._create_communication(self.customer_fr, self.levels[30])
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.collection_user)
            ._render_qweb_html(REPORT_FORMAL_NOTICE, communication.ids)
        )
        self.assertIn("Mise en demeure de payer", html.decode())


@tagged("post_install", "-at_install")
class TestCustomerStatement(NoticesCommon):
    @freeze_time("2026-11-20")
    def test_statement_lists_open_items_with_ageing(self):
        self._post_invoice(self.customer_fr, 700.0, "2026-05-01")  # 203 days
        html = self._render_html(REPORT_STATEMENT, self.invoice_contact_fr)
        self.assertContainsAll(
            html,
            [
                "Relevé de compte client",
                "Boulangerie Martin SARL",
                *(move.name for move in self.moves_fr.values()),
                "Non échu",
                "1-30",
                "+120",
                "214,56",  # total due: 1 514,56 + 700
            ],
        )
        self.assertNotIn(self.moves_en["old"].name, html)

    @freeze_time("2026-11-20")
    def test_statement_values(self):
        report = self.env["report.account_collection.report_customer_statement"]
        values = report._get_report_values(
            (self.customer_fr | self.invoice_contact_fr | self.customer_en).ids
        )
        self.assertEqual(
            values["bucket_labels"],
            ["Not due", "1-30", "31-60", "61-90", "91-120", "+120"],
        )
        statement = values["statements"][self.customer_fr.id]
        self.assertEqual(values["statements"][self.invoice_contact_fr.id], statement)
        (group,) = statement["groups"]
        self.assertEqual(group["currency"], self.company.currency_id)
        self.assertAlmostEqual(group["total"], 1514.56)
        self.assertAlmostEqual(group["overdue"], 1534.56 - 100.0)
        # not due: 80; 1-30: 234.56 (19 days) - 100 (credit note, 18 days);
        # 31-60: 1000 (45 days) + 300 (35 days)
        for got, expected in zip(
            group["buckets"], [80.0, 134.56, 1300.0, 0.0, 0.0, 0.0], strict=True
        ):
            self.assertAlmostEqual(got, expected)
        self.assertEqual(len(group["items"]), 5)

    @freeze_time("2026-11-20")
    def test_statement_reads_all_partners_in_one_batch(self):
        report = self.env["report.account_collection.report_customer_statement"]
        today = fields.Date.today()

        def count_queries(partners):
            self.env.invalidate_all()
            report._get_statements(partners, self.company, today)  # warm the caches
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            report._get_statements(partners, self.company, today)
            return self.cr.sql_log_count - before

        one = count_queries(self.customer_fr)
        many = count_queries(
            self.customer_fr | self.customer_en | self.invoice_contact_fr
        )
        self.assertEqual(one, many)

    def test_statement_is_bound_to_the_partner_print_menu(self):
        report = self.env.ref(REPORT_STATEMENT)
        self.assertEqual(report.binding_model_id.model, "res.partner")
        self.assertEqual(report.binding_type, "report")


@tagged("post_install", "-at_install")
class TestNoticeMailTemplates(NoticesCommon):
    TEMPLATES = {
        -5: "account_collection.mail_template_collection_courtesy",
        7: "account_collection.mail_template_collection_friendly",
        15: "account_collection.mail_template_collection_firm",
        30: "account_collection.mail_template_collection_formal_notice",
        45: "account_collection.mail_template_collection_litigation",
    }

    def _render(self, template, communication, field):
        return template._render_field(field, communication.ids, compute_lang=True)[
            communication.id
        ]

    def test_every_template_renders_in_both_languages(self):
        french_words = {
            -5: "arrivent prochainement à échéance",
            7: "Sauf erreur de notre part",
            15: "Malgré notre précédente relance",
            30: "Nous vous mettons en demeure",
            45: "transmis à notre service contentieux",
        }
        english_words = {
            -5: "will soon fall due",
            7: "Unless we are mistaken",
            15: "Despite our previous reminder",
            30: "We hereby give you formal notice",
            45: "handed over to our collection agency",
        }
        for days, xmlid in self.TEMPLATES.items():
            template = self.env.ref(xmlid)
            self.assertEqual(self.levels[days].mail_template_id, template)
            french = self._create_communication(self.customer_fr, self.levels[days])
            english = self._create_communication(self.customer_en, self.levels[days])
            body_fr = self._render(template, french, "body_html")
            body_en = self._render(template, english, "body_html")
            self.assertIn(french_words[days], body_fr)
            self.assertNotIn(english_words[days], body_fr)
            self.assertIn(english_words[days], body_en)
            self.assertIn("Service comptabilité", body_fr)
            for move in self.moves_fr.values():
                self.assertIn(move.name, body_fr)
            self.assertIn("514,56", body_fr)
            self.assertIn("1,514.56", body_en)

    def test_friendly_reminder_content(self):
        template = self.env.ref(self.TEMPLATES[7])
        communication = self._create_communication(self.customer_en, self.levels[7])
        body = self._render(template, communication, "body_html")
        self.assertIn("11/28/2026", body)  # deadline, en_US date format
        self.assertIn("1,534.56", body)
        self.assertIn("Pay now", body)
        # one payment link per unpaid invoice, none for the credit note: each opens
        # the customer's collection page with that invoice selected (issue #15)
        self.assertEqual(body.count("Pay now"), 4)
        access = communication._collection_portal_access()
        page = f"/collection/portal/{access.id}?access_token={access.access_token}"
        for key in ("old", "recent", "partial", "not_due"):
            invoice = self.moves_en[key]
            self.assertIn(f"{page}&amp;pay={invoice.id}", body)
        self.assertIn("View my account and pay online", body)
        self.assertFalse(self.moves_en["credit_note"].access_token)
        self.assertIn(communication.get_base_url(), body)
        self.assertEqual(
            self._render(template, communication, "subject"),
            f"{self.company.name}: payment reminder",
        )

    def test_formal_notice_email_content(self):
        template = self.env.ref(self.TEMPLATES[30])
        communication = self._create_communication(self.customer_fr, self.levels[30])
        body = self._render(template, communication, "body_html")
        self.assertContainsAll(
            body,
            [
                "mille quatre cent trente-quatre euros et cinquante-six centimes",
                "28/11/2026",
                "L441-10",
                "40 EUR",
                "article 1344 du Code civil",
                "injonction de payer",
            ],
        )
        self.assertEqual(
            self._render(template, communication, "subject"),
            f"{self.company.name} : mise en demeure de payer",
        )

    def test_recipients_sender_language_and_attachment(self):
        template = self.env.ref(self.TEMPLATES[30])
        communication = self._create_communication(self.customer_fr, self.levels[30])
        values = template._generate_template(
            communication.ids,
            ["partner_to", "email_from", "subject", "report_template_ids"],
        )[communication.id]
        self.assertEqual(values["partner_ids"], self.invoice_contact_fr.ids)
        self.assertIn("collector@example.com", values["email_from"])
        self.assertEqual(
            template._render_lang(communication.ids)[communication.id], "fr_FR"
        )
        (name, _content) = values["attachments"][0]
        self.assertTrue(name.startswith("Mise en demeure - Boulangerie Martin SARL"))
        self.assertEqual(
            self.env.ref(self.TEMPLATES[-5]).report_template_ids,
            self.env["ir.actions.report"],
        )


@tagged("post_install", "-at_install")
class TestNoticesSentByTheCycle(NoticesCommon):
    @freeze_time("2026-11-19")
    def test_cycle_sends_the_formal_notice_in_the_customer_language(self):
        communications = self.env["account.collection.engine"]._run_collection_cycle(
            self.company, auto_send=True
        )
        by_partner = {
            communication.partner_id: communication for communication in communications
        }
        french = by_partner[self.customer_fr]
        english = by_partner[self.customer_en]
        # The oldest invoice is 44 days late: the formal notice level.
        self.assertEqual(french.level_id, self.levels[30])
        self.assertTrue(french.mail_id)
        mail = french.mail_id
        self.assertEqual(
            mail.subject, f"{self.company.name} : mise en demeure de payer"
        )
        self.assertEqual(mail.recipient_ids, self.invoice_contact_fr)
        self.assertIn("Nous vous mettons en demeure", mail.body_html)
        self.assertIn(
            "mille quatre cent trente-quatre euros et cinquante-six centimes",
            mail.body_html,
        )
        # The cycle only queues the email: its notice is attached when it is sent.
        self.assertFalse(mail.attachment_ids)
        mail.auto_delete = False  # keep the sent mail to look at it
        mail._send()
        self.assertEqual(
            mail.attachment_ids.mapped("name"),
            ["Mise en demeure - Boulangerie Martin SARL - 2026-11-19.html"],
        )
        self.assertEqual(
            english.mail_id.subject, f"{self.company.name}: formal notice to pay"
        )


@tagged("post_install", "-at_install")
class TestNoticeAttachedWhenSent(NoticesCommon):
    """The cycle queues the emails without rendering their notices; the mail queue
    renders and attaches each notice when it sends the email."""

    TEMPLATE = "account_collection.mail_template_collection_formal_notice"
    FRENCH_NOTICE = "Mise en demeure - Boulangerie Martin SARL - 2026-11-19.html"
    ENGLISH_NOTICE = "Formal notice - Thames Bakery Ltd - 2026-11-19.html"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env.ref(cls.TEMPLATE)

    def _run_cycle(self):
        """Both customers reach the formal notice level; their mails are kept once
        sent, to look at them."""
        with freeze_time("2026-11-19"):
            communications = self.env[
                "account.collection.engine"
            ]._run_collection_cycle(self.company, auto_send=True)
        french = communications.filtered(lambda c: c.partner_id == self.customer_fr)
        english = communications.filtered(lambda c: c.partner_id == self.customer_en)
        self.assertEqual((french | english).level_id, self.levels[30])
        (french | english).mail_id.auto_delete = False
        return french, english

    def _notice_attachments(self, mails):
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", "mail.message"),
                ("res_id", "in", mails.mail_message_id.ids),
            ]
        )

    def test_cycle_queues_the_mails_without_their_notice(self):
        french, english = self._run_cycle()
        mails = (french | english).mail_id
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails.mapped("state"), ["outgoing", "outgoing"])
        self.assertFalse(mails.attachment_ids)
        self.assertFalse(self._notice_attachments(mails))
        self.assertTrue(all(mails.mapped("collection_notice_pending")))
        self.assertEqual(mails.collection_notice_template_id, self.template)

    def test_notice_attached_in_the_customer_language_when_sent(self):
        french, english = self._run_cycle()
        mails = (french | english).mail_id
        mails._send()
        self.assertEqual(mails.mapped("state"), ["sent", "sent"])
        self.assertFalse(any(mails.mapped("collection_notice_pending")))
        self.assertFalse(mails.collection_notice_template_id)
        for communication, name, title in (
            (french, self.FRENCH_NOTICE, b"Mise en demeure de payer"),
            (english, self.ENGLISH_NOTICE, b"Formal notice to pay"),
        ):
            mail = communication.mail_id
            attachment = mail.attachment_ids
            self.assertEqual(attachment.mapped("name"), [name])
            self.assertEqual(attachment.res_model, "mail.message")
            self.assertEqual(attachment.res_id, mail.mail_message_id.id)
            self.assertIn(title, attachment.raw)
            self.assertFalse(communication.error_message)
        self.assertEqual(self._notice_attachments(mails), mails.attachment_ids)

    def test_sending_again_does_not_duplicate_the_notice(self):
        french, english = self._run_cycle()
        mails = (french | english).mail_id
        mails._send()
        mails.mark_outgoing()
        mails._send()
        self.assertEqual(french.mail_id.attachment_ids.name, self.FRENCH_NOTICE)
        self.assertEqual(english.mail_id.attachment_ids.name, self.ENGLISH_NOTICE)
        self.assertEqual(len(self._notice_attachments(mails)), 2)

    def test_notice_failure_fails_its_mail_only_then_retry(self):
        self.template.report_template_ids = self._create_broken_report()
        french, english = self._run_cycle()
        failed = french.mail_id
        with mute_logger("odoo.addons.account_collection.models.mail_mail"):
            (french | english).mail_id._send()

        self.assertEqual(failed.state, "exception")
        self.assertEqual(failed.failure_type, "unknown")
        self.assertIn("Broken notice", failed.failure_reason)
        self.assertIn("could not be rendered", failed.failure_reason)
        self.assertFalse(failed.attachment_ids)
        self.assertTrue(failed.collection_notice_pending)
        self.assertEqual(french.state, "error")
        self.assertIn("Broken notice", french.error_message)
        # The other mail of the batch is sent with its notice.
        sent = english.mail_id
        self.assertEqual(sent.state, "sent")
        self.assertEqual(
            sent.attachment_ids.mapped("name"), ["Notice - Thames Bakery Ltd.html"]
        )
        self.assertEqual(english.state, "to_print")
        self.assertFalse(english.error_message)

        # Once the notice renders again, the retry sends it exactly once.
        self.template.report_template_ids = self.env.ref(REPORT_FORMAL_NOTICE)
        with freeze_time("2026-11-19"):
            french.action_retry()
        retried = french.mail_id
        self.assertNotEqual(retried, failed)
        self.assertFalse(retried.attachment_ids)
        self.assertTrue(retried.collection_notice_pending)
        retried.auto_delete = False
        retried._send()
        self.assertEqual(retried.state, "sent")
        self.assertEqual(retried.attachment_ids.mapped("name"), [self.FRENCH_NOTICE])
        self.assertFalse(failed.attachment_ids)
        self.assertFalse(french.error_message)
        self.assertEqual(french.state, "to_print")

    def test_notice_of_a_deleted_template_fails_the_mail(self):
        copy = self.template.copy()
        self.levels[30].mail_template_id = copy
        french, english = self._run_cycle()
        copy.unlink()
        with mute_logger("odoo.addons.account_collection.models.mail_mail"):
            (french | english).mail_id._send()
        self.assertEqual((french | english).mapped("state"), ["error", "error"])
        self.assertIn("mail template was deleted", french.error_message)

    def test_template_sent_outside_the_cycle_attaches_at_once(self):
        communication = self._create_communication(self.customer_fr, self.levels[30])
        mail = self.env["mail.mail"].browse(self.template.send_mail(communication.id))
        self.assertFalse(mail.collection_notice_pending)
        self.assertEqual(
            mail.attachment_ids.mapped("name"),
            ["Mise en demeure - Boulangerie Martin SARL - 2026-11-20.html"],
        )


@tagged("post_install", "-at_install")
class TestPrintLetters(NoticesCommon):
    """Item 6: Print Letters renders every letter with its own notice into one PDF
    and marks a letter printed only once its PDF exists."""

    def setUp(self):
        super().setUp()
        # wkhtmltopdf loads the report assets from this server, which must answer
        # through the test's cursor instead of waiting for it.
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)

    def _to_print(self, partner, level, day=COMMUNICATION_DATE):
        communication = self._create_communication(partner, level, day=day)
        communication.write({"send_letter": True, "state": "to_print"})
        return communication

    def _pdf_text(self, content):
        self.assertTrue(content.startswith(b"%PDF"))
        reader = PdfFileReader(io.BytesIO(content))
        return [page.extract_text() for page in reader.pages]

    # wkhtmltopdf builds without the patched Qt print warnings on its options.
    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_mixed_selection_prints_every_letter_with_its_own_notice(self):
        formal = self._to_print(self.customer_en, self.levels[30])
        letter = self._to_print(
            self.customer_en, self.levels[7], day=date(2026, 11, 21)
        )
        self.assertEqual(formal.level_id.report_id, self.env.ref(REPORT_FORMAL_NOTICE))
        self.assertEqual(letter.level_id.report_id, self.env.ref(REPORT_LETTER))
        action = (
            (formal | letter)
            .with_context(force_report_rendering=True)
            .action_print_letters()
        )
        self.assertEqual(action["type"], "ir.actions.act_url")
        merged = self.env["ir.attachment"].browse(
            int(re.search(r"/web/content/(\d+)", action["url"]).group(1))
        )
        pages = self._pdf_text(merged.raw)
        formal_pages = self._pdf_text(formal.letter_attachment_id.raw)
        letter_pages = self._pdf_text(letter.letter_attachment_id.raw)
        self.assertEqual(len(pages), len(formal_pages) + len(letter_pages))
        self.assertIn("Formal notice to pay", "".join(formal_pages))
        self.assertIn("Payment reminder", "".join(letter_pages))
        self.assertNotIn("Formal notice to pay", "".join(letter_pages))
        self.assertEqual("".join(pages), "".join(formal_pages + letter_pages))
        # Printed once their PDF exists; nothing else to do: done.
        self.assertEqual((formal | letter).mapped("printed"), [True, True])
        self.assertEqual((formal | letter).mapped("state"), ["sent", "sent"])
        self.assertEqual(formal.letter_attachment_id.res_id, formal.id)
        # Printed again: the same letters.
        again = (formal | letter).action_print_letters()
        self.assertNotEqual(again["url"], action["url"])
        self.assertEqual(
            self._pdf_text(
                self.env["ir.attachment"]
                .browse(int(re.search(r"/web/content/(\d+)", again["url"]).group(1)))
                .raw
            ),
            pages,
        )

    def test_merged_downloads_are_removed_after_a_day(self):
        letter = self._to_print(self.customer_en, self.levels[7])
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": name,
                    "raw": b"%PDF-1.4",
                    "mimetype": "application/pdf",
                    "res_model": letter._name,
                    "res_id": res_id,
                }
                for name, res_id in (
                    ("Letters old.pdf", False),
                    ("Letters today.pdf", False),
                    ("Own letter.pdf", letter.id),
                )
            ]
        )
        old_merged, today_merged, own = attachments
        letter.letter_attachment_id = own
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE ir_attachment SET create_date = now() - interval '2 days' "
            "WHERE id IN %s",
            [(old_merged.id, own.id)],
        )
        self.env["account.collection.dispatch"]._gc_merged_letters()
        self.assertFalse(old_merged.exists())
        self.assertTrue(today_merged.exists())
        self.assertTrue(own.exists())

    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_letter_that_fails_leaves_the_selection_to_print(self):
        self.levels[7].report_id = self._create_broken_report()
        english = self._to_print(self.customer_en, self.levels[7])
        french = self._to_print(self.customer_fr, self.levels[7])
        with self.assertRaisesRegex(UserError, "Boulangerie Martin SARL"):
            (english | french).with_context(
                force_report_rendering=True
            ).action_print_letters()
        self.assertEqual((english | french).mapped("state"), ["to_print", "to_print"])
        self.assertEqual((english | french).mapped("printed"), [False, False])
        self.assertFalse((english | french).letter_attachment_id)

import io
import zipfile

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CollectionCommon

REPORT = "account_collection.action_report_collection_court_request"


@tagged("post_install", "-at_install")
class TestCourtRequest(CollectionCommon):
    """The request after the formal notice (CPC 1405), its amounts, PDF and exhibits,
    the small-claims threshold (CPCE L125-1) and the refusals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Menuiserie Girard",
                "is_company": True,
                "city": "Lyon",
                "street": "3 rue des Tanneurs",
                "zip": "69002",
                "company_registry": "123 456 789 00012",
            }
        )
        cls.level = cls.policy.level_ids.filtered("formal_notice")
        cls.reminder_level = cls.policy.level_ids.filtered(
            lambda level: level.days == 7
        )
        cls.invoice = cls._post_invoice(cls.customer, 1000.0, "2025-06-15")
        cls.reminder = cls._communication(cls.reminder_level, "2025-06-22")
        cls.notice = cls._communication(cls.level, "2025-07-01", formal_notice=True)

    @classmethod
    def _communication(cls, level, day, partner=None, invoice=None, **values):
        invoice = invoice or cls.invoice
        return cls.env["account.collection.communication"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "company_id": invoice.company_id.id,
                "currency_id": invoice.currency_id.id,
                "level_id": level.id,
                "date": day,
                "state": "sent",
                "line_ids": [
                    Command.create(
                        {
                            "move_line_id": invoice.line_ids.filtered(
                                lambda line: line.display_type == "payment_term"
                            ).id,
                            "level_id": level.id,
                        }
                    )
                ],
                **values,
            }
        )

    def _prepare(self, user=None, partner=None):
        partner = partner or self.customer
        action = partner.with_user(
            user or self.collection_user
        ).action_collection_court_request()
        return self.env["account.collection.court.request"].browse(action["res_id"])

    @freeze_time("2025-07-15")
    def test_cpc_1405_request_after_the_formal_notice_deadline(self):
        request = self._prepare()
        self.assertEqual(request.communication_id, self.notice)
        self.assertEqual(request.notice_deadline.isoformat(), "2025-07-09")
        self.assertEqual(request.invoice_ids, self.invoice)
        self.assertEqual(request.reminder_ids, self.reminder | self.notice)
        self.assertEqual(request.court_type, "commerce")
        self.assertEqual(request.court_name, "Tribunal de commerce de Lyon")
        self.assertEqual(request.debtor_siren, "123456789")
        # Interest 16 Jun..15 Jul: 15 days at 13.15 (2025-H1) and 15 at 12.15 (H2):
        # 1000 * (15 * 13.15 + 15 * 12.15) / 36500 = 379500 / 36500 = 10.397 -> 10.40.
        # Indemnity L441-10: 40.00. Claim 1000 + 10.40 + 40 = 1050.40.
        self.assertEqual(request.amount_principal, 1000.0)
        self.assertAlmostEqual(request.amount_interest, 10.40)
        self.assertEqual(request.amount_indemnity, 40.0)
        self.assertAlmostEqual(request.amount_claim, 1050.40)
        self.assertTrue(request.small_claims_eligible)
        self.assertEqual(request.procedure, "small_claims")
        request.with_user(self.collection_user).amount_costs = 35.0
        self.assertAlmostEqual(request.amount_total, 1085.40)
        self.assertIn("L441-10", request.legal_basis)
        self.assertIn("1405", request.legal_basis)
        self.assertIn("Formal notice sent on 2025-07-01", request.exhibit_list)
        self.assertIn("Reminder (Friendly) of 2025-06-22", request.exhibit_list)

    @freeze_time("2025-07-05")
    def test_cpc_1405_refused_before_the_deadline(self):
        with self.assertRaisesRegex(UserError, "runs until 2025-07-09"):
            self._prepare()
        self.assertFalse(self.env["account.collection.court.request"].search([]))

    @freeze_time("2025-07-15")
    def test_l622_21_insolvent_customer_refused(self):
        self.customer.write(
            {
                "collection_insolvency": "receivership",
                "collection_insolvency_date": "2025-07-10",
            }
        )
        with self.assertRaisesRegex(UserError, "L622-21"):
            self._prepare()
        with self.assertRaisesRegex(UserError, "L622-21"):
            self.notice.with_user(
                self.collection_user
            ).action_collection_court_request()
        # Even without a formal notice, the procedure is what the user is told.
        self.notice.state = "cancel"
        with self.assertRaisesRegex(UserError, "L622-21"):
            self._prepare()

    @freeze_time("2025-07-15")
    def test_l125_1_small_claims_threshold_5000_00_vs_5000_01(self):
        request = self._prepare()
        # 4,960.00 + 0 + 40.00 = 5,000.00: small claims open.
        request.write({"amount_principal": 4960.00, "amount_interest": 0.0})
        self.assertAlmostEqual(request.amount_claim, 5000.00)
        self.assertTrue(request.small_claims_eligible)
        # 4,960.01 + 0 + 40.00 = 5,000.01: the injonction de payer only.
        request.write({"amount_principal": 4960.01})
        self.assertAlmostEqual(request.amount_claim, 5000.01)
        self.assertFalse(request.small_claims_eligible)
        # Costs do not count: 4,960.00 + 40.00 + 500 costs is still small claims.
        request.write({"amount_principal": 4960.00, "amount_costs": 500.0})
        self.assertTrue(request.small_claims_eligible)

    @freeze_time("2025-07-15")
    def test_cerfa_12948_consumer_tribunal_judiciaire_no_indemnity(self):
        consumer = self.env["res.partner"].create(
            {"name": "Jeanne Petit", "city": "Nantes"}
        )
        invoice = self._post_invoice(consumer, 6000.0, "2025-06-15")
        self._communication(
            self.level,
            "2025-07-01",
            partner=consumer,
            invoice=invoice,
            formal_notice=True,
        )
        request = self._prepare(partner=consumer)
        self.assertEqual(request.court_type, "judiciaire")
        self.assertEqual(request.court_name, "Tribunal judiciaire de Nantes")
        self.assertEqual(request.amount_indemnity, 0.0)
        # Legal interest from the formal notice (1231-6), 2 Jul..15 Jul: 14 days at
        # 2.76 (2025-H2, creditor professional): 6000 * 14 * 2.76 / 36500 = 6.35.
        self.assertAlmostEqual(request.amount_interest, 6.35)
        self.assertFalse(request.small_claims_eligible)
        self.assertEqual(request.procedure, "injunction")

    @freeze_time("2025-07-15")
    def test_pdf_rendered_for_both_procedures(self):
        request = self._prepare()
        reports = self.env["ir.actions.report"].with_user(self.collection_user)
        html = reports._render_qweb_html(REPORT, request.ids)[0].decode()
        self.assertIn("Small claims: request to a commissaire de justice", html)
        self.assertIn("123456789", html)
        request.procedure = "injunction"
        html = reports._render_qweb_html(REPORT, request.ids)[0].decode()
        self.assertIn("Request for an order to pay", html)
        self.assertIn("Tribunal de commerce de Lyon", html)
        self.assertIn("Cerfa 12946", html)
        content, _report_type = reports._render_qweb_pdf(REPORT, request.ids)
        self.assertTrue(content)

    @freeze_time("2025-07-15")
    def test_exhibits_zip_lists_invoice_reminder_and_formal_notice(self):
        request = self._prepare()
        action = request.with_user(self.collection_user).action_download_exhibits()
        attachment = request.exhibits_attachment_id
        self.assertIn(str(attachment.id), action["url"])
        self.assertEqual(attachment.res_id, request.id)
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as archive:
            names = archive.namelist()
        self.assertEqual(len(names), 3)
        self.assertTrue(
            names[0].startswith(f"01_Invoice_{self.invoice.name.replace('/', '_')}")
        )
        self.assertTrue(names[1].startswith("02_Reminder_Friendly_of_2025-06-22"))
        self.assertTrue(names[2].startswith("03_Formal_notice_sent_on_2025-07-01"))

    @freeze_time("2025-07-15")
    def test_states_and_multi_company(self):
        request = self._prepare()
        as_user = request.with_user(self.collection_user)
        as_user.action_file()
        self.assertEqual(request.state, "filed")
        with self.assertRaises(UserError):
            as_user.action_file()
        as_user.action_granted()
        as_user.action_paid()
        self.assertEqual(request.state, "paid")
        other = self.setup_other_company(name="Court B")["company"]
        self.collection_user.company_ids = [Command.link(other.id)]
        in_b = (
            self.env["account.collection.court.request"]
            .with_user(self.collection_user)
            .with_context(allowed_company_ids=other.ids)
        )
        self.assertFalse(in_b.search([]))
        with self.assertRaises(AccessError):
            in_b.browse(request.id).read(["name"])
        with self.assertRaisesRegex(UserError, "No formal notice"):
            self.customer.with_user(self.collection_user).with_context(
                allowed_company_ids=other.ids
            ).action_collection_court_request()

"""Issue #15: the customer's collection page, reached by a token link: documents,
online payment through Odoo's payment framework, and its security."""

from odoo import Command, fields
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import CollectionCommon


class PortalCommon(CollectionCommon, AccountTestInvoicingHttpCommon):
    """Two customers with overdue invoices, the demo payment provider enabled in
    the test company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._post_invoice(cls.partner_a, 1000.0, "2026-10-01")
        cls.invoice_2 = cls._post_invoice(cls.partner_a, 250.0, "2026-10-15")
        cls.not_due = cls._post_invoice(cls.partner_a, 80.0, "2099-01-31")
        cls.other_invoice = cls._post_invoice(cls.partner_b, 700.0, "2026-10-01")
        access = cls.env["account.collection.portal.access"]
        cls.access = access._collection_portal_access_for(
            cls.partner_a, cls.company, cls.company.currency_id
        )
        cls.other_access = access._collection_portal_access_for(
            cls.partner_b, cls.company, cls.company.currency_id
        )
        cls.provider = cls._enable_demo_provider(cls.company)

    @classmethod
    def _enable_demo_provider(cls, company):
        demo = cls.env.ref("payment.payment_provider_demo").sudo()
        provider = (
            demo
            if demo.company_id == company
            else demo.copy({"company_id": company.id})
        )
        provider.write({"state": "test", "is_published": True})
        return provider

    def _page_url(self, access=None, **params):
        url = (access or self.access)._get_share_url()
        return url + "".join(f"&{key}={value}" for key, value in params.items())


@tagged("post_install", "-at_install")
class TestCollectionPortalPage(PortalCommon):
    """The page lists the customer's open items of one company and currency, with
    their PDF, and proposes to pay the overdue ones."""

    def test_page_lists_open_items_of_its_customer_only(self):
        response = self.url_open(self._page_url())
        self.assertEqual(response.status_code, 200)
        for invoice in self.invoice + self.invoice_2 + self.not_due:
            self.assertIn(invoice.name, response.text)
        self.assertNotIn(self.other_invoice.name, response.text)
        # 1,000 + 250 + 80 due in all; the payment form proposes the overdue 1,250.
        self.assertIn("1,330.00", response.text)
        self.assertIn('data-amount="1250.0"', response.text)
        self.assertIn("o_payment_form", response.text)

    def test_page_preselects_the_invoice_of_the_link(self):
        response = self.url_open(self._page_url(pay=self.not_due.id))
        self.assertIn('data-amount="80.0"', response.text)
        # Another customer's invoice in the link is ignored: nothing to pay.
        response = self.url_open(self._page_url(pay=self.other_invoice.id))
        self.assertNotIn("o_payment_form", response.text)
        self.assertNotIn(self.other_invoice.name, response.text)

    def test_invoice_pdf_of_the_page_only(self):
        url = f"{self.access.access_url}/document/%s?access_token={self.access.access_token}"
        response = self.url_open(url % self.invoice.id, timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # Odoo's test mode renders reports as HTML, not through wkhtmltopdf.
        self.assertIn(self.invoice.name.encode(), response.content)
        self.assertEqual(self.url_open(url % self.other_invoice.id).status_code, 404)

    def test_reminder_links_to_the_page(self):
        level = self.policy.level_ids.sorted("days")[1]
        communication = self.env["account.collection.communication"].create(
            {
                "partner_id": self.partner_a.id,
                "company_id": self.company.id,
                "currency_id": self.company.currency_id.id,
                "level_id": level.id,
                "state": "sent",
            }
        )
        self.assertEqual(communication._collection_portal_access(), self.access)
        self.assertEqual(
            communication._collection_portal_url(),
            self.access.get_base_url() + self._page_url(),
        )
        response = self.url_open(self._page_url())
        notice_url = f"{self.access.access_url}/notice/{communication.id}"
        self.assertIn(notice_url, response.text)
        other = communication.copy({"partner_id": self.partner_b.id, "state": "sent"})
        self.assertEqual(
            self.url_open(
                f"{self.access.access_url}/notice/{other.id}"
                f"?access_token={self.access.access_token}"
            ).status_code,
            404,
        )

    def test_letter_prints_the_link_and_its_qr_code(self):
        level = self.policy.level_ids.sorted("days")[2]
        communication = self.env["account.collection.communication"].create(
            {
                "partner_id": self.partner_a.id,
                "company_id": self.company.id,
                "currency_id": self.company.currency_id.id,
                "level_id": level.id,
            }
        )
        self.company.partner_id.bank_ids = [
            Command.create({"acc_number": "FR7630001007941234567890185"})
        ]
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "account_collection.action_report_collection_letter", communication.ids
            )[0]
            .decode()
        )
        self.assertIn(f"/collection/portal/{self.access.id}?access_token=", html)
        self.assertIn("data:image/png;base64", html)


@tagged("post_install", "-at_install")
class TestCollectionPortalPayment(PortalCommon):
    """Paying from the page creates a transaction through Odoo's payment
    framework; the demo provider confirms it, and the payment reconciles the
    invoices, which leave the reminders."""

    def _transaction_params(self, amount, **extra):
        method = self.provider.payment_method_ids[:1]
        return {
            "provider_id": self.provider.id,
            "payment_method_id": method.id,
            "token_id": None,
            "amount": amount,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": self._page_url(paid=1),
            "is_validation": False,
            "access_token": self.access.access_token,
            **extra,
        }

    def _route(self, moves, access=None):
        access = access or self.access
        return f"/collection/portal/{access.id}/transaction/" + "-".join(
            str(move_id) for move_id in moves.ids
        )

    def test_pay_the_overdue_invoices(self):
        self.partner_a.email = "accounts@partner-a.example.com"
        moves = self.invoice + self.invoice_2
        processing = self.make_jsonrpc_request(
            self._route(moves), self._transaction_params(1250.0)
        )
        transaction = self.env["payment.transaction"].search(
            [("reference", "=", processing["reference"])]
        )
        self.assertEqual(transaction.invoice_ids, moves)
        self.assertEqual(transaction.partner_id, self.partner_a)
        self.assertEqual(transaction.amount, 1250.0)
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {
                "reference": transaction.reference,
                "payment_details": "4242",
                "simulated_state": "done",
            },
        )
        transaction._post_process()
        self.assertTrue(transaction.payment_id)
        self.assertEqual(moves.mapped("amount_residual"), [0.0, 0.0])
        self.assertTrue(set(moves.mapped("payment_state")) <= {"paid", "in_payment"})
        # The paid invoices leave the page and the reminders' open items.
        open_moves = self.access._collection_portal_open_moves()
        self.assertEqual(open_moves, self.not_due)
        response = self.url_open(self._page_url(paid=1))
        self.assertIn("o_collection_portal_paid", response.text)

    @mute_logger("odoo.http")
    def test_amount_or_invoices_not_of_the_page_are_refused(self):
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                self._route(self.invoice), self._transaction_params(1.0)
            )
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                self._route(self.invoice + self.other_invoice),
                self._transaction_params(1700.0),
            )
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                self._route(self.other_invoice, access=self.other_access),
                self._transaction_params(700.0),
            )
        self.assertFalse(
            self.env["payment.transaction"].search(
                [("invoice_ids", "in", (self.invoice + self.other_invoice).ids)]
            )
        )


@tagged("post_install", "-at_install")
class TestCollectionPortalSecurity(PortalCommon):
    """A token opens its own customer's page only; revoked or renewed tokens stop
    working; nothing internal shows."""

    def test_wrong_or_missing_token_is_not_found(self):
        url = self.access.access_url
        self.assertEqual(self.url_open(url).status_code, 404)
        self.assertEqual(
            self.url_open(
                f"{url}?access_token={self.access.access_token}x"
            ).status_code,
            404,
        )
        self.assertEqual(
            self.url_open(
                f"{self.other_access.access_url}?access_token={self.access.access_token}"
            ).status_code,
            404,
        )
        self.assertEqual(
            self.url_open(
                f"{url}/document/{self.invoice.id}"
                f"?access_token={self.other_access.access_token}"
            ).status_code,
            404,
        )

    def test_revoked_token_is_not_found(self):
        old_url = self.access._get_share_url()
        self.access.action_collection_portal_revoke()
        self.assertEqual(self.url_open(old_url).status_code, 404)
        self.assertEqual(self.url_open(self.access._get_share_url()).status_code, 200)

    def test_contact_leaving_renews_the_links(self):
        contact = self.env["res.partner"].create(
            {"name": "Former Accountant", "parent_id": self.partner_a.id}
        )
        old_url = self.access._get_share_url()
        contact.parent_id = self.partner_b
        self.assertEqual(self.url_open(old_url).status_code, 404)
        renewed = self.access._get_share_url()
        self.assertNotEqual(renewed, old_url)
        self.assertEqual(self.url_open(renewed).status_code, 200)
        other_url = self.other_access._get_share_url()
        self.assertEqual(self.url_open(other_url).status_code, 200)
        # Archiving a contact renews them too; editing it does not.
        colleague = self.env["res.partner"].create(
            {"name": "Colleague", "parent_id": self.partner_a.id}
        )
        colleague.phone = "+33 1 23 45 67 89"
        self.assertEqual(self.access._get_share_url(), renewed)
        colleague.active = False
        self.assertNotEqual(self.access._get_share_url(), renewed)

    def test_nothing_internal_shows(self):
        self.partner_a.sudo().write(
            {
                "collection_override_reason": "SECRET risk override",
                "comment": "<p>SECRET internal note</p>",
            }
        )
        company_b = self.setup_other_company(name="Portal B")["company"]
        foreign = self.init_invoice(
            "out_invoice",
            partner=self.partner_a,
            invoice_date=fields.Date.to_date("2026-10-01"),
            amounts=[333.0],
            company=company_b,
            post=True,
        )
        response = self.url_open(self._page_url())
        self.assertNotIn("SECRET", response.text)
        self.assertNotIn("333.00", response.text)
        self.assertNotIn(company_b.name, response.text)
        access_b = self.env[
            "account.collection.portal.access"
        ]._collection_portal_access_for(
            self.partner_a, company_b, company_b.currency_id
        )
        response = self.url_open(access_b._get_share_url())
        self.assertIn(foreign.name, response.text)
        self.assertIn("333.00", response.text)
        self.assertNotIn("1,000.00", response.text)

    def test_collection_user_reads_accesses_of_its_companies_only(self):
        accesses = self.env["account.collection.portal.access"].with_user(
            self.collection_user
        )
        self.assertIn(self.access, accesses.search([]))
        company_b = self.setup_other_company(name="Portal B")["company"]
        access_b = accesses.sudo()._collection_portal_access_for(
            self.partner_a, company_b, company_b.currency_id
        )
        self.assertNotIn(access_b, accesses.search([]))


@tagged("post_install", "-at_install")
class TestCollectionPortalTour(PortalCommon):
    """The customer pays one overdue invoice from the page in Chromium, through
    the demo provider, without an account."""

    def test_customer_pays_from_the_page(self):
        self.partner_a.email = "accounts@partner-a.example.com"
        self.start_tour(self._page_url(), "account_collection_portal_pay")
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.invoice_2.amount_residual, 250.0)
        transaction = self.env["payment.transaction"].search(
            [("invoice_ids", "in", self.invoice.ids)]
        )
        self.assertEqual(transaction.state, "done")
        self.assertEqual(transaction.payment_id.amount, 1000.0)


@tagged("post_install", "-at_install")
class TestCollectionPortalActionsTour(PortalCommon):
    """In Chromium, without an account, the customer promises to pay, disputes an
    invoice and signs the payment plan the collector sent for signature."""

    def test_customer_promises_disputes_and_signs(self):
        self.company.collection_policy_id = self.policy
        self.company.collection_risk_user_id = self.collection_user
        self.policy.portal_promise_max_days = 30
        self.access._collection_portal_plan_request(3)
        plan = self.env["account.collection.plan"].search(
            [("partner_id", "=", self.partner_a.id)]
        )
        plan.with_user(self.collection_user).action_collection_send_for_signature()
        self.start_tour(self._page_url(), "account_collection_portal_actions")
        partner = self.partner_a
        self.assertEqual(partner.collection_promise_amount, 400.0)
        self.assertTrue(partner.collection_promise_date)
        # Signed after the dispute: the plan took the disputed invoice over, and
        # gives its dispute back if it ends without settling it.
        self.assertEqual(self.invoice_2.collection_block_reason, "payment_plan")
        self.assertEqual(self.invoice_2.collection_prior_block_reason, "dispute")
        self.assertEqual(self.invoice_2.collection_dispute_reason, "quality")
        self.assertTrue(
            self.invoice_2.message_ids.filtered(
                lambda message: "Two crates arrived broken" in (message.body or "")
            )
        )
        self.assertFalse(self.invoice.collection_prior_block_reason)
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.signed_by, self.partner_a.name)
        self.assertTrue(plan.signature)

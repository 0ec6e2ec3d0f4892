"""Issue #15 items 3-5: what the customer does on its collection page besides
paying (promise to pay)."""

from freezegun import freeze_time

from odoo import fields
from odoo.http import Request
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import CollectionCommon


def _csrf_token(case):
    """The CSRF token of the anonymous visitor's session of ``case``."""
    if not getattr(case, "session", None):
        case.authenticate(None, None)
    return Request.csrf_token(case)


@tagged("post_install", "-at_install")
class TestCollectionPortalPromise(CollectionCommon, AccountTestInvoicingHttpCommon):
    """The customer promises to pay from its page, within the policy's limit and
    what is due; the promise is the collector's promise (same fields, same chatter
    line), authored by the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.collection_policy_id = cls.policy
        cls.policy.portal_promise_max_days = 30
        cls.invoice = cls._post_invoice(cls.partner_a, 1000.0, "2026-10-01")
        cls.access = cls.env[
            "account.collection.portal.access"
        ]._collection_portal_access_for(
            cls.partner_a, cls.company, cls.company.currency_id
        )

    def _promise(self, date, amount, token=None, access=None):
        access = access or self.access
        return self.url_open(
            f"{access.access_url}/promise",
            data={
                "access_token": token or access.access_token,
                "date": date,
                "amount": amount,
                "csrf_token": _csrf_token(self),
            },
        )

    @freeze_time("2026-11-01")
    def test_promise_recorded_authored_by_customer(self):
        response = self._promise("2026-11-20", "400")
        self.assertEqual(response.status_code, 200)
        self.assertIn("your promise to pay is recorded", response.text)
        partner = self.partner_a.commercial_partner_id
        self.assertEqual(
            partner.collection_promise_date, fields.Date.to_date("2026-11-20")
        )
        self.assertEqual(partner.collection_promise_amount, 400.0)
        self.assertEqual(
            partner.collection_promise_set_date, fields.Date.to_date("2026-11-01")
        )
        message = partner.message_ids[0]
        self.assertIn("Promise to pay", message.body)
        self.assertEqual(message.author_id, partner)

    @freeze_time("2026-11-01")
    def test_promise_limits_shown_on_page(self):
        # 2026-11-01 + 30 days = 2026-12-01: the 2nd is one day too far.
        cases = [
            ("2026-10-31", "400", "from today on"),
            ("2026-12-02", "400", "at most until"),
            ("2026-11-20", "0", "must be positive"),
            # 1000.00 due: one cent more is refused.
            ("2026-11-20", "1000.01", "cannot exceed the amount due"),
            ("not a date", "400", "valid date and amount"),
        ]
        for date, amount, error in cases:
            with self.subTest(date=date, amount=amount):
                response = self._promise(date, amount)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_collection_portal_error", response.text)
                self.assertIn(error, response.text)
        self.assertFalse(self.partner_a.collection_promise_date)
        # The limit day itself and the full amount due are accepted.
        self.assertEqual(self._promise("2026-12-01", "1000").status_code, 200)
        self.assertEqual(
            self.partner_a.collection_promise_date, fields.Date.to_date("2026-12-01")
        )

    @freeze_time("2026-11-01")
    def test_policy_limit(self):
        self.policy.portal_promise_max_days = 10
        # 2026-11-01 + 10 days = 2026-11-11.
        self.assertIn("at most until", self._promise("2026-11-12", "100").text)
        self.assertFalse(self.partner_a.collection_promise_date)
        self._promise("2026-11-11", "100")
        self.assertEqual(
            self.partner_a.collection_promise_date, fields.Date.to_date("2026-11-11")
        )

    @mute_logger("odoo.http")
    @freeze_time("2026-11-01")
    def test_promise_with_wrong_token_is_not_found(self):
        response = self._promise(
            "2026-11-20", "400", token=self.access.access_token + "x"
        )
        self.assertEqual(response.status_code, 404)
        other = self.env[
            "account.collection.portal.access"
        ]._collection_portal_access_for(
            self.partner_b, self.company, self.company.currency_id
        )
        response = self._promise(
            "2026-11-20", "400", token=self.access.access_token, access=other
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.partner_a.collection_promise_date)
        self.assertFalse(self.partner_b.collection_promise_date)

    @freeze_time("2026-11-01")
    def test_promise_on_the_page_of_another_company(self):
        """The same customer's page in company B records the promise in company B
        only (the promise is company-dependent), within B's own amounts due."""
        company_b = self.setup_other_company(name="Portal B")["company"]
        self.init_invoice(
            "out_invoice",
            partner=self.partner_a,
            invoice_date=fields.Date.to_date("2026-10-01"),
            amounts=[300.0],
            company=company_b,
            post=True,
        )
        access_b = self.env[
            "account.collection.portal.access"
        ]._collection_portal_access_for(
            self.partner_a, company_b, company_b.currency_id
        )
        # 400 is due in company A (1,000) but more than company B's 300.
        response = self._promise("2026-11-20", "400", access=access_b)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.partner_a.with_company(company_b).collection_promise_date)
        self._promise("2026-11-20", "300", access=access_b)
        self.assertEqual(
            self.partner_a.with_company(company_b).collection_promise_date,
            fields.Date.to_date("2026-11-20"),
        )
        self.assertFalse(
            self.partner_a.with_company(self.company).collection_promise_date
        )


@tagged("post_install", "-at_install")
class TestCollectionPortalDispute(CollectionCommon, AccountTestInvoicingHttpCommon):
    """The customer disputes an invoice from its page: the invoice is blocked with
    the reason, the message and file are in its chatter, the collector gets an
    activity and answers with a credit note or a rejection."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.collection_risk_user_id = cls.collection_user
        cls.invoice = cls._post_invoice(cls.partner_a, 1000.0, "2026-10-01")
        cls.other_invoice = cls._post_invoice(cls.partner_b, 700.0, "2026-10-01")
        cls.access = cls.env[
            "account.collection.portal.access"
        ]._collection_portal_access_for(
            cls.partner_a, cls.company, cls.company.currency_id
        )

    def _dispute(
        self,
        move,
        reason="price",
        message="Price is not the quote's",
        token=None,
        files=None,
    ):
        return self.url_open(
            f"{self.access.access_url}/dispute/{move.id}",
            data={
                "access_token": token or self.access.access_token,
                "reason": reason,
                "message": message,
                "csrf_token": _csrf_token(self),
            },
            files=files,
        )

    def test_dispute_blocks_invoice_with_chatter_and_activity(self):
        response = self._dispute(
            self.invoice, files={"attachment": ("quote.pdf", b"%PDF-1.4 quote")}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_collection_portal_in_dispute", response.text)
        invoice = self.invoice
        self.assertTrue(invoice.collection_blocked)
        self.assertEqual(invoice.collection_block_reason, "dispute")
        self.assertEqual(invoice.collection_dispute_reason, "price")
        message = invoice.message_ids.filtered(
            lambda m: "Price is not the quote" in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.partner_a)
        self.assertEqual(message.attachment_ids.mapped("name"), ["quote.pdf"])
        self.assertEqual(message.attachment_ids.res_id, invoice.id)
        activity = invoice.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.collection_user)
        # A second dispute of the same invoice is refused on the page.
        self.assertIn("already in dispute", self._dispute(self.invoice).text)

    @mute_logger("odoo.http")
    def test_other_customer_move_or_bad_token_is_not_found(self):
        self.assertEqual(self._dispute(self.other_invoice).status_code, 404)
        self.assertEqual(
            self._dispute(
                self.invoice, token=self.access.access_token + "x"
            ).status_code,
            404,
        )
        self.assertFalse(self.other_invoice.collection_blocked)
        self.assertFalse(self.invoice.collection_blocked)

    @mute_logger("odoo.http")
    def test_invoice_of_another_company_is_not_found(self):
        """The customer's page of company A cannot dispute its invoice of company
        B; B's page can."""
        company_b = self.setup_other_company(name="Portal B")["company"]
        foreign = self.init_invoice(
            "out_invoice",
            partner=self.partner_a,
            invoice_date=fields.Date.to_date("2026-10-01"),
            amounts=[300.0],
            company=company_b,
            post=True,
        )
        self.assertEqual(self._dispute(foreign).status_code, 404)
        self.assertFalse(foreign.collection_blocked)
        access_b = self.env[
            "account.collection.portal.access"
        ]._collection_portal_access_for(
            self.partner_a, company_b, company_b.currency_id
        )
        response = self.url_open(
            f"{access_b.access_url}/dispute/{foreign.id}",
            data={
                "access_token": access_b.access_token,
                "reason": "quality",
                "message": "Broken on delivery",
                "csrf_token": _csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(foreign.collection_block_reason, "dispute")
        self.assertFalse(self.invoice.collection_blocked)

    def test_bad_input_is_shown_on_page(self):
        for reason, message, error in (
            ("bogus", "text", "Choose the reason"),
            ("price", "  ", "what is wrong"),
        ):
            response = self._dispute(self.invoice, reason=reason, message=message)
            self.assertEqual(response.status_code, 200)
            self.assertIn(error, response.text)
        self.assertFalse(self.invoice.collection_blocked)

    def test_collector_rejects_and_customer_is_told(self):
        self._dispute(self.invoice)
        invoice = self.invoice.with_user(self.collection_user)
        action = invoice.action_collection_dispute_reject()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.collection_user)
            .with_context(**action["context"])
            .create({"answer": "Delivery note signed by your warehouse"})
        )
        wizard.action_reject()
        self.assertFalse(self.invoice.collection_blocked)
        self.assertFalse(self.invoice.collection_dispute_reason)
        message = self.invoice.message_ids[0]
        self.assertIn("Delivery note signed", message.body)
        self.assertIn(self.partner_a, message.partner_ids)
        page = self.url_open(self.access._get_share_url()).text
        self.assertIn("Delivery note signed by your warehouse", page)
        self.assertNotIn("o_collection_portal_in_dispute", page)

    def test_collector_accepts_with_credit_note_wizard(self):
        """The dispute stays open until its credit note is posted."""
        self._dispute(self.invoice)
        action = self.invoice.action_collection_dispute_accept()
        self.assertEqual(action["res_model"], "account.move.reversal")
        self.assertTrue(self.invoice.collection_blocked, "no credit note yet")
        reversal = (
            self.env[action["res_model"]]
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
            .create(
                {
                    "reason": "Price of the quote",
                    "journal_id": self.invoice.journal_id.id,
                }
            )
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        self.assertEqual(credit_note.state, "draft")
        self.assertTrue(self.invoice.collection_blocked, "draft credit note")
        credit_note.action_post()
        self.assertFalse(self.invoice.collection_blocked)
        self.assertFalse(self.invoice.collection_dispute_reason)
        self.assertTrue(
            self.invoice.message_ids.filtered(
                lambda message: credit_note.name in (message.body or "")
            )
        )


@tagged("post_install", "-at_install")
class TestCollectionPortalPlanRequest(CollectionCommon, AccountTestInvoicingHttpCommon):
    """The customer asks for a payment plan from its page: a draft plan built by
    the plan wizard, for the collector to approve."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.collection_policy_id = cls.policy
        cls.company.collection_risk_user_id = cls.collection_user
        cls.policy.portal_plan_max_installments = 4
        cls.invoice = cls._post_invoice(cls.partner_a, 1000.0, "2026-10-01")
        cls.access = cls.env[
            "account.collection.portal.access"
        ]._collection_portal_access_for(
            cls.partner_a, cls.company, cls.company.currency_id
        )

    def _ask(self, count, token=None):
        return self.url_open(
            f"{self.access.access_url}/plan",
            data={
                "access_token": token or self.access.access_token,
                "installment_count": count,
                "csrf_token": _csrf_token(self),
            },
        )

    def _plans(self):
        return self.env["account.collection.plan"].search(
            [("partner_id", "=", self.partner_a.id)]
        )

    @freeze_time("2026-11-01")
    def test_request_gives_draft_plan_for_collector(self):
        # Beyond the policy's 4 installments: refused on the page.
        self.assertIn("2 to 4 installments", self._ask(5).text)
        self.assertFalse(self._plans())
        response = self._ask(4)
        self.assertIn("request for a payment plan is sent", response.text)
        plan = self._plans()
        self.assertEqual(len(plan), 1)
        self.assertEqual(plan.state, "draft")
        self.assertTrue(plan.portal_requested)
        self.assertEqual(plan.invoice_ids, self.invoice)
        # 1000.00 in 4 installments of 250.00.
        self.assertEqual(plan.installment_ids.mapped("amount"), [250.0] * 4)
        self.assertEqual(plan.activity_ids.user_id, self.collection_user)
        # Only one pending request per customer.
        self.assertIn("already pending", self._ask(3).text)
        self.assertEqual(len(self._plans()), 1)
        # A running plan refuses a new request.
        plan.with_user(self.collection_user).action_activate()
        self.assertIn("already running", self._ask(3).text)

    @mute_logger("odoo.http")
    def test_request_with_bad_token_is_not_found(self):
        self.assertEqual(
            self._ask(3, token=self.access.access_token + "x").status_code, 404
        )
        self.assertFalse(self._plans())

    @freeze_time("2026-11-01")
    def test_signature_activates_plan(self):
        self._ask(3)
        plan = self._plans()
        plan.with_user(self.collection_user).action_collection_send_for_signature()
        self.assertIn(
            "o_collection_portal_plan_to_sign",
            self.url_open(self.access._get_share_url()).text,
        )
        agreement = self.url_open(
            f"{self.access.access_url}/plan/{plan.id}/agreement"
            f"?access_token={self.access.access_token}"
        )
        self.assertEqual(agreement.status_code, 200)
        # A 1x1 transparent png.
        png = (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
            "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
        )
        result = self.make_jsonrpc_request(
            f"{self.access.access_url}/plan/{plan.id}/accept"
            f"?access_token={self.access.access_token}",
            {"name": "Jean Client", "signature": png},
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.signed_by, "Jean Client")
        self.assertTrue(plan.signature)
        # Signed once: a second signature is refused.
        result = self.make_jsonrpc_request(
            f"{self.access.access_url}/plan/{plan.id}/accept"
            f"?access_token={self.access.access_token}",
            {"name": "Jean Client", "signature": png},
        )
        self.assertIn("error", result)

    @mute_logger("odoo.http")
    def test_other_customer_plan_is_not_found(self):
        self._ask(3)
        plan = self._plans()
        other = self.env[
            "account.collection.portal.access"
        ]._collection_portal_access_for(
            self.partner_b, self.company, self.company.currency_id
        )
        response = self.url_open(
            f"{other.access_url}/plan/{plan.id}/agreement"
            f"?access_token={other.access_token}"
        )
        self.assertEqual(response.status_code, 404)

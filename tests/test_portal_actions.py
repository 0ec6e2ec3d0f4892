"""Issue #15 items 3-5: what the customer does on its collection page besides
paying (promise to pay)."""

from freezegun import freeze_time

from odoo import fields
from odoo.http import Request
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import CollectionCommon


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
                "csrf_token": Request.csrf_token(self),
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
        response = self._promise("2026-11-20", "400", token=self.access.access_token + "x")
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

"""Issue #15: the customer's collection page, reached by a token link."""

from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionPortalPage(CollectionCommon, AccountTestInvoicingHttpCommon):
    """The page lists the customer's open items of one company and currency and
    answers 404 to anything but its own token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._post_invoice(cls.partner_a, 1000.0, "2026-10-01")
        cls.other_invoice = cls._post_invoice(cls.partner_b, 700.0, "2026-10-01")
        cls.access = cls.env[
            "account.collection.portal.access"
        ]._collection_portal_access_for(
            cls.partner_a, cls.company, cls.company.currency_id
        )

    def test_page_lists_open_items_of_its_customer_only(self):
        response = self.url_open(self.access._get_share_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice.name, response.text)
        self.assertNotIn(self.other_invoice.name, response.text)

    def test_wrong_or_missing_token_is_not_found(self):
        url = self.access.access_url
        self.assertEqual(self.url_open(url).status_code, 404)
        self.assertEqual(
            self.url_open(
                f"{url}?access_token={self.access.access_token}x"
            ).status_code,
            404,
        )
        other = self.env[
            "account.collection.portal.access"
        ]._collection_portal_access_for(
            self.partner_b, self.company, self.company.currency_id
        )
        self.assertEqual(
            self.url_open(
                f"{other.access_url}?access_token={self.access.access_token}"
            ).status_code,
            404,
        )

    def test_revoked_token_is_not_found(self):
        old_url = self.access._get_share_url()
        self.access.action_collection_portal_revoke()
        self.assertEqual(self.url_open(old_url).status_code, 404)
        self.assertEqual(self.url_open(self.access._get_share_url()).status_code, 200)

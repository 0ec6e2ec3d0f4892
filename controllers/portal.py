from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request


class CollectionPortal(http.Controller):
    """The customer's collection page: every open item of one customer in one
    company and currency, reached from a reminder's link without an account.
    Access is the token of an ``account.collection.portal.access`` only: another
    customer's id, a tampered or revoked token all answer 404."""

    def _collection_portal_access(self, access_id, access_token):
        """The access record (sudo) of ``access_id`` when ``access_token`` is its
        valid token; 404 otherwise."""
        access = request.env["account.collection.portal.access"].sudo()
        access = access._collection_portal_access_from_token(access_id, access_token)
        if not access:
            raise NotFound()
        return access

    def _collection_portal_values(self, access, **kwargs):
        """Values of the page template, extended by the page's actions."""
        return {
            "access": access,
            "access_token": access.access_token,
            "partner": access.partner_id,
            "company": access.company_id,
            "currency": access.currency_id,
            "moves": access._collection_portal_open_moves(),
            "page_name": "collection_portal",
        }

    @http.route(
        "/collection/portal/<int:access_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def collection_portal_page(self, access_id, access_token=None, **kwargs):
        access = self._collection_portal_access(access_id, access_token)
        return request.render(
            "account_collection.collection_portal_page",
            self._collection_portal_values(access, **kwargs),
        )

from werkzeug.urls import url_encode

from odoo import models


class AccountCollectionCommunication(models.Model):
    _inherit = "account.collection.communication"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_collection_open_portal(self):
        """Open the customer's page as the customer sees it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self._collection_portal_url(),
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_portal_access(self):
        """The customer's page in the reminder's company and currency."""
        self.ensure_one()
        return self.env[
            "account.collection.portal.access"
        ]._collection_portal_access_for(
            self.partner_id, self.company_id, self.currency_id
        )

    def _collection_portal_url(self, pay=None):
        """Absolute link of the customer's page, printed on the notices.

        :param pay: what the page proposes to pay: ``"overdue"`` (its default),
            ``"all"`` or the id of one invoice.
        """
        url = self._collection_portal_access()._collection_portal_url()
        return f"{url}&{url_encode({'pay': pay})}" if pay else url

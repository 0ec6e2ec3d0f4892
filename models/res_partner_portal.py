from odoo import _, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    def write(self, vals):
        customers = self._collection_portal_customers_left(vals)
        result = super().write(vals)
        if customers:
            customers._collection_portal_renew_links(
                _(
                    "A contact left the customer: the links to its collection page were renewed."
                )
            )
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_portal_customers_left(self, vals):
        """The customers a contact of ``self`` leaves by ``vals`` (archived, or
        moved to another parent): the links it may have received must stop
        working."""
        archived = "active" in vals and not vals["active"]
        moved = "parent_id" in vals
        if not (archived or moved):
            return self.browse()
        leaving = self.filtered(
            lambda contact: contact.parent_id
            and (archived or contact.parent_id.id != vals["parent_id"])
        )
        return leaving.commercial_partner_id

    def _collection_portal_renew_links(self, reason):
        accesses = (
            self.env["account.collection.portal.access"]
            .sudo()
            .search([("partner_id", "in", self.ids)])
        )
        if accesses:
            accesses.action_collection_portal_revoke()
            for customer in accesses.partner_id:
                customer.sudo().message_post(body=reason)

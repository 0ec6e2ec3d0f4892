from odoo import _, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    """The customer's way to court: the request prepared after the formal notice."""

    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_collection_court_request(self):
        """Prepare the court request after the last formal notice sent to the
        customer in the current company, and open it."""
        self.ensure_one()
        requests = self.env["account.collection.court.request"]
        requests._check_not_insolvent(self)
        notice = requests._collection_formal_notice(self, self.env.company)
        if not notice:
            raise UserError(
                _(
                    "No formal notice was sent to %s: send one before preparing a "
                    "court request.",
                    self.commercial_partner_id.display_name,
                )
            )
        return requests._collection_create_from_notice(notice)._get_form_action()


class AccountCollectionCommunication(models.Model):
    _inherit = "account.collection.communication"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_collection_court_request(self):
        """Prepare the court request after this formal notice, and open it."""
        self.ensure_one()
        return (
            self.env["account.collection.court.request"]
            ._collection_create_from_notice(self)
            ._get_form_action()
        )


class AccountCollectionWorklist(models.Model):
    _inherit = "account.collection.worklist"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_court_request(self):
        self.ensure_one()
        return self.partner_id.action_collection_court_request()

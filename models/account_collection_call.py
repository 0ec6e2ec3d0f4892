from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools.groups import INTERNAL


class AccountCollectionCallMixin(models.AbstractModel):
    """A record a collector calls about (invoice, reminder): its open collection
    phone call, logged from its form."""

    _name = "account.collection.call.mixin"
    _description = "Record with Collection Calls"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_call_activity_id = fields.Many2one(
        "mail.activity",
        string="Collection Call",
        compute="_compute_collection_call_activity_id",
        groups=INTERNAL,
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    # Read by the form only: no dependencies (the mixin is mixed with
    # mail.activity.mixin by the models using it).
    def _compute_collection_call_activity_id(self):
        for record in self:
            record.collection_call_activity_id = record.activity_ids.filtered(
                "collection_call"
            )[:1]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_collection_log_call(self):
        self.ensure_one()
        if not self.collection_call_activity_id:
            raise UserError(_("No phone call is planned on %s.", self.display_name))
        return self.collection_call_activity_id.action_collection_log_call()


class AccountMove(models.Model):
    _inherit = ["account.move", "account.collection.call.mixin"]
    _name = "account.move"


class AccountCollectionCommunication(models.Model):
    _inherit = ["account.collection.communication", "account.collection.call.mixin"]
    _name = "account.collection.communication"

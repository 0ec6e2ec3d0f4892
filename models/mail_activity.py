from odoo import _, api, fields, models
from odoo.exceptions import UserError

# The records a collector calls about: an invoice, a customer, a reminder.
COLLECTION_CALL_MODELS = (
    "account.move",
    "res.partner",
    "account.collection.communication",
)


class MailActivity(models.Model):
    _inherit = "mail.activity"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    # Read with the activity by the chatter (``_to_store``): its "Mark Done" asks
    # for the outcome of a collection call.
    collection_call = fields.Boolean(
        compute="_compute_collection_call",
        help="A phone call about overdue invoices: marking it done logs its outcome.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("activity_type_id", "res_model", "res_id")
    def _compute_collection_call(self):
        dispatch = self.env["account.collection.dispatch"]
        reminders = self.filtered(
            lambda activity: activity.res_model == "account.collection.communication"
        )
        # The level's call type, whatever its category (dispatch's definition).
        level_calls = {
            communication.id: dispatch._phone_call_type(communication)
            for communication in self.env["account.collection.communication"]
            .sudo()
            .browse(reminders.mapped("res_id"))
            .exists()
        }
        for activity in self:
            activity.collection_call = (
                activity.res_model in COLLECTION_CALL_MODELS
                and (
                    activity.activity_type_id.category == "phonecall"
                    or (
                        activity in reminders
                        and activity.activity_type_id
                        == level_calls.get(
                            activity.res_id, self.env["mail.activity.type"]
                        )
                    )
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_collection_log_call(self):
        """The dialog asking for the outcome of a collection phone call, which
        sets up the next step and marks the call done."""
        self.ensure_one()
        if not self.collection_call:
            raise UserError(
                _("“%s” is not a phone call about overdue invoices.", self.display_name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Log Call"),
            "res_model": "account.collection.call.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_activity_id": self.id},
        }

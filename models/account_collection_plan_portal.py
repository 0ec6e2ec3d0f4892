from odoo import _, fields, models
from odoo.exceptions import UserError


class AccountCollectionPlan(models.Model):
    """Payment plans asked for by the customer from its collection page (#15):
    the collector approves by sending the agreement for signature, the customer
    signs it on the page and the plan becomes active."""

    _inherit = "account.collection.plan"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    portal_requested = fields.Boolean(
        string="Requested from the Customer Page",
        readonly=True,
        copy=False,
        help="The customer asked for this plan from its collection page; the "
        "collector approves it.",
    )
    portal_to_sign = fields.Boolean(
        string="Sent for Signature",
        readonly=True,
        copy=False,
        help="The customer signs the agreement on its collection page.",
    )
    signature = fields.Image(
        copy=False, attachment=True, max_width=1024, max_height=1024
    )
    signed_by = fields.Char(copy=False, readonly=True)
    signed_on = fields.Datetime(copy=False, readonly=True)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_collection_send_for_signature(self):
        """Approve the draft plan: the customer signs it on its page."""
        if any(plan.state != "draft" for plan in self):
            raise UserError(_("Only draft payment plans are sent for signature."))
        self.portal_to_sign = True
        for plan in self:
            plan.message_post(
                body=_("Agreement sent for signature on the customer's page."),
                partner_ids=plan.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_portal_sign(self, name, signature):
        """The customer signs the agreement: the plan becomes active."""
        self.ensure_one()
        if self.state != "draft" or not self.portal_to_sign:
            raise UserError(_("This payment plan does not wait for a signature."))
        if not name or not signature:
            raise UserError(_("Your name and signature are needed."))
        self.write(
            {
                "signature": signature,
                "signed_by": name,
                "signed_on": fields.Datetime.now(),
                "portal_to_sign": False,
            }
        )
        self.action_activate()
        self.message_post(
            author_id=self.partner_id.id,
            body=_("Payment plan agreement signed by %s.", name),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

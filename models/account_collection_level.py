from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# What a level does, in the order the notices and summaries list it. A communication
# carries the same boolean fields, copied from its level.
CHANNEL_FIELDS = (
    "send_email",
    "send_letter",
    "phone_call",
    "formal_notice",
    "litigation",
)


def channel_labels(record, names=CHANNEL_FIELDS):
    """The labels, in the user's language, of the channels ``record`` (a level or a
    communication) has among ``names``."""
    return [
        record._fields[name].get_description(record.env)["string"]
        for name in names
        if record[name]
    ]


class AccountCollectionLevel(models.Model):
    _name = "account.collection.level"
    _description = "Collection Level"
    _order = "policy_id, days, sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    policy_id = fields.Many2one(
        "account.collection.policy",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    days = fields.Integer(
        string="Days from Due Date",
        required=True,
        help="Days after the due date at which an invoice reaches this level; "
        "a negative number sends a courtesy notice before the due date.",
    )
    min_amount = fields.Monetary(
        string="Minimum Amount",
        currency_field="currency_id",
        help="Invoices with a smaller amount due do not reach this level.",
    )
    send_email = fields.Boolean(string="Email", default=True)
    send_letter = fields.Boolean(string="Printed Letter")
    phone_call = fields.Boolean()
    formal_notice = fields.Boolean(
        help="Mise en demeure: sent by registered letter with acknowledgment of receipt.",
    )
    litigation = fields.Boolean(
        string="Agency / Litigation",
        help="Hands the file over to a collection agency or to court.",
    )
    charge_late_fees = fields.Boolean(
        help="Invoice the late-payment interest and the fixed recovery indemnity "
        "when this level is reached.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "account.collection.communication")],
    )
    report_id = fields.Many2one(
        "ir.actions.report",
        string="Notice",
        domain=[("model", "=", "account.collection.communication")],
    )
    activity_type_id = fields.Many2one("mail.activity.type")
    deadline_days = fields.Integer(
        string="Payment Deadline (days)",
        default=8,
        help="Days granted to the customer to pay, printed on the notice.",
    )
    description = fields.Html(translate=True)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("min_amount", "deadline_days")
    def _check_positive_values(self):
        for level in self:
            if level.min_amount < 0:
                raise ValidationError(
                    _("The minimum amount of level %s cannot be negative.", level.name)
                )
            if level.deadline_days < 0:
                raise ValidationError(
                    _(
                        "The payment deadline of level %s cannot be negative.",
                        level.name,
                    )
                )

    @api.constrains("days", "policy_id")
    def _check_unique_days(self):
        for level in self:
            twins = level.policy_id.level_ids.filtered(
                lambda other, level=level: other != level and other.days == level.days
            )
            if twins:
                raise ValidationError(
                    _(
                        "Policy %(policy)s already has a level at %(days)s days.",
                        policy=level.policy_id.name,
                        days=level.days,
                    )
                )

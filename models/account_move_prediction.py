from odoo import fields, models

from ..tools.groups import INTERNAL


class AccountMove(models.Model):
    """Predicted payment date of an open customer invoice, written in bulk by the
    daily run (``account.collection.prediction``)."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_predicted_date = fields.Date(
        string="Predicted Payment",
        readonly=True,
        copy=False,
        help="When the customer is expected to pay this invoice, from its payment "
        "history, its promise to pay or payment plan; empty when disputed. Updated "
        "by the daily run.",
        groups=INTERNAL,
    )
    collection_predicted_delay = fields.Integer(
        string="Predicted Days Late",
        readonly=True,
        copy=False,
        help="Days between the due date and the predicted payment date.",
        groups=INTERNAL,
    )

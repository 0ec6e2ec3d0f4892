from odoo import fields, models


class ResCompany(models.Model):
    """Deposit check at posting: the share of the invoice a customer's risk
    segment requires to be received before the invoice is posted."""

    _inherit = "res.company"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_deposit_check = fields.Selection(
        [
            ("none", "No check"),
            ("warning", "Warning"),
            ("block", "Block"),
        ],
        string="Deposit Check",
        default="none",
        required=True,
        help="When an invoice is posted for a customer whose risk segment requires "
        "a deposit and the customer's unallocated payments do not cover it: post it "
        "and log a warning, or refuse to post it.",
    )

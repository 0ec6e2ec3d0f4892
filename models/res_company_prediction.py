from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Setting of the predicted payment dates."""

    _inherit = "res.company"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_prediction_months = fields.Integer(
        string="Prediction History (months)",
        default=12,
        help="Invoices paid during these last months predict when the open invoices "
        "will be paid.",
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("collection_prediction_months")
    def _check_collection_prediction_months(self):
        for company in self:
            if not 1 <= company.collection_prediction_months <= 120:
                raise ValidationError(
                    _("The prediction history must be between 1 and 120 months.")
                )

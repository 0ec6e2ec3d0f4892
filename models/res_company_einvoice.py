from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_einvoice_enabled = fields.Boolean(
        string="E-Invoicing Statuses",
        help="The company exchanges its invoices through an e-invoicing platform: "
        "each payment of a customer invoice records the status 212 Encaissee (the "
        "payment data to report), and the audit flags paid invoices without it.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_einvoice_enabled = fields.Boolean(
        related="company_id.collection_einvoice_enabled", readonly=False
    )

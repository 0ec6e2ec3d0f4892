from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        # A payment matched with a customer invoice: 212 Encaissee on the platform.
        self.env["account.move"]._collection_einvoice_record_payments(partials)
        return partials

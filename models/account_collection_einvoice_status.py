from odoo import api, fields, models

from ..tools import einvoice


def status_selection():
    """The platform statuses as a selection: "207 En litige"."""
    return [(code, f"{code} {name}") for code, name in einvoice.STATUSES]


class AccountCollectionEinvoiceStatus(models.Model):
    """One lifecycle status of a customer invoice on the e-invoicing platform, as
    imported, set by the user or recorded at payment (212 Encaissee)."""

    _name = "account.collection.einvoice.status"
    _description = "E-Invoicing Platform Status"
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    status = fields.Selection(status_selection(), required=True)
    date = fields.Date(required=True)
    source = fields.Selection(
        [("import", "Import"), ("user", "User"), ("payment", "Payment")],
        required=True,
        default="user",
    )
    amount = fields.Monetary(
        help="212 Encaissee: the amount cashed, in the invoice currency."
    )
    note = fields.Char()
    payment_move_id = fields.Many2one(
        "account.move",
        string="Payment",
        index="btree_not_null",
        ondelete="set null",
        help="The payment that recorded this 212 Encaissee: once per payment.",
    )
    applied = fields.Boolean(
        default=True,
        help="Unticked: an older status received after a newer one, kept in the "
        "history without changing the invoice's status.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("status", "date")
    def _compute_display_name(self):
        labels = dict(status_selection())
        for record in self:
            record.display_name = f"{labels.get(record.status, '')} ({record.date})"

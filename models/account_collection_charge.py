from odoo import api, fields, models


class AccountCollectionCharge(models.Model):
    """What one late-fee invoice charged for one late invoice.

    The next charge of the same invoice starts the day after ``date_to`` and the fixed
    indemnity is charged only once. A charge stops counting when its late-fee invoice
    is cancelled or fully reversed by a credit note: its days become chargeable again.
    """

    _name = "account.collection.charge"
    _description = "Late Fee Charge"
    _order = "date_to desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    charge_move_id = fields.Many2one(
        "account.move",
        string="Late Fee Invoice",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    source_move_id = fields.Many2one(
        "account.move",
        string="Late Invoice",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="charge_move_id.company_id", store=True, index=True
    )
    partner_id = fields.Many2one(
        related="source_move_id.commercial_partner_id", string="Customer", store=True
    )
    currency_id = fields.Many2one(related="charge_move_id.currency_id", store=True)
    source_date_due = fields.Date(
        related="source_move_id.invoice_date_due", string="Due Date"
    )
    date_from = fields.Date(
        string="Charged From",
        help="First late day considered by this charge.",
    )
    date_to = fields.Date(
        string="Charged To",
        required=True,
        help="Last day charged: the next charge starts the day after.",
    )
    days = fields.Integer(
        string="Days with Interest",
        help="Late days with an amount due counted by this charge.",
    )
    interest_amount = fields.Monetary(string="Interest")
    indemnity_amount = fields.Monetary(string="Recovery Indemnity")
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amount_total", store=True
    )
    description = fields.Text(
        readonly=True, help="The periods charged: days, balance and annual rate."
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("posted", "Charged"),
            ("cancel", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
        help="Cancelled when the late-fee invoice is cancelled or reversed by a "
        "credit note: the days it charged can be charged again.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("interest_amount", "indemnity_amount")
    def _compute_amount_total(self):
        for charge in self:
            charge.amount_total = charge.interest_amount + charge.indemnity_amount

    @api.depends("charge_move_id.state", "charge_move_id.payment_state")
    def _compute_state(self):
        for charge in self:
            move = charge.charge_move_id
            if move.state == "cancel" or move.payment_state == "reversed":
                charge.state = "cancel"
            else:
                charge.state = move.state

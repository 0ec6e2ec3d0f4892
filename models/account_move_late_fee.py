from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.groups import INTERNAL


class AccountMove(models.Model):
    """Late fees of the invoice: the interest and indemnity owed for its late days,
    and the late-fee invoices that charge them."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_charge_invoice = fields.Boolean(
        string="Late Fee Invoice",
        readonly=True,
        copy=False,
        help="This invoice charges late-payment interest and recovery indemnities.",
    )
    collection_charge_ids = fields.One2many(
        "account.collection.charge",
        "source_move_id",
        string="Late Fee Charges",
        help="The late fees charged for this invoice.",
        groups=INTERNAL,
    )
    collection_charged_ids = fields.One2many(
        "account.collection.charge",
        "charge_move_id",
        string="Charged Invoices",
        help="The late invoices whose fees this invoice charges.",
        groups=INTERNAL,
    )
    collection_charge_count = fields.Integer(
        string="Late Fee Invoices",
        compute="_compute_collection_charge_counts",
        groups=INTERNAL,
    )
    collection_charged_count = fields.Integer(
        string="Charged Invoices Count",
        compute="_compute_collection_charge_counts",
        groups=INTERNAL,
    )
    collection_late_days = fields.Integer(
        string="Days Late",
        compute="_compute_collection_late_fees",
        help="Days between the due date and the day the invoice was paid in full, "
        "or today when it is still due.",
        groups=INTERNAL,
    )
    collection_late_interest = fields.Monetary(
        string="Late Interest to Date",
        compute="_compute_collection_late_fees",
        help="Late-payment interest of all the late days to date, computed from the "
        "real payment dates.",
        groups=INTERNAL,
    )
    collection_late_indemnity = fields.Monetary(
        string="Recovery Indemnity",
        compute="_compute_collection_late_fees",
        help="Fixed indemnity for recovery costs owed by a professional customer once "
        "per invoice paid late.",
        groups=INTERNAL,
    )
    collection_late_fees_charged = fields.Monetary(
        string="Late Fees Charged",
        compute="_compute_collection_late_fees",
        groups=INTERNAL,
    )
    collection_late_fees_to_charge = fields.Monetary(
        string="Late Fees to Charge",
        compute="_compute_collection_late_fees",
        help="Interest of the days not charged yet and the indemnity if it was not "
        "charged yet.",
        groups=INTERNAL,
    )
    collection_late_fee_details = fields.Html(
        string="Interest Periods",
        compute="_compute_collection_late_fees",
        sanitize=False,
        groups=INTERNAL,
    )
    collection_late_fee_error = fields.Char(
        string="Late Fee Problem",
        compute="_compute_collection_late_fees",
        groups=INTERNAL,
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("collection_charge_ids", "collection_charged_ids")
    def _compute_collection_charge_counts(self):
        for move in self:
            move.collection_charge_count = len(
                move.collection_charge_ids.charge_move_id
            )
            move.collection_charged_count = len(
                move.collection_charged_ids.source_move_id
            )

    @api.depends(
        "invoice_date_due",
        "amount_residual",
        "line_ids.matched_credit_ids",
        "collection_charge_ids.state",
    )
    @api.depends_context("date", "lang")
    def _compute_collection_late_fees(self):
        fees = self.env["account.collection.late.fee"]._get_late_fees(self)
        for move in self:
            fee = fees.get(move.id)
            move.collection_late_days = fee.late_days if fee else 0
            move.collection_late_interest = fee.interest if fee else 0.0
            move.collection_late_indemnity = fee.indemnity if fee else 0.0
            move.collection_late_fees_charged = (
                fee.interest_charged + fee.indemnity_charged if fee else 0.0
            )
            move.collection_late_fees_to_charge = fee.to_charge if fee else 0.0
            move.collection_late_fee_error = fee.error if fee else False
            move.collection_late_fee_details = (
                move._collection_periods_table(fee.periods)
                + move._collection_rate_fallback_alert(fee.fallbacks)
                if fee and fee.periods
                else False
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_collection_charge_late_fees(self):
        invoices = self.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state == "posted"
            and not m.collection_charge_invoice
        )
        if not invoices:
            raise UserError(_("Select posted customer invoices to charge late fees."))
        charge_moves = self.env["account.collection.late.fee"]._charge(
            invoices, raise_errors=True
        )
        if not charge_moves:
            raise UserError(
                _(
                    "No late fees to charge: the selected invoices were paid on time, "
                    "are excluded from collection or were already charged up to today."
                )
            )
        return charge_moves._get_records_action(name=_("Late Fee Invoices"))

    def action_view_collection_charges(self):
        self.ensure_one()
        return self.collection_charge_ids.charge_move_id._get_records_action(
            name=_("Late Fee Invoices")
        )

    def action_view_collection_charged_invoices(self):
        self.ensure_one()
        return self.collection_charged_ids.source_move_id._get_records_action(
            name=_("Charged Invoices")
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _collection_interest_exempt_periods(self, invoices):
        """Hook: return ``{invoice id: [(first day, last day), ...]}`` of the days on
        which no late-payment interest runs, for the invoices of companies that
        exempt payment plans. None by default; the payment plans override it."""
        return {}

    def _collection_rate_fallback_alert(self, fallbacks):
        """Return the warning shown under the interest periods when a half-year's
        rate was missing and the last known one was used, or an empty Markup."""
        notes = self.env["account.collection.late.fee"]._rate_fallback_notes(fallbacks)
        if not notes:
            return Markup()
        return Markup(
            "<div class='alert alert-warning o_collection_rate_fallback' "
            "role='alert'>%s</div>"
        ) % Markup("<br/>").join(notes)

    @api.model
    def _collection_charge_late_fees(self, invoices):
        """Charge the late fees of ``invoices`` (called by the dunning cycle at a
        level that charges late fees): one late-fee invoice per customer and currency,
        each customer on its own, failures logged. Return the late-fee invoices."""
        return self.env["account.collection.late.fee"]._charge(invoices)

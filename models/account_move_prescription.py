from odoo import api, fields, models

from ..tools import prescription
from .account_collection_plan import OPEN_PAYMENT_STATES

# Plans whose customer agreed to them: the agreement acknowledges the debt.
AGREED_PLAN_STATES = ("active", "completed", "breached")
# Declarations that interrupt the prescription (a rejected claim does not,
# Code civil 2243).
DECLARED_STATES = ("declared", "admitted")


class AccountMove(models.Model):
    """Prescription of the customer invoice (tools/prescription.py): 5 years between
    merchants (Code de commerce L110-4), 2 years against a consumer (Code de la
    consommation L218-2), from the due date, restarted by a partial payment or an
    acknowledgment of the debt, interrupted by a claim declared in an insolvency
    procedure."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_debt_acknowledged_date = fields.Date(
        string="Debt Acknowledged On",
        copy=False,
        tracking=True,
        help="Date the customer acknowledged the debt in writing: the prescription "
        "starts again from it (Code civil 2240). A payment plan the customer agreed "
        "to counts from its activation.",
    )
    collection_insolvency_line_ids = fields.One2many(
        "account.collection.insolvency.line", "move_id", readonly=True
    )
    collection_prescription_date = fields.Date(
        string="Prescribed On",
        compute="_compute_collection_prescription_date",
        store=True,
        help="Day the claim can no longer be sued for: due date, last partial "
        "payment or acknowledgment of the debt + 5 years between merchants "
        "(Code de commerce L110-4), + 2 years against a consumer (Code de la "
        "consommation L218-2). Empty once paid or declared in an insolvency "
        "procedure.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends(
        "move_type",
        "state",
        "payment_state",
        "amount_residual",
        "invoice_date_due",
        "commercial_partner_id.collection_debtor_type",
        "collection_debt_acknowledged_date",
        "collection_plan_ids.state",
        "collection_plan_ids.date_activation",
        "collection_insolvency_line_ids.insolvency_id.state",
        "collection_insolvency_line_ids.insolvency_id.declared_date",
    )
    def _compute_collection_prescription_date(self):
        invoices = self.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state == "posted"
            and m.payment_state in OPEN_PAYMENT_STATES
        )
        (self - invoices).collection_prescription_date = False
        if not invoices:
            return
        terms = invoices.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        payments = self.env["account.collection.late.fee"]._get_payments(terms)
        for invoice in invoices:
            paid_on = [
                day
                for term in terms
                if term.move_id == invoice
                for day, amount in payments.get(term.id, [])
                if amount > 0
            ]
            plans = invoice.collection_plan_ids.filtered(
                lambda plan: plan.state in AGREED_PLAN_STATES and plan.date_activation
            )
            acknowledged = max(
                [
                    *plans.mapped("date_activation"),
                    *filter(None, [invoice.collection_debt_acknowledged_date]),
                ],
                default=None,
            )
            declared = invoice.collection_insolvency_line_ids.insolvency_id.filtered(
                lambda procedure: procedure.state in DECLARED_STATES
            )
            invoice.collection_prescription_date = prescription.prescription_date(
                invoice.invoice_date_due,
                consumer=invoice.commercial_partner_id.collection_debtor_type
                == "consumer",
                last_partial_payment=max(paid_on, default=None),
                acknowledged=acknowledged,
                declared=bool(declared),
            )

from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.groups import COLLECTION_USER, INTERNAL
from .account_collection_insolvency import INSOLVENCY_KINDS


class ResPartner(models.Model):
    """Legal status of the customer: debtor type (professional or consumer),
    insolvency procedure, and the late fees it owes."""

    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_debtor_type = fields.Selection(
        [("professional", "Professional"), ("consumer", "Consumer")],
        string="Debtor Type",
        compute="_compute_collection_debtor_type",
        store=True,
        readonly=False,
        help="Professional customers owe the late-payment penalties of the Code de "
        "commerce and the fixed recovery indemnity; consumers owe neither, only the "
        "legal interest from the formal notice. Companies are professional and "
        "individuals consumers by default.",
    )
    collection_insolvency = fields.Selection(
        INSOLVENCY_KINDS,
        string="Insolvency Procedure",
        compute="_compute_collection_insolvency",
        inverse="_inverse_collection_insolvency",
        store=True,
        readonly=False,
        tracking=True,
        help="From the opening judgment of an insolvency procedure, the customer's "
        "claims are no longer reminded (Code de commerce L622-21), no recovery "
        "indemnity is charged and interest stops running (L622-28): declare the "
        "claims to the mandataire judiciaire.",
        groups=INTERNAL,
    )
    collection_insolvency_date = fields.Date(
        string="Procedure Opened On",
        compute="_compute_collection_insolvency",
        inverse="_inverse_collection_insolvency",
        store=True,
        readonly=False,
        tracking=True,
        help="Date of the opening judgment of the latest insolvency procedure "
        "(res_partner_insolvency.py).",
        groups=INTERNAL,
    )
    collection_late_interest_due = fields.Monetary(
        string="Late Interest to Charge",
        compute="_compute_collection_late_fees",
        groups=COLLECTION_USER,
        currency_field="collection_currency_id",
        help="Late-payment interest accrued to date on this customer's invoices and "
        "not charged yet, in the company currency.",
    )
    collection_late_indemnity_due = fields.Monetary(
        string="Recovery Indemnities to Charge",
        compute="_compute_collection_late_fees",
        groups=COLLECTION_USER,
        currency_field="collection_currency_id",
    )
    collection_late_fees_charged = fields.Monetary(
        string="Late Fees Charged",
        compute="_compute_collection_late_fees",
        groups=COLLECTION_USER,
        currency_field="collection_currency_id",
        help="Interest and indemnities already invoiced to this customer.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("is_company")
    def _compute_collection_debtor_type(self):
        for partner in self:
            partner.collection_debtor_type = (
                "professional" if partner.is_company else "consumer"
            )

    @api.depends_context("company", "date")
    def _compute_collection_late_fees(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("invoice_date_due", "<", today),
                ("collection_excluded", "=", False),
                ("collection_charge_invoice", "=", False),
            ]
        )
        fees = self.env["account.collection.late.fee"]._get_late_fees(invoices, today)
        by_currency = defaultdict(lambda: [0.0, 0.0, 0.0])
        for invoice in invoices:
            fee = fees.get(invoice.id)
            if not fee:
                continue
            total = by_currency[invoice.commercial_partner_id.id, invoice.currency_id]
            total[0] += float(fee.interest_to_charge)
            total[1] += float(fee.indemnity_to_charge)
            total[2] += float(fee.interest_charged + fee.indemnity_charged)
        totals = defaultdict(lambda: [0.0, 0.0, 0.0])
        for (partner_id, currency), amounts in by_currency.items():
            for index, amount in enumerate(amounts):
                totals[partner_id][index] += currency._convert(
                    amount, company.currency_id, company, today
                )
        for partner in self:
            interest, indemnity, charged = totals[partner.commercial_partner_id.id]
            partner.collection_late_interest_due = interest
            partner.collection_late_indemnity_due = indemnity
            partner.collection_late_fees_charged = charged

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("collection_insolvency", "collection_insolvency_date")
    def _check_collection_insolvency_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.collection_insolvency and not partner.collection_insolvency_date:
                raise ValidationError(
                    _(
                        "Enter the date the insolvency procedure of %s was opened.",
                        partner.display_name,
                    )
                )
            if (
                partner.collection_insolvency
                and partner.collection_insolvency_date > today
            ):
                raise ValidationError(
                    _(
                        "The insolvency procedure of %s cannot open in the future: "
                        "enter the date of its opening judgment.",
                        partner.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_is_consumer(self):
        """Whether the customer is a consumer (a private person) rather than a
        professional, from its commercial entity's debtor type. The one place the
        notices, reminders, late fees and prescription decide it: a consumer owes no
        recovery indemnity nor commercial penalties (Code de commerce L441-10) but
        the legal interest from the formal notice (Code civil 1231-6), and the
        claims against it are prescribed after two years (Code de la consommation
        L218-2)."""
        self.ensure_one()
        return self.commercial_partner_id.collection_debtor_type == "consumer"

    def _collection_insolvent_on(self, date):
        """Whether an insolvency procedure of the customer (sauvegarde, redressement
        or liquidation judiciaire) is open on ``date``. From its opening judgment
        the customer's claims are not reminded (Code de commerce L622-21), interest
        stops running (L622-28) and no recovery indemnity is charged."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return bool(
            partner.collection_insolvency
            and partner.collection_insolvency_date
            and partner.collection_insolvency_date <= date
        )

from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import late_payment


class ResCompany(models.Model):
    """Late-payment law settings of the company (France by default; other
    jurisdictions are configuration): interest rate, recovery indemnity, late-fee
    invoices and the maximum payment term."""

    _inherit = "res.company"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_penalty_rate_mode = fields.Selection(
        [
            ("legal", "ECB rate + margin"),
            ("contractual", "Contractual rate"),
        ],
        string="Late-Payment Rate",
        default="legal",
        required=True,
        help="ECB rate + margin: the ECB main refinancing rate in force on 1 January "
        "(days of January-June) or 1 July (days of July-December) plus the margin, "
        "10 points in France, 8 in Belgium and Spain. Contractual rate: the rate of "
        "your terms of sale, never below 3 times the legal interest rate.",
    )
    collection_penalty_margin = fields.Float(
        string="Margin (points)",
        digits=(16, 2),
        default=10.0,
        help="Points added to the ECB rate: 10 in France (Code de commerce L441-10), "
        "8 in Belgium and Spain.",
    )
    collection_contractual_rate = fields.Float(
        string="Contractual Rate (%)",
        digits=(16, 2),
        help="Annual rate of your terms of sale. For the half-years in which it falls "
        "below 3 times the legal interest rate, that minimum is charged instead.",
    )
    collection_indemnity_amount = fields.Monetary(
        string="Fixed Recovery Indemnity",
        currency_field="currency_id",
        default=40.0,
        help="Charged once per invoice paid late by a professional customer: 40 EUR "
        "in France and in the EU (directive 2011/7/EU), in the company currency; "
        "converted into the invoice currency at the rate of the day it is charged.",
    )
    collection_interest_year_days = fields.Integer(
        string="Days in a Year",
        default=365,
        help="Day-count basis of the interest: 365 in France, even in leap years.",
    )
    collection_charge_journal_id = fields.Many2one(
        "account.journal",
        string="Late Fees Journal",
        domain="[('type', '=', 'sale')]",
        check_company=True,
        help="Sales journal of the late-fee invoices; the default sales journal when "
        "empty.",
    )
    collection_interest_account_id = fields.Many2one(
        "account.account",
        string="Interest Income Account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        check_company=True,
        help="For instance 7638 in the French chart of accounts; the account of the "
        "late-payment interest product when empty.",
    )
    collection_indemnity_account_id = fields.Many2one(
        "account.account",
        string="Indemnity Income Account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        check_company=True,
        help="For instance 7588 in the French chart of accounts; the account of the "
        "recovery indemnity product when empty.",
    )
    collection_interest_plan_exempt = fields.Boolean(
        string="No Interest During Payment Plans",
        help="Days covered by an active payment plan bear no late-payment interest.",
    )
    collection_term_check = fields.Selection(
        [
            ("none", "No check"),
            ("warning", "Warn"),
            ("block", "Block"),
        ],
        string="Maximum Payment Term Check",
        default="warning",
        required=True,
        help="What happens when a customer invoice of a professional customer is "
        "posted with a due date beyond the legal maximum (Code de commerce L441-10).",
    )
    collection_term_max_days = fields.Integer(
        string="Maximum Term (days)",
        default=60,
        help="Days from the invoice date: 60 in France, 30 for transport.",
    )
    collection_term_eom_days = fields.Integer(
        string="End-of-Month Term (days)",
        default=45,
        help="Days of the '45 days end of month' term when it is expressly agreed; "
        "0 when no end-of-month term is allowed.",
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains(
        "collection_penalty_margin",
        "collection_indemnity_amount",
        "collection_interest_year_days",
        "collection_term_max_days",
        "collection_term_eom_days",
    )
    def _check_collection_late_payment_settings(self):
        for company in self:
            if company.collection_penalty_margin < 0:
                raise ValidationError(_("The late-payment margin cannot be negative."))
            if company.collection_indemnity_amount < 0:
                raise ValidationError(
                    _("The fixed recovery indemnity cannot be negative.")
                )
            if not 360 <= company.collection_interest_year_days <= 366:
                raise ValidationError(
                    _("The days in a year of the interest must be between 360 and 366.")
                )
            if company.collection_term_max_days <= 0:
                raise ValidationError(_("The maximum payment term must be positive."))
            if company.collection_term_eom_days < 0:
                raise ValidationError(
                    _("The end-of-month payment term cannot be negative.")
                )

    @api.constrains("collection_penalty_rate_mode", "collection_contractual_rate")
    def _check_collection_contractual_rate(self):
        companies = self.filtered(
            lambda c: c.collection_penalty_rate_mode == "contractual"
        )
        if not companies:
            return
        rates = self.env["account.collection.rate"]
        histories = rates._get_histories()
        today = fields.Date.context_today(self)
        half_start, legal_rate = rates._get_legal_rate(today, histories)
        for company in companies:
            if company.collection_contractual_rate <= 0:
                raise ValidationError(_("Enter the contractual late-payment rate."))
            if legal_rate is None:
                continue
            minimum = late_payment.CONTRACTUAL_MINIMUM_FACTOR * legal_rate
            if Decimal(str(company.collection_contractual_rate)) < minimum:
                raise ValidationError(
                    _(
                        "The contractual late-payment rate (%(rate)s %%) cannot be "
                        "below 3 times the legal interest rate of the %(half_year)s "
                        "(3 x %(legal)s %% = %(minimum)s %%).",
                        rate=company.collection_contractual_rate,
                        half_year=rates._half_year_label(half_start),
                        legal=legal_rate,
                        minimum=minimum,
                    )
                )

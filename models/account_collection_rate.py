from datetime import date
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import late_payment

RATE_TYPES = [
    ("ecb", "ECB Main Refinancing Rate"),
    ("legal_professional", "Legal Interest Rate (professional creditor)"),
    ("legal_private", "Legal Interest Rate (private creditor)"),
]
LEGAL_RATE_TYPES = ("legal_professional", "legal_private")


class AccountCollectionRate(models.Model):
    """Public reference rates of the late-payment law, shared by all companies.

    The ECB main refinancing rate is keyed by the date of the ECB decision; the French
    taux de l'interet legal by the first day of its half-year (1 January or 1 July).
    The rates are facts published by public bodies, the same for every company, hence
    no company_id: each company chooses how it uses them in its settings.
    """

    _name = "account.collection.rate"
    _description = "Late-Payment Reference Rate"
    _order = "rate_type, date_from desc"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    rate_type = fields.Selection(RATE_TYPES, string="Rate", required=True, index=True)
    date_from = fields.Date(
        string="Effective From",
        required=True,
        help="ECB rate: the date the decision takes effect. Legal interest rate: "
        "the first day of its half-year, 1 January or 1 July.",
    )
    rate = fields.Float(
        string="Annual Rate (%)",
        digits=(16, 2),
        required=True,
        help="Annual percentage, for instance 2.15 for 2.15 %.",
    )
    note = fields.Char(help="Source of the rate, for instance the decree or decision.")

    _sql_constraints = [
        (
            "rate_type_date_unique",
            "UNIQUE(rate_type, date_from)",
            "A rate of this type already takes effect on this date.",
        ),
    ]

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("rate_type", "date_from", "rate")
    def _compute_display_name(self):
        labels = dict(self._fields["rate_type"]._description_selection(self.env))
        for record in self:
            record.display_name = _(
                "%(rate_type)s from %(date)s: %(rate)s %%",
                rate_type=labels.get(record.rate_type, ""),
                date=record.date_from or "",
                rate=record.rate,
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("rate_type", "date_from", "rate")
    def _check_legal_rate(self):
        for record in self.filtered(lambda r: r.rate_type in LEGAL_RATE_TYPES):
            if record.date_from.day != 1 or record.date_from.month not in (1, 7):
                raise ValidationError(
                    _(
                        "The legal interest rate is set per half-year: it takes effect "
                        "on 1 January or 1 July, not on %s.",
                        record.date_from,
                    )
                )
            if record.rate < 0:
                raise ValidationError(
                    _("The legal interest rate cannot be negative (%s).", record.rate)
                )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _get_histories(self):
        """Return ``{rate_type: [(date_from, Decimal rate), ...]}`` for every type."""
        histories = {rate_type: [] for rate_type, _label in RATE_TYPES}
        for record in self.sudo().search_fetch([], ["rate_type", "date_from", "rate"]):
            histories[record.rate_type].append(
                (record.date_from, Decimal(str(record.rate)))
            )
        return histories

    @api.model
    def _get_legal_rate(self, day, histories=None, rate_type="legal_professional"):
        """Return the legal interest rate of the half-year of ``day``, or the latest
        published one when that half-year has none yet, with its half-year start."""
        history = (histories or self._get_histories())[rate_type]
        start = late_payment.half_year_start(day)
        known = [item for item in history if item[0] <= start] or history
        if not known:
            return None, None
        half_start, rate = max(known)
        return half_start, rate

    @api.model
    def _half_year_label(self, day):
        """Return "first half of 2025" / "second half of 2025" in the user's language."""
        if late_payment.half_year_start(day) == date(day.year, 1, 1):
            return _("first half of %s", day.year)
        return _("second half of %s", day.year)

from itertools import pairwise

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# (code, name, max average delay, min score, deposit %, limit factor, blocked,
#  xml id of the suggested payment term): the usual A/B/C/D practice.
DEFAULT_SEGMENTS = [
    ("A", _lt("Good payer"), 30, 60, 0.0, 1.0, False, False),
    (
        "B",
        _lt("To watch"),
        60,
        40,
        0.0,
        1.0,
        False,
        "account.account_payment_term_15days",
    ),
    (
        "C",
        _lt("Risky"),
        90,
        20,
        30.0,
        0.5,
        False,
        "account.account_payment_term_immediate",
    ),
    (
        "D",
        _lt("Critical"),
        0,
        0,
        100.0,
        0.0,
        True,
        "account.account_payment_term_immediate",
    ),
]


class AccountCollectionRiskSegment(models.Model):
    """A class of customers by payment risk (A best to D worst): the segment picks
    the dunning policy and suggests the terms of sale (payment term, deposit,
    credit limit) for its customers."""

    _name = "account.collection.risk.segment"
    _description = "Customer Risk Segment"
    _order = "sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    code = fields.Char(required=True, size=8)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="Segments go from the best (first) to the worst (last)."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    color = fields.Integer()
    max_delay = fields.Integer(
        string="Max Average Delay (days)",
        help="Customers whose amount-weighted average payment delay is at most this "
        "many days may be in this segment. Ignored for the last segment, which takes "
        "every customer left.",
    )
    min_score = fields.Integer(
        string="Min Payment Score",
        help="Customers whose payment score (0-100) is below this minimum fall in a "
        "worse segment.",
    )
    policy_id = fields.Many2one(
        "account.collection.policy",
        string="Dunning Policy",
        check_company=True,
        help="Dunning policy of the customers of this segment that have none of "
        "their own; when empty, the company's default policy applies.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Suggested Payment Term",
        check_company=True,
    )
    deposit_percent = fields.Float(
        string="Deposit (%)",
        digits=(5, 2),
        help="Share of an order to ask as a deposit before delivering.",
    )
    credit_limit_factor = fields.Float(
        digits=(5, 2),
        default=1.0,
        help="Applied to the credit limit recommended by the latest solvency note: "
        "0.5 halves it. A limit set by hand on the customer is not weighted.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    default_credit_limit = fields.Monetary(
        currency_field="currency_id",
        help="Credit limit, in the company currency, of the segment's customers "
        "without a limit set by hand nor recommended by a solvency note. A manual "
        "limit wins, then the solvency note's limit weighted by the factor, then "
        "this default.",
    )
    blocked = fields.Boolean(
        string="Credit Hold",
        help="No new invoice may be posted for the customers of this segment "
        "without a manager's approval (see the credit control setting).",
    )
    description = fields.Text()

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The code of a risk segment must be unique per company.",
        ),
    ]

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("code", "name")
    def _compute_display_name(self):
        for segment in self:
            segment.display_name = f"{segment.code} - {segment.name}"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains(
        "deposit_percent", "credit_limit_factor", "min_score", "default_credit_limit"
    )
    def _check_values(self):
        for segment in self:
            if not 0 <= segment.deposit_percent <= 100:
                raise ValidationError(
                    _(
                        "The deposit of segment %s must be between 0 and 100.",
                        segment.code,
                    )
                )
            if segment.default_credit_limit < 0:
                raise ValidationError(
                    _(
                        "The default credit limit of segment %s cannot be negative.",
                        segment.code,
                    )
                )
            if segment.credit_limit_factor < 0:
                raise ValidationError(
                    _(
                        "The credit limit factor of segment %s cannot be negative.",
                        segment.code,
                    )
                )
            if not 0 <= segment.min_score <= 100:
                raise ValidationError(
                    _(
                        "The minimum score of segment %s must be between 0 and 100.",
                        segment.code,
                    )
                )

    @api.constrains("max_delay", "sequence", "active", "company_id")
    def _check_delays_increase(self):
        for company in self.company_id:
            segments = self._get_for_company(company)
            delays = segments[:-1].mapped("max_delay")
            if any(later <= earlier for earlier, later in pairwise(delays)):
                raise ValidationError(
                    _(
                        "The maximum average delays of the risk segments of %s must "
                        "increase from the best segment to the worst one.",
                        company.name,
                    )
                )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _get_for_company(self, company):
        """Return the active segments of ``company``, best first."""
        return self.with_context(active_test=True).search(
            [("company_id", "=", company.id)], order="sequence, id"
        )

    @api.model
    def _create_default_segments(self, companies=None):
        """Give the A/B/C/D segments to every company (of ``companies``) that has
        no segment yet; return the segments created."""
        companies = companies or self.env["res.company"].search([])
        with_segments = set(
            self.with_context(active_test=False)._read_group(
                [("company_id", "in", companies.ids)], ["company_id"]
            )
        )
        vals_list = []
        for company in companies:
            if (company,) in with_segments:
                continue
            for rank, values in enumerate(DEFAULT_SEGMENTS):
                code, name, delay, score, deposit, factor, blocked, term = values
                payment_term = term and self.env.ref(term, raise_if_not_found=False)
                vals_list.append(
                    {
                        "code": code,
                        "name": self.with_context(lang="en_US").env._(name),
                        "sequence": 10 * (rank + 1),
                        "company_id": company.id,
                        "color": (10, 3, 2, 1)[rank],
                        "max_delay": delay,
                        "min_score": score,
                        "deposit_percent": deposit,
                        "credit_limit_factor": factor,
                        "blocked": blocked,
                        "payment_term_id": payment_term.id
                        if payment_term
                        and payment_term.company_id
                        in (company, self.env["res.company"])
                        else False,
                    }
                )
        segments = self.sudo().create(vals_list)
        self._translate_default_names(segments)
        return segments

    @api.model
    def _translate_default_names(self, segments):
        names = {code: name for code, name, *_values in DEFAULT_SEGMENTS}
        languages = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US"
        ]
        for segment in segments:
            if not languages or segment.code not in names:
                continue
            segment.update_field_translations(
                "name",
                {
                    lang: self.with_context(lang=lang).env._(names[segment.code])
                    for lang in languages
                },
            )

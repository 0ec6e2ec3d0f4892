import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount, format_date

_logger = logging.getLogger(__name__)

SOLVENCY_SOURCES = [
    ("internal", "Internal review"),
    ("banque_de_france", "Banque de France rating"),
    ("credit_bureau", "Credit bureau score"),
    ("court_registry", "Court registry (BODACC / greffe)"),
    ("credit_insurer", "Credit insurer"),
    ("other", "Other"),
]

# Fields whose change may move the customer's limit or segment.
RISK_FIELDS = {
    "partner_id",
    "company_id",
    "date",
    "date_end",
    "credit_limit",
    "min_segment_id",
}

# Months a note stays valid when no end date is given.
DEFAULT_VALIDITY_MONTHS = 12


class AccountCollectionSolvencyNote(models.Model):
    """What is known of a customer's solvency at a date: a rating or a score from a
    source, the credit limit it warrants and how long it holds. The latest valid
    note sets the recommended credit limit and may force a worse risk segment."""

    _name = "account.collection.solvency.note"
    _description = "Customer Solvency Note"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Date of the information (rating, report, court notice).",
    )
    date_end = fields.Date(
        string="Valid Until",
        compute="_compute_date_end",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        tracking=True,
        help="After this date the note is expired and a new review is needed.",
    )
    source = fields.Selection(
        SOLVENCY_SOURCES, required=True, default="internal", tracking=True
    )
    rating = fields.Char(
        string="Rating / Score",
        tracking=True,
        help="As given by the source, e.g. a Banque de France cotation such as 4+.",
    )
    score = fields.Float(
        string="Numeric Score",
        digits=(16, 2),
        help="Optional numeric score of the source, to compare notes.",
    )
    credit_limit = fields.Monetary(
        string="Recommended Credit Limit",
        currency_field="currency_id",
        tracking=True,
        help="Credit limit this note warrants, in the company's currency; 0 for "
        "no recommendation.",
    )
    min_segment_id = fields.Many2one(
        "account.collection.risk.segment",
        string="Minimum Risk Segment",
        check_company=True,
        tracking=True,
        help="While the note is valid, the customer is in this segment or a worse "
        "one, whatever its payment history (e.g. a bad rating or a court "
        "procedure).",
    )
    document = fields.Binary(attachment=True, copy=False)
    document_name = fields.Char()
    user_id = fields.Many2one(
        "res.users",
        string="Author",
        required=True,
        default=lambda self: self.env.user,
    )
    note = fields.Text(string="Comment")
    state = fields.Selection(
        [("future", "Not yet valid"), ("valid", "Valid"), ("expired", "Expired")],
        compute="_compute_state",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("date")
    def _compute_date_end(self):
        for note in self:
            if note.date and not note.date_end:
                note.date_end = note.date + relativedelta(
                    months=DEFAULT_VALIDITY_MONTHS
                )

    @api.depends("source", "rating", "partner_id.name", "date")
    def _compute_display_name(self):
        sources = dict(self._fields["source"]._description_selection(self.env))
        for note in self:
            label = sources.get(note.source, "")
            if note.rating:
                label = f"{label} {note.rating}"
            note.display_name = _(
                "%(origin)s (%(date)s)", origin=label, date=note.date or ""
            )

    @api.depends("date", "date_end")
    @api.depends_context("date")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for note in self:
            if note.date and note.date > today:
                note.state = "future"
            elif note.date_end and note.date_end < today:
                note.state = "expired"
            else:
                note.state = "valid"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("date", "date_end", "credit_limit")
    def _check_dates_and_limit(self):
        for note in self:
            if note.date_end < note.date:
                raise ValidationError(
                    _(
                        "The solvency note of %s cannot end before its date.",
                        note.partner_id.display_name,
                    )
                )
            if note.credit_limit < 0:
                raise ValidationError(
                    _(
                        "The recommended credit limit of %s cannot be negative.",
                        note.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_partner(vals)
        notes = super().create(vals_list)
        notes._refresh_partner_risk()
        return notes

    def write(self, vals):
        self._normalize_partner(vals)
        partners_before = self._partner_company_pairs()
        result = super().write(vals)
        if RISK_FIELDS & set(vals):
            self._refresh_partner_risk(partners_before)
        return result

    def unlink(self):
        pairs = self._partner_company_pairs()
        result = super().unlink()
        self.env["account.collection.risk.scoring"]._refresh_pairs(pairs)
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _normalize_partner(self, vals):
        """Notes belong to the commercial entity, never to one of its contacts."""
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id

    def _partner_company_pairs(self):
        return {(note.partner_id.id, note.company_id.id) for note in self}

    def _refresh_partner_risk(self, extra_pairs=()):
        self.env["account.collection.risk.scoring"]._refresh_pairs(
            self._partner_company_pairs() | set(extra_pairs)
        )

    @api.model
    def _get_latest(self, partner_ids, company, today):
        """Return two dicts ``{partner_id: note}`` for the partners of
        ``partner_ids`` (all partners when None) in ``company``, in one query: the
        latest note valid at ``today``, and the latest note of any validity."""
        domain = [("company_id", "=", company.id), ("date", "<=", today)]
        if partner_ids is not None:
            domain.append(("partner_id", "in", list(partner_ids)))
        valid, latest = {}, {}
        notes = self.sudo().search_fetch(
            domain,
            ["partner_id", "date", "date_end", "credit_limit", "min_segment_id"],
            order="partner_id, date desc, id desc",
        )
        for note in notes:
            partner_id = note.partner_id.id
            latest.setdefault(partner_id, note)
            if note.date_end >= today:
                valid.setdefault(partner_id, note)
        return valid, latest

    @api.model
    def _request_solvency_reviews(self, company, today=None):
        """Plan an activity for each customer above the exposure threshold whose
        solvency note is expired or missing, once: not while an activity of the kind
        is open, nor again until its latest note has changed.

        :return: the activities created.
        """
        model = self.sudo().with_company(company)
        today = today or fields.Date.context_today(model)
        threshold = company.collection_solvency_exposure
        activities = model.env["mail.activity"]
        if threshold <= 0:
            return activities
        records = model.env["account.collection.partner.risk"].search(
            [
                ("company_id", "=", company.id),
                ("note_state", "in", ("expired", "missing")),
                ("exposure", ">", threshold),
            ]
        )
        if not records:
            return activities
        activity_type = model.env.ref(
            "account_collection.mail_activity_type_solvency_review"
        )
        partner_ids = records.partner_id.ids
        open_partner_ids = set(
            activities.search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partner_ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            ).mapped("res_id")
        )
        no_note = model.browse()
        latest = no_note._get_latest(partner_ids, company, today)[1]
        model_id = model.env["ir.model"]._get_id("res.partner")
        vals_list, requested = [], []
        for record in records:
            partner = record.partner_id
            last_note = latest.get(partner.id, no_note)
            if partner.id in open_partner_ids or (
                record.solvency_review_date
                and record.solvency_review_note_id == last_note
            ):
                continue
            user = partner._collection_responsible_user(company)
            if not user:
                _logger.info(
                    "No one to review the solvency of %s in %s: set a collector or "
                    "the default collector of the company.",
                    partner.display_name,
                    company.name,
                )
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": today + timedelta(days=activity_type.delay_count),
                    "summary": _("Solvency review (%s)", company.name),
                    "note": model._solvency_review_note(record, last_note),
                }
            )
            requested.append((record, last_note))
        activities = activities.create(vals_list)
        for record, last_note in requested:
            record.write(
                {"solvency_review_date": today, "solvency_review_note_id": last_note.id}
            )
        return activities

    def _solvency_review_note(self, record, last_note):
        amounts = {
            "exposure": format_amount(self.env, record.exposure, record.currency_id),
            "threshold": format_amount(
                self.env,
                record.company_id.collection_solvency_exposure,
                record.currency_id,
            ),
        }
        if last_note:
            message = _(
                "Exposure %(exposure)s above %(threshold)s and the latest solvency "
                "note expired on %(date)s: ask for a new rating or report.",
                date=format_date(self.env, last_note.date_end),
                **amounts,
            )
        else:
            message = _(
                "Exposure %(exposure)s above %(threshold)s without any solvency "
                "note: check this customer's solvency.",
                **amounts,
            )
        return Markup("<p>%s</p>") % message

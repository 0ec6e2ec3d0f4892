from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount, format_date, formatLang

from ..tools import late_payment
from ..tools.groups import INTERNAL


class AccountMove(models.Model):
    """Late-payment law on the invoice: the mentions printed for professional
    customers and the legal maximum payment term checked at posting."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_penalty_rate_text = fields.Char(
        string="Late-Payment Penalty Rate",
        compute="_compute_collection_legal_mentions",
    )
    collection_indemnity_text = fields.Char(
        string="Recovery Indemnity Mention",
        compute="_compute_collection_legal_mentions",
    )
    collection_early_discount_text = fields.Char(
        string="Early Payment Discount Mention",
        compute="_compute_collection_legal_mentions",
    )
    collection_legal_mentions = fields.Boolean(
        string="Professional Mentions",
        compute="_compute_collection_legal_mentions",
        help="The invoice shows the mentions of a sale between professionals.",
    )
    collection_term_warning = fields.Char(
        string="Payment Term Warning",
        compute="_compute_collection_term_warning",
        groups=INTERNAL,
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends(
        "move_type",
        "invoice_date_due",
        "invoice_payment_term_id",
        "commercial_partner_id.collection_debtor_type",
        "company_id.collection_penalty_rate_mode",
    )
    @api.depends_context("lang")
    def _compute_collection_legal_mentions(self):
        histories = self.env["account.collection.rate"]._get_histories()
        for move in self:
            professional = (
                move.move_type == "out_invoice"
                and move.commercial_partner_id.collection_debtor_type != "consumer"
            )
            move.collection_legal_mentions = professional
            move.collection_penalty_rate_text = (
                professional and move._collection_penalty_rate_text(histories)
            )
            move.collection_indemnity_text = professional and _(
                "Fixed indemnity for recovery costs in case of late payment: %s",
                format_amount(
                    self.env,
                    move.company_id.collection_indemnity_amount,
                    move.company_id.currency_id,
                ),
            )
            move.collection_early_discount_text = (
                move.move_type == "out_invoice"
                and move._collection_early_discount_text()
            )

    @api.depends(
        "move_type",
        "partner_id",
        "collection_generated",
        "invoice_date",
        "invoice_date_due",
        "commercial_partner_id.collection_debtor_type",
        "company_id.collection_term_check",
    )
    @api.depends_context("lang")
    def _compute_collection_term_warning(self):
        exceeded = self._collection_term_exceeded()
        for move in self:
            move.collection_term_warning = (
                move in exceeded and move._collection_term_message()
            )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_check_terms_before_post(self):
        """Refuse the invoices whose payment term exceeds the legal maximum where the
        company blocks them; return those to warn about."""
        exceeded = self._collection_term_exceeded()
        blocked = exceeded.filtered(
            lambda m: m.company_id.collection_term_check == "block"
        )
        if blocked:
            raise UserError(
                "\n".join(move._collection_term_message() for move in blocked)
            )
        return exceeded

    def _collection_log_terms(self):
        """Warn in the chatter of the posted invoices beyond the legal term."""
        for move in self:
            move.message_post(body=move._collection_term_message())

    def _collection_term_notification(self):
        """Return the notification warning that the posted invoices of ``self`` are
        beyond the legal maximum payment term, or False."""
        warned = self._collection_term_exceeded().filtered(
            lambda m: m.state == "posted"
        )
        if not warned:
            return False
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Payment term beyond the legal maximum"),
                "message": "\n".join(m._collection_term_message() for m in warned),
                "type": "warning",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _collection_term_exceeded(self):
        """Return the invoices to check at posting whose due date is beyond the
        legal maximum payment term (see :meth:`_collection_beyond_legal_term`)."""
        return (
            self._collection_checked_invoices()
            .filtered(lambda m: m.company_id.collection_term_check != "none")
            ._collection_beyond_legal_term()
        )

    def _collection_beyond_legal_term(self):
        """Return the invoices of professional customers whose due date is beyond
        the legal maximum payment term of their company (L441-10 I): the days from
        the invoice date, or the end-of-month term when the company allows one."""
        today = fields.Date.context_today(self)
        return self.filtered(
            lambda m: m.commercial_partner_id.collection_debtor_type != "consumer"
            and m.invoice_date_due
            and not late_payment.max_legal_term_ok(
                m.invoice_date or today,
                m.invoice_date_due,
                m.company_id.collection_term_max_days,
                m.company_id.collection_term_eom_days or None,
            )
        )

    def _collection_term_message(self):
        self.ensure_one()
        company = self.company_id
        if company.collection_term_eom_days:
            return _(
                "%(invoice)s: the due date %(due)s is beyond the legal maximum payment "
                "term of %(days)s days from the invoice date or %(eom)s days end of "
                "month (Code de commerce L441-10).",
                invoice=self.name if self.name != "/" else self.partner_id.display_name,
                due=format_date(self.env, self.invoice_date_due),
                days=company.collection_term_max_days,
                eom=company.collection_term_eom_days,
            )
        return _(
            "%(invoice)s: the due date %(due)s is beyond the legal maximum payment "
            "term of %(days)s days from the invoice date (Code de commerce L441-10).",
            invoice=self.name if self.name != "/" else self.partner_id.display_name,
            due=format_date(self.env, self.invoice_date_due),
            days=company.collection_term_max_days,
        )

    def _collection_penalty_rate_text(self, histories):
        """Return the penalty rate to print, e.g. "ECB rate + 10 points, i.e. 12.15 %
        for the second half of 2025", for the half-year following the due date."""
        self.ensure_one()
        company = self.company_id
        day = (
            self.invoice_date_due or fields.Date.context_today(self)
        ) + late_payment.ONE_DAY
        rates = self.env["account.collection.rate"]
        if company.collection_penalty_rate_mode == "contractual":
            return _(
                "%s %% a year (contractual rate)",
                formatLang(self.env, company.collection_contractual_rate, digits=2),
            )
        margin = company.collection_penalty_margin
        margin_text = formatLang(
            self.env, margin, digits=0 if margin == int(margin) else 2
        )
        try:
            rate = late_payment.ecb_plus_margin_rate(day, histories["ecb"], margin)
        except ValueError:
            return _("ECB rate + %s points", margin_text)
        return _(
            "ECB rate + %(margin)s points, i.e. %(rate)s %% for the %(half_year)s",
            margin=margin_text,
            rate=formatLang(self.env, float(rate), digits=2),
            half_year=rates._half_year_label(day),
        )

    def _collection_early_discount_text(self):
        self.ensure_one()
        term = self.invoice_payment_term_id
        if not term.early_discount:
            return _("No discount for early payment")
        percentage = formatLang(self.env, term.discount_percentage, digits=2)
        if self.invoice_date:
            return _(
                "Early payment discount: %(percentage)s %% if paid by %(date)s",
                percentage=percentage,
                date=format_date(
                    self.env, term._get_last_discount_date(self.invoice_date)
                ),
            )
        return _(
            "Early payment discount: %(percentage)s %% if paid within %(days)s days",
            percentage=percentage,
            days=term.discount_days,
        )

    def _collection_periods_table(self, periods):
        """Return an HTML table of the interest periods: days, balance, rate."""
        self.ensure_one()
        rows = Markup().join(
            Markup(
                "<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td><td class='text-end'>%s %%</td></tr>"
            )
            % (
                format_date(self.env, period.start),
                format_date(self.env, period.end),
                period.days,
                format_amount(self.env, float(period.balance), self.currency_id),
                formatLang(self.env, float(period.rate), digits=2),
            )
            for period in periods
        )
        header = Markup(
            "<thead><tr><th>%s</th><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr></thead>"
        ) % (_("From"), _("To"), _("Days"), _("Amount Due"), _("Annual Rate"))
        return Markup(
            "<table class='table table-sm o_collection_periods'>%s<tbody>%s</tbody>"
            "</table>"
        ) % (header, rows)

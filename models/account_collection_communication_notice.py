from odoo import fields, models
from odoo.tools import format_amount, format_date

from ..tools.amount_words import amount_to_words
from ..tools.notices import qr_code_data_uri


class AccountCollectionCommunication(models.Model):
    """The helpers of the notices (mail templates and printed letters) of a
    reminder: language, lines, amounts in words, place and date, recipient."""

    _inherit = "account.collection.communication"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_notice_lang(self):
        """Language of the notices: the customer's, else the company's."""
        self.ensure_one()
        return self.partner_id.lang or self.company_id.partner_id.lang or "en_US"

    def _get_notice_lines(self):
        """Open items printed on a notice: invoices first by due date, then credit
        notes and unallocated payments."""
        self.ensure_one()
        return self.line_ids.sorted(
            lambda line: (line.amount_residual < 0, line.date_maturity or self.date)
        )

    def _get_notice_overdue_lines(self):
        """Invoices past their due date, the ones a formal notice claims."""
        self.ensure_one()
        return self._get_notice_lines().filtered(
            lambda line: line.days_overdue > 0 and line.amount_residual > 0
        )

    def _get_notice_place_date(self):
        """Place and date of a letter, in the customer's language ("Lyon, le 3 mars
        2026")."""
        self.ensure_one()
        lang = self._get_notice_lang()
        env = self.with_context(lang=lang).env
        return env._(
            "%(city)s, %(date)s",
            city=self.company_id.city or self.company_id.name,
            date=format_date(env, self.date, lang_code=lang, date_format="long"),
        )

    def _get_notice_amount_in_words(self, amount=None):
        """``amount`` (default: the amount claimed) in words, in the customer's
        language and the communication's currency."""
        self.ensure_one()
        return amount_to_words(
            self.amount_claimed if amount is None else amount,
            self._get_notice_lang(),
            self.currency_id.name,
            self.currency_id.decimal_places,
        )

    def _get_notice_recovery_indemnity(self):
        """Fixed recovery indemnities (L441-10, D441-5) owed for the overdue invoices
        of the notice, formatted in its currency, or an empty string when none is
        owed. The late fees' rule decides (``account.collection.late.fee``): once
        per invoice paid late, by a professional customer under no insolvency
        procedure, the amount set on the company."""
        self.ensure_one()
        fees = self.env["account.collection.late.fee"]._get_late_fees(
            self._get_notice_overdue_lines().move_id, self.date
        )
        total = sum(fee.indemnity for fee in fees.values())
        if not total:
            return ""
        return format_amount(
            self.env,
            float(total),
            self.currency_id,
            lang_code=self._get_notice_lang(),
        )

    def _get_notice_qr_code(self, value):
        """``value`` (the customer's page) as a QR code image (PNG ``data:`` URI)
        for the notice; see ``tools.notices.qr_code_data_uri``."""
        return qr_code_data_uri(value)

    def _get_notice_filename(self):
        """File name of the printed notice (without extension)."""
        self.ensure_one()
        return (
            f"{self.level_id.name} - {self.partner_id.name} - "
            f"{fields.Date.to_string(self.date)}"
        )

    def _get_recipient(self):
        """The invoicing contact of the customer when it has an email address."""
        self.ensure_one()
        invoicing = self.partner_id.child_ids.filtered(
            lambda contact: contact.type == "invoice" and contact.email
        )
        return invoicing[:1] or self.partner_id

import logging
from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_amount, format_date, formatLang

from ..tools import late_payment

_logger = logging.getLogger(__name__)


class AccountCollectionLateFee(models.AbstractModel):
    """Charging of the late fees computed in account_collection_late_fee.py: the
    late-fee invoices, their lines and descriptions."""

    _inherit = "account.collection.late.fee"

    # ------------------------------------------------------------------
    # Charging
    # ------------------------------------------------------------------
    @api.model
    def _charge(self, invoices, today=None, raise_errors=False):
        """Invoice the interest and indemnities not charged yet of ``invoices``.

        One late-fee invoice per company, customer and currency, created in one batch.
        With ``raise_errors``, the first problem stops everything (nothing is
        created); otherwise, when the batch fails, the customers are charged one by
        one and each failure is logged and skipped.

        :return: the late-fee invoices created and posted.
        """
        today = today or fields.Date.context_today(self)
        invoices = invoices.filtered(lambda m: not m.collection_excluded)
        fees = self._get_late_fees(invoices, today)
        groups = defaultdict(lambda: self.env["account.move"])
        for invoice in invoices.sorted(lambda m: (m.invoice_date_due, m.name)):
            fee = fees.get(invoice.id)
            if not fee:
                continue
            if fee.error:
                message = _(
                    "Late fees of %(invoice)s cannot be computed: %(error)s",
                    invoice=invoice.name,
                    error=fee.error,
                )
                if raise_errors:
                    raise UserError(message)
                _logger.warning(message)
                continue
            if fee.to_charge > 0:
                self._log_rate_fallbacks(invoice, fee)
                key = (
                    invoice.company_id,
                    invoice.commercial_partner_id,
                    invoice.currency_id,
                )
                groups[key] |= invoice
        if not groups or raise_errors:
            return self._create_charge_invoices(groups, fees, today)
        try:
            with self.env.cr.savepoint():
                return self._create_charge_invoices(groups, fees, today)
        except (UserError, ValidationError) as error:
            # charge the customers one by one to isolate the failing ones
            _logger.info("Late fees charged customer by customer: %s", error)
        charge_moves = self.env["account.move"]
        for key, group in groups.items():
            try:
                with self.env.cr.savepoint():
                    charge_moves |= self._create_charge_invoices(
                        {key: group}, fees, today
                    )
            except (UserError, ValidationError) as error:
                _logger.warning(
                    "Late fees of %s not charged: %s", key[1].display_name, error
                )
        return charge_moves

    @api.model
    def _create_charge_invoices(self, groups, fees, today):
        """Create and post the late-fee invoices of ``groups``, in one batch per
        company: ``{(company, customer, currency): invoices}``."""
        charge_moves = self.env["account.move"]
        by_company = defaultdict(list)
        for (company, partner, currency), invoices in groups.items():
            by_company[company].append((partner, currency, invoices))
        for company, items in by_company.items():
            service = self.with_company(company)
            vals_list = [
                service._prepare_charge_invoice_vals(
                    partner, currency, invoices, fees, today
                )
                for partner, currency, invoices in items
            ]
            # The charges record what each late-fee invoice charged: written by this
            # service only, whoever charges (users read them).
            charges = [vals.pop("collection_charged_ids") for vals in vals_list]
            moves = self.env["account.move"].with_company(company).create(vals_list)
            self.env["account.collection.charge"].sudo().create(
                [
                    {**command[2], "charge_move_id": move.id}
                    for move, commands in zip(moves, charges, strict=True)
                    for command in commands
                ]
            )
            moves.action_post()
            charge_moves |= moves
        return charge_moves

    @api.model
    def _prepare_charge_invoice_vals(self, partner, currency, invoices, fees, today):
        company = self.env.company
        self = self.with_context(lang=partner.lang or self.env.lang)
        interest_product = self.env.ref("account_collection.product_late_interest")
        indemnity_product = self.env.ref(
            "account_collection.product_recovery_indemnity"
        )
        lines, charges = [], []
        for invoice in invoices:
            fee = fees[invoice.id]
            if fee.interest_to_charge > 0:
                lines.append(
                    self._prepare_charge_line_vals(
                        interest_product,
                        self._interest_description(invoice, fee, currency),
                        fee.interest_to_charge,
                        company.collection_interest_account_id,
                    )
                )
            if fee.indemnity_to_charge > 0:
                lines.append(
                    self._prepare_charge_line_vals(
                        indemnity_product,
                        self._indemnity_description(invoice),
                        fee.indemnity_to_charge,
                        company.collection_indemnity_account_id,
                    )
                )
            charges.append(
                Command.create(
                    {
                        "source_move_id": invoice.id,
                        "date_from": fee.charge_from,
                        "date_to": fee.charge_to,
                        "days": sum(p.days for p in fee.periods_to_charge),
                        "interest_amount": float(fee.interest_to_charge),
                        "indemnity_amount": float(fee.indemnity_to_charge),
                        "description": self._periods_description(
                            fee.periods_to_charge, currency, company
                        ),
                    }
                )
            )
        vals = {
            "move_type": "out_invoice",
            "company_id": company.id,
            "partner_id": partner.id,
            "currency_id": currency.id,
            "invoice_date": today,
            "invoice_origin": ", ".join(invoices.mapped("name")),
            "collection_charge_invoice": True,
            "collection_generated": True,
            "invoice_line_ids": lines,
            "collection_charged_ids": charges,
        }
        if company.collection_charge_journal_id:
            vals["journal_id"] = company.collection_charge_journal_id.id
        return vals

    @api.model
    def _prepare_charge_line_vals(self, product, name, amount, account):
        vals = {
            "product_id": product.id,
            "name": name,
            "quantity": 1,
            "price_unit": float(amount),
            "tax_ids": [Command.clear()],  # outside the scope of VAT
        }
        if account:
            vals["account_id"] = account.id
        return Command.create(vals)

    # ------------------------------------------------------------------
    # Descriptions (in the language of self's context)
    # ------------------------------------------------------------------
    @api.model
    def _interest_description(self, invoice, fee, currency):
        periods = fee.periods_to_charge
        title = _(
            "Late-payment interest on invoice %(invoice)s from %(date_from)s to "
            "%(date_to)s",
            invoice=invoice.name,
            date_from=format_date(self.env, periods[0].start),
            date_to=format_date(self.env, max(p.end for p in periods)),
        )
        details = self._periods_description(periods, currency, invoice.company_id)
        notes = self._rate_fallback_notes(self._charged_fallbacks(fee))
        return "\n".join([title, details, *notes])

    @api.model
    def _charged_fallbacks(self, fee):
        """The rate fallbacks of the half-years of the periods charged now."""
        starts = {
            start
            for period in fee.periods_to_charge
            for start in late_payment.half_year_starts(period.start, period.end)
        }
        return tuple(item for item in fee.fallbacks if item[0].half_year in starts)

    @api.model
    def _log_rate_fallbacks(self, invoice, fee):
        """Log at INFO the late fees charged with the last known rate of a half-year
        whose rate was missing (the charge line says it to the customer and user)."""
        notes = self.with_context(lang="en_US")._rate_fallback_notes(
            self._charged_fallbacks(fee)
        )
        if notes:
            _logger.info(
                "Late fees of %s charged with a fallback rate: %s",
                invoice.name,
                " ".join(notes),
            )

    @api.model
    def _periods_description(self, periods, currency, company):
        year_days = company.collection_interest_year_days or 365
        return "\n".join(
            _(
                "- %(date_from)s to %(date_to)s: %(days)s days x %(balance)s x "
                "%(rate)s %% / %(year_days)s",
                date_from=format_date(self.env, period.start),
                date_to=format_date(self.env, period.end),
                days=period.days,
                balance=format_amount(self.env, float(period.balance), currency),
                rate=formatLang(self.env, float(period.rate), digits=2),
                year_days=year_days,
            )
            for period in periods
        )

    @api.model
    def _indemnity_description(self, invoice):
        return _(
            "Fixed indemnity for recovery costs, invoice %(invoice)s due on %(date)s",
            invoice=invoice.name,
            date=format_date(self.env, invoice.invoice_date_due),
        )

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date, formatLang

from ..tools import late_payment

ZERO = Decimal(0)


class LateFees(NamedTuple):
    """Late-payment fees of one customer invoice on a given day, in its currency."""

    late_days: int
    interest: Decimal  # interest of all the late days to date
    periods: tuple  # the InterestPeriod of that interest
    indemnity: Decimal  # fixed recovery indemnity owed, 0 when none is
    interest_charged: Decimal
    indemnity_charged: Decimal
    charge_from: date | None  # first day not charged yet
    charge_to: date | None  # last day that can be charged today
    interest_to_charge: Decimal
    periods_to_charge: tuple
    indemnity_to_charge: Decimal
    error: str
    # ``(HalfYearRate, "legal" or "ecb")`` of the half-years of ``periods`` computed with the
    # last known rate because their own was not entered
    fallbacks: tuple = ()

    @property
    def to_charge(self):
        return self.interest_to_charge + self.indemnity_to_charge


class AccountCollectionLateFee(models.AbstractModel):
    """Computes and charges late-payment interest and the fixed recovery indemnity.

    Everything is computed in batch from the real payment dates, read from the partial
    reconciliations of the receivable lines, and the pure functions of
    ``tools.late_payment``. Used by account.move (fields, on-demand charging, the
    dunning cycle's hook) and res.partner (totals).
    """

    _name = "account.collection.late.fee"
    _description = "Late-Payment Fees"

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------
    @api.model
    def _get_late_fees(self, invoices, today=None):
        """Return ``{invoice id: LateFees}`` for the posted customer invoices among
        ``invoices``, as of ``today`` (the context date by default)."""
        today = today or fields.Date.context_today(self)
        invoices = invoices.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state == "posted"
            and not m.collection_charge_invoice
        )
        if not invoices:
            return {}
        terms = invoices.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        terms_by_invoice = terms.grouped("move_id")
        payments = self._get_payments(terms)
        charged = self._get_charged(invoices)
        histories = self.env["account.collection.rate"]._get_histories()
        consumers = invoices.filtered(
            lambda m: m.commercial_partner_id.collection_debtor_type == "consumer"
        )
        notices = self._get_formal_notice_dates(consumers)
        exempt = self.env["account.move"]._collection_interest_exempt_periods(
            invoices.filtered("company_id.collection_interest_plan_exempt")
        )
        indemnities = self._get_indemnity_amounts(invoices, today)
        rate_functions = {}
        result = {}
        for invoice in invoices:
            professional = invoice.commercial_partner_id.collection_debtor_type != (
                "consumer"
            )
            key = (invoice.company_id.id, professional)
            if key not in rate_functions:
                rate_functions[key] = self._get_rate_function(
                    invoice.company_id, professional, histories
                )
            rate_function, rates_used = rate_functions[key]
            rate = late_payment.rate_outside(rate_function, exempt.get(invoice.id, ()))
            fee = self._get_invoice_late_fees(
                invoice,
                today,
                [
                    (term, payments.get(term.id, []))
                    for term in terms_by_invoice.get(invoice, terms.browse())
                ],
                charged.get(invoice.id),
                rate,
                notices.get(invoice.id),
                indemnities.get(invoice.id, ZERO),
            )
            result[invoice.id] = fee._replace(
                fallbacks=self._get_rate_fallbacks(fee.periods, rates_used)
            )
        return result

    @api.model
    def _get_rate_fallbacks(self, periods, rates_used):
        """Return the ``(HalfYearRate, rate kind)`` of the half-years of ``periods``
        whose rate was missing, in date order.

        :param rates_used: ``{half-year start: (HalfYearRate or None, rate kind)}``
            filled by the rate function of :meth:`_get_rate_function`.
        """
        starts = {
            start
            for period in periods
            for start in late_payment.half_year_starts(period.start, period.end)
        }
        return tuple(
            rates_used[start]
            for start in sorted(starts)
            if start in rates_used
            and rates_used[start][0]
            and rates_used[start][0].fallback
        )

    @api.model
    def _get_invoice_late_fees(
        self, invoice, today, terms, charged, rate, notice_date, indemnity_amount
    ):
        """Return the LateFees of one invoice from data already read in batch.

        :param terms: ``[(receivable line, [(payment date, amount)])]``.
        :param charged: ``(last day charged, interest, indemnity)`` or None.
        :param notice_date: date of the formal notice sent to a consumer, or None.
        """
        partner = invoice.commercial_partner_id
        professional = partner.collection_debtor_type != "consumer"
        insolvent = partner._collection_insolvent_on(today)
        interest_end = today
        if insolvent:
            # The opening judgment stops the interest (Code de commerce L622-28).
            interest_end = partner.collection_insolvency_date - late_payment.ONE_DAY
        year_days = invoice.company_id.collection_interest_year_days or 365
        quantum = Decimal(1).scaleb(-invoice.currency_id.decimal_places)
        last_charged, interest_charged, indemnity_charged = charged or (
            None,
            ZERO,
            ZERO,
        )
        spans, periods = [], []
        error = ""
        for term, payments in terms:
            amount = Decimal(str(term.amount_currency))
            if amount <= 0:
                continue
            due = term.date_maturity
            span = late_payment.late_span(amount, due, today, payments)
            if span:
                spans.append(span)
            # Consumers owe the legal interest from the formal notice (Code civil 1231-6).
            start = due if professional else notice_date and max(due, notice_date)
            if not start or error:
                continue
            try:
                periods += late_payment.interest_periods(
                    amount, start, interest_end, payments, rate
                )
            except UserError as exception:
                error = exception.args[0]
                periods = []
        periods.sort()
        periods_to_charge = late_payment.periods_after(periods, last_charged)
        late_days = 0
        if spans:
            first_day = min(span[0] for span in spans)
            late_days = (max(span[1] for span in spans) - first_day).days + 1
        indemnity = late_payment.recovery_indemnity(
            bool(spans), professional, insolvency=insolvent, amount=indemnity_amount
        )
        interest_to_charge = late_payment.interest_of_periods(
            periods_to_charge, year_days, quantum
        )
        if periods_to_charge:
            charge_from = periods_to_charge[0].start
        elif terms:
            first_due = min(term.date_maturity for term, _payments in terms)
            charge_from = (last_charged or first_due) + late_payment.ONE_DAY
        else:
            charge_from = None
        return LateFees(
            late_days=late_days,
            interest=late_payment.interest_of_periods(periods, year_days, quantum),
            periods=tuple(periods),
            indemnity=indemnity,
            interest_charged=interest_charged,
            indemnity_charged=indemnity_charged,
            charge_from=charge_from,
            charge_to=interest_end,
            interest_to_charge=interest_to_charge,
            periods_to_charge=tuple(periods_to_charge),
            indemnity_to_charge=ZERO if indemnity_charged else indemnity,
            error=error,
        )

    @api.model
    def _get_payments(self, terms):
        """Return ``{receivable line id: [(date received, amount in invoice currency)]}``.

        Each partial reconciliation of a receivable line is one amount received: it is
        dated by its counterpart (the payment, bank statement line or credit note).
        Exchange differences carry no amount in the invoice currency and change nothing.
        """
        partials = (
            self.env["account.partial.reconcile"]
            .sudo()
            .search_fetch(
                [("debit_move_id", "in", terms.ids)],
                ["debit_move_id", "credit_move_id", "debit_amount_currency"],
            )
        )
        partials.credit_move_id.fetch(["date"])
        payments = defaultdict(list)
        for partial in partials:
            payments[partial.debit_move_id.id].append(
                (
                    partial.credit_move_id.date,
                    Decimal(str(partial.debit_amount_currency)),
                )
            )
        return payments

    @api.model
    def _get_charged(self, invoices):
        """Return ``{invoice id: (last day charged, interest, indemnity)}`` of the
        charges that still count (not cancelled nor reversed)."""
        groups = (
            self.env["account.collection.charge"]
            .sudo()
            ._read_group(
                [("source_move_id", "in", invoices.ids), ("state", "!=", "cancel")],
                ["source_move_id"],
                ["date_to:max", "interest_amount:sum", "indemnity_amount:sum"],
            )
        )
        return {
            move.id: (
                date_to,
                Decimal(str(interest)),
                Decimal(str(indemnity)),
            )
            for move, date_to, interest, indemnity in groups
        }

    @api.model
    def _get_formal_notice_dates(self, invoices):
        """Return ``{invoice id: date of the first formal notice sent for it}``."""
        if not invoices:
            return {}
        groups = (
            self.env["account.collection.communication.line"]
            .sudo()
            ._read_group(
                [
                    ("move_id", "in", invoices.ids),
                    ("state", "=", "sent"),
                    ("communication_id.formal_notice", "=", True),
                ],
                ["move_id"],
                ["date:min"],
            )
        )
        return {move.id: notice_date for move, notice_date in groups}

    @api.model
    def _get_indemnity_amounts(self, invoices, today):
        """Return ``{invoice id: fixed indemnity in the invoice currency}``.

        The indemnity is set in the company currency (40 EUR in France) and converted
        at ``today``'s rate, once per company and currency.
        """
        rates = {}
        amounts = {}
        for invoice in invoices:
            company, currency = invoice.company_id, invoice.currency_id
            if (company, currency) not in rates:
                converted = company.currency_id._convert(
                    company.collection_indemnity_amount, currency, company, today
                )
                rates[company, currency] = Decimal(str(converted))
            amounts[invoice.id] = rates[company, currency]
        return amounts

    @api.model
    def _get_rate_function(self, company, professional, histories):
        """Return ``(rate, rates_used)``: the callable ``day -> annual percent`` of
        ``company``'s penalties, and the dict it fills with the reference rate each
        half-year used, ``{half-year start: (HalfYearRate or None, rate kind)}``,
        the kind being "legal" or "ecb".

        Professional customers: the ECB rate of the half-year + the margin, or the
        contractual rate floored at 3 x the legal interest rate. Consumers: the legal
        interest rate (creditor other than a private person). A half-year whose rate
        was not entered uses the last known one, flagged as a fallback
        (``tools.late_payment.half_year_rate``). The rate of each half-year is looked
        up once.
        """
        legal = histories["legal_professional"]
        if not professional:
            rate_kind, rate_name = "legal", _("legal interest rate")

            def compute(day):
                used = late_payment.half_year_rate(legal, day, per_half_year=True)
                return used.rate, used

        elif company.collection_penalty_rate_mode == "contractual":
            rate_kind, rate_name = "legal", _("legal interest rate")
            contractual = Decimal(str(company.collection_contractual_rate))

            def compute(day):
                try:
                    used = late_payment.half_year_rate(legal, day, per_half_year=True)
                except ValueError:
                    used = None  # before the first legal rate: no floor
                rate = late_payment.floored_contractual_rate(day, contractual, legal)
                return rate, used

        else:
            rate_kind, rate_name = "ecb", _("ECB main refinancing rate")
            ecb = histories["ecb"]
            margin = Decimal(str(company.collection_penalty_margin))

            def compute(day):
                used = late_payment.half_year_rate(ecb, day)
                return used.rate + margin, used

        cache = {}
        rates_used = {}

        def rate(day):
            half_year = (day.year, day.month > 6)
            if half_year not in cache:
                try:
                    cache[half_year], used = compute(day)
                except ValueError:
                    raise UserError(
                        _(
                            "No %(rate)s is recorded for the %(half_year)s. Add it in "
                            "Accounting > Configuration > Collection > Late-Payment "
                            "Rates.",
                            rate=rate_name,
                            half_year=self.env[
                                "account.collection.rate"
                            ]._half_year_label(day),
                        )
                    ) from None
                rates_used[late_payment.half_year_start(day)] = (used, rate_kind)
            return cache[half_year]

        return rate, rates_used

    @api.model
    def _rate_fallback_notes(self, fallbacks):
        """Return one sentence per ``(HalfYearRate, rate kind)`` of ``fallbacks``,
        in the language of self's context: which half-year's rate was missing and
        which rate was used instead."""
        rates = self.env["account.collection.rate"]
        names = {
            "legal": _("legal interest rate"),
            "ecb": _("ECB main refinancing rate"),
        }
        return [
            _(
                "The %(rate)s of the %(half_year)s has not been entered: the last "
                "known one, %(percent)s %% in force since %(date)s, is used.",
                rate=names[kind],
                half_year=rates._half_year_label(used.half_year),
                percent=formatLang(self.env, float(used.rate), digits=2),
                date=format_date(self.env, used.effective_date),
            )
            for used, kind in fallbacks
        ]

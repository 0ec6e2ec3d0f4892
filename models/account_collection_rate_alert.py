from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools.misc import format_date, formatLang

from ..tools import late_payment
from ..tools.groups import COLLECTION_MANAGER
from .account_collection_rate import LEGAL_RATE_TYPES, RATE_TYPES


class AccountCollectionRate(models.Model):
    """Rates as they change: when a half-year has begun and one of its reference
    rates has not been entered, a collection manager is told by an activity (one
    per missing rate, never repeated) instead of the last known rate being used
    in silence. Entering the rate closes the activity."""

    _inherit = "account.collection.rate"

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self._collection_close_rate_alerts()
        return records

    def write(self, vals):
        result = super().write(vals)
        if {"rate_type", "date_from"} & set(vals):
            self._collection_close_rate_alerts()
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _collection_missing_rates(self, day=None, since=None):
        """Return ``[(rate_type, half_year_start)]`` of the reference rates missing
        for the half-years begun from that of ``since`` (default: ``day``) to that
        of ``day`` (default: today), in date order. Whether a rate counts as
        entered is ``tools.late_payment.rate_entered``: a legal interest rate on the
        first day of its half-year; the ECB rate of the reference date (1 January /
        1 July) when an ECB rate is dated after the start of the half-year before
        it. A half-year before the first rate of its type is not reported: there is
        no last known rate to use instead, and the late fees of its days say they
        cannot be computed."""
        day = day or fields.Date.context_today(self)
        histories = self._get_histories()
        missing = []
        for start in late_payment.half_year_starts(since or day, day):
            for rate_type, _label in RATE_TYPES:
                history = histories[rate_type]
                if history and min(history)[0] > start:
                    continue
                per_half_year = rate_type in LEGAL_RATE_TYPES
                if not late_payment.rate_entered(history, start, per_half_year):
                    missing.append((rate_type, start))
        return missing

    @api.model
    def get_missing_rates_banner(self):
        """Return the lines of the warning banner of the rates list, one per rate
        type missing for a half-year begun and still used: from the half-year of
        the oldest due date of an open overdue receivable of the user's companies
        to the current one. Each line names the half-years and the last known rate
        that the late fees use meanwhile. An empty list: no banner."""
        today = fields.Date.context_today(self)
        items = self.env["account.move.line"]
        [(oldest,)] = items._read_group(
            [
                *items._collection_open_items_domain(self.env.companies),
                ("date_maturity", "<", today),
            ],
            aggregates=["date_maturity:min"],
        )
        missing = defaultdict(list)
        for rate_type, start in self._collection_missing_rates(today, oldest or today):
            missing[rate_type].append(start)
        if not missing:
            return []
        histories = self._get_histories()
        labels = dict(self._fields["rate_type"]._description_selection(self.env))
        lines = []
        for rate_type, _label in RATE_TYPES:
            starts = missing.get(rate_type)
            if not starts:
                continue
            half_years = ", ".join(self._half_year_label(start) for start in starts)
            history = histories[rate_type]
            if not history:
                lines.append(
                    _(
                        "%(rate)s: not entered for the %(half_years)s. Late fees of "
                        "these days cannot be computed until it is.",
                        rate=labels[rate_type],
                        half_years=half_years,
                    )
                )
                continue
            used = late_payment.half_year_rate(
                history, starts[-1], per_half_year=rate_type in LEGAL_RATE_TYPES
            )
            lines.append(
                _(
                    "%(rate)s: not entered for the %(half_years)s. The last known "
                    "rate, %(percent)s %% in force since %(date)s, is used meanwhile.",
                    rate=labels[rate_type],
                    half_years=half_years,
                    percent=formatLang(self.env, float(used.rate), digits=2),
                    date=format_date(self.env, used.effective_date),
                )
            )
        return lines

    @api.model
    def _collection_rate_alert_summary(self, rate_type, start):
        labels = dict(self._fields["rate_type"]._description_selection(self.env))
        return _(
            "Missing rate: %(rate)s of the %(half_year)s",
            rate=labels[rate_type],
            half_year=self._half_year_label(start),
        )

    @api.model
    def _collection_rate_alert_target(self):
        """The record the alerts are attached to (the partner of the first
        company) and the manager they are assigned to."""
        company = self.env["res.company"].sudo().search([], order="id", limit=1)
        manager = (
            self.env.ref(COLLECTION_MANAGER)
            .sudo()
            .users.filtered(lambda user: user.active and not user.share)
            .sorted("id")[:1]
        ) or self.env.ref("base.user_admin")
        return company.partner_id, manager

    @api.model
    def _collection_rate_alerts(self, partner, manager):
        """Open alert activities by summary, in the manager's language."""
        env = self.with_context(lang=manager.lang).env
        summaries = {}
        start = late_payment.half_year_start(fields.Date.context_today(self))
        for rate_type, _label in RATE_TYPES:
            summaries[
                env["account.collection.rate"]._collection_rate_alert_summary(
                    rate_type, start
                )
            ] = (rate_type, start)
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    ("summary", "in", list(summaries)),
                ]
            )
        )
        return {summaries[activity.summary]: activity for activity in activities}, env

    @api.model
    def _cron_collection_check_rates(self):
        """Daily: one activity per reference rate missing for the half-year begun,
        never repeated while it stays open."""
        partner, manager = self._collection_rate_alert_target()
        if not partner:
            return
        open_alerts, env = self._collection_rate_alerts(partner, manager)
        rates = env["account.collection.rate"]
        for rate_type, start in self._collection_missing_rates():
            if (rate_type, start) in open_alerts:
                continue
            partner.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=rates._collection_rate_alert_summary(rate_type, start),
                note=_(
                    "The %(half_year)s has begun and its %(rate)s has not been "
                    "entered: late fees would use the last known rate. Enter it in "
                    "Accounting > Configuration > Collection > Late-Payment Rates.",
                    half_year=rates._half_year_label(start),
                    rate=dict(rates._fields["rate_type"]._description_selection(env))[
                        rate_type
                    ],
                ),
                user_id=manager.id,
            )

    @api.model
    def _collection_close_rate_alerts(self):
        """Mark done the alerts of the rates now entered."""
        partner, manager = self._collection_rate_alert_target()
        if not partner:
            return
        open_alerts, _env = self._collection_rate_alerts(partner, manager)
        if not open_alerts:
            return
        missing = set(self._collection_missing_rates())
        done = (
            self.env["mail.activity"]
            .sudo()
            .union(
                *(
                    activity
                    for key, activity in open_alerts.items()
                    if key not in missing
                )
            )
        )
        if done:
            done.action_feedback(feedback=_("Rate entered."))

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

from ..tools import late_payment
from ..tools.groups import COLLECTION_MANAGER
from .account_collection_rate import RATE_TYPES


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
    def _collection_missing_rates(self, day=None):
        """Return ``[(rate_type, half_year_start)]`` of the reference rates missing
        for the half-year of ``day`` (default: today). A legal interest rate is
        entered on the first day of its half-year; the ECB rate of the reference
        date (1 January / 1 July) counts as entered when an ECB rate is dated on
        that day or in the half-year before it (a decision recorded since the
        previous reference date)."""
        day = day or fields.Date.context_today(self)
        start = late_payment.half_year_start(day)
        previous = start - relativedelta(months=6)
        rates = self.sudo().search_fetch(
            [("date_from", ">", previous), ("date_from", "<=", start)],
            ["rate_type", "date_from"],
        )
        entered = {
            rate.rate_type
            for rate in rates
            if rate.rate_type == "ecb" or rate.date_from == start
        }
        return [
            (rate_type, start)
            for rate_type, _label in RATE_TYPES
            if rate_type not in entered
        ]

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

import datetime
from collections import defaultdict
from typing import NamedTuple

from markupsafe import Markup

from odoo import _, models
from odoo.tools import format_amount


class CreditWaiting(NamedTuple):
    """Open credits of a customer in one currency that cover invoices due."""

    currency_id: int
    credit: float  # open credit notes and unallocated payments
    due: float  # invoices due
    last_credit_date: datetime.date  # date of the latest credit


class AccountCollectionEngine(models.AbstractModel):
    """Credits waiting to be allocated: a customer whose open credit notes and
    unallocated payments cover its invoices due is not reminded; its collector is
    asked to allocate them."""

    _inherit = "account.collection.engine"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _credit_covered_groups(self, policy, currency_groups, date):
        """Return a :class:`CreditWaiting` for each currency in which the customer's
        open credits cover invoices that reached a level (so that they reach a
        lower level or none)."""
        covered = []
        for currency_id, items in currency_groups.items():
            credits = [item for item in items if item["amount_residual"] < 0]
            if not credits or all(
                level == level_before_credits
                for _item, _days, level, level_before_credits in policy._get_reached_levels(
                    items, date
                )
            ):
                continue
            covered.append(
                CreditWaiting(
                    currency_id=currency_id,
                    credit=-sum(item["amount_residual_currency"] for item in credits),
                    due=sum(
                        item["amount_residual_currency"]
                        for item in items
                        if item["amount_residual"] > 0 and item["date_maturity"] <= date
                    ),
                    last_credit_date=max(item["date"] for item in credits),
                )
            )
        return covered

    def _notify_credit_waiting(self, credit_waiting, date):
        """Ask the collectors of the customers whose open credits cover their
        invoices due, instead of reminding them, to allocate those credits: one
        activity per customer, not renewed while it is open, nor once done as long
        as no newer credit came in.

        :param credit_waiting: ``{customer: [CreditWaiting]}``.
        """
        activity_type = self.env.ref(
            "account_collection.mail_activity_type_collection_credit",
            raise_if_not_found=False,
        )
        if not credit_waiting or not activity_type:
            return
        partners = self.env["res.partner"].union(*credit_waiting)
        activities = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id", "active", "date_done"],
            )
        )
        activities_by_partner = defaultdict(list)
        for activity in activities:
            activities_by_partner[activity.res_id].append(activity)
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for partner, groups in credit_waiting.items():
            last_credit_date = max(group.last_credit_date for group in groups)
            if any(
                activity.active
                or (activity.date_done and activity.date_done >= last_credit_date)
                for activity in activities_by_partner[partner.id]
            ):
                continue
            # An activity needs someone: Odoo's default, the user running it.
            user = (
                partner._collection_responsible_user(self.env.company) or self.env.user
            )
            note = Markup().join(
                Markup("<p>%s</p>")
                % _(
                    "Open credit notes and payments of %(credit)s cover the invoices "
                    "due of %(due)s: no reminder was sent.",
                    credit=format_amount(self.env, group.credit, currency),
                    due=format_amount(self.env, group.due, currency),
                )
                for group in groups
                for currency in [self.env["res.currency"].browse(group.currency_id)]
            )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "summary": _("Allocate the open credit of %s", partner.name),
                    "note": note,
                    "user_id": user.id,
                    "date_deadline": date,
                }
            )
        self.env["mail.activity"].create(vals_list)

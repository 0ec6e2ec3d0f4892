from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.levels import allocate_credits, next_level, reached_level


class AccountCollectionPolicy(models.Model):
    _name = "account.collection.policy"
    _description = "Collection Policy"
    _order = "sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    level_ids = fields.One2many(
        "account.collection.level",
        "policy_id",
        string="Levels",
        copy=True,
    )
    level_count = fields.Integer(compute="_compute_level_count")
    min_interval_days = fields.Integer(
        string="Minimum Days Between Reminders",
        default=5,
        help="A customer is not reminded again before this number of days, even when "
        "another of its invoices reaches a new level.",
    )
    note = fields.Html(translate=True)
    portal_promise_max_days = fields.Integer(
        string="Portal Promise Limit (Days)",
        default=30,
        help="From their collection page, customers promise to pay at most this "
        "number of days ahead.",
    )
    portal_plan_max_installments = fields.Integer(
        string="Portal Plan Installments (Max)",
        default=6,
        help="From their collection page, customers ask for a payment plan of at "
        "most this number of installments.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("min_interval_days")
    def _check_min_interval_days(self):
        if any(policy.min_interval_days < 0 for policy in self):
            raise ValidationError(
                _("The minimum number of days between reminders cannot be negative.")
            )

    @api.constrains("portal_promise_max_days")
    def _check_portal_promise_max_days(self):
        if any(policy.portal_promise_max_days < 0 for policy in self):
            raise ValidationError(_("The portal promise limit cannot be negative."))

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_level_for(self, days_overdue, amount, ladder=None):
        """Return the highest level of the policy reached by an invoice that is
        ``days_overdue`` days past its due date (negative before the due date)
        with ``amount`` still due, or an empty recordset.

        :param ladder: ``_get_level_ladder()``, when the caller looks up many
            invoices of the same policy."""
        self.ensure_one()
        reached = reached_level(
            ladder or self._get_level_ladder(), days_overdue, amount
        )
        return reached or self.env["account.collection.level"]

    def _get_next_level(self, level):
        """Return the level of the policy after ``level`` (the first one when
        ``level`` is empty), or an empty recordset after the last level or when
        there is no policy."""
        reached = next_level(
            self._get_level_ladder() if self else [], level.days if level else None
        )
        return reached or self.env["account.collection.level"]

    def _get_reached_levels(self, items, date):
        """Yield ``(item, days overdue, level, level before credits)`` for the open
        items of one customer in one currency (dictionaries with the
        ``amount_residual`` and ``date_maturity`` of each item, sorted by due date).

        The level is the highest level of the policy the item reaches once the
        customer's open credit notes and unallocated payments are set off against
        its invoices, the oldest due first (Code civil 1342-10): an invoice they
        cover reaches no level, one they partly cover is measured against the
        minimum amounts of the levels by what is left of it. The level before
        credits is the one it would reach without them. Both are empty for the
        credits."""
        self.ensure_one()
        ladder = self._get_level_ladder()
        no_level = self.env["account.collection.level"]
        amounts_left = allocate_credits(
            [item["amount_residual"] for item in items],
            self.env.company.currency_id.decimal_places,
        )
        for item, amount_left in zip(items, amounts_left, strict=True):
            days = (date - item["date_maturity"]).days
            if item["amount_residual"] < 0:
                yield item, days, no_level, no_level
                continue
            level = self._get_level_for(days, item["amount_residual"], ladder)
            if amount_left == item["amount_residual"]:
                yield item, days, level, level
            elif amount_left > 0:
                yield (
                    item,
                    days,
                    self._get_level_for(days, amount_left, ladder),
                    level,
                )
            else:
                yield item, days, no_level, level

    def _get_level_ladder(self):
        """The levels of the policy as :func:`reached_level` reads them."""
        self.ensure_one()
        return [
            (level.days, level.min_amount, level)
            for level in self.level_ids.sorted(
                lambda level: (level.days, level.sequence)
            )
        ]

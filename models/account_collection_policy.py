from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.levels import reached_level


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

    def _get_level_ladder(self):
        """The levels of the policy as :func:`reached_level` reads them."""
        self.ensure_one()
        return [
            (level.days, level.min_amount, level)
            for level in self.level_ids.sorted(
                lambda level: (level.days, level.sequence)
            )
        ]

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


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
    def _get_level_for(self, days_overdue, amount):
        """Return the highest level of the policy reached by an invoice that is
        ``days_overdue`` days past its due date (negative before the due date)
        with ``amount`` still due, or an empty recordset."""
        self.ensure_one()
        # Called for every open invoice of the cycle: a plain loop, no recordset
        # filtered and sorted per call.
        reached = self.env["account.collection.level"]
        for level in self.level_ids:
            if (
                level.days <= days_overdue
                and amount >= level.min_amount
                and (
                    not reached
                    or (level.days, level.sequence) > (reached.days, reached.sequence)
                )
            ):
                reached = level
        return reached

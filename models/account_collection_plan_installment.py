from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date, formatLang

from ..tools import installments


class AccountCollectionPlanInstallment(models.Model):
    """One dated payment of a payment plan. What the customer pays on the plan's
    invoices is allocated to the installments in date order."""

    _name = "account.collection.plan.installment"
    _description = "Payment Plan Installment"
    _order = "plan_id, date_due, id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    plan_id = fields.Many2one(
        "account.collection.plan",
        string="Payment Plan",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(compute="_compute_name")
    is_down_payment = fields.Boolean(string="Down Payment")
    date_due = fields.Date(string="Due Date", required=True, index=True)
    amount = fields.Monetary(required=True)
    amount_paid = fields.Monetary(
        string="Paid", compute="_compute_amount_paid", store=True
    )
    amount_residual = fields.Monetary(
        string="Left to Pay", compute="_compute_amount_paid", store=True
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("partial", "Partially Paid"),
            ("paid", "Paid"),
            ("late", "Late"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
        help="Late: not fully paid after its due date. The plan is breached when an "
        "installment is still late after the grace period.",
    )
    reminder_date = fields.Date(
        string="Reminded On",
        readonly=True,
        copy=False,
        help="Date the customer was reminded of this installment.",
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="plan_id.currency_id")
    partner_id = fields.Many2one(
        related="plan_id.partner_id", string="Customer", store=True, index=True
    )
    plan_state = fields.Selection(
        related="plan_id.state", string="Plan Status", store=True
    )
    user_id = fields.Many2one(related="plan_id.user_id", string="Responsible")

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("amount", "date_due", "currency_id", "is_down_payment")
    def _compute_name(self):
        for line in self:
            values = {
                "amount": formatLang(
                    self.env, line.amount, currency_obj=line.currency_id
                ),
                "date": format_date(self.env, line.date_due),
            }
            if line.is_down_payment:
                line.name = _("down payment of %(amount)s due on %(date)s", **values)
            else:
                line.name = _("%(amount)s due on %(date)s", **values)

    @api.depends("name", "partner_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.partner_id.name or ''}: {line.name}"

    @api.depends(
        "amount",
        "date_due",
        "plan_id.amount_paid",
        "plan_id.installment_ids.amount",
        "plan_id.installment_ids.date_due",
    )
    def _compute_amount_paid(self):
        """Allocate the plan's paid amount to its installments, oldest first."""
        for plan in self.plan_id:
            lines = plan.installment_ids
            digits = plan.currency_id.decimal_places or 2
            paid = installments.allocate_payments(
                [
                    (line.date_due or fields.Date.today(), line.amount or 0.0)
                    for line in lines
                ],
                Decimal(str(round(plan.amount_paid, digits))),
            )
            allocation = dict(zip(lines, paid, strict=True))
            for line in self.filtered(lambda rec, plan=plan: rec.plan_id == plan):
                line.amount_paid = float(allocation.get(line, 0))
                line.amount_residual = line.amount - line.amount_paid
        for line in self.filtered(lambda rec: not rec.plan_id):
            line.amount_paid = 0.0
            line.amount_residual = line.amount

    @api.depends("amount_paid", "amount", "date_due")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for line in self:
            currency = line.currency_id or line.company_id.currency_id
            left = line.amount - line.amount_paid
            if line.amount and currency.compare_amounts(left, 0.0) <= 0:
                line.state = "paid"
            elif line.date_due and line.date_due < today:
                line.state = "late"
            elif currency.compare_amounts(line.amount_paid, 0.0) > 0:
                line.state = "partial"
            else:
                line.state = "pending"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("amount")
    def _check_amount(self):
        for line in self:
            if line.currency_id.compare_amounts(line.amount, 0.0) <= 0:
                raise ValidationError(
                    _(
                        "The installment of %(plan)s due on %(date)s must have an "
                        "amount above zero.",
                        plan=line.plan_id.name,
                        date=line.date_due,
                    )
                )

    @api.constrains("date_due", "plan_id")
    def _check_date_unique(self):
        for plan in self.plan_id:
            dates = plan.installment_ids.mapped("date_due")
            if len(dates) != len(set(dates)):
                raise ValidationError(
                    _(
                        "Two installments of payment plan %s fall on the same date: "
                        "each needs its own date.",
                        plan.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_plan_is_draft()
        return lines

    def write(self, vals):
        if set(vals) & {"amount", "date_due", "plan_id", "is_down_payment"}:
            self._check_plan_is_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_plan_running(self):
        self.filtered(
            lambda line: line.plan_id.state != "cancelled"
        )._check_plan_is_draft()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_plan_is_draft(self):
        running = self.plan_id.filtered(lambda plan: plan.state != "draft")
        if running:
            raise ValidationError(
                _(
                    "The schedule of payment plan %s is agreed: it can only be "
                    "changed while the plan is a draft.",
                    running[0].name,
                )
            )

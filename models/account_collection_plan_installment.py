from decimal import Decimal

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang

from ..tools import installments


class AccountCollectionPlanInstallment(models.Model):
    """One dated payment of a payment plan. What the customer pays on the plan's
    invoices is allocated to the installments in date order. The schedule of a
    plan is generated and checked here from the plan's parameters (the arithmetic
    is in tools/installments.py)."""

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
                        date=format_date(self.env, line.date_due),
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

    @api.model
    def _interest_of_schedule(self, plan):
        """Interest of the principal schedule of ``plan`` (without interest), 0 if
        it cannot be built yet (no amount, no date...)."""
        plan.ensure_one()
        if not plan.interest_rate or not plan.date:
            return 0.0
        try:
            lines = self._split(plan, plan.amount_invoices)
        except ValueError:
            return 0.0
        if plan.down_payment:
            lines = lines[1:]
        return float(
            installments.schedule_interest(lines, plan.interest_rate, plan.date)
        )

    @api.model
    def _split(self, plan, total):
        """Return the schedule of ``total`` as ``[(date, Decimal)]`` from the
        parameters of ``plan``; raises ValueError on unusable parameters."""
        plan.ensure_one()
        if not plan.date_start:
            raise ValueError("no start date")
        digits = plan.currency_id.decimal_places if plan.currency_id else 2
        return installments.split_installments(
            Decimal(str(plan.currency_id.round(total) if plan.currency_id else total)),
            plan.installment_count,
            plan.date_start,
            frequency=plan.frequency,
            down_payment=Decimal(str(plan.down_payment or 0)),
            down_payment_date=plan.down_payment_date or None,
            rounding=Decimal(1).scaleb(-digits),
        )

    @api.model
    def _schedule_values(self, plan):
        """Commands replacing the installments of ``plan`` by the schedule
        generated from its parameters; raises a translated UserError when the
        parameters cannot give one."""
        plan.ensure_one()
        currency = plan.currency_id
        if currency.compare_amounts(plan.amount_total, 0.0) <= 0:
            raise UserError(
                _(
                    "Payment plan %s has no amount to split: add open invoices first.",
                    plan.name,
                )
            )
        if plan.installment_count < 1:
            raise UserError(_("Choose at least one installment."))
        if currency.compare_amounts(plan.down_payment, plan.amount_total) >= 0:
            raise UserError(
                _(
                    "The down payment (%(down)s) must be below the plan total "
                    "(%(total)s).",
                    down=formatLang(self.env, plan.down_payment, currency_obj=currency),
                    total=formatLang(
                        self.env, plan.amount_total, currency_obj=currency
                    ),
                )
            )
        if (
            plan.down_payment
            and plan.down_payment_date
            and plan.down_payment_date > plan.date_start
        ):
            raise UserError(
                _("The down payment cannot be due after the first installment.")
            )
        try:
            lines = self._split(plan, plan.amount_total)
        except ValueError as error:
            raise UserError(
                _("The schedule cannot be generated: %s", str(error))
            ) from error
        commands = [Command.delete(line.id) for line in plan.installment_ids]
        for index, (due, amount) in enumerate(lines):
            commands.append(
                Command.create(
                    {
                        "sequence": index + 1,
                        "date_due": due,
                        "amount": float(amount),
                        "is_down_payment": bool(plan.down_payment) and index == 0,
                    }
                )
            )
        return commands

    @api.model
    def _schedule_problems(self, plan):
        """Translated problems of the schedule of ``plan``, empty when it can be
        activated."""
        plan.ensure_one()
        lines = plan.installment_ids.sorted(lambda line: (line.date_due, line.id))
        digits = plan.currency_id.decimal_places
        keys = installments.validate_schedule(
            Decimal(str(round(plan.amount_total, digits))),
            [
                (line.date_due, Decimal(str(round(line.amount, digits))))
                for line in lines
            ],
        )
        currency = plan.currency_id
        messages = {
            installments.EMPTY: _("The schedule is empty: generate it."),
            installments.SUM_MISMATCH: _(
                "The installments add up to %(sum)s instead of the plan total "
                "%(total)s: correct them or generate the schedule again.",
                sum=formatLang(
                    self.env, sum(lines.mapped("amount")), currency_obj=currency
                ),
                total=formatLang(self.env, plan.amount_total, currency_obj=currency),
            ),
            installments.DATES_NOT_INCREASING: _(
                "Two installments fall on the same date: each needs its own date."
            ),
            installments.NON_POSITIVE_AMOUNT: _(
                "Every installment must have an amount above zero."
            ),
        }
        return [messages[key] for key in keys]

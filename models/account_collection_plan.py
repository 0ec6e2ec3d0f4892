import logging
from datetime import timedelta
from decimal import Decimal

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang

from ..tools import amount_words, installments
from .account_move import BLOCK_REASONS

_logger = logging.getLogger(__name__)

FREQUENCY_SELECTION = [
    ("weekly", "Weekly"),
    ("biweekly", "Every Two Weeks"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
]
PLAN_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("completed", "Completed"),
    ("breached", "Breached"),
    ("cancelled", "Cancelled"),
]
# Invoices whose amount due is zero in these states are settled.
OPEN_PAYMENT_STATES = ("not_paid", "partial")


class AccountCollectionPlan(models.Model):
    """A payment plan (échéancier) agreed with a customer who cannot pay on time:
    the open invoices it covers are paid by dated installments. While it is active,
    the invoices are not dunned; a missed installment breaks it and dunning resumes."""

    _name = "account.collection.plan"
    _description = "Payment Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
        index="trigram",
    )
    state = fields.Selection(
        PLAN_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    date = fields.Date(
        string="Agreement Date",
        required=True,
        default=fields.Date.context_today,
        help="Date of the agreement; the interest runs from it.",
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "account_collection_plan_move_rel",
        "plan_id",
        "move_id",
        string="Invoices",
        check_company=True,
        copy=False,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial')), "
        "('commercial_partner_id', '=', partner_id)]",
    )
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, readonly=True
    )
    amount_invoices = fields.Monetary(
        string="Amount Covered",
        compute="_compute_amount_invoices",
        store=True,
        help="Amount still due on the invoices, followed while the plan is a draft "
        "and fixed when it is activated.",
    )
    interest_rate = fields.Float(
        string="Interest Rate (%/year)",
        digits=(16, 4),
        tracking=True,
        help="Simple annual interest: each installment bears interest on its amount "
        "from the agreement date to its due date (basis 365 days).",
    )
    interest_included = fields.Boolean(
        string="Add Interest to the Plan",
        default=True,
        help="Add the interest to the amount to pay: an interest invoice is issued "
        "on activation and covered by the plan. Otherwise the interest is waived "
        "and only stated in the agreement.",
    )
    amount_interest = fields.Monetary(
        string="Interest", compute="_compute_amount_interest", store=True
    )
    amount_total = fields.Monetary(
        string="Plan Total", compute="_compute_amount_total", store=True, tracking=True
    )
    down_payment = fields.Monetary(tracking=True)
    down_payment_date = fields.Date(
        help="Defaults to the first installment date; the installments then start "
        "one period later."
    )
    date_start = fields.Date(
        string="First Payment",
        required=True,
        default=fields.Date.context_today,
    )
    installment_count = fields.Integer(string="Installments", default=3)
    frequency = fields.Selection(FREQUENCY_SELECTION, required=True, default="monthly")
    installment_ids = fields.One2many(
        "account.collection.plan.installment", "plan_id", string="Schedule", copy=True
    )
    date_activation = fields.Date(string="Active Since", readonly=True, copy=False)
    date_end = fields.Date(string="Closed On", readonly=True, copy=False)
    amount_base_residual = fields.Monetary(
        string="Amount Due at Activation",
        readonly=True,
        copy=False,
        help="Amount due on the covered invoices when the plan was activated; "
        "what they lose after it is what the customer has paid under the plan.",
    )
    amount_paid = fields.Monetary(
        string="Paid", compute="_compute_amount_paid", store=True
    )
    amount_residual = fields.Monetary(
        string="Left to Pay", compute="_compute_amount_paid", store=True
    )
    progress = fields.Float(
        string="Paid (%)", compute="_compute_amount_paid", store=True, digits=(16, 1)
    )
    next_installment_date = fields.Date(compute="_compute_next_installment", store=True)
    next_installment_amount = fields.Monetary(
        compute="_compute_next_installment", store=True
    )
    late_installment_count = fields.Integer(
        string="Late Installments", compute="_compute_next_installment", store=True
    )
    at_risk = fields.Boolean(
        compute="_compute_at_risk",
        search="_search_at_risk",
        help="Active plan with an installment late, or unpaid and due within the "
        "reminder days.",
    )
    schedule_mismatch = fields.Boolean(compute="_compute_schedule_mismatch")
    resume_level_id = fields.Many2one(
        "account.collection.level",
        string="Dunning Level after Breach",
        check_company=True,
        default=lambda self: self.env.company.collection_plan_resume_level_id,
        help="When the plan is breached, its invoices are put at this dunning level: "
        "the next dunning cycle goes on from it. Empty: they keep their level.",
    )
    reminder_template_id = fields.Many2one(
        "mail.template",
        string="Installment Reminder",
        domain="[('model', '=', 'account.collection.plan.installment')]",
        default=lambda self: self.env.ref(
            "account_collection.mail_template_plan_installment_reminder",
            raise_if_not_found=False,
        ),
        help="Email sent to the customer before each installment; empty: none.",
    )
    interest_move_id = fields.Many2one(
        "account.move",
        string="Interest Invoice",
        readonly=True,
        copy=False,
        check_company=True,
    )
    breach_installment_id = fields.Many2one(
        "account.collection.plan.installment",
        string="Missed Installment",
        readonly=True,
        copy=False,
    )
    note = fields.Html(string="Terms", help="Printed on the agreement.")

    _sql_constraints = [
        (
            "down_payment_positive",
            "CHECK(down_payment >= 0)",
            "The down payment cannot be negative.",
        ),
        (
            "interest_rate_positive",
            "CHECK(interest_rate >= 0)",
            "The interest rate cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("invoice_ids.currency_id", "company_id")
    def _compute_currency_id(self):
        for plan in self:
            plan.currency_id = (
                plan.invoice_ids[:1].currency_id or plan.company_id.currency_id
            )

    @api.depends("invoice_ids.amount_residual", "state")
    def _compute_amount_invoices(self):
        for plan in self:
            if plan.state == "draft":
                plan.amount_invoices = sum(plan.invoice_ids.mapped("amount_residual"))
            else:
                # Fixed at activation: keep the stored value.
                plan.amount_invoices = plan._origin.amount_invoices

    @api.depends(
        "interest_rate",
        "amount_invoices",
        "down_payment",
        "down_payment_date",
        "date_start",
        "date",
        "installment_count",
        "frequency",
        "currency_id",
    )
    def _compute_amount_interest(self):
        for plan in self:
            plan.amount_interest = plan._interest_of_schedule()

    @api.depends("amount_invoices", "amount_interest", "interest_included")
    def _compute_amount_total(self):
        for plan in self:
            interest = plan.amount_interest if plan.interest_included else 0.0
            plan.amount_total = plan.amount_invoices + interest

    @api.depends(
        "invoice_ids.amount_residual",
        "amount_base_residual",
        "amount_total",
        "date_activation",
    )
    def _compute_amount_paid(self):
        for plan in self:
            if plan.date_activation:
                reduction = plan.amount_base_residual - sum(
                    plan.invoice_ids.mapped("amount_residual")
                )
                paid = plan.currency_id.round(
                    min(max(reduction, 0.0), plan.amount_total)
                )
            else:
                paid = 0.0
            plan.amount_paid = paid
            plan.amount_residual = plan.amount_total - paid
            plan.progress = (
                100.0 * paid / plan.amount_total if plan.amount_total else 0.0
            )

    @api.depends(
        "installment_ids.state",
        "installment_ids.date_due",
        "installment_ids.amount_residual",
    )
    def _compute_next_installment(self):
        for plan in self:
            unpaid = plan.installment_ids.filtered(
                lambda line: line.state != "paid"
            ).sorted(lambda line: (line.date_due, line.id))
            plan.next_installment_date = unpaid[:1].date_due
            plan.next_installment_amount = unpaid[:1].amount_residual
            plan.late_installment_count = len(
                unpaid.filtered(lambda line: line.state == "late")
            )

    @api.depends("state", "next_installment_date", "late_installment_count")
    @api.depends_context("date")
    def _compute_at_risk(self):
        today = fields.Date.context_today(self)
        for plan in self:
            horizon = today + timedelta(
                days=plan.company_id.collection_plan_reminder_days
            )
            plan.at_risk = plan.state == "active" and bool(
                plan.late_installment_count
                or (
                    plan.next_installment_date and plan.next_installment_date <= horizon
                )
            )

    def _search_at_risk(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on payment plans at risk."))
        today = fields.Date.context_today(self)
        plan_ids = set()
        for company in self.env.companies:
            horizon = today + timedelta(days=company.collection_plan_reminder_days)
            plan_ids.update(
                self._search(
                    [
                        ("company_id", "=", company.id),
                        ("state", "=", "active"),
                        "|",
                        ("late_installment_count", ">", 0),
                        ("next_installment_date", "<=", horizon),
                    ]
                )
            )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", list(plan_ids))]

    @api.depends("state", "amount_total", "installment_ids.amount")
    def _compute_schedule_mismatch(self):
        for plan in self:
            plan.schedule_mismatch = plan.state == "draft" and bool(
                plan.installment_ids
                and plan.currency_id.compare_amounts(
                    sum(plan.installment_ids.mapped("amount")), plan.amount_total
                )
            )

    # ------------------------------------------------------------------
    # Onchange methods
    # ------------------------------------------------------------------
    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            self.invoice_ids = self.invoice_ids.filtered(
                lambda move: move.commercial_partner_id
                == self.partner_id.commercial_partner_id
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("invoice_ids", "partner_id", "company_id")
    def _check_invoices(self):
        for plan in self:
            partner = plan.partner_id.commercial_partner_id
            currencies = plan.invoice_ids.currency_id
            for move in plan.invoice_ids:
                if move.move_type != "out_invoice" or move.state != "posted":
                    raise ValidationError(
                        _(
                            "%(invoice)s cannot be part of payment plan %(plan)s: "
                            "only posted customer invoices can.",
                            invoice=move.display_name,
                            plan=plan.name,
                        )
                    )
                if move.commercial_partner_id != partner:
                    raise ValidationError(
                        _(
                            "Invoice %(invoice)s belongs to %(other)s, not to the "
                            "customer of payment plan %(plan)s (%(partner)s).",
                            invoice=move.name,
                            other=move.commercial_partner_id.display_name,
                            plan=plan.name,
                            partner=partner.display_name,
                        )
                    )
                if move.company_id != plan.company_id:
                    raise ValidationError(
                        _(
                            "Invoice %(invoice)s belongs to another company than "
                            "payment plan %(plan)s.",
                            invoice=move.name,
                            plan=plan.name,
                        )
                    )
            if len(currencies) > 1:
                raise ValidationError(
                    _(
                        "The invoices of payment plan %(plan)s are in several "
                        "currencies (%(currencies)s): make one plan per currency.",
                        plan=plan.name,
                        currencies=", ".join(currencies.mapped("name")),
                    )
                )

    @api.constrains("invoice_ids", "state")
    def _check_invoices_in_one_active_plan(self):
        running = self.filtered(lambda plan: plan.state == "active")
        if not running:
            return
        active_plans = self.search(
            [("state", "=", "active"), ("invoice_ids", "in", running.invoice_ids.ids)]
        )
        for invoice in running.invoice_ids:
            plans = active_plans.filtered(
                lambda plan, invoice=invoice: invoice in plan.invoice_ids
            )
            if len(plans) > 1:
                raise ValidationError(
                    _(
                        "Invoice %(invoice)s cannot be in two active payment plans "
                        "(%(plans)s).",
                        invoice=invoice.name,
                        plans=", ".join(plans.mapped("name")),
                    )
                )

    @api.constrains("installment_count", "down_payment")
    def _check_parameters(self):
        for plan in self:
            if plan.state == "draft" and plan.installment_count < 1:
                raise ValidationError(
                    _(
                        "Payment plan %s needs at least one installment.",
                        plan.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == _("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("account.collection.plan") or _("New")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_running(self):
        if any(plan.state not in ("draft", "cancelled") for plan in self):
            raise UserError(_("Only draft or cancelled payment plans can be deleted."))

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _interest_of_schedule(self):
        """Interest of the principal schedule (without interest), 0 if it cannot be
        built yet (no amount, no date...)."""
        self.ensure_one()
        if not self.interest_rate or not self.date:
            return 0.0
        try:
            lines = self._split(self.amount_invoices)
        except ValueError:
            return 0.0
        if self.down_payment:
            lines = lines[1:]
        return float(
            installments.schedule_interest(lines, self.interest_rate, self.date)
        )

    def _split(self, total):
        """Return the schedule of ``total`` as ``[(date, Decimal)]`` from the plan's
        parameters; raises ValueError on unusable parameters."""
        self.ensure_one()
        if not self.date_start:
            raise ValueError("no start date")
        digits = self.currency_id.decimal_places if self.currency_id else 2
        return installments.split_installments(
            Decimal(str(self.currency_id.round(total) if self.currency_id else total)),
            self.installment_count,
            self.date_start,
            frequency=self.frequency,
            down_payment=Decimal(str(self.down_payment or 0)),
            down_payment_date=self.down_payment_date or None,
            rounding=Decimal(1).scaleb(-digits),
        )

    def _schedule_values(self):
        """Commands replacing the installments by the generated schedule; raises a
        translated UserError when the parameters cannot give one."""
        self.ensure_one()
        currency = self.currency_id
        if currency.compare_amounts(self.amount_total, 0.0) <= 0:
            raise UserError(
                _(
                    "Payment plan %s has no amount to split: add open invoices first.",
                    self.name,
                )
            )
        if self.installment_count < 1:
            raise UserError(_("Choose at least one installment."))
        if currency.compare_amounts(self.down_payment, self.amount_total) >= 0:
            raise UserError(
                _(
                    "The down payment (%(down)s) must be below the plan total "
                    "(%(total)s).",
                    down=formatLang(self.env, self.down_payment, currency_obj=currency),
                    total=formatLang(
                        self.env, self.amount_total, currency_obj=currency
                    ),
                )
            )
        if (
            self.down_payment
            and self.down_payment_date
            and self.down_payment_date > self.date_start
        ):
            raise UserError(
                _("The down payment cannot be due after the first installment.")
            )
        try:
            lines = self._split(self.amount_total)
        except ValueError as error:
            raise UserError(
                _("The schedule cannot be generated: %s", str(error))
            ) from error
        commands = [Command.delete(line.id) for line in self.installment_ids]
        for index, (due, amount) in enumerate(lines):
            commands.append(
                Command.create(
                    {
                        "sequence": index + 1,
                        "date_due": due,
                        "amount": float(amount),
                        "is_down_payment": bool(self.down_payment) and index == 0,
                    }
                )
            )
        return commands

    def _schedule_problems(self):
        """Translated problems of the schedule, empty when it can be activated."""
        self.ensure_one()
        lines = self.installment_ids.sorted(lambda line: (line.date_due, line.id))
        digits = self.currency_id.decimal_places
        keys = installments.validate_schedule(
            Decimal(str(round(self.amount_total, digits))),
            [
                (line.date_due, Decimal(str(round(line.amount, digits))))
                for line in lines
            ],
        )
        currency = self.currency_id
        messages = {
            installments.EMPTY: _("The schedule is empty: generate it."),
            installments.SUM_MISMATCH: _(
                "The installments add up to %(sum)s instead of the plan total "
                "%(total)s: correct them or generate the schedule again.",
                sum=formatLang(
                    self.env, sum(lines.mapped("amount")), currency_obj=currency
                ),
                total=formatLang(self.env, self.amount_total, currency_obj=currency),
            ),
            installments.DATES_NOT_INCREASING: _(
                "Two installments fall on the same date: each needs its own date."
            ),
            installments.NON_POSITIVE_AMOUNT: _(
                "Every installment must have an amount above zero."
            ),
        }
        return [messages[key] for key in keys]

    def _check_can_activate(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    _(
                        "Payment plan %s is not a draft: it cannot be activated.",
                        plan.name,
                    )
                )
            if not plan.invoice_ids:
                raise UserError(_("Payment plan %s covers no invoice.", plan.name))
            settled = plan.invoice_ids.filtered(
                lambda move: move.payment_state not in OPEN_PAYMENT_STATES
                or move.currency_id.is_zero(move.amount_residual)
            )
            if settled:
                raise UserError(
                    _(
                        "These invoices of payment plan %(plan)s are already paid: "
                        "%(invoices)s.",
                        plan=plan.name,
                        invoices=", ".join(settled.mapped("name")),
                    )
                )
            covering = self.search(
                [
                    ("id", "not in", self.ids),
                    ("state", "=", "active"),
                    ("invoice_ids", "in", plan.invoice_ids.ids),
                ]
            )
            if covering:
                raise UserError(
                    _(
                        "Payment plan %(plan)s cannot be activated: some of its "
                        "invoices are already covered by the active payment plan "
                        "%(others)s.",
                        plan=plan.name,
                        others=", ".join(covering.mapped("name")),
                    )
                )
            problems = plan._schedule_problems()
            if problems:
                raise UserError(
                    _(
                        "Payment plan %(plan)s cannot be activated:\n%(problems)s",
                        plan=plan.name,
                        problems="\n".join(f"- {problem}" for problem in problems),
                    )
                )

    def _create_interest_invoice(self):
        """Issue the invoice of the plan's interest (outside the scope of VAT)."""
        self.ensure_one()
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.company_id),
                ("type", "=", "sale"),
            ],
            limit=1,
        )
        if not journal.default_account_id:
            raise UserError(
                _(
                    "Set up a sales journal with a default income account to invoice "
                    "the interest of a payment plan."
                )
            )
        last_date = max(self.installment_ids.mapped("date_due"))
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "journal_id": journal.id,
                    "currency_id": self.currency_id.id,
                    "invoice_date": fields.Date.context_today(self),
                    "invoice_date_due": last_date,
                    "invoice_payment_term_id": False,
                    "invoice_origin": self.name,
                    "collection_generated": True,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": _(
                                    "Interest of payment plan %(plan)s at %(rate)s%% "
                                    "a year",
                                    plan=self.name,
                                    rate=self.interest_rate,
                                ),
                                "quantity": 1,
                                "price_unit": self.amount_interest,
                                "account_id": journal.default_account_id.id,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _release_invoices(self):
        """Lift the payment-plan block of the covered invoices when the plan ends:
        those still open go back to the block they had before the plan (a
        litigation, a dispute), the others are unblocked. Return the invoices
        blocked again."""
        self.ensure_one()
        restored = self.invoice_ids._collection_release_from_plan()
        if restored:
            reasons = dict(
                self.env["account.move"]
                ._fields["collection_block_reason"]
                ._description_selection(self.env)
            )
            self.message_post(
                body=_(
                    "Blocked again as before the plan: %s.",
                    ", ".join(
                        f"{move.name} ({reasons[move.collection_block_reason]})"
                        for move in restored
                    ),
                )
            )
        return restored

    def _get_responsible(self):
        self.ensure_one()
        collector = self.partner_id.with_company(self.company_id).collection_user_id
        return collector or self.user_id or self.env.user

    def _complete(self):
        today = fields.Date.context_today(self)
        for plan in self:
            plan.write({"state": "completed", "date_end": today})
            plan._release_invoices()
            plan.message_post(
                body=_(
                    "Payment plan completed: %(paid)s paid, the invoices are settled "
                    "or the schedule is fully paid.",
                    paid=formatLang(
                        self.env, plan.amount_paid, currency_obj=plan.currency_id
                    ),
                )
            )

    def _breach(self, installment):
        """Break the plan on ``installment``: dunning of its invoices resumes."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        self.write(
            {
                "state": "breached",
                "date_end": today,
                "breach_installment_id": installment.id,
            }
        )
        restored = self._release_invoices()
        open_invoices = self.invoice_ids.filtered(
            lambda move: move.payment_state in OPEN_PAYMENT_STATES
        )
        if self.resume_level_id:
            (open_invoices - restored)._collection_resume_at(self.resume_level_id)
        values = {
            "amount": formatLang(
                self.env, installment.amount, currency_obj=self.currency_id
            ),
            "date": format_date(self.env, installment.date_due),
            "left": formatLang(
                self.env, installment.amount_residual, currency_obj=self.currency_id
            ),
            "level": self.resume_level_id.name,
        }
        if self.resume_level_id:
            message = _(
                "Payment plan breached: the installment of %(amount)s due on %(date)s "
                "is unpaid (%(left)s left) after the grace period. The full balance is "
                "due and dunning resumes at level %(level)s.",
                **values,
            )
        else:
            message = _(
                "Payment plan breached: the installment of %(amount)s due on %(date)s "
                "is unpaid (%(left)s left) after the grace period. The full balance is "
                "due and dunning resumes.",
                **values,
            )
        self.message_post(body=message)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today,
            summary=_("Payment plan %s breached", self.name),
            note=message,
            user_id=self._get_responsible().id,
        )

    def _installment_to_breach(self, today):
        """The first installment unpaid beyond the company's grace period, if any."""
        self.ensure_one()
        grace = self.company_id.collection_plan_grace_days
        return self.installment_ids.filtered(
            lambda line: line.state != "paid"
            and line.date_due + timedelta(days=grace) < today
        ).sorted(lambda line: (line.date_due, line.id))[:1]

    def _is_fully_paid(self):
        self.ensure_one()
        invoices_paid = all(
            move.currency_id.is_zero(move.amount_residual) for move in self.invoice_ids
        )
        schedule_paid = all(line.state == "paid" for line in self.installment_ids)
        return invoices_paid or schedule_paid

    def _installments_to_remind(self, today):
        self.ensure_one()
        if not self.reminder_template_id:
            return self.installment_ids.browse()
        horizon = today + timedelta(days=self.company_id.collection_plan_reminder_days)
        return self.installment_ids.filtered(
            lambda line: line.state != "paid"
            and not line.reminder_date
            and today <= line.date_due <= horizon
        )

    def _send_installment_reminders(self, lines):
        """Email the customer about each of ``lines`` (installments of this plan)
        and log it in the chatter; each installment is reminded once."""
        self.ensure_one()
        if not lines:
            return
        template = self.reminder_template_id
        today = fields.Date.context_today(self)
        subjects = template._render_field("subject", lines.ids, compute_lang=True)
        bodies = template._render_field(
            "body_html",
            lines.ids,
            compute_lang=True,
            options={"post_process": True},
        )
        recipient = self.partner_id
        for line in lines:
            if recipient.email:
                self.message_post(
                    body=bodies[line.id],
                    subject=subjects[line.id],
                    partner_ids=recipient.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                )
            else:
                self.message_post(
                    body=_(
                        "No reminder sent for the installment due on %s: the "
                        "customer has no email address.",
                        format_date(self.env, line.date_due),
                    )
                )
        lines.write({"reminder_date": today})

    def _update_plan(self, today):
        """Daily follow-up of one active plan: completion, breach, reminders."""
        self.ensure_one()
        if self.state != "active":
            return
        if self._is_fully_paid():
            self._complete()
            return
        missed = self._installment_to_breach(today)
        if missed:
            self._breach(missed)
            return
        self._send_installment_reminders(self._installments_to_remind(today))

    def _refresh_installment_states(self):
        """Recompute the installments' payment and lateness (lateness depends on
        today, so it is refreshed by the daily run)."""
        lines = self.installment_ids
        for fname in ("amount_paid", "state"):
            self.env.add_to_compute(lines._fields[fname], lines)
        lines._recompute_recordset(["amount_paid", "amount_residual", "state"])

    def _update_plans(self):
        """Follow up ``self`` in batch; a plan that fails is logged and skipped."""
        today = fields.Date.context_today(self)
        active = self.filtered(lambda plan: plan.state == "active")
        active._refresh_installment_states()
        failed = self.browse()
        for plan in active:
            try:
                with self.env.cr.savepoint():
                    plan._update_plan(today)
            except Exception:
                _logger.exception("Payment plan %s could not be followed up", plan.name)
                failed |= plan
        return failed

    @api.model
    def _collection_interest_periods(self, invoices):
        """{invoice id: [(date_from, date_to)]} of the active or completed plans
        covering ``invoices``: penalties do not run while a plan is kept."""
        periods = {}
        plans = self.search(
            [
                ("invoice_ids", "in", invoices.ids),
                ("state", "in", ("active", "completed")),
                ("date_activation", "!=", False),
            ]
        )
        for plan in plans:
            date_to = plan.date_end or max(
                plan.installment_ids.mapped("date_due") or [plan.date_activation]
            )
            for move in plan.invoice_ids & invoices:
                periods.setdefault(move.id, []).append((plan.date_activation, date_to))
        return periods

    def _amount_in_words(self, amount):
        """``amount`` of this plan in words, in the customer's language."""
        self.ensure_one()
        return amount_words.amount_to_words(
            amount,
            self.partner_id.lang or self.env.lang,
            self.currency_id.name,
            self.currency_id.decimal_places,
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_generate_installments(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    _(
                        "The schedule of payment plan %s can only be generated while "
                        "it is a draft.",
                        plan.name,
                    )
                )
            plan.installment_ids = plan._schedule_values()
        return True

    def action_activate(self):
        self._check_can_activate()
        today = fields.Date.context_today(self)
        for plan in self:
            plan.write({"state": "active", "date_activation": today, "date_end": False})
            # The amount covered is fixed now: the interest invoice adds to the
            # amount due at activation, not to the amount covered.
            if plan.interest_included and not plan.currency_id.is_zero(
                plan.amount_interest
            ):
                plan.interest_move_id = plan._create_interest_invoice()
                plan.invoice_ids = [Command.link(plan.interest_move_id.id)]
            plan.amount_base_residual = sum(plan.invoice_ids.mapped("amount_residual"))
            plan.invoice_ids._collection_block_for_plan(plan)
            plan.message_post(
                body=_(
                    "Payment plan activated: %(count)s installments, %(total)s in "
                    "total. Reminders of the covered invoices are suspended.",
                    count=len(plan.installment_ids),
                    total=formatLang(
                        self.env, plan.amount_total, currency_obj=plan.currency_id
                    ),
                )
            )
        return True

    def action_cancel(self):
        today = fields.Date.context_today(self)
        for plan in self:
            if plan.state not in ("draft", "active"):
                raise UserError(
                    _(
                        "Payment plan %s is closed: it cannot be cancelled.",
                        plan.name,
                    )
                )
            was_active = plan.state == "active"
            plan.write({"state": "cancelled", "date_end": today})
            if not was_active:
                continue
            plan._release_invoices()
            interest = plan.interest_move_id
            if interest and interest.payment_state == "not_paid":
                interest._reverse_moves(cancel=True)
            plan.message_post(
                body=_("Payment plan cancelled: the invoices are dunned again.")
            )
        return True

    def action_draft(self):
        for plan in self:
            if plan.state != "cancelled":
                raise UserError(
                    _("Only a cancelled payment plan can be reset to draft.")
                )
            if plan.date_activation:
                raise UserError(
                    _(
                        "Payment plan %s was already activated: create a new plan "
                        "instead.",
                        plan.name,
                    )
                )
        self.write({"state": "draft", "date_end": False})
        return True

    def action_update(self):
        """Follow the plans up now (what the daily run does)."""
        failed = self._update_plans()
        if failed:
            raise UserError(
                _(
                    "Payment plan %s could not be followed up, see the server log.",
                    ", ".join(failed.mapped("name")),
                )
            )
        return True

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(
            {
                "domain": [("id", "in", self.invoice_ids.ids)],
                "context": {"create": False, "default_move_type": "out_invoice"},
            }
        )
        return action

    def _action_view_plans(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_collection.account_collection_plan_action"
        )
        if len(self) == 1:
            action.update(
                {"view_mode": "form", "views": [(False, "form")], "res_id": self.id}
            )
        else:
            action["domain"] = [("id", "in", self.ids)]
        return action

    def action_print_agreement(self):
        return self.env.ref(
            "account_collection.action_report_account_collection_plan"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_update_plans(self, batch_size=200):
        """Daily: allocate payments, complete, break, remind. Idempotent."""
        plans = self.search([("state", "=", "active")])
        done = 0
        for start in range(0, len(plans), batch_size):
            batch = plans[start : start + batch_size]
            batch._update_plans()
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(plans) - done)


class AccountMove(models.Model):
    """Payment plans seen from the invoice, and the hook of the late-interest
    feature (penalties do not run while a plan is kept)."""

    _inherit = "account.move"

    collection_plan_ids = fields.Many2many(
        "account.collection.plan",
        "account_collection_plan_move_rel",
        "move_id",
        "plan_id",
        string="Payment Plans",
        readonly=True,
        copy=False,
    )
    collection_plan_count = fields.Integer(
        string="Payment Plan Count", compute="_compute_collection_plan_count"
    )
    # The block an invoice had when a payment plan took it over, back when the plan
    # ends without settling it.
    collection_prior_block_reason = fields.Selection(
        BLOCK_REASONS,
        string="Block Before the Plan",
        readonly=True,
        copy=False,
    )
    collection_prior_block_date = fields.Date(
        string="Blocked Before the Plan Since", readonly=True, copy=False
    )
    collection_prior_block_note = fields.Char(
        string="Block Note Before the Plan", readonly=True, copy=False
    )

    @api.depends("collection_plan_ids")
    def _compute_collection_plan_count(self):
        for move in self:
            move.collection_plan_count = len(move.collection_plan_ids)

    def _collection_block_for_plan(self, plan):
        """Put the invoices under the payment-plan block of ``plan``, whatever block
        they had: a plan's invoices are followed by the plan. The block they had is
        kept aside for when the plan ends."""
        blocked = self.filtered(
            lambda move: move.collection_blocked
            and move.collection_block_reason != "payment_plan"
        )
        for (reason, date, note), moves in blocked.grouped(
            lambda move: (
                move.collection_block_reason,
                move.collection_block_date,
                move.collection_block_note,
            )
        ).items():
            moves._collection_write(
                {
                    "collection_prior_block_reason": reason,
                    "collection_prior_block_date": date,
                    "collection_prior_block_note": note,
                },
                track=False,
            )
        self._collection_block("payment_plan", plan.name)

    def _collection_release_from_plan(self):
        """Lift the payment-plan block of the invoices: those still open and blocked
        before the plan are blocked again as they were, the others are unblocked.
        Return the invoices blocked again."""
        under_plan = self.filtered(
            lambda move: move.collection_blocked
            and move.collection_block_reason == "payment_plan"
        )
        restored = under_plan.filtered(
            lambda move: move.collection_prior_block_reason
            and move.payment_state in OPEN_PAYMENT_STATES
        )
        for (reason, date, note), moves in restored.grouped(
            lambda move: (
                move.collection_prior_block_reason,
                move.collection_prior_block_date,
                move.collection_prior_block_note,
            )
        ).items():
            moves._collection_write(
                {
                    "collection_block_reason": reason,
                    "collection_block_date": date,
                    "collection_block_note": note,
                }
            )
        (under_plan - restored)._collection_unblock()
        self.filtered("collection_prior_block_reason")._collection_write(
            {
                "collection_prior_block_reason": False,
                "collection_prior_block_date": False,
                "collection_prior_block_note": False,
            },
            track=False,
        )
        return restored

    @api.model
    def _collection_interest_exempt_periods(self, invoices):
        """{invoice id: [(date_from, date_to), ...]} during which no late interest
        runs; payment plans add the period of their active or completed plans."""
        periods = dict(super()._collection_interest_exempt_periods(invoices))
        plan_periods = self.env["account.collection.plan"]._collection_interest_periods(
            invoices
        )
        for move_id, ranges in plan_periods.items():
            periods[move_id] = [*periods.get(move_id, []), *ranges]
        return periods

    def action_create_payment_plan(self):
        return self.env["account.collection.plan.wizard"]._action_open(
            self.env["res.partner"], self
        )

    def action_view_collection_plans(self):
        return self.collection_plan_ids._action_view_plans()


class ResPartner(models.Model):
    """Payment plans seen from the customer."""

    _inherit = "res.partner"

    collection_plan_count = fields.Integer(
        string="Payment Plan Count", compute="_compute_collection_plan_count"
    )

    def _compute_collection_plan_count(self):
        counts = dict(
            self.env["account.collection.plan"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.collection_plan_count = counts.get(partner.commercial_partner_id, 0)

    def action_create_payment_plan(self):
        return self.env["account.collection.plan.wizard"]._action_open(
            self, self.env["account.move"]
        )

    def action_view_collection_plans(self):
        plans = self.env["account.collection.plan"].search(
            [("partner_id", "in", self.commercial_partner_id.ids)]
        )
        action = plans._action_view_plans()
        if len(self) == 1:
            action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

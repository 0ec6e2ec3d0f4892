from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import amount_words

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
# The invoices a payment plan (or its wizard) can cover: open invoices of its
# customer (``partner_id`` of the record).
PLAN_INVOICE_DOMAIN = (
    "[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
    f"('payment_state', 'in', {OPEN_PAYMENT_STATES!r}), "
    "('commercial_partner_id', '=', partner_id)]"
)


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
        domain=PLAN_INVOICE_DOMAIN,
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
            plan.amount_interest = self.env[
                "account.collection.plan.installment"
            ]._interest_of_schedule(plan)

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
            plan.installment_ids = self.env[
                "account.collection.plan.installment"
            ]._schedule_values(plan)
        return True

    def action_activate(self):
        self.env["account.collection.plan.followup"]._activate(self)
        return True

    def action_cancel(self):
        self.env["account.collection.plan.followup"]._cancel(self)
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
        failed = self.env["account.collection.plan.followup"]._update_plans(self)
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
    # Business methods
    # ------------------------------------------------------------------
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
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_update_plans(self, batch_size=200):
        """Daily: allocate payments, complete, break, remind (the follow-up
        service does it). Idempotent."""
        self.env["account.collection.plan.followup"]._cron_update_plans(
            batch_size=batch_size
        )

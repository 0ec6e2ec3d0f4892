from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang

from ..models.account_collection_plan import (
    FREQUENCY_SELECTION,
    OPEN_PAYMENT_STATES,
    PLAN_INVOICE_DOMAIN,
)


class AccountCollectionPlanWizard(models.TransientModel):
    """Proposes a payment plan for open invoices of one customer: opened from the
    invoices, the customer or the dunning preview, it creates a draft plan."""

    _name = "account.collection.plan.wizard"
    _description = "Create a Payment Plan"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        check_company=True,
        domain=PLAN_INVOICE_DOMAIN,
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_amounts")
    amount_total = fields.Monetary(string="Amount Covered", compute="_compute_amounts")
    date_start = fields.Date(
        string="First Payment", required=True, default=fields.Date.context_today
    )
    installment_count = fields.Integer(string="Installments", required=True, default=3)
    frequency = fields.Selection(FREQUENCY_SELECTION, required=True, default="monthly")
    down_payment = fields.Monetary()
    down_payment_date = fields.Date()
    interest_rate = fields.Float(string="Interest Rate (%/year)", digits=(16, 4))
    interest_included = fields.Boolean(string="Add Interest to the Plan", default=True)
    schedule_preview = fields.Html(
        string="Schedule", compute="_compute_schedule_preview", sanitize=False
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("invoice_ids", "company_id")
    def _compute_amounts(self):
        for wizard in self:
            wizard.currency_id = (
                wizard.invoice_ids[:1].currency_id or wizard.company_id.currency_id
            )
            wizard.amount_total = sum(wizard.invoice_ids.mapped("amount_residual"))

    @api.depends(
        "amount_total",
        "date_start",
        "installment_count",
        "frequency",
        "down_payment",
        "down_payment_date",
    )
    def _compute_schedule_preview(self):
        for wizard in self:
            plan = self.env["account.collection.plan"].new(
                wizard._plan_values(with_invoices=False)
            )
            try:
                lines = self.env["account.collection.plan.installment"]._split(
                    plan, wizard.amount_total
                )
            except ValueError:
                wizard.schedule_preview = False
                continue
            rows = "".join(
                f"<tr><td>{format_date(self.env, due)}</td>"
                f'<td class="text-end">'
                f"{formatLang(self.env, float(amount), currency_obj=wizard.currency_id)}"
                "</td></tr>"
                for due, amount in lines
            )
            wizard.schedule_preview = (
                f'<table class="table table-sm o_collection_plan_preview">'
                f"<tbody>{rows}</tbody></table>"
            )

    # ------------------------------------------------------------------
    # Onchange methods
    # ------------------------------------------------------------------
    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            self.invoice_ids = self._default_invoices(self.partner_id)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_create_plan(self):
        self.ensure_one()
        self._check_invoices()
        plan = self.env["account.collection.plan"].create(self._plan_values())
        plan.action_generate_installments()
        return plan._action_view_plans()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _default_invoices(self, partner):
        """Open invoices of ``partner`` in the current company, in the currency of
        the company when it has some (a plan is in one currency)."""
        invoices = self.env["account.move"].search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", OPEN_PAYMENT_STATES),
                ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
            ],
            order="invoice_date_due, id",
        )
        in_company_currency = invoices.filtered(
            lambda move: move.currency_id == self.env.company.currency_id
        )
        if in_company_currency:
            return in_company_currency
        return invoices.filtered(
            lambda move: move.currency_id == invoices[:1].currency_id
        )

    @api.model
    def _action_open(self, partners, invoices):
        """Action opening the wizard for ``partners`` or ``invoices`` (one customer)."""
        invoices = invoices.filtered(
            lambda move: move.move_type == "out_invoice"
            and move.state == "posted"
            and move.payment_state in OPEN_PAYMENT_STATES
        )
        customers = (partners | invoices.partner_id).commercial_partner_id
        if len(customers) != 1:
            raise UserError(
                _("Select the open invoices of one customer to propose a payment plan.")
            )
        if not invoices:
            invoices = self._default_invoices(customers)
        if not invoices:
            raise UserError(
                _("%s has no open invoice to put in a payment plan.", customers.name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Propose a Payment Plan"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_partner_id": customers.id,
                "default_invoice_ids": [Command.set(invoices.ids)],
                "default_company_id": invoices[:1].company_id.id or self.env.company.id,
            },
        }

    def _plan_values(self, with_invoices=True):
        self.ensure_one()
        values = {
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "date_start": self.date_start,
            "installment_count": self.installment_count,
            "frequency": self.frequency,
            "down_payment": self.down_payment,
            "down_payment_date": self.down_payment_date,
            "interest_rate": self.interest_rate,
            "interest_included": self.interest_included,
        }
        if with_invoices:
            values["invoice_ids"] = [Command.set(self.invoice_ids.ids)]
        return values

    def _check_invoices(self):
        self.ensure_one()
        if not self.invoice_ids:
            raise UserError(_("Select at least one open invoice."))
        settled = self.invoice_ids.filtered(
            lambda move: move.payment_state not in OPEN_PAYMENT_STATES
        )
        if settled:
            raise UserError(
                _(
                    "These invoices are already paid: %s.",
                    ", ".join(settled.mapped("name")),
                )
            )
        covered = self.invoice_ids.collection_plan_ids.filtered(
            lambda plan: plan.state == "active"
        )
        if covered:
            raise UserError(
                _(
                    "Some invoices are already covered by the active payment plan "
                    "%s: cancel it first or leave them out.",
                    ", ".join(covered.mapped("name")),
                )
            )

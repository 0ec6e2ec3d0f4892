from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..tools.actions import notification
from ..tools.dates import next_working_day

OUTCOMES = [
    ("reached", "Reached"),
    ("promise", "Promise to Pay"),
    ("dispute", "Dispute"),
    ("no_answer", "No Answer"),
    ("wrong_number", "Wrong Number"),
]


class AccountCollectionCallWizard(models.TransientModel):
    """The outcome of a collection phone call: it sets up the next step (promise
    recorded, invoices disputed, call rescheduled, contact to fix) and marks the
    call done, all or nothing."""

    _name = "account.collection.call.wizard"
    _description = "Log a Collection Call"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    activity_id = fields.Many2one(
        "mail.activity", string="Call", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_from_activity", store=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", compute="_compute_from_activity", store=True
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_move_ids",
        store=True,
        readonly=False,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial'))]",
        help="The invoices the call was about: the ones a dispute concerns.",
    )
    outcome = fields.Selection(OUTCOMES, required=True, default="reached")
    promise_date = fields.Date(string="Promised Date")
    promise_amount = fields.Monetary(
        string="Promised Amount",
        currency_field="currency_id",
        compute="_compute_promise_amount",
        store=True,
        readonly=False,
    )
    dispute_reason = fields.Char()
    next_call_date = fields.Date(
        string="Call Again On",
        default=lambda self: next_working_day(fields.Date.context_today(self)),
    )
    note = fields.Text(string="Notes")

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("activity_id")
    def _compute_from_activity(self):
        for wizard in self:
            record = wizard._called_record()
            wizard.company_id = (
                "company_id" in record and record.company_id
            ) or self.env.company
            wizard.partner_id = (
                record.commercial_partner_id
                if record._name == "res.partner"
                else record.partner_id.commercial_partner_id
            )

    @api.depends("activity_id", "partner_id")
    def _compute_move_ids(self):
        for wizard in self:
            record = wizard._called_record()
            if record._name == "account.move":
                moves = record
            elif record._name == "account.collection.communication":
                moves = record.line_ids.move_id
            else:
                moves = record.browse()
            wizard.move_ids = (
                moves.filtered(
                    lambda move: move.move_type == "out_invoice"
                    and move.payment_state in ("not_paid", "partial")
                )
                or wizard._open_invoices()
            )

    @api.depends("move_ids")
    def _compute_promise_amount(self):
        for wizard in self:
            wizard.promise_amount = sum(
                wizard.move_ids.mapped("amount_residual_signed")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        if not self.activity_id.exists() or not self.activity_id.collection_call:
            raise UserError(
                _("This call was already logged or is not a collection call.")
            )
        wizard = self.with_company(self.company_id)
        summary = getattr(wizard, f"_log_{self.outcome}")()
        outcome = dict(self._fields["outcome"]._description_selection(self.env))[
            self.outcome
        ]
        feedback = _("%(outcome)s: %(summary)s", outcome=outcome, summary=summary)
        if self.note:
            feedback = f"{feedback}\n{self.note}"
        self.activity_id.action_feedback(feedback=feedback)
        return notification(
            summary,
            title=_("Call logged: %s", outcome),
            next_action={"type": "ir.actions.act_window_close"},
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _called_record(self):
        activity = self.activity_id
        if not activity.res_model or not activity.res_id:
            return self.env["res.partner"]
        return self.env[activity.res_model].browse(activity.res_id)

    def _open_invoices(self):
        """The customer's invoices still to be paid in the company."""
        if not self.partner_id:
            return self.env["account.move"]
        return (
            self.env["account.move.line"]
            .search(
                [
                    *self.env["account.move.line"]._collection_open_items_domain(
                        self.company_id or self.env.company
                    ),
                    ("partner_id.commercial_partner_id", "=", self.partner_id.id),
                    ("move_id.move_type", "=", "out_invoice"),
                ]
            )
            .move_id
        )

    def _log_reached(self):
        return _("the customer was reached.")

    def _log_promise(self):
        self.partner_id._collection_record_promise(
            self.promise_date, self.promise_amount
        )
        return _(
            "%(customer)s promised to pay %(amount)s by %(date)s.",
            customer=self.partner_id.display_name,
            **self.partner_id._collection_promise_values(
                self.promise_amount, self.promise_date
            ),
        )

    def _log_dispute(self):
        if not self.dispute_reason:
            raise UserError(_("Give the reason of the dispute."))
        if not self.move_ids:
            raise UserError(_("Select the invoices the customer disputes."))
        self.move_ids.action_collection_dispute(reason=self.dispute_reason)
        return _(
            "%(invoices)s disputed: %(reason)s.",
            invoices=", ".join(self.move_ids.mapped("display_name")),
            reason=self.dispute_reason,
        )

    def _log_no_answer(self):
        if not self.next_call_date or self.next_call_date < fields.Date.context_today(
            self
        ):
            raise UserError(_("Choose the date of the next call, from today on."))
        activity = self.activity_id
        self.env["mail.activity"].create(
            {
                "res_model_id": activity.res_model_id.id,
                "res_id": activity.res_id,
                "activity_type_id": activity.activity_type_id.id,
                "summary": activity.summary,
                "note": activity.note,
                "user_id": activity.user_id.id or self.env.user.id,
                "date_deadline": self.next_call_date,
            }
        )
        return _(
            "no answer, next call on %s.", format_date(self.env, self.next_call_date)
        )

    def _log_wrong_number(self):
        if not self.partner_id:
            raise UserError(_("The call is not about a customer."))
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        self.partner_id.activity_schedule(
            activity_type_id=todo.id if todo else False,
            summary=_("Fix the phone number of %s", self.partner_id.name),
            note=self.note,
            user_id=self.activity_id.user_id.id or self.env.user.id,
        )
        self.partner_id.message_post(
            body=_(
                "Wrong number when calling about the overdue invoices: the contact "
                "details need fixing."
            )
        )
        return _(
            "a to-do to fix the phone number of %s is planned.",
            self.partner_id.display_name,
        )

from odoo import api, fields, models

from .account_collection_plan import OPEN_PAYMENT_STATES
from .account_move import BLOCK_REASONS


class AccountMove(models.Model):
    """Payment plans seen from the invoice, and the hook of the late-interest
    feature (penalties do not run while a plan is kept)."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
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

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("collection_plan_ids")
    def _compute_collection_plan_count(self):
        for move in self:
            move.collection_plan_count = len(move.collection_plan_ids)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_create_payment_plan(self):
        return self.env["account.collection.plan.wizard"]._action_open(
            self.env["res.partner"], self
        )

    def action_view_collection_plans(self):
        return self.collection_plan_ids._action_view_plans()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
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
        runs; payment plans add the period of their active or completed plans:
        penalties do not run while a plan is kept."""
        periods = dict(super()._collection_interest_exempt_periods(invoices))
        plans = self.env["account.collection.plan"].search(
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
                periods[move.id] = [
                    *periods.get(move.id, []),
                    (plan.date_activation, date_to),
                ]
        return periods

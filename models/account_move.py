from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

BLOCK_REASONS = [
    ("dispute", "Dispute"),
    ("litigation", "Litigation"),
    ("payment_plan", "Payment Plan"),
    ("promise", "Promise to Pay"),
    ("other", "Other"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    # The dunning state derives from the reminders sent; computed fields are stored
    # without going through account.move.write(), which is heavy on posted invoices.
    collection_level_id = fields.Many2one(
        "account.collection.level",
        string="Dunning Level",
        compute="_compute_collection_state",
        store=True,
        copy=False,
        index="btree_not_null",
    )
    collection_last_date = fields.Date(
        string="Last Reminder",
        compute="_compute_collection_state",
        store=True,
        copy=False,
    )
    collection_next_date = fields.Date(
        string="Next Reminder",
        compute="_compute_collection_state",
        store=True,
        copy=False,
    )
    collection_resume_level_id = fields.Many2one(
        "account.collection.level",
        string="Resume From Level",
        readonly=True,
        copy=False,
        help="Level the invoice is considered at when dunning resumes, for instance "
        "after a broken payment plan.",
    )
    collection_blocked = fields.Boolean(
        string="Dunning Blocked",
        copy=False,
        tracking=True,
        help="No reminder is sent for this invoice while it is blocked.",
    )
    collection_block_reason = fields.Selection(
        BLOCK_REASONS, string="Block Reason", copy=False, tracking=True
    )
    collection_block_date = fields.Date(string="Blocked Since", copy=False)
    collection_block_note = fields.Char(string="Block Note", copy=False)
    collection_excluded = fields.Boolean(
        string="Excluded from Collection",
        copy=False,
        tracking=True,
        help="Never reminded nor charged, for instance an invoice settled outside "
        "the accounting.",
    )
    collection_line_ids = fields.One2many(
        "account.collection.communication.line",
        "move_id",
        string="Dunning History",
    )
    collection_days_overdue = fields.Integer(
        string="Days Overdue", compute="_compute_collection_days_overdue"
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends(
        "collection_line_ids.level_id",
        "collection_line_ids.state",
        "collection_line_ids.date",
        "collection_resume_level_id",
        "invoice_date_due",
    )
    def _compute_collection_state(self):
        for move in self:
            lines = move.collection_line_ids.filtered(
                lambda line: line.level_id and line.state != "cancel"
            )
            level = lines.sorted(lambda line: (line.date, line.id))[-1:].level_id
            resume = move.collection_resume_level_id
            if resume and (not level or resume.days > level.days):
                level = resume
            following = level.policy_id.level_ids.filtered(
                lambda other, level=level: other.days > level.days
            ).sorted("days")[:1]
            move.collection_level_id = level
            move.collection_last_date = max(lines.mapped("date"), default=False)
            move.collection_next_date = (
                move.invoice_date_due + timedelta(days=following.days)
                if following and move.invoice_date_due
                else False
            )

    @api.depends("invoice_date_due", "payment_state")
    @api.depends_context("date")
    def _compute_collection_days_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            if move.invoice_date_due and move.payment_state in ("not_paid", "partial"):
                move.collection_days_overdue = max(
                    (today - move.invoice_date_due).days, 0
                )
            else:
                move.collection_days_overdue = 0

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("collection_blocked", "collection_block_reason")
    def _check_collection_block_reason(self):
        for move in self:
            if move.collection_blocked and not move.collection_block_reason:
                raise ValidationError(
                    _(
                        "Give the reason why dunning is blocked on %s.",
                        move.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_block(self, reason, note=False):
        self.write(
            {
                "collection_blocked": True,
                "collection_block_reason": reason,
                "collection_block_date": fields.Date.context_today(self),
                "collection_block_note": note,
            }
        )

    def _collection_unblock(self):
        self.write(
            {
                "collection_blocked": False,
                "collection_block_reason": False,
                "collection_block_date": False,
                "collection_block_note": False,
            }
        )

    def _collection_resume_at(self, level):
        """Resume the dunning of the invoices so that the next cycle reminds them at
        ``level`` at once (after a broken payment plan, for instance)."""
        previous = level.policy_id.level_ids.filtered(
            lambda other: other.days < level.days
        ).sorted("days")[-1:]
        self.write(
            {
                "collection_blocked": False,
                "collection_block_reason": False,
                "collection_block_date": False,
                "collection_block_note": False,
                "collection_resume_level_id": previous.id,
            }
        )
        self.commercial_partner_id.collection_escalate = True

    def _collection_charge_late_fees(self, invoices):
        """Hook called when a level that charges late fees is reached; the legal
        charges implement it."""
        return self.browse()

    def _check_collection_invoices(self):
        invalid = self.filtered(
            lambda move: move.move_type not in ("out_invoice", "out_refund")
            or move.state != "posted"
        )
        if invalid:
            raise UserError(
                _(
                    "Collection actions apply to posted customer invoices only: %s",
                    ", ".join(invalid.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_collection_send_now(self):
        self._check_collection_invoices()
        communications = self.env["account.collection.engine"]._remind_now(
            self.commercial_partner_id
        )
        return communications._action_open()

    def action_collection_escalate(self):
        """Move the invoices one level up and remind their customers at once."""
        self._check_collection_invoices()
        engine = self.env["account.collection.engine"]
        for move in self:
            policy = move.partner_id.with_company(
                move.company_id
            )._get_collection_policy()
            following = engine._next_level(policy, move.collection_level_id)
            if not following:
                raise UserError(
                    _("Invoice %s is already at the last level.", move.display_name)
                )
            move._collection_resume_at(following)
        return self.action_collection_send_now()

    def action_collection_dispute(self):
        self._check_collection_invoices()
        self._collection_block("dispute")
        for move in self:
            move.message_post(body=_("Invoice disputed: reminders stop."))

    def action_collection_undispute(self):
        disputed = self.filtered(lambda move: move.collection_block_reason == "dispute")
        disputed._collection_unblock()
        for move in disputed:
            move.message_post(body=_("Dispute closed: reminders resume."))

    def action_collection_exclude(self):
        self._check_collection_invoices()
        self.collection_excluded = True

    def action_collection_include(self):
        self.collection_excluded = False

    # ------------------------------------------------------------------
    # Doubtful debts (reporting feature)
    # ------------------------------------------------------------------
    collection_doubtful_invoice_id = fields.Many2one(
        "account.move",
        string="Doubtful Debt of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Invoice moved to doubtful debts or provisioned by this entry.",
    )
    collection_doubtful_kind = fields.Selection(
        [("reclass", "Reclassification"), ("provision", "Provision")],
        string="Doubtful Debt Entry",
        readonly=True,
        copy=False,
    )
    collection_doubtful_move_ids = fields.One2many(
        "account.move",
        "collection_doubtful_invoice_id",
        string="Doubtful Debt Entries",
        readonly=True,
    )

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted.filtered(
            lambda move: move.collection_doubtful_kind == "reclass"
        )._collection_reconcile_doubtful()
        return posted

    def _collection_reconcile_doubtful(self):
        """Match the receivable credit of posted reclassifications with the open
        receivable lines of their invoice, which the doubtful account now carries."""
        for move in self:
            invoice = move.collection_doubtful_invoice_id
            for account in move.line_ids.filtered(
                lambda line: line.credit and line.account_id.reconcile
            ).account_id:
                lines = (move.line_ids | invoice.line_ids).filtered(
                    lambda line, account=account: line.account_id == account
                    and not line.reconciled
                )
                if len(lines) > 1:
                    lines.reconcile()

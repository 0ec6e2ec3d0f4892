from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

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
    collection_level_id = fields.Many2one(
        "account.collection.level",
        string="Dunning Level",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    collection_last_date = fields.Date(
        string="Last Reminder", readonly=True, copy=False
    )
    collection_next_date = fields.Date(
        string="Next Reminder", readonly=True, copy=False
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

from odoo import fields, models

from ..tools.groups import INTERNAL


class AccountMove(models.Model):
    """Doubtful debts (reporting): the entries that reclassify or provision an
    invoice, reconciled with it when posted."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_doubtful_invoice_id = fields.Many2one(
        "account.move",
        string="Doubtful Debt of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Invoice moved to doubtful debts or provisioned by this entry.",
        groups=INTERNAL,
    )
    collection_doubtful_kind = fields.Selection(
        [("reclass", "Reclassification"), ("provision", "Provision")],
        string="Doubtful Debt Entry",
        readonly=True,
        copy=False,
        groups=INTERNAL,
    )
    collection_doubtful_move_ids = fields.One2many(
        "account.move",
        "collection_doubtful_invoice_id",
        string="Doubtful Debt Entries",
        readonly=True,
        groups=INTERNAL,
    )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
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

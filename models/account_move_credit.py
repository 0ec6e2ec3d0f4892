from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount

from ..tools.groups import COLLECTION_MANAGER, COLLECTION_USER


class AccountMove(models.Model):
    """Risk of the invoice's customer: solvency note, risk segment and the credit
    control at posting."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_solvency_note_id = fields.Many2one(
        "account.collection.solvency.note",
        string="Solvency Note",
        compute="_compute_collection_risk_info",
        groups=COLLECTION_USER,
        help="Latest valid solvency note of the customer.",
    )
    collection_risk_segment_id = fields.Many2one(
        "account.collection.risk.segment",
        string="Risk Segment",
        compute="_compute_collection_risk_info",
        groups=COLLECTION_USER,
    )
    collection_risk_warning = fields.Text(
        string="Risk Warning",
        compute="_compute_collection_credit_check",
        groups=COLLECTION_USER,
    )
    collection_credit_exceeded = fields.Boolean(
        string="Credit Control Hit",
        compute="_compute_collection_credit_check",
        groups=COLLECTION_USER,
        help="The customer is over its credit limit or on credit hold.",
    )
    collection_credit_blocking = fields.Boolean(
        string="Posting Blocked",
        compute="_compute_collection_credit_check",
        groups=COLLECTION_USER,
        help="Posting this invoice needs a collection manager's override.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("commercial_partner_id", "company_id", "move_type")
    @api.depends_context("date")
    def _compute_collection_risk_info(self):
        self.collection_solvency_note_id = False
        self.collection_risk_segment_id = False
        invoices = self.filtered(
            lambda move: move.is_sale_document(include_receipts=True)
            and move.commercial_partner_id._origin
        )
        today = fields.Date.context_today(self)
        for company, moves in invoices.grouped("company_id").items():
            partner_ids = moves.commercial_partner_id._origin.ids
            notes = self.env["account.collection.solvency.note"]._get_latest(
                partner_ids, company, today
            )[0]
            records = (
                self.env["account.collection.partner.risk"]
                .sudo()
                .search_fetch(
                    [
                        ("company_id", "=", company.id),
                        ("partner_id", "in", partner_ids),
                    ],
                    ["partner_id", "segment_id"],
                )
            )
            segments = {record.partner_id.id: record.segment_id for record in records}
            for move in moves:
                partner_id = move.commercial_partner_id._origin.id
                note = notes.get(partner_id)
                move.collection_solvency_note_id = note.sudo(False) if note else False
                segment = segments.get(partner_id)
                move.collection_risk_segment_id = (
                    segment.sudo(False) if segment else False
                )

    @api.depends(
        "commercial_partner_id",
        "company_id",
        "move_type",
        "collection_generated",
        "state",
        "tax_totals",
        "invoice_payment_term_id",
    )
    def _compute_collection_credit_check(self):
        self.collection_risk_warning = False
        self.collection_credit_exceeded = False
        self.collection_credit_blocking = False
        drafts = self._collection_checked_invoices().filtered(
            lambda move: move.state == "draft" and move.commercial_partner_id._origin
        )
        for company, moves in drafts.grouped("company_id").items():
            statuses = moves._collection_credit_statuses(company, live=True)
            deposits = moves._collection_deposit_statuses(live=True)
            mode = company.collection_credit_check
            for move in moves:
                status = statuses[move.commercial_partner_id._origin.id]
                exceeded = move._collection_credit_hit(status)
                move.collection_credit_exceeded = exceeded
                move.collection_credit_blocking = exceeded and mode == "block"
                move.collection_risk_warning = move._collection_risk_message(
                    status, exceeded and mode != "none", mode, deposits.get(move)
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_post_collection_override(self):
        """Post invoices beyond the credit control: collection managers only; the
        override is logged on the invoices and their customers."""
        if not self.env.user.has_group(COLLECTION_MANAGER):
            raise AccessError(
                _("Only a collection manager can post beyond the credit control.")
            )
        return self.with_context(collection_credit_override=True).action_post()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_credit_statuses(self, company, live=False):
        """Return ``{commercial partner id: CreditStatus}`` of the customers of the
        draft invoices ``self`` of ``company``, counting these invoices with their
        current amounts (``live``: as being edited, from the tax totals)."""
        pending = defaultdict(float)
        for move in self:
            pending[move.commercial_partner_id._origin.id] += move._collection_amount(
                live
            )
        return self.env["account.collection.credit.control"]._credit_status(
            company,
            pending,
            pending=pending,
            exclude_move_ids=[move._origin.id for move in self if move._origin.id],
        )

    def _collection_amount(self, live=False, company_currency=True):
        """Total of the invoice, in the company's currency by default."""
        self.ensure_one()
        if live and self.tax_totals:
            key = "total_amount" if company_currency else "total_amount_currency"
            return self.tax_totals.get(key) or 0.0
        if company_currency:
            return self.amount_total_signed
        return self.amount_total

    @api.model
    def _collection_credit_hit(self, status):
        over_limit = bool(status.limit) and status.exposure > status.limit
        return over_limit or bool(status.blocked)

    def _collection_risk_message(self, status, credit_hit, mode, deposit=None):
        """Return the warning shown on a draft invoice of a risky customer
        (``deposit``: its DepositStatus, account_move_deposit)."""
        self.ensure_one()
        lines = []
        segment = status.segment
        deposit_checked = self.company_id.collection_deposit_check != "none"
        if deposit_checked and deposit and deposit.missing:
            lines.append(self._collection_deposit_message(deposit))
        elif not deposit_checked and segment and segment.deposit_percent:
            percent = f"{segment.deposit_percent:g}"
            lines.append(
                _(
                    "Risk segment %(segment)s: ask for a deposit of %(amount)s "
                    "(%(percent)s%%) before delivering.",
                    segment=segment.display_name,
                    amount=format_amount(
                        self.env,
                        self.currency_id.round(
                            self._collection_amount(live=True, company_currency=False)
                            * segment.deposit_percent
                            / 100
                        ),
                        self.currency_id,
                    ),
                    percent=percent,
                )
            )
        if (
            segment.payment_term_id
            and segment.payment_term_id != self.invoice_payment_term_id
        ):
            lines.append(
                _(
                    "Risk segment %(segment)s: payment term suggested: %(term)s.",
                    segment=segment.display_name,
                    term=segment.payment_term_id.display_name,
                )
            )
        if credit_hit:
            lines.append(self._collection_credit_message(status))
            if mode == "block":
                lines.append(
                    _("Posting this invoice needs a collection manager's override.")
                )
        return "\n".join(lines) or False

    def _collection_credit_message(self, status):
        self.ensure_one()
        currency = self.company_id.currency_id
        values = {
            "partner": self.commercial_partner_id.display_name,
            "exposure": format_amount(self.env, status.exposure, currency),
            "limit": format_amount(self.env, status.limit, currency),
        }
        if status.blocked:
            return _(
                "%(partner)s is on credit hold (exposure %(exposure)s, credit limit "
                "%(limit)s).",
                **values,
            )
        return _(
            "%(partner)s is over its credit limit: exposure %(exposure)s including "
            "this invoice, credit limit %(limit)s.",
            **values,
        )

    def _collection_credit_check_moves(self, soft=True):
        """Return the invoices of ``self`` whose posting the credit control checks:
        the checked invoices actually posted now (not those merely scheduled)."""
        return self._collection_checked_now(soft).filtered(
            lambda move: move.company_id.collection_credit_check != "none"
        )

    def _collection_check_credit(self, soft=True):
        """Check the credit of the customers of the invoices about to be posted, in
        one batch per company. In "block" mode, raise unless a collection manager
        overrides; return ``[(move, message, overridden)]`` to log once posted."""
        to_log = []
        moves = self._collection_credit_check_moves(soft)
        override = self.env.context.get("collection_credit_override")
        for company, company_moves in moves.grouped("company_id").items():
            statuses = company_moves._collection_credit_statuses(company)
            hits = [
                (move, statuses[move.commercial_partner_id.id])
                for move in company_moves
                if self._collection_credit_hit(statuses[move.commercial_partner_id.id])
            ]
            if not hits:
                continue
            blocking = company.collection_credit_check == "block"
            if blocking and not override:
                raise UserError(
                    _(
                        "Credit control stops the posting:\n%(details)s\nAsk a "
                        "collection manager to post anyway, or get a payment first.",
                        details="\n".join(
                            move._collection_credit_message(status)
                            for move, status in hits
                        ),
                    )
                )
            if blocking and not self.env.user.has_group(COLLECTION_MANAGER):
                raise AccessError(
                    _("Only a collection manager can post beyond the credit control.")
                )
            to_log += [
                (move, move._collection_credit_message(status), blocking)
                for move, status in hits
            ]
        return to_log

    def _collection_log_credit(self, to_log):
        for move, message, overridden in to_log:
            if overridden:
                body = _(
                    "Credit control overridden by %(user)s on %(invoice)s: %(message)s",
                    user=self.env.user.name,
                    invoice=move.name,
                    message=message,
                )
                move.commercial_partner_id.sudo().message_post(
                    body=body, author_id=self.env.user.partner_id.id
                )
            else:
                body = _(
                    "Posted by %(user)s despite the credit control: %(message)s",
                    user=self.env.user.name,
                    message=message,
                )
            move.message_post(body=body)

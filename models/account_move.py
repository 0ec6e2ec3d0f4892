from collections import defaultdict
from contextlib import closing
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.actions import notification
from ..tools.groups import INTERNAL
from .account_collection_level import CHANNEL_FIELDS, channel_labels

# Collection data of the invoices: internal users only (not the portal customer).

BLOCK_REASONS = [
    ("dispute", "Dispute"),
    ("litigation", "Litigation"),
    ("payment_plan", "Payment Plan"),
    ("promise", "Promise to Pay"),
    ("other", "Other"),
]


class AccountMove(models.Model):
    """Dunning state of the invoice, and the posting hooks that the other concerns
    of the collection plug into (account_move_legal, account_move_credit,
    account_move_doubtful)."""

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
        groups=INTERNAL,
    )
    collection_last_date = fields.Date(
        string="Last Reminder",
        compute="_compute_collection_state",
        store=True,
        copy=False,
        groups=INTERNAL,
    )
    collection_next_date = fields.Date(
        string="Next Reminder",
        compute="_compute_collection_state",
        store=True,
        copy=False,
        groups=INTERNAL,
    )
    collection_resume_level_id = fields.Many2one(
        "account.collection.level",
        string="Resume From Level",
        readonly=True,
        copy=False,
        help="Level the invoice is considered at when dunning resumes, for instance "
        "after a broken payment plan.",
        groups=INTERNAL,
    )
    collection_blocked = fields.Boolean(
        string="Dunning Blocked",
        copy=False,
        tracking=True,
        help="No reminder is sent for this invoice while it is blocked.",
        groups=INTERNAL,
    )
    collection_block_reason = fields.Selection(
        BLOCK_REASONS,
        string="Block Reason",
        copy=False,
        tracking=True,
        groups=INTERNAL,
    )
    collection_block_date = fields.Date(
        string="Blocked Since", copy=False, groups=INTERNAL
    )
    collection_block_note = fields.Char(
        string="Block Note", copy=False, groups=INTERNAL
    )
    collection_excluded = fields.Boolean(
        string="Excluded from Collection",
        copy=False,
        tracking=True,
        help="Never reminded nor charged, for instance an invoice settled outside "
        "the accounting.",
        groups=INTERNAL,
    )
    collection_insolvency = fields.Selection(
        related="commercial_partner_id.collection_insolvency",
        string="Customer Insolvency",
        help="Insolvency procedure of the customer: its claims are not reminded "
        "from the opening judgment; declare them to the mandataire judiciaire.",
    )
    collection_line_ids = fields.One2many(
        "account.collection.communication.line",
        "move_id",
        string="Dunning History",
        groups=INTERNAL,
    )
    # The due date of an invoice with installments (invoice_date_due) is its last
    # one; the collection follows the earliest installment still unpaid.
    collection_first_due_date = fields.Date(
        string="First Open Due Date",
        compute="_compute_collection_first_due_date",
        search="_search_collection_first_due_date",
        help="Due date of the earliest installment still unpaid.",
        groups=INTERNAL,
    )
    collection_days_overdue = fields.Integer(
        string="Days Overdue",
        compute="_compute_collection_days_overdue",
        help="Days since the due date of the earliest installment still unpaid.",
        groups=INTERNAL,
    )
    # Issued by the collection itself: skipped by the checks at posting.
    collection_generated = fields.Boolean(
        string="Issued by Collection",
        readonly=True,
        copy=False,
        help="Issued by the collection itself (late fees, the interest of a payment "
        "plan): a consequence of collection, neither stopped by the credit control "
        "nor by the legal payment term check.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    # Not on collection_line_ids.state: a communication's state changes after its
    # channels ran (draft, then queued, printed or sent), which would recompute every
    # invoice of a cycle twice; only a cancellation or an error matters (a reminder
    # that did not reach the customer does not count), and both recompute
    # (_collection_recompute_state). Previews never count.
    @api.depends(
        "collection_line_ids.level_id",
        "collection_line_ids.date",
        "collection_line_ids.date_maturity",
        "collection_resume_level_id",
        "invoice_date_due",
    )
    def _compute_collection_state(self):
        """The invoice is at the highest level it was reminded at, through any of
        its installments (one receivable line per due date of its payment term),
        and its next reminder is due when the earliest installment of its last
        reminder reaches the next level."""
        reminded = self._collection_reminded_state()
        levels = self.env["account.collection.level"]
        following_levels = {}
        states = defaultdict(list)
        # Two columns read, not the hundred of a whole invoice per move.
        for move in self.with_context(prefetch_fields=False):
            level_id, last_date, first_due = reminded.get(
                move._origin.id, (False, False, False)
            )
            level = levels.browse(level_id)
            resume = move.collection_resume_level_id
            if resume and (not level or resume.days > level.days):
                level = resume
            if level not in following_levels:
                following_levels[level] = level.policy_id._get_next_level(level)
            following = following_levels[level]
            due = first_due or move.invoice_date_due
            next_date = (
                due + timedelta(days=following.days) if following and due else False
            )
            states[level, last_date, next_date].append(move.id)
        # Assigned per state rather than per invoice: a cycle brings thousands of
        # invoices to the same few levels and dates.
        for (level, last_date, next_date), ids in states.items():
            moves = self.browse(ids)
            moves.collection_level_id = level
            moves.collection_last_date = last_date
            moves.collection_next_date = next_date

    def _collection_reminded_state(self):
        """``{move id: (level id, last date, first due date)}`` of the invoices
        reminded: the highest level of their lines, the date of their last
        reminder and the earliest installment it listed. Computed for thousands
        of invoices per batch of the cycle, in one grouped query rather than by
        reading every line of their history."""
        move_ids = [move_id for move_id in self._origin.ids if move_id]
        if not move_ids:
            return {}
        for model, names in (
            (
                "account.collection.communication.line",
                ["move_id", "level_id", "date", "date_maturity", "communication_id"],
            ),
            ("account.collection.communication", ["state"]),
            ("account.collection.level", ["days", "sequence"]),
        ):
            self.env[model].flush_model(names)
        self.env.cr.execute(
            SQL(
                """
                SELECT line.move_id,
                       (ARRAY_AGG(line.level_id
                                  ORDER BY level.days DESC, level.sequence DESC))[1],
                       MAX(line.date),
                       (ARRAY_AGG(line.date_maturity
                                  ORDER BY line.date DESC, line.date_maturity))[1]
                  FROM account_collection_communication_line line
                  JOIN account_collection_level level ON level.id = line.level_id
                  JOIN account_collection_communication communication
                    ON communication.id = line.communication_id
                 WHERE line.move_id = ANY(%s)
                   AND communication.state NOT IN ('cancel', 'error', 'preview')
                 GROUP BY line.move_id
                """,
                move_ids,
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.depends(
        "invoice_date_due",
        "line_ids.date_maturity",
        "line_ids.reconciled",
        "line_ids.account_type",
    )
    def _compute_collection_first_due_date(self):
        for move in self:
            move.collection_first_due_date = min(
                (
                    line.date_maturity
                    for line in move.line_ids
                    if line.account_type == "asset_receivable"
                    and not line.reconciled
                    and line.date_maturity
                ),
                default=move.invoice_date_due,
            )

    def _search_collection_first_due_date(self, operator, value):
        """Invoices with an unpaid installment due before (or on) ``value``."""
        if operator not in ("<", "<="):
            raise UserError(
                _("The first open due date can only be searched before a date.")
            )
        return [
            (
                "line_ids",
                "any",
                [
                    ("account_type", "=", "asset_receivable"),
                    ("reconciled", "=", False),
                    ("date_maturity", operator, value),
                ],
            )
        ]

    @api.depends("collection_first_due_date", "payment_state")
    @api.depends_context("date")
    def _compute_collection_days_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            due = move.collection_first_due_date
            if due and move.payment_state in ("not_paid", "partial"):
                move.collection_days_overdue = max((today - due).days, 0)
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
    # Actions
    # ------------------------------------------------------------------
    def action_collection_send_now(self):
        """Remind the customers of the invoices now, in the company of each invoice."""
        self._check_collection_invoices()
        engine = self.env["account.collection.engine"]
        communications = self.env["account.collection.communication"]
        for company, moves in self.grouped("company_id").items():
            communications |= engine.with_company(company)._remind_now(
                moves.commercial_partner_id
            )
        return communications._action_open_result()

    def action_collection_open_escalate_wizard(self):
        """Ask for confirmation before escalating: the wizard says what will be
        sent, found by escalating in a savepoint that is rolled back (so that what
        it says is what the escalation does; what cannot be escalated is refused
        at once)."""
        self._check_collection_invoices()
        # closing() rolls the savepoint back.
        with closing(self.env.cr.savepoint()):
            preview = [
                (communication.partner_id.id, communication.level_id.id)
                for communication in self._collection_escalate(auto_send=False)
            ]
        wizard = self.env["account.collection.escalate.wizard"].create(
            {
                "move_ids": [Command.set(self.ids)],
                "summary": "\n".join(
                    self._collection_escalation_line(
                        self.env["res.partner"].browse(partner_id),
                        self.env["account.collection.level"].browse(level_id),
                    )
                    for partner_id, level_id in preview
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Escalate Dunning"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_collection_escalate(self):
        """Move the invoices one level up and remind their customers at once."""
        return self._collection_escalate()._action_open_result()

    def action_collection_dispute(self, reason=False):
        """Put the invoices in dispute, for ``reason`` if given (a call's)."""
        self._check_collection_invoices()
        self._collection_block("dispute", note=reason)
        body = (
            _("Invoice disputed: %s. Reminders stop.", reason)
            if reason
            else _("Invoice disputed: reminders stop.")
        )
        for move in self:
            move.message_post(body=body)
        return notification(
            _("Invoices disputed: %s. Their reminders stop.", len(self))
        )

    def action_collection_undispute(self):
        disputed = self.filtered(lambda move: move.collection_block_reason == "dispute")
        if not disputed:
            raise UserError(_("None of the selected invoices is disputed."))
        disputed._collection_unblock()
        for move in disputed:
            move.message_post(body=_("Dispute closed: reminders resume."))
        return notification(_("Disputes closed: %s. Reminders resume.", len(disputed)))

    def action_collection_exclude(self):
        self._check_collection_invoices()
        self.collection_excluded = True
        return notification(
            _(
                "Invoices excluded from collection: %s. No reminder is sent for them.",
                len(self),
            )
        )

    def action_collection_include(self):
        self.collection_excluded = False
        return notification(_("Invoices included in collection again: %s.", len(self)))

    def action_post(self):
        result = super().action_post()
        if result:
            return result
        return self._collection_term_notification() or result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _collection_recompute_state(self):
        """Recompute the dunning state of the invoices (after a cancellation)."""
        for fname in (
            "collection_level_id",
            "collection_last_date",
            "collection_next_date",
        ):
            self.env.add_to_compute(self._fields[fname], self)

    def _collection_block(self, reason, note=False, track=True):
        """Block the dunning of the invoices; ``track=False`` for the collection
        cycle's bulk hand-overs, which the communication itself records."""
        self._collection_write(
            self._collection_block_values(True, reason, note), track=track
        )

    def _collection_unblock(self):
        self._collection_write(self._collection_block_values(False))

    @api.model
    def _collection_block_values(self, blocked, reason=False, note=False):
        """Values of the block fields: blocked since today for ``reason``, or
        unblocked (no reason, date nor note)."""
        return {
            "collection_blocked": blocked,
            "collection_block_reason": reason,
            "collection_block_date": blocked and fields.Date.context_today(self),
            "collection_block_note": note,
        }

    def _collection_resume_at(self, level):
        """Resume the dunning of the invoices so that the next cycle reminds them at
        ``level`` at once (after a broken payment plan, for instance)."""
        previous = level.policy_id.level_ids.filtered(
            lambda other: other.days < level.days
        ).sorted("days")[-1:]
        self._collection_write(
            {
                **self._collection_block_values(False),
                "collection_resume_level_id": previous.id,
            }
        )
        self.commercial_partner_id.collection_escalate = True

    def _collection_write(self, vals, track=True):
        """Write collection fields on invoices in one batch. These fields never
        touch the journal items: the accounting's balance check, line and payment
        synchronisation and manual-modification flag are skipped."""
        self.with_context(
            check_move_validity=False,
            skip_invoice_sync=True,
            skip_account_move_synchronization=True,
            skip_is_manually_modified=True,
            mail_notrack=not track,
        ).write(vals)

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

    @api.model
    def _collection_escalation_line(self, partner, level):
        channels = channel_labels(level, (*CHANNEL_FIELDS, "charge_late_fees"))
        return _(
            "%(customer)s: %(level)s (%(channels)s)",
            customer=partner.display_name,
            level=level.name,
            channels=", ".join(channels),
        )

    def _collection_escalate(self, auto_send=True):
        self._check_collection_invoices()
        engine = self.env["account.collection.engine"]
        for move in self:
            policy = move.partner_id.with_company(
                move.company_id
            )._get_collection_policy()
            following = policy._get_next_level(move.collection_level_id)
            if not following:
                raise UserError(
                    _("Invoice %s is already at the last level.", move.display_name)
                )
            move._collection_resume_at(following)
        return engine._remind_now(self.commercial_partner_id, auto_send=auto_send)

    def _collection_checked_invoices(self):
        """Return the invoices of ``self`` that the collection's checks at posting
        (credit control, legal payment term) apply to: customer invoices with a
        customer, except those the collection issues itself (late fees, the interest
        of a payment plan), which are consequences of collection. Invoices without a
        customer are left to the accounting's own checks."""
        return self.filtered(
            lambda move: move.move_type == "out_invoice"
            and move.commercial_partner_id
            and not move.collection_generated
        )

    def _collection_checked_now(self, soft=True):
        """Return the checked invoices of ``self`` that this posting actually posts:
        drafts, not those only scheduled for a later date (``soft``)."""
        today = fields.Date.context_today(self)
        return self._collection_checked_invoices().filtered(
            lambda move: move.state == "draft"
            and not (soft and move.date and move.date > today)
        )

    def _post(self, soft=True):
        """Post with the collection's checks, in this order: the legal payment term
        (account_move_legal), then the credit control (account_move_credit), both
        before anything is posted; once posted, the credit control and the payment
        term warnings are logged and the doubtful-debt reclassifications are
        reconciled with their invoice (account_move_doubtful)."""
        term_exceeded = self._collection_check_terms_before_post()
        credit_log = self._collection_check_credit(soft)
        posted = super()._post(soft=soft)
        self._collection_log_credit(
            [entry for entry in credit_log if entry[0] in posted]
        )
        (term_exceeded & posted)._collection_log_terms()
        posted.filtered(
            lambda move: move.collection_doubtful_kind == "reclass"
        )._collection_reconcile_doubtful()
        return posted

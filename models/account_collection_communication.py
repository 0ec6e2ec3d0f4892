from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..tools.actions import notification


class AccountCollectionCommunication(models.Model):
    """One reminder to one customer in one currency: it lists every overdue
    invoice, open credit note and unallocated payment of the customer, at the
    highest level reached by its invoices."""

    _name = "account.collection.communication"
    _description = "Collection Communication"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one("res.currency", required=True)
    policy_id = fields.Many2one("account.collection.policy", check_company=True)
    level_id = fields.Many2one(
        "account.collection.level",
        required=True,
        check_company=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [
            ("preview", "Preview"),
            ("draft", "Draft"),
            ("to_print", "To Print"),
            ("queued", "To Send"),
            ("sent", "Done"),
            ("error", "Error"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        copy=False,
        help="Preview: a simulation of a future date (Run Collection), which sends "
        "nothing. Done: every channel succeeded (email sent by the mail queue, letter "
        "printed); only then are the invoices handed over and the late fees charged.",
    )
    send_email = fields.Boolean(string="Email")
    send_letter = fields.Boolean(string="Printed Letter")
    phone_call = fields.Boolean()
    formal_notice = fields.Boolean()
    litigation = fields.Boolean(string="Agency / Litigation")
    line_ids = fields.One2many(
        "account.collection.communication.line",
        "communication_id",
        string="Lines",
    )
    amount_overdue = fields.Monetary(compute="_compute_amounts", store=True)
    amount_due = fields.Monetary(
        string="Total Due",
        compute="_compute_amounts",
        store=True,
        help="Overdue invoices and invoices not yet due, less open credit notes "
        "and unallocated payments.",
    )
    mail_id = fields.Many2one(
        "mail.mail", string="Sent Email", readonly=True, copy=False
    )
    error_message = fields.Text(readonly=True, copy=False)
    printed = fields.Boolean(readonly=True, copy=False)
    letter_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Printed Letter PDF",
        readonly=True,
        copy=False,
        help="The letter as printed, kept to print it again identically.",
    )
    run_id = fields.Many2one(
        "account.collection.run",
        string="Collection Run",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    note = fields.Text(string="Internal Note")
    notice_tone = fields.Selection(
        [
            ("courtesy", "Courtesy"),
            ("friendly", "Friendly"),
            ("firm", "Firm"),
            ("formal_notice", "Formal Notice"),
            ("litigation", "Litigation"),
        ],
        string="Wording",
        compute="_compute_notice_tone",
        help="Wording of the printed reminder: courtesy before the due date, "
        "friendly for the first reminder after it, firm for the later ones or when "
        "the level calls the customer.",
    )
    notice_contact_id = fields.Many2one(
        "res.partner",
        string="Invoicing Contact",
        compute="_compute_notice_contact_id",
        help="Recipient of the reminder email: the customer's invoicing contact "
        "with an email address, else the customer.",
    )
    payment_deadline = fields.Date(
        compute="_compute_payment_deadline",
        help="Date of the communication plus the payment deadline of its level.",
    )
    amount_claimed = fields.Monetary(
        compute="_compute_amount_claimed",
        help="Overdue invoices less open credit notes and unallocated payments: "
        "the sum claimed by a formal notice.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("partner_id.name", "level_id.name", "date")
    def _compute_name(self):
        # A batch of the cycle names thousands of reminders of one date.
        dates = {}
        for communication in self:
            key = (communication.date, communication.user_id.lang)
            if key not in dates:
                dates[key] = format_date(self.env, key[0], lang_code=key[1])
            communication.name = _(
                "%(level)s - %(partner)s - %(date)s",
                level=communication.level_id.name or "",
                partner=communication.partner_id.name or "",
                date=dates[key],
            )

    @api.depends("line_ids.amount_residual", "line_ids.days_overdue")
    def _compute_amounts(self):
        for communication in self:
            due = overdue = 0.0
            for line in communication.line_ids:
                due += line.amount_residual
                if line.days_overdue > 0 and line.amount_residual > 0:
                    overdue += line.amount_residual
            communication.amount_due = due
            communication.amount_overdue = overdue

    @api.depends(
        "level_id.days",
        "level_id.phone_call",
        "level_id.formal_notice",
        "level_id.litigation",
        "level_id.policy_id.level_ids.days",
    )
    def _compute_notice_tone(self):
        for communication in self:
            level = communication.level_id
            if level.litigation:
                tone = "litigation"
            elif level.formal_notice:
                tone = "formal_notice"
            elif level.days <= 0:
                tone = "courtesy"
            elif level.phone_call or any(
                0 < other.days < level.days for other in level.policy_id.level_ids
            ):
                tone = "firm"
            else:
                tone = "friendly"
            communication.notice_tone = tone

    @api.depends("partner_id.child_ids.type", "partner_id.child_ids.email")
    def _compute_notice_contact_id(self):
        for communication in self:
            communication.notice_contact_id = communication._get_recipient()

    @api.depends("date", "level_id.deadline_days")
    def _compute_payment_deadline(self):
        for communication in self:
            communication.payment_deadline = communication.date and fields.Date.add(
                communication.date, days=communication.level_id.deadline_days
            )

    @api.depends("line_ids.amount_residual", "line_ids.days_overdue")
    def _compute_amount_claimed(self):
        for communication in self:
            lines = communication.line_ids
            credits = sum(
                lines.filtered(lambda line: line.amount_residual < 0).mapped(
                    "amount_residual"
                )
            )
            communication.amount_claimed = max(
                communication.currency_id.round(communication.amount_overdue + credits),
                0.0,
            )

    # ------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------
    def init(self):
        # One live communication per customer, company, currency and day, whatever
        # the number of workers running the cycle; previews do not count.
        self.env.cr.execute(
            SQL(
                """
                DROP INDEX IF EXISTS account_collection_communication_unique_day;
                CREATE UNIQUE INDEX IF NOT EXISTS
                       account_collection_communication_unique_live_day
                    ON account_collection_communication
                       (partner_id, company_id, currency_id, date)
                 WHERE state NOT IN ('cancel', 'preview')
                """
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(
            communication.state not in ("draft", "preview") for communication in self
        ):
            raise UserError(
                _("Only draft communications can be deleted: cancel the others.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_send(self):
        """Send draft communications after review."""
        drafts = self.filtered(lambda c: c.state == "draft")
        if not drafts:
            if self.filtered(lambda c: c.state == "preview"):
                raise UserError(
                    _(
                        "A preview of a future date sends nothing: the reminders are "
                        "prepared by the run of that date."
                    )
                )
            raise UserError(_("Select draft communications to send."))
        self.env["account.collection.dispatch"]._dispatch(drafts)
        return drafts._action_open_result(_("Reminders sent: %s.", len(drafts)))

    def action_retry(self):
        """Send again the communications in error."""
        failed = self.filtered(lambda c: c.state == "error")
        if not failed:
            raise UserError(_("Only communications in error can be retried."))
        dispatch = self.env["account.collection.dispatch"]
        dispatch._cancel_mails(failed)
        failed.write({"state": "draft", "error_message": False, "mail_id": False})
        failed.line_ids.move_id._collection_recompute_state()
        dispatch._dispatch(failed)
        return failed._action_open_result(_("Reminders sent again: %s.", len(failed)))

    def action_cancel(self):
        """Cancel reminders that did not reach the customer: their queued email is
        cancelled, their planned phone call removed, and their invoices go back to
        their previous dunning level. A cancelled reminder stays cancelled: the customer
        is not reminded again before the interval of its policy, unless asked by
        hand (Send Reminder Now)."""
        if any(c.state == "sent" for c in self):
            raise UserError(_("A communication already sent cannot be cancelled."))
        emailed = self.filtered(lambda c: c._email_sent())
        if emailed:
            raise UserError(
                _(
                    "The email of these reminders was already sent, they cannot be "
                    "cancelled: %s",
                    ", ".join(emailed.mapped("display_name")),
                )
            )
        self._cancel()
        return notification(
            _(
                "Reminders cancelled: %s. Their invoices went back to their previous "
                "level.",
                len(self),
            )
        )

    def action_print_letters(self):
        """Print the selected letters in one PDF, each with the notice of its own
        level, and take them out of the print queue once their PDF exists. A letter
        printed before is printed again as it was."""
        letters = self.filtered(
            lambda c: c.send_letter and c.state in ("to_print", "queued", "sent")
        )
        if not letters:
            raise UserError(_("Select communications with a letter to print."))
        download = self.env["account.collection.dispatch"]._print_letters(letters)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{download.id}?download=true",
            "target": "download",
        }

    def action_discard_previews(self):
        previews = self.filtered(lambda c: c.state == "preview")
        if not previews:
            raise UserError(_("Select previews to discard."))
        previews._discard_previews()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "account_collection.account_collection_communication_action"
        )

    def action_open_partner(self):
        self.ensure_one()
        return self.partner_id._get_records_action()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _set_error(self, message):
        """Put the communications in error: they no longer count in the dunning
        state of their invoices until they are retried."""
        self.write({"state": "error", "error_message": message})
        self.line_ids.move_id._collection_recompute_state()

    def _email_pending(self):
        """The email is queued and not sent yet. The mail queue is the
        administrators' (collection users may not read mail.mail): its state is read
        as superuser, as the dispatch cancels the queued emails."""
        self.ensure_one()
        mail = self.mail_id.sudo()
        return bool(mail) and mail.state in ("outgoing", "exception")

    def _email_sent(self):
        """The email left: sent by the mail queue (and maybe deleted since)."""
        self.ensure_one()
        mail = self.mail_id.sudo()
        return (
            self.send_email
            and self.state in ("queued", "to_print", "sent")
            and not self._email_pending()
            and (not mail or mail.state == "sent")
        )

    def _cancel(self):
        dispatch = self.env["account.collection.dispatch"]
        dispatch._cancel_mails(self)
        dispatch._cancel_phone_calls(self)
        self.write({"state": "cancel"})
        self.line_ids.move_id._collection_recompute_state()

    def _discard_previews(self):
        """Delete previews: a simulation, which a collection user may discard
        though he cannot delete reminders."""
        previews = self.filtered(lambda c: c.state == "preview")
        previews.check_access("write")
        previews.sudo().unlink()

    def _action_open_result(self, message=None):
        """Open the communications just sent (their state changed: a list filtered
        on their former state would look empty), telling which ones failed and why,
        else ``message`` with the states they reached."""
        action = self._action_open()
        failed = self.filtered(lambda c: c.state == "error")
        if failed:
            return notification(
                "\n".join(failed._get_error_lines()),
                title=_("Some reminders failed"),
                kind="warning",
                next_action=action,
                sticky=True,
            )
        if not message:
            return action
        labels = dict(self._fields["state"]._description_selection(self.env))
        counts = self.grouped("state")
        return notification(
            message,
            title=", ".join(
                f"{labels[state]}: {len(counts[state])}"
                for state in labels
                if state in counts
            ),
            next_action=action,
        )

    def _get_error_lines(self):
        """One line per communication in error: its customer and the reason."""
        return [
            f"{communication.partner_id.display_name}: "
            f"{communication.error_message or ''}"
            for communication in self
            if communication.state == "error"
        ]

    def _action_open(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_collection.account_collection_communication_action"
        )
        if len(self) == 1:
            action.update({"res_id": self.id, "views": [(False, "form")]})
        else:
            action["domain"] = [("id", "in", self.ids)]
        return action

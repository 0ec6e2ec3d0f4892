import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, exception_to_unicode, format_amount, format_date
from odoo.tools.pdf import merge_pdf

from ..tools.amount_words import amount_to_words

_logger = logging.getLogger(__name__)


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
            ("queued", "To Send"),
            ("to_print", "To Print"),
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
        for communication in self:
            communication.name = _(
                "%(level)s - %(partner)s - %(date)s",
                level=communication.level_id.name or "",
                partner=communication.partner_id.name or "",
                date=communication.date or "",
            )

    @api.depends("line_ids.amount_residual", "line_ids.days_overdue")
    def _compute_amounts(self):
        for communication in self:
            lines = communication.line_ids
            communication.amount_due = sum(lines.mapped("amount_residual"))
            communication.amount_overdue = sum(
                lines.filtered(
                    lambda line: line.days_overdue > 0 and line.amount_residual > 0
                ).mapped("amount_residual")
            )

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
    # Business methods
    # ------------------------------------------------------------------
    def _process_channels(self):
        """Carry out the channels of the communications: email queued (the mail
        queue attaches its notice when it sends it), letter put in the print queue,
        phone call activity. A communication that fails is put in error with the
        reason, the others go on. What the level does to the invoices (hand-over to
        litigation, late fees) waits for every channel to succeed
        (``_update_state``)."""
        self._send_emails()
        pending = self.filtered(lambda c: c.state != "error")
        try:
            with self.env.cr.savepoint():
                pending._process_other_channels()
        except Exception:
            _logger.exception(
                "Collection channels failed in batch, retrying one by one"
            )
            for communication in pending:
                try:
                    with self.env.cr.savepoint():
                        communication._process_other_channels()
                except Exception as error:
                    _logger.exception(
                        "Collection communication %s failed", communication.id
                    )
                    communication._set_error(
                        self.env["account.collection.engine"]._error_reason(error)
                    )
        self._update_state()

    def _set_error(self, message):
        """Put the communications in error: they no longer count in the dunning
        state of their invoices until they are retried."""
        self.write({"state": "error", "error_message": message})
        self.line_ids.move_id._collection_recompute_state()

    def _send_emails(self):
        """Queue the emails. Their notices (the reports of the mail template) are
        rendered and attached by the mail queue when it sends them, so that the
        cycle only renders the email bodies."""
        to_email = self.filtered(lambda c: c.send_email and not c.mail_id)
        for communication in to_email:
            problem = communication._email_problem()
            if problem:
                communication._set_error(problem)
        to_email = to_email.filtered(lambda c: c.state != "error")
        for template, communications in to_email.grouped(
            lambda c: c.level_id.mail_template_id
        ).items():
            try:
                with self.env.cr.savepoint():
                    mails = template.with_context(
                        collection_defer_notices=True
                    ).send_mail_batch(communications.ids)
            except Exception as error:
                _logger.exception(
                    "Collection emails of template %s failed", template.id
                )
                communications._set_error(str(error))
                continue
            mail_by_record = {mail.res_id: mail for mail in mails}
            for communication in communications:
                communication.mail_id = mail_by_record.get(communication.id)

    def _email_problem(self):
        self.ensure_one()
        if not self.level_id.mail_template_id:
            return _(
                "Level %s sends emails but has no mail template.", self.level_id.name
            )
        if not self._get_recipient().email:
            return _("Customer %s has no email address.", self.partner_id.display_name)
        return False

    def _get_recipient(self):
        """The invoicing contact of the customer when it has an email address."""
        self.ensure_one()
        invoicing = self.partner_id.child_ids.filtered(
            lambda contact: contact.type == "invoice" and contact.email
        )
        return invoicing[:1] or self.partner_id

    def _process_other_channels(self):
        self.filtered("phone_call")._schedule_phone_calls()

    def _schedule_phone_calls(self):
        default_type = self.env.ref(
            "mail.mail_activity_data_call", raise_if_not_found=False
        )
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": communication.id,
                    "activity_type_id": (
                        communication.level_id.activity_type_id or default_type
                    ).id,
                    "summary": _(
                        "Call %s about the overdue invoices",
                        communication.partner_id.name,
                    ),
                    "user_id": communication.user_id.id or self.env.user.id,
                    "date_deadline": communication.date,
                }
                for communication in self
            ]
        )

    def _update_state(self):
        """Move the communications to the state their channels reached: *To Print*
        while the letter is not printed, *To Send* while the email waits in the mail
        queue, else *Done*. The communications that become done apply their level to
        the invoices."""
        targets = {}
        for communication in self.filtered(
            lambda c: c.state not in ("error", "cancel", "preview")
        ):
            if communication.send_letter and not communication.printed:
                state = "to_print"
            elif communication._email_pending():
                state = "queued"
            else:
                state = "sent"
            targets.setdefault(state, []).append(communication.id)
        done = self.browse(targets.get("sent", [])).filtered(
            lambda c: c.state != "sent"
        )
        for state, ids in targets.items():
            self.browse(ids).filtered(
                lambda c, state=state: c.state != state
            ).state = state
        done._apply_level()

    def _email_pending(self):
        """The email is queued and not sent yet."""
        self.ensure_one()
        return bool(self.mail_id) and self.mail_id.state in ("outgoing", "exception")

    def _email_sent(self):
        """The email left: sent by the mail queue (and maybe deleted since)."""
        self.ensure_one()
        return (
            self.send_email
            and self.state in ("queued", "to_print", "sent")
            and not self._email_pending()
            and (not self.mail_id or self.mail_id.state == "sent")
        )

    def _apply_level(self):
        """What the level of the communications does to their invoices, once every
        channel succeeded: the invoices still open are handed over to litigation
        (their dunning blocked, the communication records the hand-over) and the
        late fees are charged."""
        for (company, date), communications in (
            self.filtered("litigation")
            .grouped(lambda c: (c.company_id, c.date))
            .items()
        ):
            invoices = communications.line_ids.filtered("level_id").move_id
            invoices.filtered("amount_residual").with_company(
                company
            )._collection_block(
                "litigation",
                _("Handed over on %s", date.strftime("%Y-%m-%d")),
                track=False,
            )
        # A customer whose open credits cover its overdue invoices is charged nothing.
        to_charge = self.filtered(
            lambda c: c.level_id.charge_late_fees and c.amount_claimed > 0
        )
        if to_charge:
            invoices = to_charge.line_ids.filtered("level_id").move_id
            self.env["account.move"]._collection_charge_late_fees(invoices)

    def _mark_mail_result(self, failure_type=False, failure_reason=False):
        """Called when the email of the communications was sent or failed. The
        result of a mail that no longer matters (a cancelled communication, one
        already done or retried) is ignored."""
        waiting = self.filtered(lambda c: c.state in ("queued", "to_print"))
        if failure_type:
            reasons = dict(
                self.env["mail.mail"]
                ._fields["failure_type"]
                ._description_selection(self.env)
            )
            waiting._set_error(
                _(
                    "The email could not be sent: %s",
                    failure_reason or reasons.get(failure_type, failure_type),
                )
            )
        else:
            waiting._update_state()

    # ------------------------------------------------------------------
    # Notices: helpers of the mail templates and printed letters
    # ------------------------------------------------------------------
    def _get_notice_lang(self):
        """Language of the notices: the customer's, else the company's."""
        self.ensure_one()
        return self.partner_id.lang or self.company_id.partner_id.lang or "en_US"

    def _get_notice_lines(self):
        """Open items printed on a notice: invoices first by due date, then credit
        notes and unallocated payments."""
        self.ensure_one()
        return self.line_ids.sorted(
            lambda line: (line.amount_residual < 0, line.date_maturity or self.date)
        )

    def _get_notice_overdue_lines(self):
        """Invoices past their due date, the ones a formal notice claims."""
        self.ensure_one()
        return self._get_notice_lines().filtered(
            lambda line: line.days_overdue > 0 and line.amount_residual > 0
        )

    def _get_notice_place_date(self):
        """Place and date of a letter, in the customer's language ("Lyon, le 3 mars
        2026")."""
        self.ensure_one()
        lang = self._get_notice_lang()
        env = self.with_context(lang=lang).env
        return env._(
            "%(city)s, %(date)s",
            city=self.company_id.city or self.company_id.name,
            date=format_date(env, self.date, lang_code=lang, date_format="long"),
        )

    def _get_notice_amount_in_words(self, amount=None):
        """``amount`` (default: the amount claimed) in words, in the customer's
        language and the communication's currency."""
        self.ensure_one()
        return amount_to_words(
            self.amount_claimed if amount is None else amount,
            self._get_notice_lang(),
            self.currency_id.name,
            self.currency_id.decimal_places,
        )

    def _get_notice_recovery_indemnity(self):
        """Fixed recovery indemnities (L441-10, D441-5) owed for the overdue invoices
        of the notice, formatted in its currency, or an empty string when none is
        owed. The late fees' rule decides (``account.collection.late.fee``): once
        per invoice paid late, by a professional customer under no insolvency
        procedure, the amount set on the company."""
        self.ensure_one()
        fees = self.env["account.collection.late.fee"]._get_late_fees(
            self._get_notice_overdue_lines().move_id, self.date
        )
        total = sum(fee.indemnity for fee in fees.values())
        if not total:
            return ""
        return format_amount(
            self.env,
            float(total),
            self.currency_id,
            lang_code=self._get_notice_lang(),
        )

    def _get_notice_filename(self):
        """File name of the printed notice (without extension)."""
        self.ensure_one()
        return (
            f"{self.level_id.name} - {self.partner_id.name} - "
            f"{fields.Date.to_string(self.date)}"
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
        drafts._process_channels()
        return True

    def action_retry(self):
        """Send again the communications in error."""
        failed = self.filtered(lambda c: c.state == "error")
        if not failed:
            raise UserError(_("Only communications in error can be retried."))
        failed._cancel_mails()
        failed.write({"state": "draft", "error_message": False, "mail_id": False})
        failed.line_ids.move_id._collection_recompute_state()
        failed._process_channels()
        return True

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
        return True

    def _cancel(self):
        self._cancel_mails()
        self._cancel_phone_calls()
        self.write({"state": "cancel"})
        self.line_ids.move_id._collection_recompute_state()

    def _cancel_mails(self):
        """Take the emails not sent yet out of the mail queue."""
        self.mail_id.sudo().filtered(
            lambda mail: mail.state in ("outgoing", "exception")
        ).cancel()

    def _cancel_phone_calls(self):
        default_type = self.env.ref(
            "mail.mail_activity_data_call", raise_if_not_found=False
        )
        for communication in self:
            call = communication.level_id.activity_type_id or default_type
            communication.activity_ids.filtered(
                lambda activity, call=call: activity.activity_type_id == call
            ).unlink()

    def action_print_letters(self):
        """Print the selected letters in one PDF, each with the notice of its own
        level, and take them out of the print queue once their PDF exists. A letter
        printed before is printed again as it was."""
        letters = self.filtered(
            lambda c: c.send_letter and c.state in ("to_print", "sent")
        )
        if not letters:
            raise UserError(_("Select communications with a letter to print."))
        to_render = letters.filtered(lambda c: not c.letter_attachment_id)
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": f"{letter._get_notice_filename()}.pdf",
                    "raw": letter._render_letter(),
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": letter.id,
                }
                for letter in to_render
            ]
        )
        for letter, attachment in zip(to_render, attachments, strict=True):
            letter.write({"printed": True, "letter_attachment_id": attachment.id})
        to_render._update_state()
        if len(letters) == 1:
            download = letters.letter_attachment_id
        else:
            download = self.env["ir.attachment"].create(
                {
                    "name": _(
                        "Letters %s.pdf",
                        fields.Date.to_string(fields.Date.context_today(self)),
                    ),
                    "raw": merge_pdf(
                        [letter.letter_attachment_id.raw for letter in letters]
                    ),
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                }
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{download.id}?download=true",
            "target": "download",
        }

    def _render_letter(self):
        """The PDF of the letter, from the notice of its level (the reminder letter
        by default), in the customer's language."""
        self.ensure_one()
        report = self.level_id.report_id or self.env.ref(
            "account_collection.action_report_collection_letter",
            raise_if_not_found=False,
        )
        if not report:
            raise UserError(
                _("No notice is configured for level %s.", self.level_id.name)
            )
        try:
            content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
                report, self.ids
            )
        except UserError:
            raise
        except Exception as error:
            raise UserError(
                _(
                    "The letter to %(partner)s could not be printed: %(error)s",
                    partner=self.partner_id.display_name,
                    error=exception_to_unicode(error),
                )
            ) from error
        if report_type != "pdf":
            raise UserError(
                _(
                    "The letter to %s could not be printed as PDF.",
                    self.partner_id.display_name,
                )
            )
        return content

    def action_discard_previews(self):
        previews = self.filtered(lambda c: c.state == "preview")
        if not previews:
            raise UserError(_("Select previews to discard."))
        previews._discard_previews()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "account_collection.account_collection_communication_action"
        )

    def _discard_previews(self):
        """Delete previews: a simulation, which a collection user may discard
        though he cannot delete reminders."""
        previews = self.filtered(lambda c: c.state == "preview")
        previews.check_access("write")
        previews.sudo().unlink()

    def _action_open_result(self):
        """Open the communications just sent, telling which ones failed and why."""
        action = self._action_open()
        failed = self.filtered(lambda c: c.state == "error")
        if not failed:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Some reminders failed"),
                "message": "\n".join(
                    f"{communication.partner_id.display_name}: "
                    f"{communication.error_message or ''}"
                    for communication in failed
                ),
                "type": "warning",
                "sticky": True,
                "next": action,
            },
        }

    def _action_open(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_collection.account_collection_communication_action"
        )
        if len(self) == 1:
            action.update({"res_id": self.id, "views": [(False, "form")]})
        else:
            action["domain"] = [("id", "in", self.ids)]
        return action

    def action_open_partner(self):
        self.ensure_one()
        return self.partner_id._get_records_action()

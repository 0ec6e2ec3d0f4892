import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount, format_date

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
        # the number of workers running the cycle.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS
                       account_collection_communication_unique_day
                    ON account_collection_communication
                       (partner_id, company_id, currency_id, date)
                 WHERE state != 'cancel'
                """
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(communication.state != "draft" for communication in self):
            raise UserError(
                _("Only draft communications can be deleted: cancel the others.")
            )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _process_channels(self):
        """Carry out the channels of the communications: email queued (the mail
        queue attaches its notice when it sends it), letter put in the print queue,
        phone call activity, file handed over to litigation, late fees charged. A
        communication that fails is put in error with the reason, the others go
        on."""
        # First, before any savepoint flushes the invoices' new dunning levels: the
        # hand-over is then written with them, one update of each invoice.
        self._hand_over_to_litigation()
        self._send_emails()
        pending = self.filtered(lambda c: c.state != "error")
        try:
            with self.env.cr.savepoint():
                pending._process_other_channels()
        except Exception:
            _logger.info("Collection channels failed in batch, retrying one by one")
            for communication in pending:
                try:
                    with self.env.cr.savepoint():
                        communication._process_other_channels()
                except Exception as error:
                    _logger.exception(
                        "Collection communication %s failed", communication.id
                    )
                    communication.write({"state": "error", "error_message": str(error)})
        self._charge_late_fees()
        self._update_state()

    def _send_emails(self):
        """Queue the emails. Their notices (the reports of the mail template) are
        rendered and attached by the mail queue when it sends them, so that the
        cycle only renders the email bodies."""
        to_email = self.filtered(lambda c: c.send_email and not c.mail_id)
        for communication in to_email:
            problem = communication._email_problem()
            if problem:
                communication.write({"state": "error", "error_message": problem})
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
                communications.write({"state": "error", "error_message": str(error)})
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

    def _hand_over_to_litigation(self):
        """Block the dunning of the invoices handed over to litigation; the
        communication records the hand-over."""
        litigation = self.filtered("litigation")
        for date, communications in litigation.grouped("date").items():
            communications.line_ids.filtered("level_id").move_id._collection_block(
                "litigation",
                _("Handed over on %s", date.strftime("%Y-%m-%d")),
                track=False,
            )

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

    def _charge_late_fees(self):
        # A customer whose open credits cover its overdue invoices is charged nothing.
        to_charge = self.filtered(
            lambda c: c.state != "error"
            and c.level_id.charge_late_fees
            and c.amount_claimed > 0
        )
        if to_charge:
            invoices = to_charge.line_ids.filtered("level_id").move_id
            self.env["account.move"]._collection_charge_late_fees(invoices)

    def _update_state(self):
        for communication in self.filtered(lambda c: c.state != "error"):
            if communication.send_letter and not communication.printed:
                communication.state = "to_print"
            elif communication.mail_id and communication.mail_id.state in (
                "outgoing",
                "exception",
            ):
                communication.state = "queued"
            else:
                communication.state = "sent"

    def _mark_mail_result(self, failure_type=False, failure_reason=False):
        """Called when the email of the communications was sent or failed."""
        if failure_type:
            reasons = dict(
                self.env["mail.mail"]
                ._fields["failure_type"]
                ._description_selection(self.env)
            )
            self.write(
                {
                    "state": "error",
                    "error_message": _(
                        "The email could not be sent: %s",
                        failure_reason or reasons.get(failure_type, failure_type),
                    ),
                }
            )
        else:
            self.filtered(lambda c: c.state == "queued").state = "sent"

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
            raise UserError(_("Select draft communications to send."))
        drafts._process_channels()
        return True

    def action_retry(self):
        """Send again the communications in error."""
        failed = self.filtered(lambda c: c.state == "error")
        if not failed:
            raise UserError(_("Only communications in error can be retried."))
        failed.write({"state": "draft", "error_message": False, "mail_id": False})
        failed._process_channels()
        return True

    def action_cancel(self):
        if any(c.state == "sent" for c in self):
            raise UserError(_("A communication already sent cannot be cancelled."))
        self.write({"state": "cancel"})
        self.line_ids.move_id._collection_recompute_state()
        return True

    def action_print_letters(self):
        """Print the letters waiting in the print queue and take them out of it."""
        letters = self.filtered(
            lambda c: c.send_letter and c.state in ("to_print", "sent")
        )
        if not letters:
            raise UserError(_("Select communications with a letter to print."))
        report = letters.level_id.report_id[:1] or self.env.ref(
            "account_collection.action_report_collection_letter",
            raise_if_not_found=False,
        )
        if not report:
            raise UserError(
                _("No notice is configured for the levels of these letters.")
            )
        letters.write({"printed": True})
        letters._update_state()
        return report.report_action(letters)

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

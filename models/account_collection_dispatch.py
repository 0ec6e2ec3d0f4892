import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import exception_to_unicode, format_date
from odoo.tools.pdf import merge_pdf

_logger = logging.getLogger(__name__)

# Print Letters' merged download is kept this long; each letter keeps its own PDF.
MERGED_LETTERS_KEPT_DAYS = 1


class AccountCollectionDispatch(models.AbstractModel):
    """Carries out the channels of reminders (``account.collection.communication``):
    email queued, letter printed, phone call planned; then moves each reminder to
    the state its channels reached and, once every channel succeeded, applies its
    level to the invoices (hand-over to litigation, late fees). Called by the
    collection cycle (``account.collection.engine``) and by the reminders' own
    actions (send, retry, print letters)."""

    _name = "account.collection.dispatch"
    _description = "Collection Dispatch"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _dispatch(self, communications):
        """Carry out the channels of the communications: email queued (the mail
        queue attaches its notice when it sends it), letter put in the print queue,
        phone call activity. A communication that fails is put in error with the
        reason, the others go on. What the level does to the invoices (hand-over to
        litigation, late fees) waits for every channel to succeed
        (``_update_state``)."""
        self._send_emails(communications)
        pending = communications.filtered(lambda c: c.state != "error")
        try:
            with self.env.cr.savepoint():
                self._process_other_channels(pending)
        except Exception:
            _logger.exception(
                "Collection channels failed in batch, retrying one by one"
            )
            for communication in pending:
                try:
                    with self.env.cr.savepoint():
                        self._process_other_channels(communication)
                except Exception as error:
                    _logger.exception(
                        "Collection communication %s failed", communication.id
                    )
                    communication._set_error(self._error_reason(error))
        self._update_state(communications)

    @api.model
    def _error_reason(self, error):
        """The message shown to the user for an exception."""
        if isinstance(error, UserError):
            return error.args[0]
        return exception_to_unicode(error)

    @api.model
    def _send_emails(self, communications):
        """Queue the emails. Their notices (the reports of the mail template) are
        rendered and attached by the mail queue when it sends them, so that the
        cycle only renders the email bodies."""
        to_email = communications.filtered(lambda c: c.send_email and not c.mail_id)
        for communication in to_email:
            problem = self._email_problem(communication)
            if problem:
                communication._set_error(problem)
        to_email = to_email.filtered(lambda c: c.state != "error")
        for (template, author), template_communications in to_email.grouped(
            lambda c: (c.level_id.mail_template_id, self._email_author(c))
        ).items():
            try:
                with self.env.cr.savepoint():
                    mails = template.with_context(
                        collection_defer_notices=True
                    ).send_mail_batch(
                        template_communications.ids,
                        email_values=self._email_author_values(template, author),
                    )
            except Exception as error:
                _logger.exception(
                    "Collection emails of template %s failed", template.id
                )
                template_communications._set_error(str(error))
                continue
            mail_by_record = {mail.res_id: mail for mail in mails}
            for communication in template_communications:
                communication.mail_id = mail_by_record.get(communication.id)

    @api.model
    def _email_author(self, communication):
        """Who signs the email of ``communication``: its collector, else the
        company (never the user who runs the cycle, OdooBot for the scheduled run).
        The templates' sender address follows: the collector's, else the
        company's."""
        return communication.user_id.partner_id or communication.company_id.partner_id

    @api.model
    def _email_author_values(self, template, author):
        """The author of the emails and, when the template does not say it, their
        sender address: the author's (mail.message's default would be the user
        running the cycle)."""
        values = {"author_id": author.id}
        if not template.email_from and author.email:
            values["email_from"] = author.email_formatted
        return values

    @api.model
    def _email_problem(self, communication):
        """Why the email of ``communication`` cannot be sent, or False."""
        if not communication.level_id.mail_template_id:
            return _(
                "Level %s sends emails but has no mail template.",
                communication.level_id.name,
            )
        if not communication._get_recipient().email:
            return _(
                "Customer %s has no email address.",
                communication.partner_id.display_name,
            )
        return False

    @api.model
    def _process_other_channels(self, communications):
        self._schedule_phone_calls(communications.filtered("phone_call"))

    @api.model
    def _phone_call_type(self, communication):
        """The activity type of the phone call of ``communication``: its level's,
        else the default call."""
        return communication.level_id.activity_type_id or self.env.ref(
            "mail.mail_activity_data_call", raise_if_not_found=False
        )

    @api.model
    def _schedule_phone_calls(self, communications):
        """Plan the phone call of each communication for its collector. An
        activity needs someone: without collector nor default collector, Odoo's
        default applies (the user running the cycle), and the reminder itself stays
        without collector. The calls appear in the collectors' activities and
        their day's worklist; Odoo's "activity assigned" email per call is not
        sent, which would flood a collector with one email per customer every
        morning."""
        callers = {
            communication: communication.user_id
            or communication.partner_id._collection_responsible_user(
                communication.company_id
            )
            or self.env.user
            for communication in communications
        }
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id(communication._name),
                    "res_id": communication.id,
                    "activity_type_id": self._phone_call_type(communication).id,
                    "summary": _(
                        "Call %s about the overdue invoices",
                        communication.partner_id.name,
                    ),
                    "user_id": callers[communication].id,
                    "date_deadline": communication.date,
                }
                for communication in communications
            ]
        )

    @api.model
    def _cancel_mails(self, communications):
        """Take the emails not sent yet out of the mail queue."""
        communications.mail_id.sudo().filtered(
            lambda mail: mail.state in ("outgoing", "exception")
        ).cancel()

    @api.model
    def _cancel_phone_calls(self, communications):
        """Remove the phone calls planned and not done yet."""
        for communication in communications:
            call = self._phone_call_type(communication)
            communication.activity_ids.filtered(
                lambda activity, call=call: activity.activity_type_id == call
            ).unlink()

    @api.model
    def _update_state(self, communications):
        """Move the communications to the state their channels reached: *To Print*
        while the letter is not printed, *To Send* while the email waits in the mail
        queue, else *Done*. The communications that become done apply their level to
        the invoices."""
        targets = {}
        for communication in communications.filtered(
            lambda c: c.state not in ("error", "cancel", "preview")
        ):
            if communication.send_letter and not communication.printed:
                state = "to_print"
            elif communication._email_pending():
                state = "queued"
            else:
                state = "sent"
            targets.setdefault(state, []).append(communication.id)
        done = communications.browse(targets.get("sent", [])).filtered(
            lambda c: c.state != "sent"
        )
        for state, ids in targets.items():
            communications.browse(ids).filtered(
                lambda c, state=state: c.state != state
            ).state = state
        self._apply_level(done)

    @api.model
    def _apply_level(self, communications):
        """What the level of the communications does to their invoices, once every
        channel succeeded: the invoices still open are handed over to litigation
        (their dunning blocked, the communication records the hand-over) and the
        late fees are charged."""
        for (company, date), handed_over in (
            communications.filtered("litigation")
            .grouped(lambda c: (c.company_id, c.date))
            .items()
        ):
            invoices = handed_over.line_ids.filtered("level_id").move_id
            invoices.filtered("amount_residual").with_company(
                company
            )._collection_block(
                "litigation",
                _("Handed over on %s", format_date(self.env, date)),
                track=False,
            )
        # A customer whose open credits cover its overdue invoices is charged nothing.
        to_charge = communications.filtered(
            lambda c: c.level_id.charge_late_fees and c.amount_claimed > 0
        )
        if to_charge:
            invoices = to_charge.line_ids.filtered("level_id").move_id
            self.env["account.move"]._collection_charge_late_fees(invoices)

    @api.model
    def _mark_mail_result(
        self, communications, failure_type=False, failure_reason=False
    ):
        """Called when the email of the communications was sent or failed. The
        result of a mail that no longer matters (a cancelled communication, one
        already done or retried) is ignored."""
        waiting = communications.filtered(lambda c: c.state in ("queued", "to_print"))
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
            self._update_state(waiting)

    @api.model
    def _print_letters(self, letters):
        """Print the letters in one PDF, each with the notice of its own level, and
        take them out of the print queue once their PDF exists. A letter printed
        before is printed again as it was. Return the attachment to download."""
        to_render = letters.filtered(lambda c: not c.letter_attachment_id)
        pdfs = self._render_letters(to_render)
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": f"{letter._get_notice_filename()}.pdf",
                    "raw": pdfs[letter.id],
                    "mimetype": "application/pdf",
                    "res_model": letter._name,
                    "res_id": letter.id,
                }
                for letter in to_render
            ]
        )
        for letter, attachment in zip(to_render, attachments, strict=True):
            letter.write({"printed": True, "letter_attachment_id": attachment.id})
        self._update_state(to_render)
        if len(letters) == 1:
            return letters.letter_attachment_id
        return self.env["ir.attachment"].create(
            {
                "name": _(
                    "Letters %s.pdf",
                    fields.Date.to_string(fields.Date.context_today(self)),
                ),
                "raw": merge_pdf(
                    [letter.letter_attachment_id.raw for letter in letters]
                ),
                "mimetype": "application/pdf",
                "res_model": letters._name,
            }
        )

    @api.autovacuum
    def _gc_merged_letters(self):
        """Remove the merged PDFs of Print Letters once downloaded: each letter
        keeps its own PDF (``letter_attachment_id``) and printing again merges
        them anew, so a daily print run would otherwise store every letter twice."""
        self.env["ir.attachment"].sudo().search(
            [
                ("res_model", "=", "account.collection.communication"),
                ("res_id", "in", [0, False]),
                (
                    "create_date",
                    "<",
                    fields.Datetime.now() - timedelta(days=MERGED_LETTERS_KEPT_DAYS),
                ),
            ]
        ).unlink()

    @api.model
    def _render_letters(self, letters):
        """``{letter id: PDF}``: the letters of each notice rendered in batches
        (``account.collection.notice.batch``), one wkhtmltopdf call per chunk;
        those a batch could not render, one by one (``_render_letter``)."""
        batches = self.env["account.collection.notice.batch"]
        rendered = {}
        for report, group in letters.grouped(self._letter_report).items():
            if report:
                rendered.update(batches._render_notice_pdfs(report, group))
        return {
            letter.id: rendered.get(letter.id) or self._render_letter(letter)
            for letter in letters
        }

    @api.model
    def _letter_report(self, letter):
        """The notice of the letter's level, the reminder letter by default."""
        return letter.level_id.report_id or self.env.ref(
            "account_collection.action_report_collection_letter",
            raise_if_not_found=False,
        )

    @api.model
    def _render_letter(self, letter):
        """The PDF of the letter, from the notice of its level (the reminder letter
        by default), in the customer's language."""
        letter.ensure_one()
        report = self._letter_report(letter)
        if not report:
            raise UserError(
                _("No notice is configured for level %s.", letter.level_id.name)
            )
        try:
            content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
                report, letter.ids
            )
        except UserError:
            raise
        except Exception as error:
            raise UserError(
                _(
                    "The letter to %(partner)s could not be printed: %(error)s",
                    partner=letter.partner_id.display_name,
                    error=exception_to_unicode(error),
                )
            ) from error
        if report_type != "pdf":
            raise UserError(
                _(
                    "The letter to %s could not be printed as PDF.",
                    letter.partner_id.display_name,
                )
            )
        return content

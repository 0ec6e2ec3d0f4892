import logging

import psycopg2

from odoo import Command, _, fields, models
from odoo.exceptions import UserError
from odoo.tools import exception_to_unicode, split_every
from odoo.tools.safe_eval import safe_eval, time

from odoo.addons.base.models.ir_mail_server import MailDeliveryException

from .mail_template import COMMUNICATION_MODEL

_logger = logging.getLogger(__name__)


class MailMail(models.Model):
    _inherit = "mail.mail"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_notice_pending = fields.Boolean(
        string="Notice to Attach",
        readonly=True,
        copy=False,
        help="The collection cycle queued this email without its notice: the notice "
        "is rendered and attached when the mail queue sends the email.",
    )
    collection_notice_template_id = fields.Many2one(
        "mail.template",
        string="Notice Template",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="Mail template whose reports are attached to the email when it is sent.",
    )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _send(
        self,
        auto_commit=False,
        raise_exception=False,
        smtp_session=None,
        alias_domain_id=False,
        mail_server=False,
        post_send_callback=None,
    ):
        send_kwargs = {
            "auto_commit": auto_commit,
            "raise_exception": raise_exception,
            "smtp_session": smtp_session,
            "alias_domain_id": alias_domain_id,
            "mail_server": mail_server,
            "post_send_callback": post_send_callback,
        }
        self._collection_cancel_settled_reminders()
        pending = self.filtered(
            lambda mail: mail.collection_notice_pending and mail.state == "outgoing"
        )
        if not pending:
            return super()._send(**send_kwargs)
        super(MailMail, self - pending)._send(**send_kwargs)
        # The notices of a chunk of mails are rendered together (one wkhtmltopdf
        # call per chunk), then each is attached right before its own mail goes
        # out, so that the mail queue commits it with its mail instead of keeping
        # the whole batch in one transaction.
        size = self.env["account.collection.notice.batch"]._notice_batch_size()
        for chunk in split_every(size, pending.ids, self.browse):
            rendered = chunk._collection_prerender_notices()
            for mail in chunk:
                mail._collection_attach_notice(
                    raise_exception=raise_exception, rendered=rendered
                )
                super(MailMail, mail)._send(**send_kwargs)
        return True

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        communications = (
            self.env["account.collection.communication"]
            .sudo()
            .search([("mail_id", "in", self.ids)])
        )
        if communications:
            # In the environment of the communications (sudo).
            communications.env["account.collection.dispatch"]._mark_mail_result(
                communications, failure_type, failure_reason
            )
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )

    def _collection_cancel_settled_reminders(self):
        """A reminder whose invoices were all paid while its email waited in the
        queue (online from the customer's page, or by a payment registered since)
        is cancelled instead of sent: a customer who paid is not reminded."""
        mails = self.filtered(
            lambda mail: mail.state == "outgoing"
            and mail.model == "account.collection.communication"
        )
        if not mails:
            return
        communications = (
            self.env["account.collection.communication"]
            .sudo()
            .browse(mails.mapped("res_id"))
            .exists()
        )
        settled = communications.filtered(
            lambda communication: communication.state == "queued"
            and (
                claimed := communication.line_ids.filtered(
                    lambda line: line.amount_residual > 0
                )
            )
            and all(claimed.move_line_id.mapped("reconciled"))
        )
        if not settled:
            return
        settled._cancel()
        for communication in settled:
            communication.message_post(
                body=_("Paid before its email left: the reminder was not sent.")
            )

    def _collection_prerender_notices(self):
        """``{(report id, communication id): PDF}``: the notices of these mails
        rendered in batches, per template report and language of the notice
        (``account.collection.notice.batch``). What is left out is rendered mail
        by mail (``_collection_render_notice``)."""
        mails = self.sudo().filtered(
            lambda mail: mail.collection_notice_template_id
            and mail.model == COMMUNICATION_MODEL
        )
        records = mails.env[COMMUNICATION_MODEL].browse(mails.mapped("res_id"))
        records = records.exists()
        by_id = {record.id: record for record in records}
        groups = mails.grouped(
            lambda mail: (
                mail.collection_notice_template_id,
                mail.res_id in by_id and by_id[mail.res_id]._get_notice_lang(),
            )
        )
        batches = mails.env["account.collection.notice.batch"]
        rendered = {}
        for (template, lang), group in groups.items():
            if not lang:
                continue
            communications = records.browse(group.mapped("res_id"))
            for report in template.report_template_ids:
                pdfs = batches.with_context(lang=lang)._render_notice_pdfs(
                    report, communications.with_context(lang=lang)
                )
                rendered.update(
                    {(report.id, res_id): pdf for res_id, pdf in pdfs.items()}
                )
        return rendered

    def _collection_attach_notice(self, raise_exception=False, rendered=None):
        """Render the reports of the mail's template (or take them from
        ``rendered``, see ``_collection_prerender_notices``) and attach them to the
        mail. A notice that cannot be rendered fails its own mail only (and the
        communication of the mail, through ``_postprocess_sent_message``)."""
        self.ensure_one()
        mail = self.sudo()
        try:
            with self.env.cr.savepoint():
                attachments = mail._collection_render_notice(rendered)
                mail.with_context(default_type=None).write(
                    {
                        "attachment_ids": [
                            Command.create(values) for values in attachments
                        ],
                        "collection_notice_pending": False,
                        "collection_notice_template_id": False,
                    }
                )
        except (MemoryError, psycopg2.Error):
            raise
        except Exception as error:
            _logger.exception("Collection notice of mail %s not attached", mail.id)
            if isinstance(error, UserError):
                reason = error.args[0]
            else:
                reason = _(
                    "The notice of this email could not be attached: %s",
                    exception_to_unicode(error),
                )
            mail.write(
                {
                    "state": "exception",
                    "failure_type": "unknown",
                    "failure_reason": reason,
                }
            )
            mail._postprocess_sent_message(
                success_pids=[], failure_reason=reason, failure_type="unknown"
            )
            if raise_exception:
                raise MailDeliveryException(reason) from error

    def _collection_render_notice(self, rendered=None):
        """Values of the attachments rendered from the reports of the template
        (those already in ``rendered`` are taken from it), named as the template
        names them, in the language of the notice."""
        self.ensure_one()
        template = self.collection_notice_template_id
        if not template:
            raise UserError(
                _(
                    "The notice of this email could not be attached: its mail "
                    "template was deleted."
                )
            )
        record = self.env[self.model].browse(self.res_id).exists()
        if not record:
            raise UserError(
                _(
                    "The notice of this email could not be attached: its "
                    "communication was deleted."
                )
            )
        lang = record._get_notice_lang()
        record = record.with_context(lang=lang)
        reports = self.env["ir.actions.report"].with_context(lang=lang)
        attachments = []
        for report in template.report_template_ids:
            content = (rendered or {}).get((report.id, record.id))
            report_format = "pdf"
            if not content:
                content, report_format = self._collection_render_report(
                    reports, report, record
                )
            if report.print_report_name:
                name = safe_eval(
                    report.print_report_name, {"object": record, "time": time}
                )
            else:
                name = record.env._("Report")
            extension = f".{report_format}"
            if not name.endswith(extension):
                name += extension
            attachments.append(
                {
                    "name": name,
                    "raw": content,
                    "type": "binary",
                    "res_model": "mail.message",
                    "res_id": self.mail_message_id.id,
                }
            )
        return attachments

    def _collection_render_report(self, reports, report, record):
        try:
            if report.report_type in ("qweb-html", "qweb-pdf"):
                return reports._render_qweb_pdf(report, record.ids)
            rendered = reports._render(report, record.ids)
        except Exception as error:
            raise UserError(
                _(
                    "The notice %(report)s of this email could not be rendered: "
                    "%(error)s",
                    report=report.name,
                    error=exception_to_unicode(error),
                )
            ) from error
        if not rendered:
            raise UserError(
                _(
                    "The notice %(report)s of this email could not be rendered: "
                    "unsupported report type %(type)s.",
                    report=report.name,
                    type=report.report_type,
                )
            )
        return rendered

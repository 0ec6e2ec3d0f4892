import base64
import io
import re
import zipfile

from odoo import _, api, fields, models

INVOICE_REPORT = "account.account_invoices"


class AccountCollectionCourtRequest(models.Model):
    """The exhibits of a court request: their list (each invoice, each reminder
    with its date, the formal notice with its sending date) and their ZIP."""

    _inherit = "account.collection.court.request"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_download_exhibits(self):
        """Build the ZIP of the exhibits, attach it to the request and download it."""
        self.ensure_one()
        attachment = self._build_exhibits_zip()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _exhibits(self, invoices, reminders):
        """``[(label, record)]`` of the exhibits: each invoice, each reminder with
        its date, the formal notice with its sending date."""
        exhibits = []
        for invoice in invoices:
            exhibits.append(
                (
                    _(
                        "Invoice %(name)s of %(date)s",
                        name=invoice.name,
                        date=fields.Date.to_string(invoice.invoice_date),
                    ),
                    invoice,
                )
            )
        for reminder in reminders:
            label = (
                _("Formal notice sent on %s", fields.Date.to_string(reminder.date))
                if reminder.formal_notice
                else _(
                    "Reminder (%(level)s) of %(date)s",
                    level=reminder.level_id.name,
                    date=fields.Date.to_string(reminder.date),
                )
            )
            exhibits.append((label, reminder))
        return [
            (f"{index}. {label}", record)
            for index, (label, record) in enumerate(exhibits, start=1)
        ]

    def _build_exhibits_zip(self):
        """The ZIP of the exhibits (each invoice's PDF, each reminder's letter or
        email, the formal notice), attached to the request."""
        self.ensure_one()
        reports = self.env["ir.actions.report"].sudo()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for index, (label, record) in enumerate(
                self._exhibits(self.invoice_ids, self.reminder_ids), start=1
            ):
                name = re.sub(r"[^\w.-]+", "_", label.split(". ", 1)[1])[:80]
                content, extension = self._exhibit_content(record, reports)
                archive.writestr(f"{index:02d}_{name}.{extension}", content)
        filename = _("Exhibits - %s.zip", self.name)
        values = {
            "name": filename,
            "datas": base64.b64encode(buffer.getvalue()),
            "mimetype": "application/zip",
            "res_model": self._name,
            "res_id": self.id,
        }
        if self.exhibits_attachment_id:
            self.exhibits_attachment_id.sudo().write(values)
        else:
            self.exhibits_attachment_id = (
                self.env["ir.attachment"].sudo().create(values)
            )
        return self.exhibits_attachment_id

    def _exhibit_content(self, record, reports):
        """``(content, extension)`` of one exhibit."""
        if record._name == "account.move":
            content, report_type = reports._render_qweb_pdf(INVOICE_REPORT, record.ids)
            return content, "pdf" if report_type == "pdf" else "html"
        if record.letter_attachment_id:
            return base64.b64decode(record.letter_attachment_id.sudo().datas), "pdf"
        report = record.level_id.report_id or self.env.ref(
            "account_collection.action_report_collection_formal_notice"
            if record.formal_notice
            else "account_collection.action_report_collection_letter"
        )
        content, report_type = reports._render_qweb_pdf(report, record.ids)
        return content, "pdf" if report_type == "pdf" else "html"

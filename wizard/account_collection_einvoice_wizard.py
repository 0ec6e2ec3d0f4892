import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.account_collection_einvoice_status import status_selection
from ..tools import einvoice
from ..tools.actions import notification


class AccountCollectionEinvoiceStatusWizard(models.TransientModel):
    """The user sets the platform status of invoices by hand."""

    _name = "account.collection.einvoice.status.wizard"
    _description = "Set E-Invoicing Platform Status"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    status = fields.Selection(status_selection(), required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Float(
        digits="Account", help="212 Encaissee: the amount cashed, if known."
    )
    note = fields.Char()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self.move_ids._check_collection_invoices()
        report = self.env["account.move"]._collection_set_einvoice_status(
            [
                {
                    "invoice": move.id,
                    "status": self.status,
                    "date": self.date,
                    "amount": self.amount or None,
                    "note": self.note,
                    "source": "user",
                }
                for move in self.move_ids
            ]
        )
        return self.env["account.collection.einvoice.import.wizard"]._notify(report)


class AccountCollectionEinvoiceImportWizard(models.TransientModel):
    """Import platform statuses from a CSV file: invoice, status, date, amount,
    note (a header line names the columns)."""

    _name = "account.collection.einvoice.import.wizard"
    _description = "Import E-Invoicing Platform Statuses"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    file = fields.Binary(string="CSV File", required=True)
    filename = fields.Char()
    report = fields.Text(readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_import(self):
        self.ensure_one()
        try:
            text = base64.b64decode(self.file).decode("utf-8-sig")
        except (ValueError, UnicodeDecodeError):
            raise UserError(_("The file is not a UTF-8 CSV file.")) from None
        try:
            rows = einvoice.read_csv(text)
        except ValueError as error:
            raise UserError(
                _(
                    "The file lacks the columns: %s. Expected a header line with "
                    "invoice, status, date, amount, note.",
                    error.args[0],
                )
            ) from None
        if not rows:
            raise UserError(_("The file holds no status."))
        report = self.env["account.move"]._collection_set_einvoice_status(
            [{**row, "source": "import"} for row in rows]
        )
        self.write({"report": self._report_text(report), "state": "done"})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _report_text(self, report):
        labels = {
            "applied": _("applied"),
            "history": _("history only"),
            "duplicate": _("already recorded"),
            "error": _("error"),
        }
        counts = {key: 0 for key in labels}
        lines = []
        for row in report:
            counts[row["result"]] += 1
            lines.append(
                _(
                    "Line %(line)s, %(invoice)s: %(result)s. %(message)s",
                    line=row["line"],
                    invoice=row["invoice"] or "-",
                    result=labels[row["result"]],
                    message=row["message"],
                )
            )
        summary = _(
            "%(applied)s applied, %(history)s history only, %(duplicate)s already "
            "recorded, %(error)s errors.",
            **counts,
        )
        return "\n".join([summary, *lines])

    @api.model
    def _notify(self, report):
        errors = [row for row in report if row["result"] == "error"]
        if errors:
            raise UserError(self._report_text(report))
        return notification(self._report_text(report).split("\n")[0])

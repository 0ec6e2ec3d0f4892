from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools import format_date

from ..tools import einvoice
from ..tools.groups import INTERNAL
from .account_collection_einvoice_status import status_selection


class AccountMove(models.Model):
    """Lifecycle status of the customer invoice on the e-invoicing platform: its
    history, the dunning it blocks (207, 208, 210, 213) and the 212 Encaissee
    recorded at payment."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    collection_block_reason = fields.Selection(
        selection_add=[
            ("einvoice_dispute", "In Dispute on the Platform (207)"),
            ("einvoice_suspended", "Suspended on the Platform (208)"),
            ("einvoice_refused", "Refused on the Platform (210)"),
            ("einvoice_rejected", "Rejected by the Platform (213)"),
        ],
        ondelete={
            "einvoice_dispute": "set null",
            "einvoice_suspended": "set null",
            "einvoice_refused": "set null",
            "einvoice_rejected": "set null",
        },
    )
    collection_einvoice_status = fields.Selection(
        status_selection(),
        string="Platform Status",
        copy=False,
        readonly=True,
        tracking=True,
        index="btree_not_null",
        groups=INTERNAL,
        help="Last status of the invoice on the e-invoicing platform. 207 En litige, "
        "208 Suspendue, 210 Refusee and 213 Rejetee stop the reminders until the "
        "status moves on.",
    )
    collection_einvoice_status_date = fields.Date(
        string="Platform Status Date", copy=False, readonly=True, groups=INTERNAL
    )
    collection_einvoice_status_ids = fields.One2many(
        "account.collection.einvoice.status",
        "move_id",
        string="Platform Statuses",
        groups=INTERNAL,
    )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_collection_einvoice_set_status(self):
        self._check_collection_invoices()
        return {
            "type": "ir.actions.act_window",
            "name": _("Set Platform Status"),
            "res_model": "account.collection.einvoice.status.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _collection_set_einvoice_status(self, records_values):
        """Record platform statuses, for a connector or the file import.

        :param records_values: a list of dicts, one per status received::

            {
                "invoice": "INV/2026/00012",  # number, or an account.move id (int)
                "status": "207",               # code 200..213
                "date": "2026-09-14",          # date, ISO or dd/mm/yyyy text
                "amount": 1200.0,              # optional: the amount cashed (212)
                "note": "Price disputed",      # optional
                "source": "import",            # optional: import (default), user
            }

        Invoices are looked up among the posted customer invoices of the allowed
        companies. A status dated before the invoice's current one is kept in the
        history without changing the status (out of order); the same status on the
        same date is not recorded twice.

        :return: one dict per line, in order: ``{"line": n (from 1), "invoice":
            number or None, "result": "applied" | "history" | "duplicate" |
            "error", "message": translated text}``.
        """
        invoices = self._collection_einvoice_find(records_values)
        report = []
        for index, values in enumerate(records_values, start=1):
            key = values.get("invoice")
            invoice = invoices.get(key)
            code = einvoice.normalize_code(values.get("status"))
            line = {"line": index, "invoice": invoice.name if invoice else key}
            try:
                day = einvoice.parse_date(values.get("date"))
                amount = einvoice.parse_amount(values.get("amount"))
            except ValueError:
                day = amount = None
            if not invoice:
                result, message = "error", _("Unknown invoice: %s", key)
            elif not code:
                result, message = (
                    "error",
                    _("Unknown status code: %s", values.get("status")),
                )
            elif not day:
                result, message = (
                    "error",
                    _(
                        "Unreadable date or amount: %(date)s %(amount)s",
                        date=values.get("date") or "",
                        amount=values.get("amount") or "",
                    ),
                )
            else:
                result, message = invoice._collection_einvoice_record(
                    code,
                    day,
                    source=values.get("source") or "import",
                    amount=amount,
                    note=values.get("note"),
                )
            report.append({**line, "result": result, "message": message})
        return report

    def _collection_einvoice_find(self, records_values):
        """``{key: invoice}`` of the invoices named in ``records_values``."""
        keys = {values.get("invoice") for values in records_values}
        ids = [key for key in keys if isinstance(key, int)]
        names = [key for key in keys if isinstance(key, str) and key]
        domain = [
            ("company_id", "in", self.env.companies.ids),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
        ]
        found = self.search([*domain, "|", ("id", "in", ids), ("name", "in", names)])
        by_key = {}
        for invoice in found:
            by_key[invoice.id] = invoice
            by_key[invoice.name] = invoice
        return by_key

    def _collection_einvoice_record(
        self, code, day, source="user", amount=None, note=None, payment=None
    ):
        """Record status ``code`` on ``day`` for the invoice and apply it unless an
        invoice's status is newer. Return ``(result, message)``."""
        self.ensure_one()
        history = self.collection_einvoice_status_ids
        if any(h.status == code and h.date == day for h in history) and not payment:
            return "duplicate", _("Already recorded.")
        current = self.collection_einvoice_status_date
        applied = not current or day >= current
        self.env["account.collection.einvoice.status"].create(
            {
                "move_id": self.id,
                "status": code,
                "date": day,
                "source": source,
                "amount": float(amount) if amount is not None else 0.0,
                "note": note or False,
                "payment_move_id": payment.id if payment else False,
                "applied": applied,
            }
        )
        if not applied:
            return "history", _(
                "Older than the current status of %s: kept in the history only.",
                format_date(self.env, current),
            )
        self._collection_write(
            {
                "collection_einvoice_status": code,
                "collection_einvoice_status_date": day,
            }
        )
        self._collection_einvoice_apply_block(code, day, note)
        return "applied", _("Status recorded.")

    def _collection_einvoice_apply_block(self, code, day, note=None):
        """Block the dunning for a platform dispute, suspension, refusal or
        rejection; lift the platform's block when the status moves on. A block the
        user set is left as it is."""
        for move in self:
            action, reason = einvoice.block_change(
                code, move.collection_blocked, move.collection_block_reason
            )
            if action == "block":
                move._collection_write(
                    {
                        **move._collection_block_values(True, reason, note),
                        "collection_block_date": day,
                    }
                )
            elif action == "unblock":
                move._collection_unblock()

    def _collection_einvoice_record_payments(self, partials):
        """Record 212 Encaissee for each payment among ``partials`` (account.partial
        .reconcile) of customer invoices of companies on e-invoicing: the amount
        cashed in the invoice currency and the payment's date, once per payment.
        Credit notes and other invoices set off are not cashed."""
        cashed = defaultdict(float)
        for partial in partials.filtered("company_id.collection_einvoice_enabled"):
            invoice = partial.debit_move_id.move_id
            counterpart = partial.credit_move_id.move_id
            if (
                invoice.move_type != "out_invoice"
                or invoice.state != "posted"
                or not invoice.company_id.collection_einvoice_enabled
                or counterpart.is_invoice(include_receipts=True)
            ):
                continue
            cashed[invoice, counterpart] += partial.debit_amount_currency
        if not cashed:
            return
        already = {
            (status.move_id, status.payment_move_id)
            for status in self.env["account.collection.einvoice.status"]
            .sudo()
            .search(
                [
                    ("move_id", "in", [invoice.id for invoice, _p in cashed]),
                    ("payment_move_id", "in", [payment.id for _i, payment in cashed]),
                    ("status", "=", einvoice.CASHED),
                ]
            )
        }
        for (invoice, payment), amount in cashed.items():
            if (invoice, payment) in already:
                continue
            invoice.sudo()._collection_einvoice_record(
                einvoice.CASHED,
                payment.date,
                source="payment",
                amount=invoice.currency_id.round(amount),
                note=payment.name,
                payment=payment,
            )

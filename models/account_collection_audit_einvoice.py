from odoo import _, fields, models
from odoo.tools import SQL

from ..tools import einvoice


class AccountCollectionAuditFinding(models.Model):
    _inherit = "account.collection.audit.finding"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    rule = fields.Selection(
        selection_add=[
            ("einvoice_refused_open", "Refused on the platform, still open"),
            ("einvoice_paid_not_cashed", "Paid, no 212 Encaissee sent"),
        ],
        ondelete={
            "einvoice_refused_open": "cascade",
            "einvoice_paid_not_cashed": "cascade",
        },
    )


class AccountCollectionAudit(models.Model):
    """The audit rules of the e-invoicing platform statuses."""

    _inherit = "account.collection.audit"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _audit_rules(self):
        return {
            **super()._audit_rules(),
            "einvoice_refused_open": self._rule_einvoice_refused_open,
            "einvoice_paid_not_cashed": self._rule_einvoice_paid_not_cashed,
        }

    def _rule_einvoice_refused_open(self):
        """Invoices refused (210) or rejected (213) on the platform and still open:
        cancel them with a credit note or issue them again."""
        rows = self._invoice_rows(
            select=SQL("move.collection_einvoice_status AS status"),
            condition=SQL(
                "move.collection_einvoice_status IN %s", tuple(sorted(einvoice.REFUSED))
            ),
        )
        labels = dict(
            self.env["account.move"]
            ._fields["collection_einvoice_status"]
            ._description_selection(self.env)
        )
        return [
            self._finding(
                row,
                "high",
                _(
                    "%s on the e-invoicing platform and still open: issue a credit "
                    "note or a corrected invoice.",
                    labels.get(row["status"], row["status"]),
                ),
            )
            for row in rows
        ]

    def _rule_einvoice_paid_not_cashed(self):
        """Invoices exchanged through the platform (a status received), paid, with
        no 212 Encaissee: the payment data the company must report."""
        if not self.company_id.collection_einvoice_enabled:
            return []
        rows = self._invoice_rows(
            select=SQL("move.collection_einvoice_status AS status"),
            condition=SQL(
                """
                    move.payment_state IN ('paid', 'in_payment')
                AND move.collection_einvoice_status IS NOT NULL
                AND NOT EXISTS (
                     SELECT 1 FROM account_collection_einvoice_status status
                      WHERE status.move_id = move.id AND status.status = %s)
                """,
                einvoice.CASHED,
            ),
            open_only=False,
        )
        return [
            self._finding(
                row,
                "medium",
                _("Paid, but no 212 Encaissee was recorded for the platform."),
            )
            for row in rows
        ]

from dateutil.relativedelta import relativedelta

from odoo import _, fields, models
from odoo.tools import SQL

# Months before the prescription an open invoice is reported.
PRESCRIPTION_WARNING_MONTHS = 6


class AccountCollectionAuditFinding(models.Model):
    _inherit = "account.collection.audit.finding"

    rule = fields.Selection(
        selection_add=[("prescription", "Claim about to be prescribed")],
        ondelete={"prescription": "cascade"},
    )


class AccountCollectionAudit(models.Model):
    """The prescription rule of the receivables audit: open invoices prescribed
    within six months (Code de commerce L110-4, Code de la consommation L218-2)."""

    _inherit = "account.collection.audit"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _audit_rules(self):
        return {**super()._audit_rules(), "prescription": self._rule_prescription}

    def _rule_prescription(self):
        rows = self._invoice_rows(
            select=SQL("move.collection_prescription_date AS prescription_date"),
            condition=SQL(
                "move.collection_prescription_date <= %s",
                self.date + relativedelta(months=PRESCRIPTION_WARNING_MONTHS),
            ),
        )
        return [
            self._finding(
                row,
                "high",
                _(
                    "Prescribed on %s: sue, or get a payment or a written "
                    "acknowledgment of the debt before then.",
                    self._format_date(row["prescription_date"]),
                ),
            )
            for row in rows
        ]

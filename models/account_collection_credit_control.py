from collections import namedtuple

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import risk

# Fields the exposure query reads, flushed before it.
EXPOSURE_LINE_FIELDS = [
    "account_id",
    "partner_id",
    "company_id",
    "parent_state",
    "reconciled",
    "amount_residual",
]
EXPOSURE_MOVE_FIELDS = [
    "company_id",
    "state",
    "move_type",
    "commercial_partner_id",
    "amount_total_signed",
]

CreditStatus = namedtuple("CreditStatus", "exposure limit blocked segment")


class AccountCollectionCreditControl(models.AbstractModel):
    """Credit control of customers, live: exposure (open receivables plus draft
    customer invoices), limit in force and credit hold. Used when invoices are
    posted, on the customer form and by the scoring (the exposure)."""

    _name = "account.collection.credit.control"
    _description = "Customer Credit Control"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _credit_status(self, company, partner_ids, pending=None, exclude_move_ids=()):
        """Return ``{partner_id: CreditStatus}`` for commercial partners, live:
        exposure now (plus ``pending`` amounts, e.g. the invoices being posted, whose
        ids are in ``exclude_move_ids`` so that they do not count twice), limit in
        force and credit hold. A few queries whatever the number of partners."""
        model = self.sudo().with_company(company)
        partner_ids = {partner_id for partner_id in partner_ids if partner_id}
        today = fields.Date.context_today(model)
        exposure = model._fetch_exposure(company, partner_ids, exclude_move_ids)
        valid_notes = model.env["account.collection.solvency.note"]._get_latest(
            partner_ids, company, today
        )[0]
        risk_model = model.env["account.collection.partner.risk"]
        records = risk_model.search_fetch(
            [("company_id", "=", company.id), ("partner_id", "in", list(partner_ids))],
            ["partner_id", "segment_id", "credit_limit_manual", "credit_hold"],
        )
        records = {record.partner_id.id: record for record in records}
        pending = pending or {}
        result = {}
        for partner_id in partner_ids:
            record = records.get(partner_id, risk_model.browse())
            note = valid_notes.get(partner_id)
            segment = record.segment_id
            limit = risk.effective_credit_limit(
                record.credit_limit_manual,
                note.credit_limit if note else 0,
                segment.credit_limit_factor if segment else 1,
                segment.default_credit_limit,
            )
            result[partner_id] = CreditStatus(
                exposure=exposure.get(partner_id, 0.0) + pending.get(partner_id, 0.0),
                limit=float(limit),
                blocked=record.credit_hold or segment.blocked,
                segment=segment,
            )
        return result

    @api.model
    def _fetch_exposure(self, company, partner_ids=None, exclude_move_ids=()):
        """Return ``{commercial partner id: exposure}``: open receivables (posted,
        unreconciled) plus draft customer invoices, in the company's currency."""
        self.env["account.move.line"].flush_model(EXPOSURE_LINE_FIELDS)
        self.env["account.move"].flush_model(EXPOSURE_MOVE_FIELDS)
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        query = SQL(
            """
            SELECT partner_id, SUM(amount)
              FROM (
                    SELECT rp.commercial_partner_id AS partner_id,
                           l.amount_residual AS amount
                      FROM account_move_line l
                      JOIN res_partner rp ON rp.id = l.partner_id
                     WHERE %(open_items)s
                       AND %(line_partners)s
                     UNION ALL
                    SELECT m.commercial_partner_id, m.amount_total_signed
                      FROM account_move m
                     WHERE m.company_id = %(company)s
                       AND m.state = 'draft'
                       AND m.move_type = 'out_invoice'
                       AND m.commercial_partner_id IS NOT NULL
                       AND NOT m.id = ANY(%(excluded)s)
                       AND %(move_partners)s
                   ) exposure
             GROUP BY partner_id
            """,
            open_items=self.env["account.move.line"]._collection_open_items_sql(
                company, alias="l"
            ),
            company=company.id,
            excluded=list(exclude_move_ids),
            line_partners=self._partner_filter(
                SQL("rp.commercial_partner_id"), partner_ids
            ),
            move_partners=self._partner_filter(
                SQL("m.commercial_partner_id"), partner_ids
            ),
        )
        self.env.cr.execute(query)
        return {
            partner_id: float(amount) for partner_id, amount in self.env.cr.fetchall()
        }

    @api.model
    def _partner_filter(self, column, partner_ids):
        """SQL condition keeping the rows whose ``column`` is in ``partner_ids``
        (every row when None)."""
        if partner_ids is None:
            return SQL("TRUE")
        return SQL("%s = ANY(%s)", column, list(partner_ids))

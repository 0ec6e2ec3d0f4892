from collections import defaultdict

from odoo import api, fields, models

from ..tools.ageing import bucket_index, bucket_labels


class ReportCustomerStatement(models.AbstractModel):
    """Data of the customer statement: the open receivable items of each customer
    in the current company, grouped by currency, with their ageing."""

    _name = "report.account_collection.report_customer_statement"
    _description = "Customer Statement"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        company = self.env.company
        today = fields.Date.context_today(self)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": company,
            "statement_date": today,
            "statements": self._get_statements(partners, company, today),
            # the template prints its own (translated) label for the first bucket
            "bucket_labels": bucket_labels(company._collection_bucket_limits()),
        }

    @api.model
    def _get_statements(self, partners, company, today):
        """Return {partner id: {"groups": [group per currency]}}: a group holds the
        currency, its items (dicts), total, overdue amount and ageing buckets.

        The open items of all the partners are read in one query; a contact gets
        the statement of its commercial entity.
        """
        commercial = partners.commercial_partner_id
        lines = self.env["account.move.line"].search_fetch(
            [
                *self.env["account.move.line"]._collection_open_items_domain(company),
                ("partner_id", "in", commercial.ids),
            ],
            [
                "partner_id",
                "move_id",
                "move_name",
                "ref",
                "date",
                "date_maturity",
                "currency_id",
                "amount_currency",
                "amount_residual_currency",
            ],
            order="date_maturity, date, id",
        )
        groups = defaultdict(dict)
        limits = company._collection_bucket_limits()
        labels_count = len(bucket_labels(limits))
        for line in lines:
            if line.currency_id.is_zero(line.amount_residual_currency):
                continue
            days_overdue = (today - (line.date_maturity or line.date)).days
            group = groups[line.partner_id.id].setdefault(
                line.currency_id,
                {
                    "currency": line.currency_id,
                    "items": [],
                    "total": 0.0,
                    "overdue": 0.0,
                    "buckets": [0.0] * labels_count,
                },
            )
            group["items"].append(
                {
                    "name": line.move_name,
                    "ref": line.ref if line.ref != line.move_name else False,
                    "date": line.date,
                    "date_maturity": line.date_maturity,
                    "days_overdue": days_overdue,
                    "amount": line.amount_currency,
                    "residual": line.amount_residual_currency,
                }
            )
            group["total"] += line.amount_residual_currency
            if days_overdue > 0:
                group["overdue"] += line.amount_residual_currency
            group["buckets"][bucket_index(days_overdue, limits)] += (
                line.amount_residual_currency
            )
        return {
            partner.id: {
                "groups": sorted(
                    groups[partner.commercial_partner_id.id].values(),
                    key=lambda group: group["currency"] != company.currency_id,
                )
            }
            for partner in partners
        }

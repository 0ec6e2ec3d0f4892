from datetime import date, timedelta

from odoo import Command, fields

from .common import CollectionCommon

TODAY = date(2025, 6, 30)


class ReportingCommon(CollectionCommon):
    """Fast builders (no Form) of invoices, payments and reminders for the
    reporting tests; the clock is fixed at TODAY by the tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax_20 = cls.env["account.tax"].create(
            {
                "name": "TVA 20 % test",
                "amount": 20.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def _invoice(
        cls,
        partner,
        amount,
        invoice_date,
        due_date=None,
        tax=None,
        company=None,
        ref=False,
        move_type="out_invoice",
        post=True,
    ):
        company = company or cls.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_date": fields.Date.to_date(invoice_date),
                    "invoice_date_due": fields.Date.to_date(due_date or invoice_date),
                    "ref": ref,
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.set(tax.ids if tax else [])],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, invoices, amount, payment_date):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(
                {
                    "amount": amount,
                    "payment_date": fields.Date.to_date(payment_date),
                    "payment_difference_handling": "open",
                }
            )
            ._create_payments()
        )

    @classmethod
    def _payment(
        cls, partner, amount, payment_date, payment_type="inbound", company=None
    ):
        company = company or cls.company
        payment = (
            cls.env["account.payment"]
            .with_company(company)
            .create(
                {
                    "payment_type": payment_type,
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "amount": amount,
                    "date": fields.Date.to_date(payment_date),
                    "company_id": company.id,
                }
            )
        )
        payment.action_post()
        return payment

    @classmethod
    def _reminder(cls, invoices, level, reminder_date, state="sent"):
        """A communication at ``level`` listing ``invoices``' receivable lines."""
        partner = invoices.commercial_partner_id
        lines = invoices.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        return cls.env["account.collection.communication"].create(
            {
                "partner_id": partner.id,
                "company_id": invoices.company_id.id,
                "currency_id": invoices.currency_id.id,
                "level_id": level.id,
                "policy_id": level.policy_id.id,
                "date": fields.Date.to_date(reminder_date),
                "state": state,
                "line_ids": [
                    Command.create(
                        {
                            "move_line_id": line.id,
                            "level_id": level.id,
                            "date_maturity": line.date_maturity,
                            "amount_residual": line.amount_residual,
                        }
                    )
                    for line in lines
                ],
            }
        )

    def _aged(self, moves, as_of=TODAY, companies=None):
        report = self.env["account.collection.aged.receivable"].with_context(
            collection_as_of=fields.Date.to_string(fields.Date.to_date(as_of)),
            allowed_company_ids=(companies or self.company).ids,
        )
        report.invalidate_model()
        return report.search([("move_id", "in", moves.ids)])


def days_ago(days):
    return TODAY - timedelta(days=days)

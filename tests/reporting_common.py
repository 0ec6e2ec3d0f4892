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
    def _kpi_book(cls):
        """A hand-computed book at 30 June 2025 (amounts without tax):

        * A 1,000 of 15 April due 15 May, open, disputed, at a litigation level;
        * B 2,000 of 10 May due 9 June, paid on 5 June (26 days to pay);
        * C 3,000 of 10 June due 10 July, open, in a payment plan.
        """
        cls.invoice_a = cls._invoice(cls.partner_a, 1000.0, "2025-04-15", "2025-05-15")
        cls.invoice_b = cls._invoice(cls.partner_a, 2000.0, "2025-05-10", "2025-06-09")
        cls.invoice_c = cls._invoice(cls.partner_a, 3000.0, "2025-06-10", "2025-07-10")
        friendly = cls.policy.level_ids.filtered(lambda level: level.days == 7)
        cls._reminder(cls.invoice_a | cls.invoice_b, friendly, "2025-06-01")
        cls._pay(cls.invoice_b, 2000.0, "2025-06-05")
        cls.litigation_level = cls.policy.level_ids.filtered(
            lambda level: level.days == 30
        )
        cls.litigation_level.litigation = True
        cls.invoice_a._collection_block("dispute")
        cls.invoice_a.collection_level_id = cls.litigation_level
        cls.invoice_c._collection_block("payment_plan")

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

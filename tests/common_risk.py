from datetime import date, timedelta

from odoo import Command, fields

from .common import CollectionCommon

TODAY = date(2025, 6, 30)


class RiskCommon(CollectionCommon):
    """Payment histories built from real invoices and payments, scored at TODAY."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.risk_model = cls.env["account.collection.partner.risk"]
        cls.segments = cls.env["account.collection.risk.scoring"]._get_segments(
            cls.company_data["company"]
        )
        cls.seg_a, cls.seg_b, cls.seg_c, cls.seg_d = cls.segments

    @classmethod
    def _create_partners(cls, count, prefix="Customer"):
        return cls.env["res.partner"].create(
            [
                {"name": f"{prefix} {index}", "is_company": True}
                for index in range(count)
            ]
        )

    @classmethod
    def _invoices(cls, specs, company=None, post=True):
        """Create (and post) one invoice per ``(partner, amount, due date)``, in
        batch, without taxes, invoiced 30 days before the due date."""
        company = company or cls.company_data["company"]
        journal = cls.env["account.journal"].search(
            [
                *cls.env["account.journal"]._check_company_domain(company),
                ("type", "=", "sale"),
            ],
            limit=1,
        )
        moves = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "journal_id": journal.id,
                    "invoice_date": fields.Date.to_date(due) - timedelta(days=30),
                    "invoice_date_due": fields.Date.to_date(due),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for partner, amount, due in specs
            ]
        )
        if post:
            moves.action_post()
        return moves

    @classmethod
    def _pay(cls, invoices, payment_date, amount=None):
        """Register the payment of ``invoices`` (one payment each) on
        ``payment_date``; ``amount`` pays a single invoice partially."""
        vals = {"payment_date": fields.Date.to_date(payment_date)}
        if amount is not None:
            vals.update(amount=amount, payment_difference_handling="open")
        for company, moves in invoices.grouped("company_id").items():
            cls.env["account.payment.register"].with_company(company).with_context(
                active_model="account.move", active_ids=moves.ids
            ).create(vals)._create_payments()

    @classmethod
    def _paid_invoice(cls, partner, amount, due, paid, company=None):
        invoice = cls._invoices([(partner, amount, due)], company=company)
        cls._pay(invoice, paid)
        return invoice

    def _score(self, company=None, partners=None, today=TODAY):
        self.env["account.collection.risk.scoring"]._score_company(
            company or self.company,
            None if partners is None else set(partners.ids),
            today=today,
        )

    def _risk(self, partner, company=None):
        return self.risk_model.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", (company or self.company).id),
            ]
        )

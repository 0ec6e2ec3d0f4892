from odoo import fields

from .common import CollectionCommon


class LateFeeCommon(CollectionCommon):
    """A professional customer, a consumer and helpers to pay and compute late fees."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Menuiserie Girard", "is_company": True}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Garage du Centre", "is_company": True}
        )
        cls.consumer = cls.env["res.partner"].create({"name": "Jeanne Petit"})
        cls.LateFee = cls.env["account.collection.late.fee"]

    @classmethod
    def _pay(cls, invoice, amount, payment_date, currency=None):
        vals = {
            "amount": amount,
            "payment_date": payment_date,
            "payment_difference_handling": "open",
        }
        if currency:
            vals["currency_id"] = currency.id
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(vals)
            ._create_payments()
        )

    def _fees(self, invoice, today):
        return self.LateFee._get_late_fees(invoice, fields.Date.to_date(today))[
            invoice.id
        ]

    def _charge(self, invoices, today):
        return self.LateFee._charge(
            invoices, fields.Date.to_date(today), raise_errors=True
        )

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CollectionCommon(AccountTestInvoicingCommon):
    """Companies, users and a three-level policy shared by the collection tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collection_user = new_test_user(
            cls.env,
            login="collector",
            groups="account_collection.account_collection_group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.collection_manager = new_test_user(
            cls.env,
            login="collection_manager",
            groups="account_collection.account_collection_group_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.policy = cls._create_policy(cls.company)

    @classmethod
    def _create_policy(cls, company, name="Test policy"):
        return cls.env["account.collection.policy"].create(
            {
                "name": name,
                "company_id": company.id,
                "level_ids": [
                    Command.create(
                        {"name": "Courtesy", "days": -5, "send_email": False}
                    ),
                    Command.create(
                        {"name": "Friendly", "days": 7, "send_email": False}
                    ),
                    Command.create(
                        {
                            "name": "Formal notice",
                            "days": 30,
                            "send_email": False,
                            "send_letter": True,
                            "formal_notice": True,
                            "min_amount": 100.0,
                        }
                    ),
                ],
            }
        )

    @property
    def company(self):
        return self.company_data["company"]

    @classmethod
    def _post_invoice(cls, partner, amount, due_date, invoice_date=None, **kwargs):
        kwargs.setdefault("taxes", [])
        invoice = cls.init_invoice(
            "out_invoice",
            partner=partner,
            invoice_date=invoice_date or due_date,
            amounts=[amount],
            **kwargs,
        )
        invoice.write(
            {
                "invoice_payment_term_id": False,
                "invoice_date_due": fields.Date.to_date(due_date),
            }
        )
        invoice.action_post()
        return invoice

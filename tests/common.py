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


class CycleCommon(CollectionCommon):
    """The three-level policy sending every level by email, two customers with an
    email address; the cycle runs in the test company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["mail.template"].create(
            {
                "name": "Test reminder",
                "model_id": cls.env["ir.model"]._get_id(
                    "account.collection.communication"
                ),
                "subject": "Reminder {{ object.level_id.name }}",
                "partner_to": "{{ object.partner_id.id }}",
                "body_html": "<p>Amount overdue: <t t-out='object.amount_overdue'/></p>",
            }
        )
        cls.policy.level_ids.write(
            {"send_email": True, "mail_template_id": cls.template.id}
        )
        cls.policy.min_interval_days = 5
        cls.company.collection_policy_id = cls.policy
        cls.partner_a.email = "accounts@partner-a.example.com"
        cls.partner_b.email = "accounts@partner-b.example.com"
        cls.engine = cls.env["account.collection.engine"]
        cls.levels = cls.policy.level_ids.sorted("days")

    def _run(self, **kwargs):
        return self.engine._run_collection_cycle(self.company, **kwargs)

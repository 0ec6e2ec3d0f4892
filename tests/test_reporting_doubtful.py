from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .reporting_common import TODAY, ReportingCommon, days_ago


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDoubtfulDebts(ReportingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 1,000 + 20 % VAT due 200 days ago, 600 paid: 600 due, 500 excl. VAT.
        cls.old = cls._invoice(
            cls.partner_a, 1000.0, days_ago(230), days_ago(200), tax=cls.tax_20
        )
        cls._pay(cls.old, 600.0, days_ago(150))
        cls.litigious = cls._invoice(cls.partner_b, 100.0, days_ago(40), days_ago(10))
        cls.litigious._collection_block("litigation")
        cls.recent = cls._invoice(cls.partner_b, 100.0, days_ago(40), days_ago(10))

    def _create_accounts(self):
        Account = self.env["account.account"]
        return {
            code: Account.create(
                {
                    "code": code,
                    "name": name,
                    "account_type": account_type,
                    "reconcile": account_type == "asset_receivable",
                    "company_ids": [(6, 0, self.company.ids)],
                }
            )
            for code, name, account_type in (
                ("416000", "Clients douteux", "asset_receivable"),
                ("681740", "Dotations provisions créances", "expense"),
                ("491000", "Provisions créances", "asset_current"),
            )
        }

    def _wizard(self):
        return self.env["account.collection.doubtful.wizard"].create({})

    def test_candidates_are_old_or_litigious(self):
        wizard = self._wizard()
        self.assertEqual(wizard.line_ids.move_id, self.old | self.litigious)
        line = wizard.line_ids.filtered(lambda line: line.move_id == self.old)
        self.assertEqual(line.amount_residual, 600.0)
        self.assertEqual(line.amount_base, 500.0)
        self.assertEqual(line.provision_amount, 500.0)
        self.assertTrue(
            wizard.line_ids.filtered(
                lambda line: line.move_id == self.litigious
            ).in_litigation
        )

    def test_missing_accounts_are_named(self):
        wizard = self._wizard()
        with self.assertRaisesRegex(UserError, "416"):
            wizard.action_validate()

    def test_entries_amounts_and_accounts(self):
        accounts = self._create_accounts()
        with Form(self._wizard()) as form:
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    if line.move_id == self.old:
                        line.provision_percent = 50.0
                        self.assertEqual(line.provision_amount, 250.0)
                    else:
                        line.selected = False
        wizard = form.record
        action = wizard.action_validate()
        entries = self.env["account.move"].search(action["domain"])
        self.assertEqual(self.old.collection_doubtful_move_ids, entries)
        self.assertEqual(set(entries.mapped("state")), {"draft"})
        reclass = entries.filtered(lambda m: m.collection_doubtful_kind == "reclass")
        provision = entries - reclass
        receivable = self.old.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).account_id
        self.assertRecordValues(
            reclass.line_ids.sorted("debit"),
            [
                {
                    "account_id": receivable.id,
                    "debit": 0.0,
                    "credit": 600.0,
                    "partner_id": self.partner_a.id,
                },
                {
                    "account_id": accounts["416000"].id,
                    "debit": 600.0,
                    "credit": 0.0,
                    "partner_id": self.partner_a.id,
                },
            ],
        )
        self.assertRecordValues(
            provision.line_ids.sorted("debit"),
            [
                {"account_id": accounts["491000"].id, "debit": 0.0, "credit": 250.0},
                {"account_id": accounts["681740"].id, "debit": 250.0, "credit": 0.0},
            ],
        )
        # Posting the reclassification settles the 411 side of the invoice; the
        # debt now sits on 416 and stays in the aged receivables.
        reclass.action_post()
        self.assertIn(self.old.payment_state, ("paid", "in_payment"))
        rows = self._aged(reclass)
        self.assertEqual(rows.amount_residual, 600.0)
        self.assertEqual(rows.account_id, accounts["416000"])
        # Not proposed twice.
        self.assertNotIn(self.old, self._wizard().line_ids.move_id)

    def test_accounts_from_settings_win_and_percentage_is_checked(self):
        accounts = self._create_accounts()
        other_416 = accounts["416000"].copy({"code": "416100"})
        self.company.collection_doubtful_account_id = other_416
        found = self.company._collection_doubtful_accounts()
        self.assertEqual(found["collection_doubtful_account_id"], other_416)
        self.assertEqual(found["collection_provision_account_id"], accounts["491000"])
        wizard = self._wizard()
        with self.assertRaises(Exception):  # noqa: B017 - ValidationError
            wizard.line_ids[0].provision_percent = 120.0
            wizard.line_ids.flush_recordset()

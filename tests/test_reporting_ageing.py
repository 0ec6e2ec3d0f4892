import io
from decimal import Decimal

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..tools import ageing
from .reporting_common import TODAY, ReportingCommon, days_ago


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestAgedReceivables(ReportingCommon):
    BOUNDARIES = (0, 1, 30, 31, 60, 61, 90, 91, 120, 121)

    def _boundary_invoices(self):
        return self.env["account.move"].union(
            *(
                self._invoice(self.partner_a, 100.0 + days, days_ago(days))
                for days in self.BOUNDARIES
            )
        )

    def test_sql_buckets_match_bucket_index(self):
        invoices = self._boundary_invoices()
        rows = self._aged(invoices)
        self.assertEqual(len(rows), len(self.BOUNDARIES))
        columns = [
            "amount_not_due",
            "amount_bucket_1",
            "amount_bucket_2",
            "amount_bucket_3",
            "amount_bucket_4",
            "amount_bucket_5",
        ]
        for row in rows:
            days = int(row.amount_residual - 100)
            index = ageing.bucket_index(days)
            with self.subTest(days=days):
                self.assertEqual(row.days_overdue, days)
                self.assertEqual(row.bucket, str(index))
                for position, column in enumerate(columns):
                    expected = row.amount_residual if position == index else 0.0
                    self.assertEqual(row[column], expected)

    def test_buckets_follow_the_company_limits(self):
        self.company.write(
            {
                "collection_bucket_1": 15,
                "collection_bucket_2": 45,
                "collection_bucket_3": 75,
                "collection_bucket_4": 100,
            }
        )
        invoices = self._boundary_invoices()
        limits = self.company._collection_bucket_limits()
        for row in self._aged(invoices):
            days = int(row.amount_residual - 100)
            self.assertEqual(row.bucket, str(ageing.bucket_index(days, limits)))
        labels = (
            self.env["account.collection.aged.receivable"]
            .with_company(self.company)
            .fields_get(["bucket", "amount_bucket_1"])
        )
        self.assertEqual(
            [label for _key, label in labels["bucket"]["selection"]],
            ["Not due", "1-15", "16-45", "46-75", "76-100", "Over 100"],
        )
        self.assertEqual(labels["amount_bucket_1"]["string"], "1-15")

    def test_statement_pdf_uses_the_company_buckets(self):
        self.company.write(
            {
                "collection_bucket_1": 15,
                "collection_bucket_2": 45,
                "collection_bucket_3": 75,
                "collection_bucket_4": 100,
            }
        )
        self._boundary_invoices()
        report = self.env["report.account_collection.report_customer_statement"]
        values = report._get_report_values(self.partner_a.ids)
        self.assertEqual(
            values["bucket_labels"],
            ["Not due", "1-15", "16-45", "46-75", "76-100", "+100"],
        )
        [group] = values["statements"][self.partner_a.id]["groups"]
        limits = self.company._collection_bucket_limits()
        expected = [0.0] * 6
        for days in self.BOUNDARIES:
            expected[ageing.bucket_index(days, limits)] += 100.0 + days
        self.assertEqual(group["buckets"], expected)

    def test_bucket_limits_must_increase(self):
        with self.assertRaises(Exception):  # noqa: B017 - ValidationError
            self.company.collection_bucket_2 = 20

    def test_as_of_a_past_date_ignores_later_payments(self):
        invoice = self._invoice(self.partner_a, 1000.0, "2025-05-01", "2025-05-31")
        self._pay(invoice, 400.0, "2025-06-10")
        self._pay(invoice, 600.0, "2025-06-20")
        self.assertEqual(invoice.payment_state, "paid")
        self.assertFalse(self._aged(invoice, "2025-04-30"), "not issued yet")
        before = self._aged(invoice, "2025-06-05")
        self.assertEqual(before.amount_residual, 1000.0)
        self.assertEqual((before.days_overdue, before.bucket), (5, "1"))
        between = self._aged(invoice, "2025-06-15")
        self.assertEqual(between.amount_residual, 600.0)
        self.assertEqual(between.amount_bucket_1, 600.0)
        self.assertFalse(self._aged(invoice, "2025-06-25"))
        self.assertFalse(self._aged(invoice))

    def test_unallocated_payment_is_a_negative_item(self):
        payment = self._payment(self.partner_a, 250.0, days_ago(10))
        rows = self._aged(payment.move_id)
        self.assertEqual(rows.amount_residual, -250.0)
        self.assertEqual(rows.partner_id, self.partner_a)

    def test_multi_company_and_access(self):
        other = self.setup_other_company(name="Collection Co 2")["company"]
        mine = self._invoice(self.partner_a, 100.0, days_ago(5))
        theirs = self._invoice(self.partner_a, 200.0, days_ago(5), company=other)
        both = mine | theirs
        self.assertEqual(self._aged(both).move_id, mine)
        self.assertEqual(self._aged(both, companies=self.company | other).move_id, both)
        # A collector of the first company only never sees the other one's items,
        # even asking for it.
        report = (
            self.env["account.collection.aged.receivable"]
            .with_user(self.collection_user)
            .with_context(allowed_company_ids=self.company.ids)
        )
        self.assertEqual(report.search([("move_id", "in", both.ids)]).move_id, mine)
        with self.assertRaises(AccessError):
            self.env["account.collection.doubtful.wizard"].with_user(
                self.collection_user
            ).create({})

    def test_drill_down_opens_the_invoice(self):
        invoice = self._invoice(self.partner_a, 100.0, days_ago(5))
        action = self._aged(invoice).action_open_move()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", invoice.id)
        )
        wizard = self.env["account.collection.aged.wizard"].create(
            {"as_of_date": "2025-06-01"}
        )
        action = wizard.action_open_analysis()
        self.assertEqual(action["context"]["collection_as_of"], "2025-06-01")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCollectionKpis(ReportingCommon):
    """A hand-computed book at 30 June 2025 (amounts without tax):

    * A 1,000 of 15 April due 15 May, open, disputed, at a litigation level;
    * B 2,000 of 10 May due 9 June, paid on 5 June (26 days to pay);
    * C 3,000 of 10 June due 10 July, open, in a payment plan.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kpi_book()

    def test_indicators_at_the_end_of_june(self):
        kpis = self.env["account.collection.kpi"]._compute_kpis(self.company, TODAY)
        self.assertEqual(kpis["receivables"], Decimal("4000"))
        self.assertEqual(kpis["overdue"], Decimal("1000"))
        self.assertEqual(kpis["overdue_ratio"], Decimal("25"))
        self.assertEqual(kpis["sales"], Decimal("3000"))
        # 4,000 / 6,000 invoiced over the last 90 days x 90.
        self.assertEqual(kpis["dso_simple"], Decimal("60"))
        # June (30 days) consumes 3,000, then 1,000 / 2,000 of May's 31 days.
        self.assertEqual(kpis["dso_countback"], Decimal("45.5"))
        # (3,000 opening + 3,000 sales - 4,000) / (6,000 - 3,000 not due).
        self.assertAlmostEqual(float(kpis["cei"]), 200 / 3, places=6)
        self.assertEqual(kpis["average_days_to_pay"], Decimal("26"))
        self.assertEqual(kpis["days_to_pay"][self.partner_a.id], (Decimal("26"), 1))
        self.assertEqual(kpis["dispute"], 1000.0)
        self.assertEqual(kpis["payment_plan"], 3000.0)
        self.assertEqual(kpis["litigation"], 1000.0)
        (level,) = kpis["levels"]
        self.assertEqual((level["reminded"], level["paid"]), (3000.0, 2000.0))
        self.assertAlmostEqual(float(level["rate"]), 200 / 3, places=6)

    def test_monthly_series(self):
        series = self.env["account.collection.kpi"]._monthly_series(self.company, TODAY)
        self.assertEqual(len(series), 12)
        self.assertEqual(series[-1]["date"], TODAY)
        may = series[-2]
        self.assertEqual(str(may["date"]), "2025-05-31")
        self.assertEqual((may["receivables"], may["overdue"]), (3000, 1000))
        self.assertEqual(may["sales"], 2000)
        # (1,000 opening + 2,000 sales - 3,000) / (3,000 - 2,000 not due).
        self.assertEqual(may["cei"], 0)
        april = series[-3]
        self.assertEqual((april["receivables"], april["overdue"]), (1000, 0))
        self.assertIsNone(series[0]["dso_simple"], "no sales a year ago")

    def test_dashboard_shows_the_indicators(self):
        dashboard = self.env["account.collection.dashboard"].with_user(
            self.collection_user
        )
        data = dashboard.get_dashboard_data({"period": "quarter"})
        cards = {card["key"]: card for card in data["cards"]}
        self.assertEqual(cards["receivables"]["value"], 4000.0)
        self.assertEqual(cards["overdue"]["ratio"], 25.0)
        self.assertEqual(cards["dso"]["value"], 60.0)
        self.assertEqual(cards["dso"]["countback"], 45.5)
        self.assertEqual(cards["dispute"]["value"], 1000.0)
        self.assertIn("Jun 25", [point["label"] for point in data["trend"]])
        self.assertIn("Friendly", data["levels"][0]["name"])
        self.assertIn(
            self.partner_a.name, [payer["name"] for payer in data["slowest_payers"]]
        )
        action = self.env.ref("account_collection.account_collection_dashboard_action")
        self.assertEqual(action.tag, "account_collection.dashboard")

    def test_as_of_dashboard(self):
        data = self.env["account.collection.dashboard"].get_dashboard_data(
            {"as_of": "2025-05-31"}
        )
        cards = {card["key"]: card for card in data["cards"]}
        self.assertEqual(cards["receivables"]["value"], 3000.0)
        self.assertEqual(cards["overdue"]["value"], 1000.0)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCollectionExcel(ReportingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.setup_other_company(name="Collection Co 2")["company"]
        cls.invoices = cls.env["account.move"].union(
            cls._invoice(cls.partner_a, 100.0, days_ago(10)),
            cls._invoice(cls.partner_a, 200.0, days_ago(45), tax=cls.tax_20),
            cls._invoice(cls.partner_b, 300.0, days_ago(20), days_ago(-10)),
            cls._invoice(cls.partner_b, 400.0, days_ago(200)),
            cls._invoice(cls.partner_a, 1000.0, days_ago(20), company=cls.other),
        )
        cls.payment = cls._payment(cls.partner_b, 50.0, days_ago(3))

    def _open(self, content):
        return openpyxl.load_workbook(io.BytesIO(content), data_only=True)

    def _last_row(self, sheet):
        return [cell.value for cell in sheet[sheet.max_row]]

    def test_aged_balance(self):
        xlsx = self.env["account.collection.xlsx"].with_context(
            allowed_company_ids=(self.company | self.other).ids
        )
        book = self._open(xlsx._aged_balance_xlsx(TODAY, self.company | self.other))
        self.assertEqual(book.sheetnames, [self.company.name, self.other.name])
        sheet = book[self.company.name]
        self.assertEqual(sheet["A1"].value, "Aged Receivables")
        headers = [cell.value for cell in sheet[4]]
        self.assertEqual(
            headers[5:],
            [
                "Days Overdue",
                "Not due",
                "1-30",
                "31-60",
                "61-90",
                "91-120",
                "Over 120",
                "Total",
            ],
        )
        total = self._last_row(sheet)
        self.assertEqual(total[0], "Total")
        # Not due 300, 1-30: 100 - 50 (payment), 31-60: 240, over 120: 400.
        self.assertEqual(total[6:], [300, 50, 240, 0, 0, 400, 990])
        # One subtotal per customer, labelled as a total.
        labels = [row[0].value for row in sheet.iter_rows(min_row=5)]
        self.assertEqual(labels.count(self.partner_a.name), 2)
        self.assertEqual(labels.count(f"Total {self.partner_a.name}"), 1)
        self.assertEqual(self._last_row(book[self.other.name])[-1], 1000)

    def test_customer_statement(self):
        content = self.env["account.collection.xlsx"]._customer_statement_xlsx(
            self.partner_b, TODAY, self.company
        )
        sheet = self._open(content)[self.company.name]
        self.assertEqual(sheet["A1"].value, "Customer Statement")
        self.assertEqual(sheet["A2"].value, self.partner_b.name)
        values = list(sheet.iter_rows(min_row=6, values_only=True))
        documents = [row for row in values if row[0]]
        self.assertEqual(len(documents), 3)  # two invoices and the payment
        total_row = next(row for row in values if row[5] == "Total")
        self.assertEqual(total_row[6], 650)
        summary = {row[5]: row[6] for row in values if row[5] and row[5] != "Total"}
        self.assertEqual(summary["Over 120"], 400)
        self.assertEqual(summary["1-30"], -50)

    def test_dunning_history(self):
        level = self.policy.level_ids.filtered(lambda level: level.days == 7)
        communication = self._reminder(self.invoices[:2], level, days_ago(2))
        content = self.env["account.collection.xlsx"]._dunning_history_xlsx(
            communication.line_ids
        )
        sheet = self._open(content)["Dunning History"]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0][3], "Friendly")
        self.assertEqual(rows[-1][6:8], ("Total", 340))
        action = self.env["account.collection.xlsx"]._action_dunning_history(
            communication.line_ids
        )
        self.assertEqual(action["type"], "ir.actions.act_url")

    def _in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_collection"], ["fr_FR"], overwrite=True
        )
        return self.env["account.collection.xlsx"].with_context(lang="fr_FR")

    def test_header_frozen_and_data_filtered(self):
        xlsx = self.env["account.collection.xlsx"]
        aged = self._open(xlsx._aged_balance_xlsx(TODAY, self.company))
        sheet = aged[self.company.name]
        self.assertEqual(sheet.freeze_panes, "A5")
        # Header, 5 items, 2 subtotals; the grand total stays out of the filter.
        self.assertEqual(sheet.auto_filter.ref, "A4:M11")
        self.assertEqual(sheet["A12"].value, "Total")
        statement = self._open(
            xlsx._customer_statement_xlsx(self.partner_b, TODAY, self.company)
        )[self.company.name]
        self.assertEqual(statement.freeze_panes, "A6")
        self.assertEqual(statement.auto_filter.ref, "A5:G8")
        level = self.policy.level_ids.filtered(lambda level: level.days == 7)
        communication = self._reminder(self.invoices[:2], level, days_ago(2))
        history = self._open(xlsx._dunning_history_xlsx(communication.line_ids))[
            "Dunning History"
        ]
        self.assertEqual(history.freeze_panes, "A2")
        self.assertEqual(history.auto_filter.ref, "A1:J3")

    def test_columns_fit_their_values(self):
        partner = self.env["res.partner"].create(
            {"name": "Électricité Générale du Centre-Val de Loire et Associés"}
        )
        self._invoice(partner, 123456.0, days_ago(150))
        xlsx = self._in_french()
        sheet = self._open(xlsx._aged_balance_xlsx(TODAY, self.company))[
            self.company.name
        ]
        self.assertEqual(sheet["L4"].value, "Plus de 120")
        # Adjacent columns of the same width are stored as one range.
        widths = {
            index: dimension.width
            for dimension in sheet.column_dimensions.values()
            for index in range(dimension.min, dimension.max + 1)
        }
        for column in sheet.iter_cols(min_row=4):
            letter = column[0].column_letter
            longest = max(
                len(f"{cell.value:,.2f}")
                if isinstance(cell.value, float)
                else 10
                if cell.is_date
                else len(str(cell.value or ""))
                for cell in column
            )
            self.assertGreaterEqual(
                widths.get(column[0].column, 0), min(longest, 60), letter
            )

    def test_dates_in_the_user_format(self):
        xlsx = self._in_french()
        sheet = self._open(xlsx._aged_balance_xlsx(TODAY, self.company))[
            self.company.name
        ]
        self.assertEqual(sheet["D5"].number_format, "dd/mm/yyyy")
        self.assertTrue(sheet["D5"].is_date)
        self.assertEqual(sheet["E5"].number_format, "dd/mm/yyyy")
        english = self._open(
            self.env["account.collection.xlsx"]
            .with_context(lang="en_US")
            ._customer_statement_xlsx(self.partner_b, TODAY, self.company)
        )[self.company.name]
        self.assertEqual(english["C6"].number_format, "mm/dd/yyyy")
        self.assertTrue(english["C6"].is_date)

    def test_customers_in_alphabetical_order(self):
        for name in ("Transports Rapides", "Électricité Durand", "zinc et fils"):
            self._invoice(self.env["res.partner"].create({"name": name}), 10.0, TODAY)
        sheet = self._open(
            self.env["account.collection.xlsx"]._aged_balance_xlsx(TODAY, self.company)
        )[self.company.name]
        customers = []
        for (name,) in sheet.iter_rows(min_row=5, max_col=1, values_only=True):
            if name and not name.startswith("Total") and name not in customers:
                customers.append(name)
        self.assertEqual(
            customers,
            [
                "Électricité Durand",
                self.partner_a.name,
                self.partner_b.name,
                "Transports Rapides",
                "zinc et fils",
            ],
        )

    def test_dashboard_history_lists_every_issued_reminder(self):
        level = self.policy.level_ids.filtered(lambda level: level.days == 7)
        self._reminder(self.invoices[:2], level, days_ago(2), state="to_print")
        self._reminder(self.invoices[2:4], level, days_ago(2), state="cancel")
        action = self.env[
            "account.collection.dashboard"
        ].action_export_dunning_history()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        rows = list(
            self._open(attachment.raw)["Dunning History"].iter_rows(
                min_row=2, values_only=True
            )
        )
        self.assertEqual(len(rows), 3, "two lines to print and the total")
        self.assertEqual({row[9] for row in rows[:2]}, {"To Print"})
        self.assertEqual(rows[-1][6:8], ("Total", 340))

    def test_dashboard_exports_keep_the_collector_filter(self):
        """Filtered on partner_a's collector, the dashboard's exports list partner_a
        only: the aged balance (100 + 240 = 340, its two open invoices of the
        company) and the reminders of its invoices."""
        collector = self.env.user.copy({"login": "export_collector"})
        self.partner_a.collection_user_id = collector
        level = self.policy.level_ids.filtered(lambda level: level.days == 7)
        self._reminder(self.invoices[:2], level, days_ago(2), state="to_print")
        self._reminder(self.invoices[2:4], level, days_ago(2), state="to_print")
        dashboard = self.env["account.collection.dashboard"]
        options = {"collector_id": collector.id}

        def download(action):
            attachment_id = int(action["url"].split("/")[3].split("?")[0])
            return self._open(self.env["ir.attachment"].browse(attachment_id).raw)

        sheet = download(dashboard.action_export_aged_balance(options))[
            self.company.name
        ]
        self.assertIn(collector.name, sheet["A2"].value)
        customers = {
            name
            for (name,) in sheet.iter_rows(min_row=5, max_col=1, values_only=True)
            if name and not name.startswith("Total")
        }
        self.assertEqual(customers, {self.partner_a.name})
        self.assertEqual(self._last_row(sheet)[-1], 340)
        rows = list(
            download(dashboard.action_export_dunning_history(options))[
                "Dunning History"
            ].iter_rows(min_row=2, values_only=True)
        )
        self.assertEqual(len(rows), 3, "partner_a's two lines and the total")
        self.assertEqual(rows[-1][6:8], ("Total", 340))

    def test_download_action(self):
        wizard = self.env["account.collection.aged.wizard"].create(
            {"partner_id": self.partner_a.id}
        )
        action = wizard.action_export_statement()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertTrue(attachment.raw.startswith(b"PK"))
        self.assertTrue(wizard.action_export_aged_balance()["url"])
        wizard.partner_id = False
        with self.assertRaises(Exception):  # noqa: B017 - UserError
            wizard.action_export_statement()

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import format_amount

from ..models.account_collection_dashboard import KPI_KEYS
from .reporting_common import TODAY, ReportingCommon, days_ago


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCollectionDashboard(ReportingCommon):
    """Issue #14, item 1: the data of the OWL dashboard, the records behind each
    card, its filters and the number of queries of one load (the book of
    :meth:`ReportingCommon._kpi_book`)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kpi_book()
        cls.Dashboard = cls.env["account.collection.dashboard"]

    def _cards(self, options=None, dashboard=None):
        if dashboard is None:
            dashboard = self.Dashboard
        data = dashboard.get_dashboard_data(options or {})
        return {card["key"]: card for card in data["cards"]}

    def _records(self, kpi, options=None):
        action = self.Dashboard.action_open_kpi(kpi, options or {})
        model = self.env[action["res_model"]].with_context(**action.get("context", {}))
        return model.search(action["domain"])

    def test_cards_state_their_figure_and_period(self):
        cards = self._cards()
        self.assertEqual(tuple(cards), KPI_KEYS)
        self.assertEqual(cards["receivables"]["value"], 4000.0)
        self.assertEqual(
            cards["receivables"]["formatted"],
            format_amount(self.env, 4000.0, self.company.currency_id),
        )
        self.assertEqual(cards["overdue"]["value"], 1000.0)
        self.assertEqual(cards["overdue"]["ratio_formatted"], "25.0%")
        # Month to date: the index of TestCollectionKpis, over 1-30 June.
        self.assertAlmostEqual(cards["cei"]["value"], 200 / 3, places=6)
        self.assertEqual(cards["cei"]["formatted"], "66.7%")
        self.assertEqual(cards["cei"]["period"], "1 Jun - 30 Jun 2025")
        self.assertEqual(cards["dispute"]["value"], 1000.0)
        self.assertEqual(cards["payment_plan"]["value"], 3000.0)
        self.assertEqual(cards["litigation"]["value"], 1000.0)
        self.assertEqual(cards["insolvency"]["value"], 0.0)
        self.assertEqual(cards["dso"]["countback"], 45.5)
        # B was paid on 5 June: in the month as in the year.
        self.assertEqual(cards["days_to_pay"]["value"], 26.0)

    def test_period_selects_the_window_of_the_flow_indicators(self):
        quarter = self._cards({"period": "quarter"})
        # 4,000 / 6,000 invoiced over the last 90 days x 90.
        self.assertEqual(quarter["dso"]["value"], 60.0)
        self.assertEqual(quarter["dso"]["period"], "2 Apr - 30 Jun 2025")
        # (0 opening + 6,000 sales - 4,000) / (6,000 - 3,000 not due).
        self.assertAlmostEqual(quarter["cei"]["value"], 200 / 3, places=6)
        year = self._cards({"period": "year"})
        self.assertEqual(year["days_to_pay"]["value"], 26.0)
        self.assertEqual(year["cei"]["period"], "1 Jul 2024 - 30 Jun 2025")
        # Stock figures do not depend on the period.
        self.assertEqual(year["receivables"]["value"], 4000.0)

    def test_each_card_opens_the_records_behind_its_figure(self):
        cards = self._cards()
        for kpi in (
            "receivables",
            "overdue",
            "dispute",
            "payment_plan",
            "litigation",
        ):
            with self.subTest(kpi=kpi):
                records = self._records(kpi)
                self.assertEqual(
                    sum(records.mapped("amount_residual")), cards[kpi]["value"]
                )
        self.assertEqual(self._records("overdue").move_id, self.invoice_a)
        self.assertEqual(self._records("days_to_pay"), self.invoice_b)
        self.assertEqual(self._records("cei"), self.invoice_c)
        self.assertEqual(
            self._records("cei", {"period": "quarter"}),
            self.invoice_a | self.invoice_b | self.invoice_c,
        )
        self.assertFalse(self._records("insolvency"))

    def test_insolvency_card(self):
        insolvent = self.env["res.partner"].create(
            {
                "name": "Insolvent SA",
                "collection_insolvency": "receivership",
                "collection_insolvency_date": days_ago(10),
            }
        )
        invoice = self._invoice(insolvent, 700.0, days_ago(40), days_ago(10))
        cards = self._cards()
        self.assertEqual(cards["insolvency"]["value"], 700.0)
        self.assertEqual(self._records("insolvency").move_id, invoice)

    def test_filters_by_collector_and_segment(self):
        collector = new_test_user(
            self.env,
            login="other_collector",
            groups="account_collection.account_collection_group_user",
        )
        other = self.env["res.partner"].create({"name": "Other Customer"})
        self._invoice(other, 500.0, days_ago(5))
        self.assertEqual(self._cards()["receivables"]["value"], 4500.0)
        other.with_company(self.company).collection_user_id = collector
        options = {"collector_id": collector.id}
        self.assertEqual(self._cards(options)["receivables"]["value"], 500.0)
        self.assertEqual(self._records("receivables", options).partner_id, other)
        data = self.Dashboard.get_dashboard_data(options)
        self.assertIn(collector.id, [user["id"] for user in data["collectors"]])
        self.assertFalse(data["slowest_payers"], "partner A paid, not the other one")
        segment = self.env["account.collection.risk.scoring"]._get_segments(
            self.company
        )[2]
        self.env["account.collection.partner.risk"].create(
            {
                "partner_id": self.partner_a.id,
                "company_id": self.company.id,
                "segment_override_id": segment.id,
                "override_reason": "Test",
            }
        )
        options = {"segment_id": segment.id}
        cards = self._cards(options)
        self.assertEqual(cards["receivables"]["value"], 4000.0)
        self.assertEqual(cards["days_to_pay"]["value"], 26.0)
        # Both filters: no customer of that collector in that segment.
        options["collector_id"] = collector.id
        self.assertEqual(self._cards(options)["receivables"]["value"], 0.0)

    def test_collection_user_loads_it_in_the_allowed_companies_only(self):
        other = self.setup_other_company(name="Collection Co 2")["company"]
        self._invoice(self.partner_a, 800.0, days_ago(5), company=other)
        both = self.Dashboard.with_context(
            allowed_company_ids=(self.company | other).ids
        )
        self.assertEqual(self._cards(dashboard=both)["receivables"]["value"], 4800.0)
        user_dashboard = self.Dashboard.with_user(self.collection_user).with_context(
            allowed_company_ids=self.company.ids
        )
        self.assertEqual(
            self._cards(dashboard=user_dashboard)["receivables"]["value"], 4000.0
        )
        action = user_dashboard.action_open_kpi("receivables", {})
        self.assertEqual(action["res_model"], "account.collection.aged.receivable")
        # A collector of the first company cannot ask for the other one.
        with self.assertRaises(AccessError):
            self.Dashboard.with_user(self.collection_user).with_context(
                allowed_company_ids=(self.company | other).ids
            ).get_dashboard_data({})
        # Without the collection group, no dashboard.
        accountant = new_test_user(
            self.env,
            login="plain_user",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.Dashboard.with_user(accountant).get_dashboard_data({})

    def _count_queries(self, function):
        # Warm the caches of the registry (access rules, currency, language),
        # then count the queries of a load with an empty record cache.
        for _warm in range(2):
            function()
            self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        function()
        return self.env.cr.sql_log_count - before

    def test_one_load_makes_a_bounded_number_of_queries(self):
        kpi = self.env["account.collection.kpi"]

        def series(months):
            return lambda: kpi._compute_kpis(self.company, TODAY, months=months)

        self.assertEqual(
            self._count_queries(series(12)), self._count_queries(series(3))
        )

        def load():
            return self.Dashboard.get_dashboard_data({"period": "year"})

        queries = self._count_queries(load)
        self.assertLessEqual(queries, 20, queries)
        # More customers, invoices and payments: the same number of queries.
        partners = self.env["res.partner"].create(
            [{"name": f"Customer {index}"} for index in range(15)]
        )
        for index, partner in enumerate(partners):
            invoice = self._invoice(partner, 100.0 + index, days_ago(60 + index))
            if index % 2:
                self._pay(invoice, 100.0 + index, days_ago(index))
        self.assertEqual(self._count_queries(load), queries)

    def test_client_action_and_menu(self):
        action = self.env.ref("account_collection.account_collection_dashboard_action")
        self.assertEqual(action._name, "ir.actions.client")
        self.assertEqual(action.tag, "account_collection.dashboard")
        menu = self.env.ref("account_collection.account_collection_menu_dashboard")
        self.assertEqual(menu.action, action)

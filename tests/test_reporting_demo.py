import io
from decimal import Decimal

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from ..demo import book
from .reporting_common import TODAY, ReportingCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestReportingOnDemo(ReportingCommon):
    """The reports on the demo book, checked against figures worked out by hand
    from the demo's profiles (see demo/book.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo_company = cls.setup_other_company(name="Démo Recouvrement")["company"]
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.demo_company.ids)
        )
        # The book without the paid history of the risk scoring.
        cls.partners = book.load_demo_data(
            cls.env, cls.demo_company, today=TODAY, paid_history=False
        )
        product = cls.env["product.product"].search(
            [
                ("name", "=", "Prestation de maintenance"),
                ("company_id", "=", cls.demo_company.id),
            ],
            limit=1,
        )
        cls.rate = (
            Decimal(1) + Decimal(str(sum(product.taxes_id.mapped("amount")))) / 100
        )

    def test_dashboard_matches_hand_checks(self):
        kpis = self.env["account.collection.kpi"]._compute_kpis(
            self.demo_company, TODAY
        )
        rate = self.rate
        # Open invoices excl. tax by due-date offset, from the profiles: not due
        # (offsets > 0): good 1,200 x7; due_soon 3,050 x3; late_7 400 x2;
        # plus the anomalies' duplicates 2,000 and long term 2,000, and the refund
        # paid to a customer today (300, no tax); less the demo's two credit notes
        # of 250 (due today, as Odoo dates them).
        not_due = (8400 + 9150 + 800 + 4000 - 500) * rate + 300
        # Overdue: late_7 950 x2, late_15 2,050 x3, late_30 5,180 x3,
        # late_45 3,700 x3, late_60 3,870 x3, late_100 8,160 x3, late_130 10,100 x2,
        # partial 60 % of 3,000 and 50 % of 1,500 x3, disputed 2,840 x2,
        # credit_note 2,300 x2, the anomalies: 600 (due
        # before date), 500 - 700 (credit note larger than its invoice).
        overdue_invoices = (
            1900
            + 6150
            + 15540
            + 11100
            + 11610
            + 24480
            + 20200
            + 3 * (1800 + 750)
            + 5680
            + 4600
            + 600
            + 500
            - 700
        )
        # The old unallocated payment (-900) carries no tax.
        overdue = overdue_invoices * rate - 900
        self.assertAlmostEqual(float(kpis["not_due"]), float(not_due), places=2)
        self.assertAlmostEqual(float(kpis["overdue"]), float(overdue), places=2)
        self.assertAlmostEqual(
            float(kpis["receivables"]), float(not_due + overdue), places=2
        )
        # Two disputed customers, one invoice of 2,200 blocked each.
        self.assertAlmostEqual(float(kpis["dispute"]), float(2 * 2200 * rate), places=2)
        self.assertEqual(kpis["payment_plan"], 0)
        # Paid: the "good" invoices of 800 due 25 days ago, paid 5 days after
        # their due date, 35 days after their invoice date.
        self.assertEqual(kpis["average_days_to_pay"], Decimal(35))

    def test_each_planted_anomaly_is_found(self):
        audit = self.env["account.collection.audit"].create(
            {"company_id": self.demo_company.id}
        )
        audit.action_run()
        found = {
            (finding.rule, finding.partner_id.name)
            for finding in audit.seen_finding_ids
        }
        for expected in (
            ("duplicate_invoice", "Négoce Doublon SA"),
            ("due_before_date", "Atelier Échéance Inversée"),
            ("term_too_long", "Distribution Terme Long"),
            ("unallocated_payment", "Services Acompte Orphelin"),
            ("credit_balance", "Services Acompte Orphelin"),
            ("credit_note_exceeds", "Conseil Avoir Excessif"),
            ("bank_change", "Transports Virement Suspect"),
            ("never_reminded", "Agence Horizon Voyages"),
        ):
            self.assertIn(expected, found)
        rules = {rule for rule, _name in found}
        self.assertNotIn("long_block", rules, "the demo blocks are recent")
        self.assertEqual(
            len(
                audit.seen_finding_ids.filtered(lambda f: f.rule == "duplicate_invoice")
            ),
            1,
        )

    def test_excel_files_on_demo(self):
        xlsx = self.env["account.collection.xlsx"]
        kpis = self.env["account.collection.kpi"]._compute_kpis(
            self.demo_company, TODAY
        )
        book = openpyxl.load_workbook(
            io.BytesIO(xlsx._aged_balance_xlsx(TODAY, self.demo_company)),
            data_only=True,
        )
        self.assertEqual(book.sheetnames, ["Démo Recouvrement"])
        sheet = book.active
        total = [cell.value for cell in sheet[sheet.max_row]]
        self.assertAlmostEqual(total[-1], float(kpis["receivables"]), places=2)
        self.assertAlmostEqual(total[6], float(kpis["not_due"]), places=2)
        partner = self.partners.filtered(lambda p: p.name == "Agence Horizon Voyages")
        statement = openpyxl.load_workbook(
            io.BytesIO(xlsx._customer_statement_xlsx(partner, TODAY, self.demo_company))
        ).active
        rows = list(statement.iter_rows(min_row=6, values_only=True))
        total_row = next(row for row in rows if row[5] == "Total")
        self.assertAlmostEqual(total_row[6], float((7800 + 2300) * self.rate), places=2)

import base64
import json
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .late_fee_common import LateFeeCommon

REPORT = "account_collection.action_report_insolvency_declaration"


class InsolvencyCommon(LateFeeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.country_id = cls.env.ref("base.fr")
        cls.Procedure = cls.env["account.collection.insolvency"]
        cls.mandataire = cls.env["res.partner"].create(
            {"name": "SELARL Mandataires Associés", "is_company": True}
        )
        cls.customer.collection_user_id = cls.collection_user


@tagged("post_install", "-at_install")
@freeze_time("2025-07-10")
class TestInsolvencyClaims(InsolvencyCommon):
    """A receivership opened on 20 June 2025, published in the BODACC on 1 July
    2025, recorded by the collection user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-07-10"):
            # A: 10,000 due 15 May, 2,000 paid 1 June, 1,000 paid 25 June (after the
            # judgment: barred by L622-7, not deducted from the claim).
            cls.invoice_a = cls._post_invoice(
                cls.customer, 10000.0, "2025-05-15", invoice_date="2025-04-15"
            )
            cls._pay(cls.invoice_a, 2000.0, "2025-06-01")
            cls._pay(cls.invoice_a, 1000.0, "2025-06-25")
            # B: issued before the judgment, due after it.
            cls.invoice_b = cls._post_invoice(
                cls.customer, 3000.0, "2025-07-10", invoice_date="2025-06-10"
            )
            # C: issued after the judgment, not part of the claim.
            cls.invoice_c = cls._post_invoice(
                cls.customer, 500.0, "2025-07-25", invoice_date="2025-06-25"
            )

    def _create(self, **values):
        return self.Procedure.with_user(self.collection_user).create(
            {
                "partner_id": self.customer.id,
                "kind": "receivership",
                "judgment_date": "2025-06-20",
                "publication_date": "2025-07-01",
                "court": "Tribunal de commerce de Lyon",
                "mandataire_id": self.mandataire.id,
                **values,
            }
        )

    def test_l622_24_r622_24_deadlines_from_the_bodacc_publication(self):
        procedure = self._create()
        self.assertFalse(procedure.outside_metropole)
        # 1 July + 2 months; relief 1 July + 6 months (L622-26)
        self.assertEqual(procedure.declaration_deadline, date(2025, 9, 1))
        self.assertEqual(procedure.relief_deadline, date(2026, 1, 1))
        procedure.outside_metropole = True
        # 1 July + 4 months outside metropolitan France
        self.assertEqual(procedure.declaration_deadline, date(2025, 11, 1))

    def test_l622_28_l622_7_claim_as_of_the_judgment(self):
        procedure = self._create()
        lines = {line.move_id: line for line in procedure.line_ids}
        self.assertEqual(set(lines), {self.invoice_a, self.invoice_b})
        line_a, line_b = lines[self.invoice_a], lines[self.invoice_b]
        # A: 10,000 - 2,000 paid before the judgment = 8,000.
        self.assertAlmostEqual(line_a.principal, 8000.0)
        # Interest at 13.15 % (ECB 3.15 + 10) up to 19 June, none after (L622-28):
        # 16 May..1 June = 17 days on 10,000, 2..19 June = 18 days on 8,000:
        # (10000 * 17 + 8000 * 18) * 13.15 / 36500 = 4129100 / 36500 = 113.126...
        self.assertAlmostEqual(line_a.interest, 113.13)
        # Overdue before the judgment: the 40 EUR indemnity.
        self.assertAlmostEqual(line_a.indemnity, 40.0)
        # B fell due after the judgment: no interest, no indemnity (L622-7).
        self.assertAlmostEqual(line_b.principal, 3000.0)
        self.assertAlmostEqual(line_b.interest, 0.0)
        self.assertAlmostEqual(line_b.indemnity, 0.0)
        # 8000 + 113.13 + 40 + 3000 = 11,153.13
        self.assertAlmostEqual(procedure.amount_total, 11153.13)

    def test_partner_follows_the_latest_procedure(self):
        self._create()
        self.assertEqual(self.customer.collection_insolvency, "receivership")
        self.assertEqual(self.customer.collection_insolvency_date, date(2025, 6, 20))
        liquidation = self._create(
            kind="liquidation", judgment_date="2025-07-08", publication_date=False
        )
        self.assertEqual(self.customer.collection_insolvency, "liquidation")
        liquidation.sudo().unlink()  # a manager deletes; the collection user cannot
        self.assertEqual(self.customer.collection_insolvency, "receivership")

    def test_reminders_before_the_deadline_planned_once(self):
        procedure = self._create()
        # deadline 1 September: 15 and 3 days before
        self.assertEqual(
            sorted(procedure.activity_ids.mapped("date_deadline")),
            [date(2025, 8, 17), date(2025, 8, 29)],
        )
        self.assertEqual(procedure.activity_ids.user_id, self.collection_user)
        procedure._schedule_reminders()
        procedure.court = "TC Lyon"
        self.assertEqual(len(procedure.activity_ids), 2)
        procedure.action_declare()
        self.assertEqual(procedure.state, "declared")
        self.assertEqual(procedure.declared_date, date(2025, 7, 10))
        self.assertFalse(procedure.activity_ids)
        procedure.action_admit()
        self.assertAlmostEqual(procedure.admitted_amount, 11153.13)

    def test_declaration_letter_lists_the_invoices(self):
        procedure = self._create()
        report = self.env["ir.actions.report"].with_user(self.collection_user)
        html = report._render_qweb_html(REPORT, procedure.ids)[0].decode()
        self.assertIn(self.invoice_a.name, html)
        self.assertIn(self.invoice_b.name, html)
        self.assertNotIn(self.invoice_c.name, html)
        self.assertIn("L622-24", html)

    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_declaration_letter_renders_a_pdf(self):
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        procedure = self._create()
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.collection_user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, procedure.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_other_company_procedure_is_hidden(self):
        other = self.setup_other_company(name="Insolvency B")["company"]
        procedure = self.Procedure.create(
            {
                "partner_id": self.customer.id,
                "company_id": other.id,
                "kind": "receivership",
                "judgment_date": "2025-06-20",
            }
        )
        self.assertFalse(
            self.Procedure.with_user(self.collection_user).search(
                [("id", "=", procedure.id)]
            )
        )
        with self.assertRaises(AccessError):
            procedure.with_user(self.collection_user).read(["kind"])

    def test_worklist_deadline_from_the_publication_until_declared(self):
        procedure = self._create(publication_date=False)
        Worklist = self.env["account.collection.worklist"].with_user(
            self.collection_user
        )

        def line():
            self.env.flush_all()
            return Worklist.search(
                [
                    ("kind", "=", "insolvency_deadline"),
                    ("partner_id", "=", self.customer.id),
                ]
            )

        # The view reads the database's date (not frozen): only the deadline is
        # checked where the line is still listed.
        self.env.cr.execute("SELECT CURRENT_DATE")
        procedure.publication_date = self.env.cr.fetchone()[0]
        deadline = procedure.declaration_deadline
        self.assertEqual(line().date, deadline)
        procedure.action_declare()
        self.assertFalse(line())


@tagged("post_install", "-at_install")
@freeze_time("2025-07-10")
class TestBodaccImport(InsolvencyCommon):
    def _judgment(self, nature, day="2025-06-20"):
        return json.dumps({"nature": nature, "date": day, "complementJugement": ""})

    def _import(self, content, user=None):
        wizard = (
            self.env["account.collection.bodacc.wizard"]
            .with_user(user or self.collection_user)
            .create({"file": base64.b64encode(content.encode())})
        )
        wizard.action_import()
        return wizard

    def test_import_json_creates_skips_and_reports(self):
        self.customer.company_registry = "552 100 554 00013"
        records = [
            {
                "registre": ["552 100 554", "552100554"],
                "familleavis": "collective",
                "dateparution": "2025-07-01",
                "tribunal": "TRIBUNAL DE COMMERCE DE LYON",
                "jugement": self._judgment(
                    "Jugement d'ouverture d'une procédure de redressement judiciaire"
                ),
            },
            {
                "registre": "999999999",
                "familleavis": "collective",
                "dateparution": "2025-07-01",
                "jugement": self._judgment("Jugement de liquidation judiciaire"),
            },
            {"registre": "", "familleavis": "collective", "jugement": ""},
        ]
        wizard = self._import(json.dumps(records))
        procedure = wizard.insolvency_ids
        self.assertEqual(procedure.partner_id, self.customer)
        self.assertEqual(procedure.kind, "receivership")
        self.assertEqual(procedure.judgment_date, date(2025, 6, 20))
        self.assertEqual(procedure.declaration_deadline, date(2025, 9, 1))
        self.assertEqual(procedure.court, "TRIBUNAL DE COMMERCE DE LYON")
        self.assertIn("Procedures created: 1", wizard.result)
        self.assertIn("Unmatched SIREN: 1", wizard.result)
        self.assertIn("Unreadable announcements: 1", wizard.result)
        # flagged to the collector, and the 2 deadline reminders
        self.assertEqual(len(procedure.activity_ids), 3)
        self.assertEqual(procedure.activity_ids.user_id, self.collection_user)
        # The same file again: already known, nothing created.
        again = self._import(json.dumps(records))
        self.assertFalse(again.insolvency_ids)
        self.assertIn("Already known: 1", again.result)

    def test_import_csv(self):
        self.customer.company_registry = "552100554"
        judgment = self._judgment("Jugement d'ouverture d'une procédure de sauvegarde")
        content = (
            "registre;familleavis;dateparution;tribunal;jugement\n"
            + '552100554;collective;2025-07-01;TC LYON;"'
            + judgment.replace('"', '""')
            + '"\n'
        )
        wizard = self._import(content)
        self.assertEqual(wizard.insolvency_ids.kind, "safeguard")

    def test_customer_of_another_company_is_not_matched(self):
        other = self.setup_other_company(name="Bodacc B")["company"]
        self.env["res.partner"].create(
            {
                "name": "Elsewhere",
                "company_registry": "552100554",
                "company_id": other.id,
            }
        )
        records = [
            {
                "registre": "552100554",
                "familleavis": "collective",
                "dateparution": "2025-07-01",
                "jugement": self._judgment("Jugement de liquidation judiciaire"),
            }
        ]
        wizard = self._import(json.dumps(records))
        self.assertFalse(wizard.insolvency_ids)
        self.assertIn("Unmatched SIREN: 1", wizard.result)

    def test_not_a_bodacc_file(self):
        from odoo.exceptions import UserError

        with self.assertRaises(UserError):
            self._import("[{broken")

import unittest
from datetime import date
from decimal import Decimal as D

from tools.insolvency import (
    add_months,
    declaration_deadline,
    indemnity_declarable,
    kind_from_text,
    principal_at,
    relief_deadline,
)


class TestInsolvency(unittest.TestCase):
    def test_r622_24_declaration_two_months_after_the_bodacc_publication(self):
        # published 15 March 2026: 15 March + 2 months = 15 May 2026
        self.assertEqual(declaration_deadline(date(2026, 3, 15)), date(2026, 5, 15))

    def test_r622_24_four_months_outside_metropolitan_france(self):
        # 15 March + 2 + 2 months = 15 July 2026
        self.assertEqual(
            declaration_deadline(date(2026, 3, 15), outside_metropole=True),
            date(2026, 7, 15),
        )

    def test_r622_24_no_deadline_before_the_publication(self):
        self.assertIsNone(declaration_deadline(None))
        self.assertIsNone(relief_deadline(None))

    def test_l622_26_relief_six_months_after_the_publication(self):
        # 31 August + 6 months = 28 February (2027 is not a leap year)
        self.assertEqual(relief_deadline(date(2026, 8, 31)), date(2027, 2, 28))

    def test_add_months_keeps_the_last_day_of_a_shorter_month(self):
        self.assertEqual(add_months(date(2027, 12, 31), 2), date(2028, 2, 29))
        self.assertEqual(add_months(date(2026, 11, 30), 3), date(2027, 2, 28))

    def test_l622_7_principal_less_the_payments_before_the_judgment_only(self):
        # 1,200 invoiced, 200 paid 1 March, 300 paid on the judgment day 10 March:
        # the latter is barred (L622-7), 1,200 - 200 = 1,000 due at the judgment
        payments = [(date(2026, 3, 1), 200), (date(2026, 3, 10), 300)]
        self.assertEqual(principal_at(1200, payments, date(2026, 3, 10)), D("1000"))
        self.assertEqual(
            principal_at(100, [(date(2026, 1, 1), 150)], date(2026, 3, 10)), D("0")
        )

    def test_l622_7_no_indemnity_for_an_invoice_due_after_the_judgment(self):
        judgment = date(2026, 3, 10)
        self.assertTrue(indemnity_declarable(date(2026, 3, 9), D(10), judgment, True))
        self.assertFalse(indemnity_declarable(date(2026, 3, 10), D(10), judgment, True))
        self.assertFalse(indemnity_declarable(date(2026, 3, 9), D(0), judgment, True))
        # consumers owe no recovery indemnity (L441-10 applies between professionals)
        self.assertFalse(indemnity_declarable(date(2026, 3, 9), D(10), judgment, False))

    def test_kind_from_the_judgment_nature(self):
        self.assertEqual(
            kind_from_text("Jugement d'ouverture d'une procédure de sauvegarde"),
            "safeguard",
        )
        self.assertEqual(
            kind_from_text(
                "Jugement d'ouverture d'une procédure de redressement judiciaire"
            ),
            "receivership",
        )
        self.assertEqual(
            kind_from_text(
                "Jugement de conversion en liquidation judiciaire de la procédure de redressement"
            ),
            "liquidation",
        )
        self.assertIsNone(kind_from_text("Jugement arrêtant le plan de cession"))

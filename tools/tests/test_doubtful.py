import unittest
from decimal import Decimal as D

from tools.doubtful import provision_amount, provision_base


class TestDoubtful(unittest.TestCase):
    def test_base_keeps_the_vat_ratio_of_the_invoice(self):
        # 1,000 + 20 % VAT, 600 still due: 500 excluding VAT.
        self.assertEqual(provision_base(600, 1000, 1200), D("500.00"))
        self.assertEqual(provision_base(1200, 1000, 1200), D("1000.00"))

    def test_base_without_tax_is_the_residual(self):
        self.assertEqual(provision_base("333.33", 500, 500), D("333.33"))

    def test_amount_applies_the_percentage_rounded_to_the_cent(self):
        self.assertEqual(provision_amount(1200, 1000, 1200, 50), D("500.00"))
        self.assertEqual(provision_amount(100, 100, 120, "33.3"), D("27.75"))
        self.assertEqual(provision_amount(1200, 1000, 1200, 0), D("0.00"))

    def test_bad_input(self):
        with self.assertRaises(ValueError):
            provision_base(100, 100, 0)
        with self.assertRaises(ValueError):
            provision_base(100, 130, 120)
        with self.assertRaises(ValueError):
            provision_amount(100, 100, 120, 101)
        with self.assertRaises(ValueError):
            provision_amount(100, 100, 120, -1)
        with self.assertRaises(ValueError):
            provision_amount("abc", 100, 120, 50)

import unittest
from decimal import Decimal as D

from tools.numbers import as_decimal


class TestAsDecimal(unittest.TestCase):
    def test_reads_floats_as_written(self):
        self.assertEqual(as_decimal(0.1, "amount"), D("0.1"))
        self.assertEqual(as_decimal(3, "amount"), D(3))
        self.assertEqual(as_decimal("12.50", "amount"), D("12.50"))

    def test_keeps_a_decimal(self):
        value = D("1.005")
        self.assertIs(as_decimal(value, "amount"), value)

    def test_refuses_what_is_not_a_finite_number(self):
        for value in ("abc", None, float("nan"), float("inf"), D("Infinity")):
            with (
                self.subTest(value=value),
                self.assertRaisesRegex(ValueError, "amount"),
            ):
                as_decimal(value, "amount")

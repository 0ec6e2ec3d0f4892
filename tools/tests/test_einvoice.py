import unittest
from datetime import date
from decimal import Decimal as D

from tools.einvoice import (
    block_change,
    block_reason,
    normalize_code,
    parse_amount,
    parse_date,
    read_csv,
)


class TestEinvoiceStatuses(unittest.TestCase):
    def test_207_208_210_213_block_with_their_reason(self):
        self.assertEqual(block_reason("207"), "einvoice_dispute")
        self.assertEqual(block_reason("208"), "einvoice_suspended")
        self.assertEqual(block_reason("210"), "einvoice_refused")
        self.assertEqual(block_reason("213"), "einvoice_rejected")
        for code in ("200", "205", "211", "212"):
            self.assertIsNone(block_reason(code))

    def test_block_change(self):
        self.assertEqual(
            block_change("207", False, None), ("block", "einvoice_dispute")
        )
        # Already blocked for the same status: nothing to do.
        self.assertEqual(block_change("207", True, "einvoice_dispute"), (None, None))
        # From a platform dispute to a platform refusal: the reason follows.
        self.assertEqual(
            block_change("210", True, "einvoice_dispute"), ("block", "einvoice_refused")
        )
        # The status moves on: the platform's block is lifted.
        self.assertEqual(
            block_change("205", True, "einvoice_dispute"), ("unblock", None)
        )
        # A block the user set is never touched, either way.
        self.assertEqual(block_change("207", True, "dispute"), (None, None))
        self.assertEqual(block_change("205", True, "promise"), (None, None))
        self.assertEqual(block_change("205", False, None), (None, None))

    def test_codes_dates_amounts(self):
        self.assertEqual(normalize_code(" 212 "), "212")
        self.assertEqual(normalize_code(207), "207")
        self.assertEqual(normalize_code("207.0"), "207")
        self.assertIsNone(normalize_code("214"))
        self.assertIsNone(normalize_code(""))
        self.assertEqual(parse_date("2026-09-14"), date(2026, 9, 14))
        self.assertEqual(parse_date("14/09/2026"), date(2026, 9, 14))
        with self.assertRaises(ValueError):
            parse_date("14 septembre")
        self.assertEqual(parse_amount("1 234,50"), D("1234.50"))
        self.assertIsNone(parse_amount(""))
        with self.assertRaises(ValueError):
            parse_amount("abc")

    def test_read_csv_semicolons_any_column_order(self):
        rows = read_csv("Status;Invoice;Date;Note\n207;INV/1;2026-09-14;price\n")
        self.assertEqual(
            rows,
            [
                {
                    "invoice": "INV/1",
                    "status": "207",
                    "date": "2026-09-14",
                    "amount": "",
                    "note": "price",
                }
            ],
        )
        with self.assertRaises(ValueError):
            read_csv("invoice,note\nINV/1,x\n")


if __name__ == "__main__":
    unittest.main()

"""Issue #17 item 6: late fees computed with the last known rate of a half-year whose
rate was not entered say so: on the invoice, on the late-fee line, in the log."""

import logging
from datetime import date
from decimal import Decimal as D

from freezegun import freeze_time

from odoo.tests import tagged

from ..tools.late_payment import HalfYearRate
from .late_fee_common import LateFeeCommon

# an int level: Odoo names its RUNBOT level (25) "INFO" too, so "INFO" would miss
# the records logged at logging.INFO
LOGGER = "odoo.addons.account_collection.models.account_collection_late_fee_charge"
ECB_NOTE = (
    "The ECB main refinancing rate of the second half of 2026 has not been entered: "
    "the last known one, 2.15 % in force since 06/11/2025, is used."
)
LEGAL_NOTE = (
    "The legal interest rate of the second half of 2026 has not been entered: the "
    "last known one, 2.62 % in force since 01/01/2026, is used."
)


@tagged("post_install", "-at_install")
class TestLateFeeRateFallback(LateFeeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the shipped tables: ECB up to 2025-06-11, legal rates up to 2026-H1
        cls.env["account.collection.rate"].search(
            [("date_from", ">", "2026-01-01")]
        ).unlink()
        cls.invoice = cls._post_invoice(cls.customer, 1000.0, "2026-06-30")

    @freeze_time("2026-09-30")
    def test_ecb_fallback_named_on_the_invoice_the_line_and_the_log(self):
        # 1 July to 30 September 2026, 92 days at 2.15 + 10 = 12.15 %:
        # 1000 * 12.15 * 92 / 36500 = 1117800 / 36500 = 30.6246... -> 30.62
        fees = self._fees(self.invoice, "2026-09-30")
        self.assertEqual(fees.interest, D("30.62"))
        self.assertEqual(
            fees.fallbacks,
            (
                (
                    HalfYearRate(date(2026, 7, 1), D("2.15"), date(2025, 6, 11), True),
                    "ecb",
                ),
            ),
        )
        self.assertIn(ECB_NOTE, self.invoice.collection_late_fee_details)
        self.assertEqual(self.LateFee._charged_fallbacks(fees), fees.fallbacks)
        with self.assertLogs(LOGGER, logging.INFO) as logs:
            charge_move = self._charge(self.invoice, "2026-09-30")
        self.assertEqual(charge_move.amount_total, 70.62)  # 30.62 + 40 indemnity
        interest_line = charge_move.invoice_line_ids.filtered(
            lambda line: line.product_id
            == self.env.ref("account_collection.product_late_interest")
        )
        self.assertIn(ECB_NOTE, interest_line.name)
        self.assertEqual(len(logs.records), 1)
        self.assertEqual(logs.records[0].levelno, logging.INFO)
        self.assertIn(self.invoice.name, logs.output[0])
        self.assertIn(ECB_NOTE, logs.output[0])

    @freeze_time("2026-09-30")
    def test_no_note_once_the_rate_is_entered(self):
        self.env["account.collection.rate"].create(
            {"rate_type": "ecb", "date_from": "2026-07-01", "rate": 2.15}
        )
        fees = self._fees(self.invoice, "2026-09-30")
        self.assertEqual(fees.interest, D("30.62"))  # the same rate, now entered
        self.assertEqual(fees.fallbacks, ())
        self.assertNotIn(
            "o_collection_rate_fallback", self.invoice.collection_late_fee_details
        )
        charge_move = self._charge(self.invoice, "2026-09-30")
        self.assertNotIn(
            "has not been entered", " ".join(charge_move.line_ids.mapped("name"))
        )

    @freeze_time("2026-09-30")
    def test_contractual_floor_fallback_named(self):
        # 8 % agreed, at least 3 x 2.62 = 7.86 (2026-H1, the last known legal rate):
        # 1000 * 8 * 92 / 36500 = 736000 / 36500 = 20.1643... -> 20.16
        self.company.write(
            {
                "collection_penalty_rate_mode": "contractual",
                "collection_contractual_rate": 8.0,
            }
        )
        fees = self._fees(self.invoice, "2026-09-30")
        self.assertEqual(fees.interest, D("20.16"))
        self.assertEqual([kind for _used, kind in fees.fallbacks], ["legal"])
        with self.assertLogs(LOGGER, logging.INFO):
            charge_move = self._charge(self.invoice, "2026-09-30")
        self.assertIn(LEGAL_NOTE, " ".join(charge_move.invoice_line_ids.mapped("name")))

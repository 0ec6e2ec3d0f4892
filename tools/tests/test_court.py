import unittest
from decimal import Decimal as D

from tools.court import ClaimItem, court_claim, court_type


class TestCourtClaim(unittest.TestCase):
    def test_cpc_1405_principal_interest_and_indemnities(self):
        # Two invoices 1,200.00 and 800.00, interest 35.12 and 10.40:
        # principal 2,000.00, interest 45.52, indemnities 2 x 40 = 80.00,
        # claim 2,125.52, costs 35.00, total 2,160.52.
        claim = court_claim(
            [ClaimItem(D("1200"), D("35.12")), ClaimItem(D("800"), D("10.40"))],
            costs=D("35"),
        )
        self.assertEqual(claim.principal, D("2000.00"))
        self.assertEqual(claim.interest, D("45.52"))
        self.assertEqual(claim.indemnities, D("80.00"))
        self.assertEqual(claim.claim, D("2125.52"))
        self.assertEqual(claim.total, D("2160.52"))
        self.assertTrue(claim.small_claims)

    def test_l441_10_indemnity_once_per_invoice_not_twice(self):
        # The first invoice's indemnity was already invoiced: 1 x 40 = 40.00.
        claim = court_claim(
            [
                ClaimItem(D("100"), D("0"), indemnity_charged=True),
                ClaimItem(D("100"), D("0")),
            ]
        )
        self.assertEqual(claim.indemnities, D("40.00"))

    def test_l441_10_no_indemnity_against_a_consumer(self):
        claim = court_claim([ClaimItem(D("300"), D("2.05"))], professional=False)
        self.assertEqual(claim.indemnities, D("0.00"))
        self.assertEqual(claim.claim, D("302.05"))

    def test_l125_1_threshold_5000_included_costs_not_counted(self):
        # 4,950.00 + 10.00 interest + 40.00 indemnity = 5,000.00: small claims.
        claim = court_claim([ClaimItem(D("4950"), D("10"))], costs=D("500"))
        self.assertEqual(claim.claim, D("5000.00"))
        self.assertTrue(claim.small_claims)
        # One cent more: 5,000.01, the injonction de payer only.
        claim = court_claim([ClaimItem(D("4950"), D("10.01"))])
        self.assertEqual(claim.claim, D("5000.01"))
        self.assertFalse(claim.small_claims)

    def test_credits_and_paid_items_are_not_claimed(self):
        claim = court_claim([ClaimItem(D("-50"), D("0")), ClaimItem(D("0"), D("0"))])
        self.assertEqual(claim.claim, D("0.00"))
        self.assertFalse(claim.small_claims)

    def test_negative_costs_refused(self):
        with self.assertRaises(ValueError):
            court_claim([], costs=D("-1"))

    def test_cerfa_12946_commerce_12948_judiciaire(self):
        self.assertEqual(court_type(True), "commerce")
        self.assertEqual(court_type(False), "judiciaire")


if __name__ == "__main__":
    unittest.main()

from . import (
    test_foundation,
    test_late_fee_charge,
    test_late_fee_demo,
    test_late_fee_rates,
    test_late_fees,
    test_legal_mentions,
    test_translations,
)

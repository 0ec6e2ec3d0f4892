from . import (
    test_credit_limit,
    test_foundation,
    test_risk_demo,
    test_risk_scoring,
    test_solvency_note,
    test_translations,
)

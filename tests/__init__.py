from . import (
    test_foundation,
    test_reporting_ageing,
    test_reporting_audit,
    test_reporting_demo,
    test_reporting_doubtful,
    test_translations,
)

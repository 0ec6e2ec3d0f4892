from . import test_foundation, test_risk_scoring, test_translations

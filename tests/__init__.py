from . import test_foundation, test_payment_plan, test_translations

from . import test_collection_cycle
from . import test_collection_scaling
from . import test_foundation
from . import test_notices
from . import test_payment_plan
from . import test_translations

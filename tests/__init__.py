from . import test_collection_cycle
from . import test_foundation
from . import test_notices
from . import test_translations

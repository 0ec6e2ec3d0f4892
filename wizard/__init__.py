from . import account_collection_aged_wizard
from . import account_collection_doubtful_wizard
from . import account_collection_escalate_wizard
from . import account_collection_plan_wizard
from . import account_collection_promise_wizard
from . import account_collection_run_wizard
from . import account_collection_call_wizard
from . import account_collection_dispute_reject_wizard

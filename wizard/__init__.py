from . import account_collection_plan_wizard

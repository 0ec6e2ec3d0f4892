from . import (
    account_collection_communication,
    account_collection_communication_line,
    account_collection_demo,
    account_collection_level,
    account_collection_plan,
    account_collection_plan_installment,
    account_collection_policy,
    account_move,
    res_company,
    res_config_settings,
    res_partner,
)

from . import (
    account_collection_charge,
    account_collection_communication,
    account_collection_communication_line,
    account_collection_demo,
    account_collection_late_fee,
    account_collection_level,
    account_collection_policy,
    account_collection_rate,
    account_move,
    res_company,
    res_config_settings,
    res_partner,
)

from . import (
    account_collection_communication,
    account_collection_communication_line,
    account_collection_demo,
    account_collection_level,
    account_collection_partner_risk,
    account_collection_policy,
    account_collection_risk_segment,
    account_collection_solvency_note,
    account_move,
    res_company,
    res_config_settings,
    res_partner,
)

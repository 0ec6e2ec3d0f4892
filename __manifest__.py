{
    "name": "Customer Invoice Collection",
    "summary": "Dunning levels, late-payment charges, payment plans, solvency and "
    "receivables audit for customer invoices",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "account_collection developers",
    "website": "https://github.com/account-collection/account_collection",
    "depends": ["account"],
    "external_dependencies": {"python": ["num2words", "xlsxwriter"]},
    "data": [
        "security/account_collection_security.xml",
        "security/ir.model.access.csv",
        "views/account_collection_policy_views.xml",
        "views/account_collection_communication_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/account_collection_menus.xml",
    ],
    "installable": True,
}

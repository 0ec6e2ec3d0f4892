"""The demo receivable book of `make demo` and of the tests that run on it.

Not part of the addon's models: nothing imports this package at install. Call it from an
``odoo shell`` or a test with an environment::

    from odoo.addons.account_collection.demo import book, showcase

    book.load_demo_data(env)
    showcase.load_demo_showcase(env)
    showcase.load_demo_second_company(env)
"""

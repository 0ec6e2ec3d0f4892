"""Tests of tools/; from the addon root: python -m unittest discover -s tools/tests -t .

They import ``tools`` as a top-level package and never the addon, so Odoo is not needed.
"""

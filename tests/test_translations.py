import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_french_catalogue_is_complete(self):
        """Every term the addon shows to users has a French translation."""
        reader = TranslationModuleReader(self.env.cr, ["account_collection"])
        sources = {
            source
            for module, _type, _name, _res_id, source, _value, _comments in reader
            if module == "account_collection" and source.strip()
        }
        catalogue = polib.pofile(file_path("account_collection/i18n/fr.po"))
        translated = {
            entry.msgid for entry in catalogue if entry.msgstr and not entry.obsolete
        }
        missing = sorted(sources - translated)
        self.assertFalse(
            missing,
            "Terms missing from i18n/fr.po (run `make translations`):\n"
            + "\n".join(missing[:50]),
        )

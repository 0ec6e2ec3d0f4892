import unittest
from decimal import Decimal as D

from tools.amount_words import amount_to_words, num2words_lang


class TestNum2wordsLang(unittest.TestCase):
    def test_odoo_codes_map_to_num2words_languages(self):
        expected = {
            "fr_FR": "fr",
            "fr_BE": "fr",
            "fr_CH": "fr",
            "en_US": "en",
            "en_GB": "en",
            "en_IN": "en_IN",
            "de_DE": "de",
            "de_CH": "de",
            "es_ES": "es",
            "pt_BR": "pt_BR",
            "pt_PT": "pt",
            "nl_BE": "nl",
            "da_DK": "dk",
            "cs_CZ": "cz",
            "nb_NO": "no",
            "sr@latin": "sr",
        }
        for code, lang in expected.items():
            with self.subTest(code=code):
                self.assertEqual(num2words_lang(code), lang)

    def test_unknown_or_empty_code_falls_back_to_english(self):
        for code in ("xx_XX", "", None, "zz"):
            with self.subTest(code=code):
                self.assertEqual(num2words_lang(code), "en")


class TestAmountToWords(unittest.TestCase):
    def test_french_amount_with_cents(self):
        self.assertEqual(
            amount_to_words(1234.56, "fr_FR", "EUR"),
            "mille deux cent trente-quatre euros et cinquante-six centimes",
        )

    def test_french_round_amount_has_no_zero_cents(self):
        self.assertEqual(amount_to_words(1000, "fr_FR", "EUR"), "mille euros")
        self.assertEqual(amount_to_words(D("80.00"), "fr_FR"), "quatre-vingts euros")
        self.assertEqual(amount_to_words(1, "fr_FR"), "un euro")

    def test_integer_is_units_not_cents(self):
        """num2words reads an int as cents; the helper reads it as currency units."""
        self.assertEqual(amount_to_words(20, "en_US"), "twenty euro")

    def test_french_millions_take_de(self):
        self.assertEqual(amount_to_words(1_000_000, "fr_FR"), "un million d'euros")
        self.assertEqual(
            amount_to_words(3_000_000.10, "fr_FR", "USD"),
            "trois millions de dollars et dix cents",
        )
        self.assertEqual(
            amount_to_words(1_200_000, "fr_FR"), "un million deux cent mille euros"
        )

    def test_belgian_french_uses_standard_french_spelling(self):
        self.assertEqual(
            amount_to_words(1234.56, "fr_BE", "EUR"),
            "mille deux cent trente-quatre euros et cinquante-six centimes",
        )

    def test_english_and_german(self):
        self.assertEqual(
            amount_to_words(1234.56, "en_US", "EUR"),
            "one thousand, two hundred and thirty-four euro, fifty-six cents",
        )
        self.assertEqual(
            amount_to_words(1234.56, "de_DE", "EUR"),
            "eintausendzweihundertvierunddreißig Euro und sechsundfünfzig Cent",
        )
        self.assertEqual(amount_to_words(1, "de_DE", "EUR"), "ein Euro")

    def test_language_whose_currency_converter_omits_cents(self):
        """Portuguese writes no cents part itself: nothing is cut from its words."""
        self.assertEqual(amount_to_words(21, "pt_PT", "EUR"), "vinte e um euros")

    def test_rounds_half_up_to_the_cent(self):
        self.assertEqual(amount_to_words(10.005, "en_US", "EUR"), "ten euro, one cent")
        self.assertEqual(
            amount_to_words(D("1234.565"), "fr_FR", "EUR"),
            "mille deux cent trente-quatre euros et cinquante-sept centimes",
        )

    def test_currency_without_cents(self):
        self.assertEqual(
            amount_to_words(1234.5, "fr_FR", "JPY", decimal_places=0),
            "mille deux cent trente-cinq JPY",
        )

    def test_currency_unknown_to_the_language_keeps_the_language(self):
        self.assertEqual(
            amount_to_words(1234.56, "fr_FR", "CHF"),
            "mille deux cent trente-quatre CHF et cinquante-six centimes",
        )

    def test_language_without_currency_support(self):
        self.assertEqual(amount_to_words(12.5, "nb_NO", "EUR"), "tolv EUR og 50/100")

    def test_unknown_language_spells_in_english(self):
        self.assertEqual(amount_to_words(12, "xx_XX", "EUR"), "twelve euro")
        self.assertEqual(amount_to_words(12, None, None), "twelve euro")

    def test_negative_amount(self):
        self.assertEqual(
            amount_to_words(-12.5, "fr_FR"), "moins douze euros et cinquante centimes"
        )

    def test_bad_amount(self):
        for bad in ("abc", float("nan"), float("inf")):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                amount_to_words(bad, "fr_FR")


if __name__ == "__main__":
    unittest.main()

import unittest
from decimal import Decimal as D

from tools.amount_words import amount_in_words, words_lang


class TestAmountInWords(unittest.TestCase):
    def test_french_euros_and_cents(self):
        self.assertEqual(
            amount_in_words(1234.56, "fr_FR", "EUR"),
            "mille deux cent trente-quatre euros et cinquante-six centimes",
        )
        self.assertEqual(
            amount_in_words(D("1.01"), "fr_FR", "EUR"), "un euro et un centime"
        )

    def test_whole_amount_has_no_zero_cents(self):
        self.assertEqual(
            amount_in_words(1234, "fr_FR", "EUR"), "mille deux cent trente-quatre euros"
        )
        self.assertEqual(amount_in_words(1, "fr", "EUR"), "un euro")

    def test_integer_is_not_read_as_cents(self):
        # num2words 0.5.13 reads the int 80 as 80 cents with to="currency".
        self.assertEqual(amount_in_words(80, "fr", "EUR"), "quatre-vingts euros")

    def test_rounded_to_the_cent_half_up(self):
        self.assertEqual(amount_in_words(0.005, "fr", "EUR"), "zéro euro et un centime")
        self.assertEqual(
            amount_in_words(D("10.125"), "en", "EUR"),
            "ten euro, thirteen cents",
        )

    def test_french_grammar(self):
        self.assertEqual(amount_in_words(2000000, "fr", "EUR"), "deux millions d'euros")
        self.assertEqual(
            amount_in_words(2000000.5, "fr", "USD"),
            "deux millions de dollars et cinquante cents",
        )
        self.assertEqual(
            amount_in_words(1500000, "fr", "EUR"), "un million cinq cent mille euros"
        )
        self.assertEqual(amount_in_words(0, "fr", "EUR"), "zéro euro")

    def test_other_languages(self):
        self.assertEqual(amount_in_words(1000, "en_US", "USD"), "one thousand dollars")
        self.assertEqual(
            amount_in_words(1234.56, "de_DE", "EUR"),
            "eintausendzweihundertvierunddreißig Euro und sechsundfünfzig Cent",
        )

    def test_unknown_currency_or_language(self):
        self.assertEqual(amount_in_words(12, "fr", "CHF"), "douze CHF")
        self.assertEqual(amount_in_words(3, "xx_YY", "EUR"), "three euro")

    def test_words_lang(self):
        self.assertEqual(words_lang("fr_FR"), "fr")
        self.assertEqual(words_lang("fr_BE"), "fr_BE")
        self.assertEqual(words_lang("xx_YY"), "en")
        self.assertEqual(words_lang(False), "en")

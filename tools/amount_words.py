"""Amounts in words for agreements and notices, in the reader's language."""

import re
from decimal import ROUND_HALF_UP, Decimal

from num2words import CONVERTER_CLASSES, num2words

DEFAULT_LANG = "en"
# French: "deux millions d'euros", "un milliard de dollars"; "zéro euro" is singular.
_FR_ZERO = re.compile(r"^zéro (\w+?)s\b")


def words_lang(lang):
    """Return the num2words language for an Odoo language code, English if unknown.

    ``fr_FR`` gives ``fr``, ``fr_BE`` gives ``fr_BE`` (num2words knows it),
    ``pt_BR`` gives ``pt_BR``, ``xx_YY`` gives ``en``.
    """
    if not lang:
        return DEFAULT_LANG
    for candidate in (lang, lang.split("_")[0]):
        if candidate in CONVERTER_CLASSES:
            return candidate
    return DEFAULT_LANG


def amount_in_words(amount, lang="fr", currency="EUR"):
    """Return ``amount`` written in words with its currency, e.g. for a cheque.

    ``amount_in_words(1234.56, "fr_FR", "EUR")`` gives "mille deux cent trente-quatre
    euros et cinquante-six centimes". Whole amounts do not mention zero cents. The
    amount is rounded to the cent first (half up). A currency that num2words does not
    name in that language is written as its code after the number in words.

    Note on num2words 0.5.13: ``to="currency"`` reads an ``int`` as a number of cents
    (``80`` gives "quatre-vingts centimes"), so the amount is always passed as a
    Decimal with two places.
    """
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    lang = words_lang(lang)
    converter = CONVERTER_CLASSES[lang]
    forms = getattr(converter, "CURRENCY_FORMS", {}).get(currency)
    if not forms:
        return f"{num2words(value, lang=lang)} {currency}"
    if value == value.to_integral_value():
        units = int(abs(value))
        words = num2words(units, lang=lang)
        if value < 0:
            words = f"{converter.negword.strip()} {words}"
        words = f"{words} {converter.pluralize(units, forms[0])}"
    else:
        words = num2words(value, lang=lang, to="currency", currency=currency)
    if lang.startswith("fr"):
        words = _french_grammar(words, forms[0])
    return words


def _french_grammar(words, unit_forms):
    """Fix what num2words gets wrong in French currency phrases."""
    words = _FR_ZERO.sub(r"zéro \1", words)
    units = "|".join(re.escape(form) for form in unit_forms)
    millions = re.compile(rf"\b(millions?|milliards?) ({units})\b")

    def of(match):
        unit = match.group(2)
        article = "d'" if unit[0] in "aeiouyéh" else "de "
        return f"{match.group(1)} {article}{unit}"

    return millions.sub(of, words)

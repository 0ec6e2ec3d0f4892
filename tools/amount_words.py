"""Amounts written in words, as printed on a formal notice ("mise en demeure").

A formal notice states the sum claimed in figures and in words. ``num2words`` does the
spelling; this module picks its language from an Odoo language code, keeps the sentence
short when there are no cents ("mille euros", not "mille euros et zéro centimes") and
falls back to something readable when ``num2words`` does not know the language or the
currency, so that printing a notice never fails on the words.
"""

import inspect
import re
from decimal import ROUND_HALF_UP, Decimal

from num2words import CONVERTER_CLASSES, num2words

from .numbers import as_decimal

FALLBACK_LANG = "en"

# Odoo language codes whose num2words name differs from the ISO 639 code.
LANG_ALIASES = {
    "be": "by",
    "cs": "cz",
    "da": "dk",
    "kk": "kz",
    "nb": "no",
    "nn": "no",
}
# Regional converters of num2words 0.5.13 that spell worse than the main language:
# fr_BE and fr_CH write "mille deux cents trente-quatre" and "un millions".
LANG_OVERRIDES = {
    "fr_BE": "fr",
    "fr_CH": "fr",
}
_FRENCH_BIG_UNITS = r"\b(millions?|milliards?) (?={word}\b)"


def num2words_lang(lang_code):
    """Return the num2words language for an Odoo language code.

    ``fr_FR`` gives ``fr``, ``pt_BR`` gives ``pt_BR`` (a converter of its own),
    ``da_DK`` gives ``dk``, ``sr@latin`` gives ``sr``; an unknown or empty code gives
    English.
    """
    code = (lang_code or "").split("@")[0].replace("-", "_")
    if code in LANG_OVERRIDES:
        return LANG_OVERRIDES[code]
    if code in CONVERTER_CLASSES:
        return code
    base = code.split("_")[0].lower()
    base = LANG_ALIASES.get(base, base)
    return base if base in CONVERTER_CLASSES else FALLBACK_LANG


def _as_amount(amount, decimal_places):
    value = as_decimal(amount, "amount")
    step = Decimal(1) if decimal_places == 0 else Decimal("0.01")
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _separator(converter):
    parameter = inspect.signature(converter.to_currency).parameters.get("separator")
    return parameter.default if parameter else None


def _currency_words(lang, value, currency):
    """Spell ``value`` with num2words' currency forms, dropping "and zero cents"."""
    converter = CONVERTER_CLASSES[lang]
    text = num2words(value, lang=lang, to="currency", currency=currency)
    separator = _separator(converter)
    if value == value.to_integral_value() and separator is not None:
        zero_cents = f"{separator} {converter.to_cardinal(0)} "
        head, found, tail = text.rpartition(zero_cents)
        if found and head and " " not in tail.strip():
            text = head
    units = int(abs(value))
    if lang == "fr" and units and units % 1_000_000 == 0:
        # "un million d'euros", "deux milliards de dollars et dix cents"
        word = converter.pluralize(units, converter.CURRENCY_FORMS[currency][0])
        article = "d'" if word[:1] in "aeiouyéèêh" else "de "
        text = re.sub(
            _FRENCH_BIG_UNITS.format(word=re.escape(word)),
            lambda match: f"{match.group(1)} {article}",
            text,
            count=1,
        )
    return text


def _generic_words(lang, value, currency):
    """Spell the number in ``lang`` and name the currency by its ISO code, for the
    currencies (or languages) whose currency forms num2words lacks."""
    converter = CONVERTER_CLASSES[lang]
    units, cents = divmod(abs(value), 1)
    cents = int(cents * 100)
    text = f"{converter.to_cardinal(int(units))} {currency}"
    if cents:
        separator = _separator(converter) or ","
        cent_forms = getattr(converter, "CURRENCY_FORMS", {}).get("EUR")
        if cent_forms:
            cent_word = converter.pluralize(cents, cent_forms[1])
            text = f"{text}{separator} {converter.to_cardinal(cents)} {cent_word}"
        else:
            text = f"{text}{separator} {cents:02d}/100"
    if value < 0:
        text = f"{converter.negword.strip()} {text}"
    return text


def amount_to_words(amount, lang_code="en_US", currency="EUR", decimal_places=2):
    """Return ``amount`` of ``currency`` written in words in the language ``lang_code``.

    >>> amount_to_words(1234.56, "fr_FR", "EUR")
    'mille deux cent trente-quatre euros et cinquante-six centimes'

    :param amount: a number (float, int or Decimal), rounded half-up to the cent; an
        int is a number of currency units (``1000`` is a thousand euros).
    :param lang_code: an Odoo language code (``fr_FR``, ``en_US``, ``de_DE``...); an
        unknown language spells in English.
    :param currency: the ISO 4217 code of the currency (``EUR``).
    :param decimal_places: 0 for currencies without cents (the amount is rounded to
        the unit); any other value keeps two decimals.
    """
    value = _as_amount(amount, decimal_places)
    currency = (currency or "EUR").upper()
    errors = (NotImplementedError, TypeError, KeyError, AttributeError)
    for lang in dict.fromkeys((num2words_lang(lang_code), FALLBACK_LANG)):
        for spell in (_currency_words, _generic_words):
            try:
                return spell(lang, value, currency)
            except errors:
                continue
    raise ValueError(f"cannot write {amount!r} {currency} in words")  # pragma: no cover

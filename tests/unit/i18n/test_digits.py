"""One rule for digits: every number a person reads is written in the digits of the UI
language's default CLDR numbering system (Persian digits in Dari, Latin in Arabic and the
others); digits a worker types are read in any script."""

from __future__ import annotations

import unicodedata

import pytest

from intake_app.i18n import LANGUAGE_CODES, ngettext, set_language
from intake_app.i18n.formatting import ascii_digits, format_number, local_digits

# The zero of each language's digits; the others write Latin ones.
ZERO = {"fa-AF": "۰"}


def zeros(text: str) -> set[str]:
    """The digit sets `text` uses, each named by its zero ("0", "۰", "٠")."""
    return {chr(ord(c) - unicodedata.decimal(c)) for c in text if c.isdecimal()}


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_numbers_use_the_digits_of_the_language(lang: str) -> None:
    set_language(lang)
    assert zeros(format_number(1234567890)) == {ZERO.get(lang, "0")}


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_a_plural_message_writes_its_count_in_the_languages_digits(lang: str) -> None:
    set_language(lang)
    text = ngettext("{n} file", "{n} files", 12)  # Arabic says 2 with a word, no digits
    assert zeros(text) == {ZERO.get(lang, "0")}


def test_the_count_in_a_dari_message_is_written_in_persian_digits() -> None:
    set_language("fa-AF")
    assert "۱۲" in ngettext("{n} interview", "{n} interviews", 12)
    set_language("en")
    assert ngettext("{n} interview", "{n} interviews", 1234) == "1,234 interviews"


def test_typed_digits_are_read_in_any_script() -> None:
    assert ascii_digits("۱۹۹۰-٠٧-๒3") == "1990-07-23"
    assert ascii_digits("W-12 ab") == "W-12 ab"


def test_digits_kept_as_text_are_shown_in_the_languages_digits() -> None:
    assert local_digits("07", in_lang="fa-AF") == "۰۷"  # not regrouped or stripped: "7"
    assert local_digits("2026", in_lang="ar") == "2026"
    set_language("fa-AF")
    assert local_digits("1994") == "۱۹۹۴"

"""Numbers in the worker's window outside the list and the editor follow the same digits: the
passphrase's minimum length and a draft translation's percentage ("۱۰" in Dari)."""

from __future__ import annotations

import unicodedata

import pytest

from intake_app.i18n import set_language
from intake_app.services.passphrase_strength import refusal
from intake_app.ui.language_list import language_label
from intake_app.ui.new_passphrase import NewPassphraseFields

ZERO = {"fa-AF": "۰", "ar": "0"}


def zeros(text: str) -> set[str]:
    """The digit sets `text` uses, each named by its zero ("0", "۰", "٠")."""
    return {chr(ord(c) - unicodedata.decimal(c)) for c in text if c.isdecimal()}


@pytest.mark.parametrize("lang", sorted(ZERO))
def test_the_passphrase_minimum_uses_the_languages_digits(qtbot, lang) -> None:
    set_language(lang)
    fields = NewPassphraseFields()
    qtbot.addWidget(fields)
    assert zeros(fields.passphrase.placeholderText()) == {ZERO[lang]}
    fields.passphrase.setText("short")
    assert zeros(fields.strength_label.text()) == {ZERO[lang]}
    assert zeros(refusal("short") or "") == {ZERO[lang]}


@pytest.mark.parametrize("lang", sorted(ZERO))
def test_a_draft_translations_percentage_uses_the_languages_digits(lang) -> None:
    set_language(lang)
    assert zeros(language_label("Soomaali", True, 0.8)) == {ZERO[lang]}

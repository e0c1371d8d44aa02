"""Language and country lists come from Babel's CLDR data, named in every UI language."""

from __future__ import annotations

import pytest

from intake_app.domain import (
    UI_LANGUAGES,
    country_choices,
    country_codes,
    country_name,
    language_choices,
    language_codes,
    language_name,
)


@pytest.mark.parametrize("ui_lang", UI_LANGUAGES)
def test_every_ui_language_gets_complete_lists(ui_lang: str) -> None:
    languages = language_choices(ui_lang)
    countries = country_choices(ui_lang)
    assert {code for code, _ in languages} == language_codes()
    assert {code for code, _ in countries} == country_codes()
    assert all(name for _, name in languages + countries)


def test_names_are_in_the_ui_language() -> None:
    assert country_name("FI", "fi") == "Suomi"
    assert country_name("FI", "sv") == "Finland"
    assert language_name("fa-AF", "en") == "Dari"
    assert language_name("fa-AF", "fa-AF") == "دری"
    assert country_name("IQ", "ar") == "العراق"
    assert language_name("so", "so") == "Soomaali"
    assert country_name("UA", "uk") == "Україна"


def test_codes_the_interviews_need_exist() -> None:
    for code in ("fi", "sv", "en", "ar", "fa-AF", "so", "th", "vi", "ru", "uk", "ti", "ku"):
        assert code in language_codes()
    for code in ("IQ", "SO", "AF", "NG", "TH", "VN", "PH", "MA", "UA", "FI", "XK"):
        assert code in country_codes()
    assert not {"EU", "UN", "ZZ", "001", "150"} & country_codes()
    assert "und" not in language_codes()


def test_locale_names_come_before_english_fallbacks() -> None:
    names = [name for _, name in language_choices("fa-AF")]
    first_latin = next(i for i, n in enumerate(names) if n[0].isascii())
    assert all(not n[0].isascii() for n in names[:first_latin])
    assert first_latin > 300

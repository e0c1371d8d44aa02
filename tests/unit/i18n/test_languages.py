"""The written-out names and directions of the languages are CLDR's (they save ~70 ms a start)."""

from __future__ import annotations

import pytest

from intake_app.i18n.languages import (
    LANGUAGE_CODES,
    cldr_direction_of,
    cldr_english_name_of,
    cldr_native_name_of,
    direction_of,
    english_name_of,
    native_name_of,
)


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_written_out_names_and_direction_are_cldrs(code: str) -> None:
    assert native_name_of(code) == cldr_native_name_of(code)
    assert english_name_of(code) == cldr_english_name_of(code)
    assert direction_of(code) == cldr_direction_of(code)


def test_the_right_to_left_languages_are_arabic_and_dari() -> None:
    assert [code for code in LANGUAGE_CODES if direction_of(code) == "rtl"] == ["ar", "fa-AF"]

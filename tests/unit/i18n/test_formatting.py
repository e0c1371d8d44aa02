"""Dates, numbers, sizes and names follow the current language through Babel (CLDR)."""

from __future__ import annotations

import datetime as dt

import pytest

from intake_app.i18n import set_language
from intake_app.i18n.formatting import (
    country_choices,
    country_name,
    filter_choices,
    format_date,
    format_datetime,
    format_number,
    format_size,
    format_time,
    language_choices,
    language_name,
)

HELSINKI = dt.timezone(dt.timedelta(hours=2))
MOMENT = dt.datetime(2026, 11, 28, 16, 2, tzinfo=dt.UTC)


def test_finnish_numbers_dates_and_times() -> None:
    set_language("fi")
    assert format_number(1234567.5) == "1\xa0234\xa0567,5"
    assert format_date(dt.date(2026, 11, 28), "short") == "28.11.2026"
    assert format_time(MOMENT, tzinfo=HELSINKI) == "18.02"
    assert format_datetime(MOMENT, "short", tzinfo=HELSINKI) == "28.11.2026 18.02"


def test_english_numbers_use_a_decimal_point() -> None:
    set_language("en")
    assert format_number(1234567.5) == "1,234,567.5"


def test_arabic_keeps_latin_digits_as_cldr_says_for_ar() -> None:
    set_language("ar")
    text = format_number(1234.5)
    assert text == "1,234.5"
    assert "م" in format_time(dt.time(18, 2), "short")  # evening marker in Arabic


def test_dari_uses_extended_arabic_indic_digits_as_cldr_says_for_fa_af() -> None:
    set_language("fa-AF")
    assert format_number(1234.5) == "۱٬۲۳۴٫۵"
    assert format_date(dt.date(2026, 11, 28), "short").startswith("۲۰۲۶")


def test_explicit_language_overrides_the_current_one() -> None:
    set_language("fi")
    assert format_number(0.5, in_lang="en") == "0.5"


@pytest.mark.parametrize(
    ("code", "size", "shown"),
    [
        ("en", 999, "999 byte"),
        ("en", 2_500_000, "2.5 MB"),
        ("fi", 2_500_000, "2,5 Mt"),
        ("en", 250_000_000, "250 MB"),
        ("ru", 3_000_000_000, "3 ГБ"),
    ],
)
def test_sizes_in_the_locale(code: str, size: int, shown: str) -> None:
    set_language(code)
    assert format_size(size).replace("\xa0", " ") == shown


def test_language_and_country_names_in_the_current_language() -> None:
    set_language("fi")
    assert language_name("ar") == "arabia"
    assert language_name("fa-AF", "en") == "Dari"
    assert country_name("SO") == "Somalia"
    assert country_name("se", "sv") == "Sverige"
    set_language("th")
    assert country_name("VN") == "เวียดนาม"


def test_country_choices_are_sorted_and_searchable() -> None:
    set_language("sv")
    choices = country_choices()
    codes = {choice.code for choice in choices}
    assert {"FI", "IQ", "AF", "SO", "XK"} <= codes
    assert not codes & {"EU", "UN", "ZZ"}
    names = [choice.name.casefold() for choice in choices]
    assert names == sorted(names)
    # Swedish name, English name or code all find Finland; accents do not matter.
    assert [c.code for c in filter_choices(choices, "finl")] == ["FI"]
    assert "AX" in [c.code for c in filter_choices(choices, "aland")]
    assert "IQ" in [c.code for c in filter_choices(choices, "iraq")]


def test_language_choices_from_a_given_list() -> None:
    set_language("en")
    choices = language_choices(["so", "ar", "fa-AF", "th"])
    assert [c.name for c in choices] == ["Arabic", "Dari", "Somali", "Thai"]
    everything = language_choices()
    assert len(everything) > 300
    assert "fa-AF" in {c.code for c in everything}
    assert "fa-AF" in [c.code for c in filter_choices(everything, "dari")]

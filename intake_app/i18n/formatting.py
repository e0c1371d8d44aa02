"""Dates, times, numbers, sizes, and language and country names in the current language (CLDR).

Numbers follow the locale's default CLDR numbering system (see `format_number`): Latin digits for
Arabic (CLDR's choice for the generic `ar` locale), Extended Arabic-Indic digits for Dari.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import LOCALTZ, format_skeleton
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.numbers import format_decimal
from babel.units import format_unit

from intake_app.i18n.core import current_language
from intake_app.i18n.languages import LANGUAGE_CODES, SOURCE_LANGUAGE, babel_locale, display_name

Number = int | float | Decimal

# Babel picks the locale's separators for a numbering system but still writes ASCII digits.
_DIGIT_ZERO = {"arab": 0x0660, "arabext": 0x06F0}
_SIZE_UNITS = (
    "byte",
    "digital-kilobyte",
    "digital-megabyte",
    "digital-gigabyte",
    "digital-terabyte",
)
# CLDR region codes that are not countries a person can come from.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)
_PLAIN_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def _locale(in_lang: str | None) -> Locale:
    return babel_locale(in_lang or current_language())


def _native_digits(text: str, locale: Locale) -> str:
    zero = _DIGIT_ZERO.get(locale.default_numbering_system)
    if zero is None:
        return text
    return text.translate({ord("0") + i: zero + i for i in range(10)})


def format_number(value: Number, *, in_lang: str | None = None) -> str:
    """A number with the locale's grouping, decimal sign and digits ("1 234,5" in Finnish).

    The one rule for digits: every number a person reads (counts, "3 of 4", section and entry
    numbers, dates, the calendar's days) is written in the digits of the UI language's default
    CLDR numbering system, as Babel gives it: Extended Arabic-Indic ("۳ از ۴") in Dari (fa-AF),
    Latin ("3 من 4") in Arabic (CLDR's generic `ar`; the form's Arabic labels agree) and in the
    other eight. Qt is held to the same digits (`intake_app.i18n.qt.qt_locale`), `ngettext` writes
    its `{n}` with this function, other numbers in a message are passed through it, and digits
    the worker types are read in any script (`ascii_digits`).
    """
    locale = _locale(in_lang)
    text = format_decimal(value, locale=locale, numbering_system="default")
    return _native_digits(text, locale)


def local_digits(text: str, *, in_lang: str | None = None) -> str:
    """`text` with its ASCII digits written as the language writes digits ("۲۰۲۶" in Dari):
    for numbers kept as typed text (a date's fields), which `format_number` would regroup."""
    return _native_digits(text, _locale(in_lang))


def ascii_digits(text: str) -> str:
    """`text` with every decimal digit of any script ("۲", "٢", "๒") as its ASCII digit ("2"):
    what a worker typed, read whatever digits the keyboard gives."""
    return "".join(
        str(unicodedata.decimal(char)) if not char.isascii() and char.isdecimal() else char
        for char in text
    )


def format_date(value: dt.date, style: str = "medium", *, in_lang: str | None = None) -> str:
    """A calendar date ("28.11.2026" in Finnish); `style` is short, medium, long or full."""
    locale = _locale(in_lang)
    return _native_digits(babel_format_date(value, style, locale=locale), locale)


def format_partial_date(parts: tuple[int, ...], *, in_lang: str | None = None) -> str:
    """A date that may lack its day or month: (1994,) "1994", (1994, 5) "touko 1994" in Finnish,
    a whole date as `format_date` (medium) writes it."""
    if len(parts) >= 3:
        return format_date(dt.date(parts[0], parts[1], parts[2]), in_lang=in_lang)
    locale = _locale(in_lang)
    skeleton = "yMMM" if len(parts) == 2 else "y"
    day = dt.date(parts[0], parts[1] if len(parts) == 2 else 1, 1)
    return _native_digits(format_skeleton(skeleton, day, locale=locale), locale)


def format_datetime(
    value: dt.datetime,
    style: str = "medium",
    *,
    tzinfo: dt.tzinfo | None = None,
    in_lang: str | None = None,
) -> str:
    """A moment in the computer's time zone (or `tzinfo`); naive values are taken as UTC."""
    locale = _locale(in_lang)
    text = babel_format_datetime(value, style, tzinfo=tzinfo or LOCALTZ, locale=locale)
    return _native_digits(text, locale)


def format_time(
    value: dt.time | dt.datetime,
    style: str = "short",
    *,
    tzinfo: dt.tzinfo | None = None,
    in_lang: str | None = None,
) -> str:
    """A time of day ("18.02" in Finnish); a datetime is shown in the computer's time zone."""
    locale = _locale(in_lang)
    zone = tzinfo or (LOCALTZ if isinstance(value, dt.datetime) else None)
    return _native_digits(babel_format_time(value, style, tzinfo=zone, locale=locale), locale)


def format_moment(
    value: dt.datetime | str | None, *, date_only: bool = False, in_lang: str | None = None
) -> str:
    """A moment in this computer's time zone: its date and time (short style), or with
    `date_only` its local calendar date (medium style). `value` is an aware datetime or a
    stored UTC stamp ("2026-11-28T16:02:11Z"); "" for None, a stamp that does not parse as
    it is."""
    from intake_app.domain.utc_time import parse_utc  # the domain package imports this module

    if value is None:
        return ""
    if isinstance(value, str):
        try:
            moment = parse_utc(value)
        except ValueError:
            return value
    else:
        moment = value
    if date_only:
        return format_date(moment.astimezone().date(), in_lang=in_lang)
    return format_datetime(moment, "short", in_lang=in_lang)


def format_size(size: int, *, in_lang: str | None = None) -> str:
    """A byte count in kB/MB/GB (powers of 1000) with the locale's unit names ("2,5 Mt")."""
    locale = _locale(in_lang)
    value = Decimal(max(size, 0))
    unit = 0
    while value >= 1000 and unit < len(_SIZE_UNITS) - 1:
        value /= 1000
        unit += 1
    # One decimal below 10 ("2.5 MB"), whole numbers above ("250 MB").
    value = value.quantize(Decimal("0.1") if value < 10 and unit else Decimal("1"))
    text = format_unit(
        value, _SIZE_UNITS[unit], length="short", locale=locale, numbering_system="default"
    )
    return _native_digits(text, locale)


def _parse_language(code: str) -> Locale | None:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def language_name(code: str, in_lang: str | None = None) -> str:
    """The name of a language code in `in_lang` (default: current): "ar" is "arabia" in Finnish."""
    in_locale = _locale(in_lang)
    identifier = code.replace("-", "_")
    parsed = _parse_language(code)
    if parsed is not None:
        return display_name(parsed, in_locale)
    return str(in_locale.languages.get(identifier) or code)


def country_name(code: str, in_lang: str | None = None) -> str:
    """The name of a country (ISO 3166 alpha-2) in `in_lang` (default: current)."""
    return str(_locale(in_lang).territories.get(code.upper()) or code)


def fold(text: str) -> str:
    """A case- and accent-insensitive form of `text` for searching ("Åland" -> "aland")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sort_key(text: str) -> str:
    """A collation key good enough for picker lists (casefolded, not full CLDR collation)."""
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class Choice:
    """One entry of a language or country picker."""

    code: str
    name: str
    search_text: str

    def matches(self, query: str) -> bool:
        """True when every word of `query` occurs in the name, English name or code."""
        return all(word in self.search_text for word in fold(query).split())


def _choice(code: str, name: str, english: str) -> Choice:
    return Choice(code, name, " ".join(dict.fromkeys((fold(name), fold(english), code.casefold()))))


@lru_cache(maxsize=32)
def _language_choices(codes: tuple[str, ...] | None, in_lang: str) -> tuple[Choice, ...]:
    if codes is None:
        known = {str(code) for code in Locale.parse(SOURCE_LANGUAGE).languages}
        codes = tuple(sorted({c for c in known if _PLAIN_LANGUAGE.match(c)} | set(LANGUAGE_CODES)))
    choices = [
        _choice(code, language_name(code, in_lang), language_name(code, SOURCE_LANGUAGE))
        for code in codes
    ]
    return tuple(sorted(choices, key=lambda c: sort_key(c.name)))


@lru_cache(maxsize=32)
def _country_choices(codes: tuple[str, ...] | None, in_lang: str) -> tuple[Choice, ...]:
    if codes is None:
        known = {str(code) for code in Locale.parse(SOURCE_LANGUAGE).territories}
        codes = tuple(c for c in known if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES)
    choices = [
        _choice(code, country_name(code, in_lang), country_name(code, SOURCE_LANGUAGE))
        for code in codes
    ]
    return tuple(sorted(choices, key=lambda c: sort_key(c.name)))


def language_choices(
    codes: Iterable[str] | None = None, *, in_lang: str | None = None
) -> list[Choice]:
    """Languages sorted by name in `in_lang`: the given codes, or every CLDR language."""
    wanted = tuple(codes) if codes is not None else None
    return list(_language_choices(wanted, in_lang or current_language()))


def country_choices(
    codes: Iterable[str] | None = None, *, in_lang: str | None = None
) -> list[Choice]:
    """Countries sorted by name in `in_lang`: the given codes, or every ISO 3166 country."""
    wanted = tuple(code.upper() for code in codes) if codes is not None else None
    return list(_country_choices(wanted, in_lang or current_language()))


def filter_choices(choices: Iterable[Choice], query: str) -> list[Choice]:
    """The choices matching a typed search, in their original order."""
    return [choice for choice in choices if choice.matches(query)]


LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
FSI = "\u2068"  # FIRST STRONG ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE


def own_direction(text: object) -> str:
    """A name (a file's, a centre's) kept in one piece in its own direction, whatever the
    language around it: an Arabic name reads right to left, a Latin one left to right
    (U+2068 FSI … U+2069 PDI)."""
    return FSI + str(text) + PDI


def isolate(text: object, *, in_lang: str | None = None) -> str:
    """A path, fingerprint or code to put into a message, kept in one left-to-right piece.

    In a right-to-left language the bidirectional algorithm would otherwise reorder its parts
    ("/tmp/ux/src" shown as "tmp/ux/src/ /"); there it is wrapped in U+2066 LRI … U+2069 PDI.
    Left-to-right languages get the text unchanged (a terminal may show the marks).
    """
    from intake_app.i18n.languages import direction_of

    value = str(text)
    if direction_of(in_lang or current_language()) != "rtl":
        return value
    return LRI + value + PDI

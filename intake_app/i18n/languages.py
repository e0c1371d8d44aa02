"""The user-interface languages: codes, Babel locales, catalog folders, names and direction.

App-level codes are BCP 47 ("fa-AF"); Babel locales and gettext folders use "fa_AF".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from babel import Locale

Direction = Literal["ltr", "rtl"]

SOURCE_LANGUAGE = "en"
PSEUDO_LANGUAGE = "qps"

# The order the picker shows them in: the official languages first, then as in the design.
LANGUAGE_CODES: tuple[str, ...] = ("fi", "sv", "en", "ar", "fa-AF", "so", "th", "vi", "ru", "uk")

# CLDR's names and writing direction of the ten languages, written out because reading them from
# Babel's locale data cost about 70 ms of every start (the language picker wants all ten at
# once). tests/unit/i18n/test_languages.py checks every entry against CLDR, so they cannot drift.
_KNOWN: dict[str, tuple[str, str, Direction]] = {
    "fi": ("suomi", "Finnish", "ltr"),
    "sv": ("svenska", "Swedish", "ltr"),
    "en": ("English", "English", "ltr"),
    "ar": ("العربية", "Arabic", "rtl"),
    "fa-AF": ("دری", "Dari", "rtl"),
    "so": ("Soomaali", "Somali", "ltr"),
    "th": ("ไทย", "Thai", "ltr"),
    "vi": ("Tiếng Việt", "Vietnamese", "ltr"),
    "ru": ("русский", "Russian", "ltr"),
    "uk": ("українська", "Ukrainian", "ltr"),
}


@dataclass(frozen=True)
class Language:
    """One user-interface language as the picker and the loader see it."""

    code: str
    babel_locale: str
    directory: str | None
    native_name: str
    english_name: str
    direction: Direction
    draft: bool
    completeness: float

    @property
    def rtl(self) -> bool:
        """True for right-to-left languages (Arabic, Dari)."""
        return self.direction == "rtl"


def normalize_code(code: str) -> str:
    """The app-level code for `code` ("fa_AF", "fa-af" give "fa-AF"); ValueError if unknown."""
    wanted = code.strip().replace("_", "-").casefold()
    for known in (*LANGUAGE_CODES, PSEUDO_LANGUAGE):
        if known.casefold() == wanted:
            return known
    raise ValueError(f"not a user-interface language: {code!r}")


def babel_locale_of(code: str) -> str:
    """The Babel (CLDR) locale identifier for an app-level code ("qps" formats as English)."""
    code = normalize_code(code)
    if code == PSEUDO_LANGUAGE:
        return SOURCE_LANGUAGE
    return code.replace("-", "_")


def directory_of(code: str) -> str | None:
    """The gettext folder name under translations/ ("fa_AF"); None for the pseudo-language."""
    code = normalize_code(code)
    return None if code == PSEUDO_LANGUAGE else code.replace("-", "_")


@lru_cache(maxsize=64)
def babel_locale(code: str) -> Locale:
    """The parsed Babel locale for an app-level code (cached)."""
    return Locale.parse(babel_locale_of(code))


def direction_of(code: str) -> Direction:
    """Right-to-left ("rtl") or left-to-right ("ltr"), from CLDR's data for the language."""
    known = _KNOWN.get(normalize_code(code))
    if known is not None:
        return known[2]
    return cldr_direction_of(code)


def cldr_direction_of(code: str) -> Direction:
    """The writing direction as Babel's CLDR data gives it (what `direction_of` writes out)."""
    return "rtl" if babel_locale(code).text_direction == "rtl" else "ltr"


def display_name(locale: Locale, in_locale: Locale) -> str:
    """The name of `locale` in `in_locale`, preferring CLDR's own name for the whole identifier.

    CLDR names fa_AF "Dari" ("دری") while the generic rule would give "Persian (Afghanistan)".
    """
    name = in_locale.languages.get(str(locale))
    if name:
        return str(name)
    return str(locale.get_display_name(in_locale) or locale)


def native_name_of(code: str) -> str:
    """The language's name in itself, from CLDR ("suomi", "العربية", "دری")."""
    if normalize_code(code) == PSEUDO_LANGUAGE:
        return "[Ƥšéûðö]"
    known = _KNOWN.get(normalize_code(code))
    return known[0] if known is not None else cldr_native_name_of(code)


def cldr_native_name_of(code: str) -> str:
    """The language's own name as Babel's CLDR data gives it (what `native_name_of` writes out)."""
    locale = babel_locale(code)
    return display_name(locale, locale)


def english_name_of(code: str) -> str:
    """The language's English name, from CLDR ("Finnish", "Dari")."""
    if normalize_code(code) == PSEUDO_LANGUAGE:
        return "Pseudo-language"
    known = _KNOWN.get(normalize_code(code))
    return known[1] if known is not None else cldr_english_name_of(code)


def cldr_english_name_of(code: str) -> str:
    """The language's English name as Babel's CLDR data gives it."""
    return display_name(babel_locale(code), Locale.parse(SOURCE_LANGUAGE))

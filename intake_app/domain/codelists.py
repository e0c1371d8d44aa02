"""Language and country code lists from Babel's CLDR data, named in any user-interface language.

Questions of type `language` and `country` draw their choices from here, never from the form
file. Stored codes are BCP 47 style with hyphens ("fa-AF", "ar-001") for languages and ISO 3166
alpha-2 ("FI", "XK") for countries. The code set is the one CLDR names in English, so every stored
code has a name in every UI language (English is the fallback where a locale lacks a name).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from babel import Locale

#: The user-interface languages (design/interview-form.md, Languages).
UI_LANGUAGES: tuple[str, ...] = ("fi", "sv", "en", "ar", "fa-AF", "so", "th", "vi", "ru", "uk")
RIGHT_TO_LEFT: frozenset[str] = frozenset({"ar", "fa-AF"})

# Not languages a person speaks: "undetermined" and "no linguistic content".
_NOT_LANGUAGES = frozenset({"und", "zxx"})
# CLDR territory codes that are not countries anyone holds nationality of: groupings,
# reserved or exceptional codes and pseudo-locales.
_NOT_COUNTRIES = frozenset(
    {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
)


def babel_locale(lang: str) -> Locale:
    """The Babel locale for a UI language code ("fa-AF" -> fa_AF)."""
    return Locale.parse(lang.replace("-", "_"))


def _to_tag(cldr_key: str) -> str:
    return cldr_key.replace("_", "-")


@cache
def language_codes() -> frozenset[str]:
    """Every language code an answer may hold."""
    keys = babel_locale("en").languages.keys()
    return frozenset(_to_tag(key) for key in keys if key not in _NOT_LANGUAGES)


@cache
def country_codes() -> frozenset[str]:
    """Every country code an answer may hold."""
    keys = babel_locale("en").territories.keys()
    return frozenset(
        key for key in keys if len(key) == 2 and key.isalpha() and key not in _NOT_COUNTRIES
    )


def language_name(code: str, ui_lang: str) -> str:
    """The name of language `code` in `ui_lang`, falling back to English, then the code."""
    key = code.replace("-", "_")
    return _names_languages(ui_lang).get(key) or _names_languages("en").get(key) or code


def country_name(code: str, ui_lang: str) -> str:
    """The name of country `code` in `ui_lang`, falling back to English, then the code."""
    return _names_territories(ui_lang).get(code) or _names_territories("en").get(code) or code


@cache
def language_choices(ui_lang: str) -> tuple[tuple[str, str], ...]:
    """(code, name in `ui_lang`) for every language code, sorted by name."""
    own = _names_languages(ui_lang)
    return _sorted(
        [(code, language_name(code, ui_lang)) for code in language_codes()],
        lambda code: code.replace("-", "_") in own,
    )


@cache
def country_choices(ui_lang: str) -> tuple[tuple[str, str], ...]:
    """(code, name in `ui_lang`) for every country code, sorted by name."""
    own = _names_territories(ui_lang)
    return _sorted(
        [(code, country_name(code, ui_lang)) for code in country_codes()], lambda c: c in own
    )


def _sorted(
    pairs: list[tuple[str, str]], named_here: Callable[[str], bool]
) -> tuple[tuple[str, str], ...]:
    # Names the locale has come first; English fallbacks after them, so a Dari or Thai list
    # does not open with a block of Latin-script names.
    return tuple(
        sorted(pairs, key=lambda pair: (not named_here(pair[0]), pair[1].casefold(), pair[0]))
    )


@cache
def _names_languages(ui_lang: str) -> dict[str, str]:
    return dict(babel_locale(ui_lang).languages)


@cache
def _names_territories(ui_lang: str) -> dict[str, str]:
    return dict(babel_locale(ui_lang).territories)

"""The current user-interface language, message lookup, and language-change listeners.

`_("Saved at {time}", time=t)` translates first, then fills the named fields with `str.format`.
Qt-free: the Qt adapter in `intake_app.i18n.qt` listens here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from intake_app.i18n.catalogs import BadTranslation, CatalogShelf, MessageLookup
from intake_app.i18n.languages import (
    LANGUAGE_CODES,
    PSEUDO_LANGUAGE,
    SOURCE_LANGUAGE,
    Language,
    babel_locale_of,
    direction_of,
    directory_of,
    english_name_of,
    native_name_of,
    normalize_code,
)
from intake_app.i18n.pseudo import PseudoCatalog

LanguageListener = Callable[[str], None]

_lock = threading.Lock()
_shelf: CatalogShelf | None = None
_current = SOURCE_LANGUAGE
_lookup: MessageLookup | None = None  # None: the English source, no lookup at all
_listeners: list[LanguageListener] = []


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def _shelf_in_use() -> CatalogShelf:
    global _shelf
    if _shelf is None:
        _shelf = CatalogShelf()
    return _shelf


def _lookup_for(code: str) -> MessageLookup | None:
    if code == PSEUDO_LANGUAGE:
        return PseudoCatalog()
    directory = directory_of(code)
    if code == SOURCE_LANGUAGE or directory is None:
        return None
    return _shelf_in_use().catalog(directory)


def gettext(message: str, /, **fields: object) -> str:
    """Translate `message` into the current language and fill its named `{fields}`."""
    lookup = _lookup
    text = lookup.gettext(message) if lookup is not None else message
    return text.format(**fields) if fields else text


_ = gettext


def gettext_in(code: str, message: str, /, **fields: object) -> str:
    """Translate `message` (marked with `N_`) into the language `code`, whatever the current
    one is: a file's headers in the language chosen for it, not the window's."""
    lookup = _lookup_for(normalize_code(code))
    text = lookup.gettext(message) if lookup is not None else message
    return text.format(**fields) if fields else text


def pgettext(context: str, message: str, /, **fields: object) -> str:
    """Like `gettext`, for a short text whose meaning depends on `context` ("Open" the verb)."""
    lookup = _lookup
    text = lookup.pgettext(context, message) if lookup is not None else message
    return text.format(**fields) if fields else text


def ngettext(singular: str, plural: str, n: int, /, **fields: object) -> str:
    """Translate with a plural form chosen by `n`; `{n}` is always available, written as
    `format_number` writes it (the language's digits: "۲ مصاحبه" in Dari)."""
    from intake_app.i18n.formatting import format_number  # which imports this module

    lookup = _lookup
    if lookup is not None:
        text = lookup.ngettext(singular, plural, n)
    else:
        text = singular if n == 1 else plural
    return text.format(n=format_number(n), **fields)


def current_language() -> str:
    """The app-level code of the current language ("fi", "fa-AF")."""
    return _current


def set_language(code: str) -> None:
    """Switch the user-interface language and tell every listener; ValueError if unknown."""
    global _current, _lookup
    code = normalize_code(code)
    with _lock:
        if code == _current:
            return
        lookup = _lookup_for(code)  # load first: a failed load leaves the old language
        _current, _lookup = code, lookup
    _notify(code)


def _notify(code: str) -> None:
    # Every listener hears of the change even if one fails; the first failure is raised after.
    failure: BaseException | None = None
    for listener in list(_listeners):
        try:
            listener(code)
        except Exception as error:
            failure = failure or error
    if failure is not None:
        raise failure


def add_language_listener(listener: LanguageListener) -> None:
    """Call `listener(code)` after each language change (in the thread that changed it)."""
    if listener not in _listeners:
        _listeners.append(listener)


def remove_language_listener(listener: LanguageListener) -> None:
    """Stop calling `listener`; doing nothing if it was not added."""
    if listener in _listeners:
        _listeners.remove(listener)


def use_translations_folder(folder: Path | None) -> None:
    """Read catalogs from `folder` (None: the default one) and reload the current language."""
    global _shelf, _lookup
    with _lock:
        _shelf = CatalogShelf(folder)
        _lookup = _lookup_for(_current)


def translations_folder() -> Path:
    """The translations folder catalogs are read from."""
    return _shelf_in_use().folder


def language(code: str) -> Language:
    """The full record for a language, with draft flag and completeness from its catalog."""
    code = normalize_code(code)
    directory = directory_of(code)
    if directory is None:  # the pseudo-language: everything is "translated", nothing reviewed
        draft, completeness = True, 1.0
    elif code == SOURCE_LANGUAGE:
        draft, completeness = False, 1.0
    else:
        report = _shelf_in_use().report(directory)
        draft, completeness = report.draft, report.completeness
    return Language(
        code=code,
        babel_locale=babel_locale_of(code),
        directory=directory,
        native_name=native_name_of(code),
        english_name=english_name_of(code),
        direction=direction_of(code),
        draft=draft,
        completeness=completeness,
    )


def available_languages(*, include_pseudo: bool = False) -> list[Language]:
    """The ten user-interface languages in picker order (plus "qps" for development if asked)."""
    codes = (*LANGUAGE_CODES, PSEUDO_LANGUAGE) if include_pseudo else LANGUAGE_CODES
    return [language(code) for code in codes]


def bad_translations(code: str) -> list[BadTranslation]:
    """The translations of a language that are not shown because their `{fields}` differ."""
    directory = directory_of(code)
    if directory is None:
        return []
    return list(_shelf_in_use().report(directory).bad)

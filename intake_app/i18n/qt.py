"""The Qt side of live language switching: Qt's own translations, layout direction, re-translation.

Every widget that shows text implements `retranslate()` (sets all its texts with `_()`) and
registers itself; a language change calls `retranslate()` on every registered widget still alive.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Protocol, runtime_checkable

import shiboken6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from intake_app.i18n.core import add_language_listener, current_language, remove_language_listener
from intake_app.i18n.languages import babel_locale_of, direction_of, normalize_code

# Qt ships "qtbase_<lang>.qm" for some of our languages only (none for so, th, vi in Qt 6.x);
# Dari uses the Persian file through QLocale's fallback from fa_AF to fa.
QT_CATALOG = "qtbase"


@runtime_checkable
class Retranslatable(Protocol):
    """A widget that sets all of its visible texts again in the current language."""

    def retranslate(self) -> None: ...


class RetranslateRegistry:
    """The live widgets to re-translate; held weakly so closed windows drop out."""

    def __init__(self) -> None:
        self._widgets: list[weakref.ref[Retranslatable]] = []

    def register(self, widget: Retranslatable) -> None:
        """Re-translate `widget` on every language change until it is gone."""
        if widget not in self.live():
            self._widgets.append(weakref.ref(widget))

    def unregister(self, widget: Retranslatable) -> None:
        """Stop re-translating `widget`."""
        self._widgets = [ref for ref in self._widgets if ref() not in (None, widget)]

    def live(self) -> list[Retranslatable]:
        """The registered widgets whose Python and C++ objects both still exist."""
        alive: list[Retranslatable] = []
        kept: list[weakref.ref[Retranslatable]] = []
        for ref in self._widgets:
            widget = ref()
            if widget is None or not shiboken6.isValid(widget):
                continue
            alive.append(widget)
            kept.append(ref)
        self._widgets = kept
        return alive

    def retranslate_all(self) -> int:
        """Call `retranslate()` on every live widget, in the order they registered; the count."""
        widgets = self.live()
        for widget in widgets:
            widget.retranslate()
        return len(widgets)


registry = RetranslateRegistry()


def register(widget: Retranslatable) -> None:
    """Register `widget` with the application-wide registry and translate it now."""
    registry.register(widget)
    widget.retranslate()


def qt_translations_path() -> str:
    """The folder of the `.qm` files that ship with the installed Qt."""
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


# Qt reads a bare "ar" as Egypt's Arabic (Arabic-Indic digits); Babel's "ar" is CLDR's generic
# Arabic, Latin digits and Monday first, which Qt calls "ar_001". Both must write the same digits.
_QT_NAMES = {"ar": "ar_001"}


def qt_locale(code: str) -> QLocale:
    """The QLocale for an app-level code, with the digits Babel writes for it (the
    pseudo-language uses English)."""
    name = babel_locale_of(code)
    return QLocale(_QT_NAMES.get(name, name))


def load_qt_translator(code: str) -> QTranslator | None:
    """Qt's own translation (standard buttons, dialogs) for `code`, or None if Qt has none."""
    translator = QTranslator()
    if translator.load(qt_locale(code), QT_CATALOG, "_", qt_translations_path()):
        return translator
    return None


def layout_direction(code: str) -> Qt.LayoutDirection:
    """RightToLeft for Arabic and Dari, LeftToRight otherwise."""
    if direction_of(code) == "rtl":
        return Qt.LayoutDirection.RightToLeft
    return Qt.LayoutDirection.LeftToRight


_installed: dict[int, QTranslator] = {}


def apply_language(app: QCoreApplication, code: str) -> bool:
    """Install Qt's translation for `code`, set the default QLocale and the layout direction.

    Returns whether Qt has its own translation for the language.
    """
    code = normalize_code(code)
    previous = _installed.pop(id(app), None)
    if previous is not None:
        app.removeTranslator(previous)
    translator = load_qt_translator(code)
    if translator is not None:
        app.installTranslator(translator)
        _installed[id(app)] = translator  # keep it alive as long as it is installed
    QLocale.setDefault(qt_locale(code))
    if isinstance(app, QApplication):
        app.setLayoutDirection(layout_direction(code))
    return translator is not None


def bind_application(
    app: QCoreApplication, widgets: RetranslateRegistry = registry
) -> Callable[[], None]:
    """Follow `set_language` with `app` and `widgets` from now on; returns a function that stops it.

    The current language is applied at once.
    """

    def on_language_changed(code: str) -> None:
        apply_language(app, code)
        widgets.retranslate_all()

    apply_language(app, current_language())
    add_language_listener(on_language_changed)
    return lambda: remove_language_listener(on_language_changed)

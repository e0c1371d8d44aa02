"""The Qt adapter: Qt's own translations, layout direction, and live re-translation."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # Qt must see the platform first

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from intake_app.i18n import LANGUAGE_CODES, _, set_language
from intake_app.i18n.qt import (
    Retranslatable,
    RetranslateRegistry,
    apply_language,
    bind_application,
    load_qt_translator,
)

LOCKED = "The vault is locked. Unlock it to continue."


class LockedLabel(QLabel):
    """A label that shows one known message in the current language."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def retranslate(self) -> None:
        self.calls += 1
        self.setText(_(LOCKED))


@pytest.fixture
def bound(qapp: QApplication) -> Iterator[RetranslateRegistry]:
    widgets = RetranslateRegistry()
    unbind = bind_application(qapp, widgets)
    yield widgets
    unbind()
    apply_language(qapp, "en")


def test_qt_ships_its_own_translations_for_seven_of_the_ten() -> None:
    available = {code: load_qt_translator(code) is not None for code in LANGUAGE_CODES}
    print("Qt's own translations:", available)
    # Dari gets Qt's Persian file through QLocale's fallback from fa_AF to fa.
    assert {code for code, found in available.items() if found} >= {"fi", "sv", "ar", "fa-AF"}


def test_standard_buttons_follow_the_language(bound: RetranslateRegistry) -> None:
    set_language("fi")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Peru"
    set_language("sv")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Avbryt"
    set_language("th")  # Qt has no Thai file: its own strings stay English
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


@pytest.mark.parametrize("code", ["ar", "fa-AF"])
def test_rtl_languages_flip_the_layout(
    qapp: QApplication, bound: RetranslateRegistry, code: str
) -> None:
    set_language(code)
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert QLocale().textDirection() == Qt.LayoutDirection.RightToLeft
    set_language("fi")
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert QLocale().name() == "fi_FI"


def test_live_widgets_are_retranslated_and_closed_ones_drop_out(
    qapp: QApplication, bound: RetranslateRegistry
) -> None:
    kept, closed, dropped = LockedLabel(), LockedLabel(), LockedLabel()
    typed = QLineEdit()
    typed.setText("kept as typed")
    assert isinstance(kept, Retranslatable)
    bound.register(kept)
    bound.register(closed)
    bound.register(kept)  # twice is once
    bound.register(dropped)
    del dropped  # the last Python reference: the registry must not keep it alive
    closed.deleteLater()  # what a window closed with WA_DeleteOnClose goes through
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert bound.live() == [kept]

    set_language("qps")
    assert kept.text().startswith("[") and kept.calls == 1
    set_language("en")
    assert kept.text() == LOCKED and kept.calls == 2
    assert typed.text() == "kept as typed"
    bound.unregister(kept)
    set_language("fi")
    assert kept.calls == 2

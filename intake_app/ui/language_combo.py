"""A compact language picker (unlock screen, settings): each language by its own name.

Only the current language's name is looked up at first; the whole list (with each catalog's
draft state and completeness, which means reading every catalog) is filled when the person
first opens the picker, so that the unlock screen appears quickly.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QWidget

from intake_app.i18n import LANGUAGE_CODES, _, available_languages, current_language
from intake_app.i18n.languages import native_name_of
from intake_app.i18n.qt import register
from intake_app.ui.language_list import language_label


class LanguageCombo(QComboBox):
    """Emits `chosen(code)` when the person picks another language."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("language_combo")
        self._filled = False
        for code in LANGUAGE_CODES:
            self.addItem("", code)
        self.select(current_language())
        self.activated.connect(lambda row: self.chosen.emit(str(self.itemData(row))))
        register(self)

    def retranslate(self) -> None:
        """Set the item texts; keeps the selection."""
        self.setAccessibleName(_("Language"))
        self.setToolTip(_("Language of the application"))
        if self._filled:
            self._fill()
        else:
            current = current_language()
            row = self.findData(current)
            if row >= 0:
                self.setItemText(row, native_name_of(current))
        self.select(current_language())

    def _fill(self) -> None:
        self._filled = True
        for lang in available_languages():
            row = self.findData(lang.code)
            self.setItemText(row, language_label(lang.native_name, lang.draft, lang.completeness))

    def showPopup(self) -> None:
        if not self._filled:
            self._fill()
        super().showPopup()

    def focusInEvent(self, event: QFocusEvent) -> None:
        # Keyboard users change the language with the arrow keys without opening the list.
        if not self._filled:
            self._fill()
        super().focusInEvent(event)

    def select(self, code: str) -> None:
        """Show `code` as the current item without emitting `chosen`."""
        row = self.findData(code)
        if row >= 0:
            self.setCurrentIndex(row)

    def code(self) -> str:
        """The selected language code."""
        return str(self.currentData())

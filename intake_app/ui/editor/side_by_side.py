"""Side by side for interpreters: each question also in a second language, under the worker's.

The bar at the top of the editor switches it on and picks the language; `SecondLine` is the
line under a label, laid out in the second language's own direction. The interpreter reads it
out, so it is as large as the body text and in the normal text colour (it used to be smaller and
light grey, hard to read in a car or a dim room).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QWidget

from intake_app.domain.form import Form
from intake_app.i18n import _
from intake_app.i18n.formatting import language_name
from intake_app.i18n.qt import layout_direction, register
from intake_app.ui.common import wrap_text


class SecondLine(QLabel):
    """A line with a text in another language, at the body's size and colour; hidden while it
    has no text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("second_language_line")
        wrap_text(self)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # AlignLeft is mirrored by Qt for a right-to-left widget: Arabic lines up on the right.
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_text(self, text: str, lang: str | None) -> None:
        """Show `text` written in `lang` ("" or no language hides the line)."""
        if lang is not None:
            self.setLayoutDirection(layout_direction(lang))
        self.setText(text if lang is not None else "")
        self.setVisible(bool(text) and lang is not None)


def second_text(labels_text: str, first_text: str) -> str:
    """The second-language text, or "" when it says the same as the first (nothing to add)."""
    return "" if labels_text == first_text else labels_text


class SideBySideBar(QWidget):
    """The "Show questions also in: [language]" bar; `changed(code)`, "" when switched off;
    `chosen()` when the worker switched it or picked a language (not when it followed the
    interview language)."""

    changed = Signal(str)
    chosen = Signal()

    def __init__(self, form: Form, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("side_by_side")
        self.toggle = QCheckBox(self)
        self.toggle.setObjectName("side_by_side_toggle")
        self.picker = QComboBox(self)
        self.picker.setObjectName("side_by_side_language")
        self.picker_label = QLabel(self)  # the picker's name (Qt names it by its current text)
        self.picker_label.setBuddy(self.picker)
        for code in form.languages:
            self.picker.addItem(code, code)
        self._picked_by_hand = False
        self.toggle.toggled.connect(lambda _on: self._emit())
        self.toggle.clicked.connect(lambda _on: self.chosen.emit())
        self.picker.activated.connect(self._picked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.picker_label)
        layout.addWidget(self.picker)
        layout.addStretch(1)
        register(self)

    def retranslate(self) -> None:
        """Set every text: the language names in the current UI language."""
        self.toggle.setText(_("Show questions also in a second language"))
        self.picker_label.setText(_("Second language of the questions"))
        self.toggle.setAccessibleName(_("Show questions also in a second language"))
        self.picker.setAccessibleName(_("Second language of the questions"))
        for row in range(self.picker.count()):
            self.picker.setItemText(row, language_name(str(self.picker.itemData(row))))

    def _picked(self, _row: int) -> None:
        self._picked_by_hand = True
        self._emit()
        self.chosen.emit()

    def _emit(self) -> None:
        self.changed.emit(self.language() or "")

    def language(self) -> str | None:
        """The second language while switched on, else None."""
        if not self.toggle.isChecked() or self.picker.currentIndex() < 0:
            return None
        return str(self.picker.currentData())

    def picked(self) -> str | None:
        """The language in the picker, switched on or not."""
        return str(self.picker.currentData()) if self.picker.currentIndex() >= 0 else None

    def set_language(self, code: str) -> None:
        """Pick `code` (if the form has it) and emit `changed` when that changes what shows."""
        row = self.picker.findData(code)
        if row >= 0 and row != self.picker.currentIndex():
            self.picker.setCurrentIndex(row)
            if self.toggle.isChecked():
                self._emit()

    def follow_interview_language(self, code: object) -> None:
        """Default to the interview language until the worker picks one by hand."""
        if isinstance(code, str) and not self._picked_by_hand:
            self.set_language(code)

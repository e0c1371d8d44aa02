"""A compact language picker (unlock screen, settings): each language by its own name.

Only the current language's name is looked up at first; the whole list (with each catalog's
draft state and completeness, which means reading every catalog) is filled when the person
first opens the picker, so that the unlock screen appears quickly.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

from intake_app.i18n import LANGUAGE_CODES, _, available_languages, current_language
from intake_app.i18n.languages import native_name_of
from intake_app.i18n.qt import register
from intake_app.ui.language_list import language_label

NAME_ROLE = Qt.ItemDataRole.UserRole + 1  # the language's own name, shown in the closed box


class LanguageCombo(QComboBox):
    """Emits `chosen(code)` when the person picks another language.

    The closed box shows the language's own name, always whole (it is sized for the longest
    name); the open list shows each language with its translation state.
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, labelled: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("language_combo")
        self._filled = False
        # Its purpose for screen readers: Qt names a combo box by its current text ("English"),
        # so a label (its buddy) says "Language"; `labelled` makes one (else the screen has it).
        self.label: QLabel | None = None
        if labelled:
            self.label = QLabel(parent)
            self.label.setBuddy(self)
        for code in LANGUAGE_CODES:
            self.addItem("", code)
            self.setItemData(self.count() - 1, native_name_of(code), NAME_ROLE)
        self.select(current_language())
        self.activated.connect(lambda row: self.chosen.emit(str(self.itemData(row))))
        register(self)

    def retranslate(self) -> None:
        """Set the item texts; keeps the selection."""
        self.setAccessibleName(_("Language"))
        if self.label is not None:
            self.label.setText(_("Language"))
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
        # The open list is as wide as its longest line, whatever the closed box's width.
        metrics = self.view().fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(self.itemText(r)) for r in range(self.count())), default=0
        )
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        self.view().setMinimumWidth(widest + bar + 4 * metrics.averageCharWidth())

    def shown_text(self) -> str:
        """What the closed box shows: the current language's own name."""
        return str(self.currentData(NAME_ROLE) or self.currentText())

    def _option(self, text: str) -> QStyleOptionComboBox:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = text
        return option

    def sizeHint(self) -> QSize:
        """Room for the longest of the languages' own names (the closed box shows one)."""
        names = [str(self.itemData(row, NAME_ROLE) or "") for row in range(self.count())]
        metrics = self.fontMetrics()
        width = max((metrics.horizontalAdvance(name) for name in names), default=0)
        content = QSize(width + metrics.averageCharWidth(), metrics.height())
        return self.style().sizeFromContents(
            QStyle.ContentsType.CT_ComboBox, self._option(""), content, self
        )

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = self._option(self.shown_text())
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

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

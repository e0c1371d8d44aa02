"""A list of the user-interface languages, each by its own name, marking draft translations."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from intake_app.i18n import _, available_languages, current_language
from intake_app.i18n.formatting import format_number
from intake_app.i18n.qt import register

CODE_ROLE = Qt.ItemDataRole.UserRole


def language_label(native_name: str, draft: bool, completeness: float) -> str:
    """ "suomi" or "Soomaali — draft translation, 80 %" (the remark in the current language)."""
    if not draft:
        return native_name
    return _(
        "{language} — draft translation, {percent} %",
        language=native_name,
        percent=format_number(round(completeness * 100)),
    )


class LanguageList(QListWidget):
    """Pick a language by clicking or with the arrow keys; `chosen(code)` follows the selection."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("language_list")
        for lang in available_languages():
            item = QListWidgetItem(self)
            item.setData(CODE_ROLE, lang.code)
        self.select(current_language())
        self.currentItemChanged.connect(self._changed)
        register(self)

    def retranslate(self) -> None:
        """Set the item texts (the draft remark is in the current language)."""
        self.setAccessibleName(_("Language"))
        for row, lang in enumerate(available_languages()):
            item = self.item(row)
            item.setText(language_label(lang.native_name, lang.draft, lang.completeness))
            # Each name reads in its own direction whatever the surrounding layout is.
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole, f"{lang.native_name} ({lang.english_name})"
            )

    def select(self, code: str) -> None:
        """Select the row of `code` without emitting `chosen`."""
        self.blockSignals(True)
        for row in range(self.count()):
            if self.item(row).data(CODE_ROLE) == code:
                self.setCurrentRow(row)
        self.blockSignals(False)

    def _changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.chosen.emit(str(item.data(CODE_ROLE)))

"""A read-only list of rows in columns, as the settings' pages show them (form versions, what
is removed when): keyboard-reachable, never squeezed below a few rows, and refilled whole (a
new language, new data) with the same row staying current."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)


class RowList(QTreeWidget):
    """Rows of texts; every column but the last as wide as its contents, the last stretched."""

    def __init__(
        self, name: str, columns: int, visible_rows: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setColumnCount(columns)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.header()
        header.setStretchLastSection(True)
        for column in range(columns - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._visible_rows = visible_rows
        self._keys: list[Hashable] = []

    def minimumSizeHint(self) -> QSize:
        """Room for the headers and a few rows at the current text size."""
        hint = super().minimumSizeHint()
        rows = self.fontMetrics().height() * (self._visible_rows + 1) * 3 // 2
        return QSize(hint.width(), max(hint.height(), rows))

    def refill(self, rows: Iterable[tuple[Hashable, Sequence[str]]]) -> None:
        """Show these rows (a key and the column texts each) in place of the earlier ones; the
        row whose key was current stays current."""
        row = self.currentIndex().row()
        current = self._keys[row] if 0 <= row < len(self._keys) else None
        self.clear()
        self._keys = []
        for key, texts in rows:
            item = QTreeWidgetItem(list(texts))
            self.addTopLevelItem(item)
            self._keys.append(key)
            if current is not None and key == current:
                self.setCurrentItem(item)

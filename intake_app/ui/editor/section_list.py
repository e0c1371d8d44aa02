"""The list of sections at the side of the editor, which keeps the current section in view."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

Index = QModelIndex | QPersistentModelIndex


class SectionList(QListView):
    """A list view whose current row is always wholly on screen.

    Qt scrolls to a row only when it becomes current while the list is shown. The row can
    still slip out of sight afterwards: it grows when its status line appears ("2 files"
    under "Attachments"), a row above it grows, the window gets smaller, or a taller script
    (Thai) wraps differently. So the list scrolls to its current row again after each of these,
    once the rows have their new heights.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reveal = QTimer(self)
        self._reveal.setSingleShot(True)
        self._reveal.setInterval(0)  # after Qt has laid the rows out again
        self._reveal.timeout.connect(self.reveal_current)

    def reveal_current(self) -> None:
        """Scroll just enough to show the whole current row (nothing when there is none)."""
        current = self.currentIndex()
        if current.isValid() and self.isVisible():
            self.scrollTo(current, QAbstractItemView.ScrollHint.EnsureVisible)

    def currentChanged(self, current: Index, previous: Index) -> None:
        super().currentChanged(current, previous)
        self._reveal.start()

    def dataChanged(self, topLeft: Index, bottomRight: Index, roles: Sequence[int] = ()) -> None:
        super().dataChanged(topLeft, bottomRight, list(roles))
        self._reveal.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reveal.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._reveal.start()

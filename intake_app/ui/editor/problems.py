"""The list of problems that stop an interview from being finished; a click goes to one."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from intake_app.domain.form import Form
from intake_app.domain.issues import Issue
from intake_app.i18n import _, ngettext
from intake_app.i18n.qt import register
from intake_app.ui.common import wrap_text
from intake_app.ui.editor.question_row import Key

KEY_ROLE = Qt.ItemDataRole.UserRole


class _ProblemItems(QListWidget):
    """The list asks for three rows (it scrolls; up to its maximum when there is room)."""

    def sizeHint(self) -> QSize:
        rows = self.fontMetrics().lineSpacing() * 3 + 2 * self.frameWidth() + 8
        return QSize(super().sizeHint().width(), min(rows, self.maximumHeight()))


class ProblemList(QWidget):
    """Hidden until "Finish interview" finds problems; `jump(key)` goes to a question."""

    jump = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        wrap_text(self.title)
        self.title.setStyleSheet("color: #b00020; font-weight: bold;")
        self.list = _ProblemItems(self)
        self.list.setObjectName("problems")
        self.list.setMaximumHeight(160)
        # Two rows at least (it scrolls): on a small laptop screen the questions need the room.
        rows = self.list.fontMetrics().lineSpacing() * 2 + 2 * self.list.frameWidth() + 4
        self.list.setMinimumHeight(rows)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        self.hide()
        register(self)

    def retranslate(self) -> None:
        """The list's name for screen readers (the items are re-made on the next check)."""
        self.list.setAccessibleName(_("Problems to fix"))

    def show_issues(self, issues: Sequence[Issue], form: Form, lang: str) -> None:
        """List the issues (empty: hide the list)."""
        self.list.clear()
        for issue in issues:
            question = form.question(issue.question or "")
            label = question.label(lang) if question is not None else None
            item = QListWidgetItem(issue.translated(label))
            key: Key = (issue.question or "", issue.item)
            item.setData(KEY_ROLE, key)
            self.list.addItem(item)
        self.title.setText(
            ngettext(
                "{n} thing must be fixed before the interview can be finished:",
                "{n} things must be fixed before the interview can be finished:",
                len(issues),
            )
        )
        self.setVisible(bool(issues))

    def _activated(self, item: QListWidgetItem) -> None:
        self.jump.emit(tuple(item.data(KEY_ROLE)))

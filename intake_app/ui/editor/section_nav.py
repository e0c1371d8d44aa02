"""The list of sections at the side of the editor, with how complete each one is."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from intake_app.domain.form import Form
from intake_app.domain.progress import SectionProgress
from intake_app.i18n import _, current_language, ngettext
from intake_app.i18n.formatting import format_number

Index = QModelIndex | QPersistentModelIndex
SECTION_ROLE = Qt.ItemDataRole.UserRole
OPEN_ROLE = Qt.ItemDataRole.UserRole + 1
ATTACHMENTS = "__attachments__"


class SectionNavModel(QAbstractListModel):
    """One row per section, then one for the attachments; closed sections are disabled."""

    def __init__(self, form: Form, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._form = form
        self._sections = [question.name for question in form.questions]
        self._progress: dict[str, SectionProgress] = {}
        self._attachments = 0

    def section_at(self, row: int) -> str:
        """The section name of a row (ATTACHMENTS for the last one)."""
        return self._sections[row] if row < len(self._sections) else ATTACHMENTS

    def row_of(self, section: str) -> int:
        """The row showing `section`."""
        return self._sections.index(section) if section in self._sections else len(self._sections)

    def set_progress(self, progress: list[SectionProgress], attachments: int) -> None:
        """New completeness figures; only rows whose text changed are updated."""
        new = {p.section: p for p in progress}
        changed = [
            row
            for row, name in enumerate(self._sections)
            if new.get(name) != self._progress.get(name)
        ]
        self._progress = new
        if attachments != self._attachments:
            self._attachments = attachments
            changed.append(len(self._sections))
        for row in changed:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def is_open(self, section: str) -> bool:
        """False while the consent a section needs is missing."""
        progress = self._progress.get(section)
        return progress is None or progress.open

    def retranslate(self) -> None:
        """Section titles and progress words in the current language."""
        if self._sections:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 0))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sections) + 1

    def _title(self, row: int) -> str:
        if row == len(self._sections):
            return _("Attachments")
        question = self._form.question(self._sections[row])
        return question.label(current_language()) if question is not None else ""

    def _status(self, row: int) -> str:
        if row == len(self._sections):
            if not self._attachments:
                return ""
            return ngettext("{n} file", "{n} files", self._attachments)
        progress = self._progress.get(self._sections[row])
        if progress is None:
            return ""
        if not progress.open:
            return _("needs consent")
        if progress.required == 0:
            return ""
        if progress.complete:
            return _("✓ complete")
        return _(
            "{done} of {total} required",
            done=format_number(progress.answered_required),
            total=format_number(progress.required),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            status = self._status(row)
            return self._title(row) + ("\n" + status if status else "")
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            status = self._status(row)
            return self._title(row) + (": " + status if status else "")
        if role == SECTION_ROLE:
            return self.section_at(row)
        if role == OPEN_ROLE:
            return self.is_open(self.section_at(row))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemNeverHasChildren
        if self.is_open(self.section_at(index.row())):
            flags |= Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags

"""Record conflicts (bundle-format.md "Record conflicts"): the administrator chooses a version.

A bundle carrying a revision the centre already holds with other answers is held as
`record-conflict`. This view lists those revisions and, for the one selected, shows both
versions answer by answer: question, the centre's answer, the laptop's answer, with a "≠" and
bold text (not colour alone) where they differ. The administrator keeps one of them, after one
question naming the interview; the other stays in the interview's history, set aside, with who
chose and when. The choice runs on the centre's vault thread; the lists are read again after.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import N_, _, current_language, ngettext
from intake_app.i18n.formatting import isolate
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.sync.centre import (
    AnswerPair,
    OpenConflict,
    Resolution,
    kept_text,
    laptop_words,
    short_id,
    when,
)
from intake_app.sync.format import escape_hidden
from intake_app.ui.admin.rows_model import Column, Index, RowsModel, make_table
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import MessageLine, wrap_text
from intake_app.ui.tasks import when_done

DIFFERS = "≠"
CENTRE = "centre"
LAPTOP = "laptop"


def interview_name(conflict: OpenConflict) -> str:
    """The interview as the centre knows it: its alias (the centre's version, else the
    laptop's), else the first block of its id; hidden characters escaped, never markup."""
    for document in (conflict.centre_document, conflict.laptop_document):
        answers = document.get("answers") if document is not None else None
        alias = answers.get("alias") if isinstance(answers, dict) else None
        if isinstance(alias, str) and alias.strip():
            return escape_hidden(alias.strip())
    return isolate(short_id(conflict.record_id))


class ConflictRows(RowsModel):
    """The open conflicts; the laptops' names come from the registry when it is read."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__((
            Column(N_("Interview"), interview_name),
            Column(N_("Revision"), lambda c: str(c.revision)),
            Column(N_("Laptop"), lambda c: laptop_words(c.device_id, self.names.get(c.device_id))),
            Column(N_("Held since"), lambda c: when(c.held)),
            Column(N_("Chosen already"),
                   lambda c: "" if c.chosen is None else kept_text(c.chosen.kept.value)),
        ), parent)
        self.names: dict[str, str] = {}


def _mark(pair: AnswerPair) -> str:
    return DIFFERS if pair.differs else ""


PAIR_COLUMNS = (
    Column(DIFFERS, _mark, translated=True),
    Column(N_("Question"), lambda p: p.label),
    Column(N_("At the centre"), lambda p: p.centre),
    Column(N_("From the laptop"), lambda p: p.laptop),
)


class PairRows(RowsModel):
    """Both versions answer by answer; a differing row has "≠", bold text, and says "differs"
    to a screen reader."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.row() < self.rowCount():
            pair: AnswerPair = self.row_object(index.row())
            if role == Qt.ItemDataRole.FontRole and pair.differs:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == 0:
                return _("Differs") if pair.differs else _("Same")
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        return super().data(index, role)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and section == 0
                and role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole)):
            return _("Differs")
        return super().headerData(section, orientation, role)


class ConflictsView(QWidget):
    """The open record conflicts and, for the selected one, both versions side by side.
    Emits `changed` after a choice (the bundle may have been imported)."""

    changed = Signal()
    counted = Signal(int)  # how many conflicts are open, after each reading

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._busy = False
        self.title = wrap_text(QLabel(self))
        self.model = ConflictRows(self)
        self.table = make_table(self, self.model, single=True)
        self.title.setBuddy(self.table)
        self.compare_title = wrap_text(QLabel(self))
        self.compare_title.setTextFormat(Qt.TextFormat.PlainText)
        self.summary = wrap_text(QLabel(self))
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.pairs = PairRows(PAIR_COLUMNS, self)
        self.compare = make_table(self, self.pairs)
        self.compare.setWordWrap(True)
        self.compare.setSelectionMode(self.compare.SelectionMode.NoSelection)
        self.compare.verticalHeader().hide()
        header = self.compare.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for section in (1, 2, 3):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.Stretch)
        self.compare_title.setBuddy(self.compare)
        self.keep_centre = QPushButton(self)
        self.keep_laptop = QPushButton(self)
        self.message = MessageLine(self, error=False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_centre)
        buttons.addWidget(self.keep_laptop)
        buttons.addStretch(1)

        top = QWidget(self)
        upper = QVBoxLayout(top)
        upper.setContentsMargins(0, 0, 0, 0)
        upper.addWidget(self.title)
        upper.addWidget(self.table, 1)
        bottom = QWidget(self)
        lower = QVBoxLayout(bottom)
        lower.setContentsMargins(0, 0, 0, 0)
        lower.addWidget(self.compare_title)
        lower.addWidget(self.summary)
        lower.addWidget(self.compare, 1)
        lower.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        column = QVBoxLayout(self)
        column.addWidget(self.message)
        column.addWidget(splitter, 1)

        self.keep_centre.clicked.connect(lambda: self.keep(CENTRE))
        self.keep_laptop.clicked.connect(lambda: self.keep(LAPTOP))
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.model.modelReset.connect(self._show_selected)
        self._show_selected()
        register(self)

    def retranslate(self) -> None:
        count = self.model.rowCount()
        self.title.setText(
            ngettext("&Interviews that arrived with other answers: {count}",
                     "&Interviews that arrived with other answers: {count}", count,
                     count=count) if count else _("&Interviews that arrived with other answers: "
                                                  "none"))
        self.table.setAccessibleName(_("Record conflicts waiting for a choice"))
        self.compare.setAccessibleName(_("Both versions, answer by answer"))
        self.keep_centre.setText(_("Keep the &centre's version…"))
        self.keep_centre.setAccessibleName(_("Keep the centre's version of the selected "
                                             "interview"))
        self.keep_laptop.setText(_("Keep the &laptop's version…"))
        self.keep_laptop.setAccessibleName(_("Keep the laptop's version of the selected "
                                             "interview"))
        self.model.retranslate()
        self._show_selected()

    def count(self) -> int:
        return self.model.rowCount()

    def refresh(self) -> None:
        """Read the open conflicts (and the laptops' names) again."""
        when_done(self._service.devices(), self._names, lambda _error: None, owner=self,
                  context="centre conflict laptops")
        when_done(self._service.conflicts(), self._show, self._failed, owner=self,
                  context="centre conflicts")

    def _names(self, rows: object) -> None:
        assert isinstance(rows, list)
        self.model.names = {device.device_id: device.device_name for device, _gaps in rows}
        self.model.retranslate()

    def _show(self, rows: object) -> None:
        assert isinstance(rows, list)
        before = self.selected()
        if rows != self.model.rows():
            self.model.set_rows(rows)
            self.table.resizeColumnsToContents()
            keys = [(c.record_id, c.revision, c.held_num) for c in rows]
            wanted = None if before is None else (before.record_id, before.revision,
                                                  before.held_num)
            row = keys.index(wanted) if wanted in keys else (0 if rows else -1)
            if row >= 0:
                self.select(row)
        self.retranslate()
        self.counted.emit(len(rows))

    def select(self, row: int) -> None:
        """Select the conflict in `row` (through the selection model: right to left too)."""
        selection = self.table.selectionModel()
        index = self.model.index(row, 0)
        selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect
                                  | selection.SelectionFlag.Rows)

    def _failed(self, error: KnownError) -> None:
        self._busy = False
        self.message.show_message(error.translated())
        self._update_buttons()

    def selected(self) -> OpenConflict | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        conflict: OpenConflict = self.model.row_object(rows[0].row())
        return conflict

    def _show_selected(self, *_args: Any) -> None:
        conflict = self.selected()
        pairs = [] if conflict is None else self._service.compare_versions(
            conflict, current_language())
        if pairs != self.pairs.rows():
            self.pairs.set_rows(pairs)
        else:
            self.pairs.retranslate()
        self.compare.resizeRowsToContents()
        if conflict is None:
            self.compare_title.setText(_("Both versions, answer by answer"))
            self.summary.setText(_("Select an interview above to compare its two versions."))
        else:
            self.compare_title.setText(_(
                "Interview {name}, revision {revision}, from {laptop}: both versions",
                name=interview_name(conflict), revision=conflict.revision,
                laptop=laptop_words(conflict.device_id,
                                    self.model.names.get(conflict.device_id))))
            self.summary.setText(self._summary(conflict, pairs))
        self._update_buttons()

    def _summary(self, conflict: OpenConflict, pairs: list[AnswerPair]) -> str:
        differing = sum(1 for pair in pairs if pair.differs)
        sentences = [ngettext("{count} answer differs (marked {mark} and in bold).",
                              "{count} answers differ (marked {mark} and in bold).", differing,
                              count=differing, mark=DIFFERS)]
        if conflict.centre_document is None:
            sentences.append(_("The centre's version was deleted: it holds no answers."))
        if conflict.chosen is not None:
            sentences.append(_("Chosen already: {version}. The bundle waits for a choice on its "
                               "other interviews.",
                               version=kept_text(conflict.chosen.kept.value)))
        return " ".join(sentences)

    def _update_buttons(self) -> None:
        ready = self.selected() is not None and not self._busy
        self.keep_centre.setEnabled(ready)
        self.keep_laptop.setEnabled(ready)
        self.table.setEnabled(not self._busy)

    def confirm(self, conflict: OpenConflict, keep: str) -> bool:
        """Ask once, naming the interview and saying the other version is kept."""
        name, revision = interview_name(conflict), conflict.revision
        if keep == LAPTOP:
            question = _("Make the laptop's version of interview {name} (revision {revision}) "
                         "the current one? The centre's version stays in the interview's "
                         "history, set aside, with your name and the time.",
                         name=name, revision=revision)
        else:
            question = _("Keep the centre's version of interview {name} (revision {revision}) "
                         "as the current one? The laptop's version stays in the interview's "
                         "history, set aside, with your name and the time.",
                         name=name, revision=revision)
        answer = QMessageBox.question(self, WINDOW_TITLE, question)
        return answer == QMessageBox.StandardButton.Yes

    def keep(self, keep: str) -> None:
        """Keep one version of the selected conflict, after asking, off the GUI thread."""
        conflict = self.selected()
        if conflict is None or self._busy or not self.confirm(conflict, keep):
            return
        self._busy = True
        self._update_buttons()
        self.message.show_message(_("Saving the choice…"))

        def done(resolution: object) -> None:
            assert isinstance(resolution, Resolution)
            self._busy = False
            name = interview_name(conflict)
            version = kept_text(resolution.choice.kept.value)
            if resolution.waiting:
                text = _("Interview {name}: {version} will be kept. The bundle is imported once "
                         "its other interviews have a choice.", name=name, version=version)
            else:
                text = _("Interview {name}: {version} is now current; the other stays in its "
                         "history.", name=name, version=version)
            self.message.show_message(text)
            self.refresh()
            self.changed.emit()

        def failed(error: KnownError) -> None:
            self._failed(error)
            self.refresh()

        when_done(self._service.resolve_conflict(conflict.record_id, conflict.revision, keep),
                  done, failed, owner=self, context="centre resolve conflict")

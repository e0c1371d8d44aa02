"""Imported interviews, read-only: search, each interview's revisions and where they came from.

Answers are shown by section, each question with its answer in words below it (the centre's one
renderer, as in the referral PDF and the CSV), every text escaped: nothing from an interview is
ever interpreted as rich text. The attached files are listed below the answers.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import N_, _, current_language
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService, InterviewDetails
from intake_app.sync.centre import ImportedRevision, short_id, when
from intake_app.sync.format import escape_hidden
from intake_app.ui.admin.answers_html import answers_html, direction, esc
from intake_app.ui.admin.attachments_box import AttachmentsBox
from intake_app.ui.admin.rows_model import Column, RowsModel, make_table
from intake_app.ui.common import MessageLine
from intake_app.ui.interview_model import STATUS_LABELS
from intake_app.ui.tasks import when_done

SEARCH_DELAY_MS = 250

# Why a laptop deleted an interview: the code bundle-format.md names, and "deleted", which the
# laptop sends when the reason it holds is not a code (sync.device_changes.FALLBACK_REASON).
# Unknown codes are shown as they are.
DELETION_REASONS = {
    "consent-withdrawn": N_("consent withdrawn"),
    "deleted": N_("deleted on the laptop"),
}

INTERVIEW_COLUMNS = (
    Column(N_("Alias"), lambda i: i.alias or ""),
    Column(N_("Status"), lambda i: _(STATUS_LABELS.get(i.status, i.status))),
    Column(N_("Laptop"), lambda i: short_id(i.device_id)),
    Column(N_("Revision"), lambda i: str(i.revision)),
    Column(N_("Changed"), lambda i: when(i.modified)),
    Column(N_("Received"), lambda i: when(i.imported)),
)

HISTORY_COLUMNS = (
    Column(N_("Revision"), lambda r: str(r.revision)),
    Column(N_("Laptop"), lambda r: short_id(r.device_id)),
    Column(N_("Bundle"), lambda r: str(r.seq)),
    Column(N_("File"), lambda r: escape_hidden(r.file_name or "")),
    Column(N_("Received"), lambda r: when(r.imported)),
    Column(N_("Content"), lambda r: _("kept") if r.has_content else _("removed")),
)


class InterviewsTab(QWidget):
    """Emits `shown(record id)` when an interview's details are on screen."""

    shown = Signal(str)

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.current: InterviewDetails | None = None
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.model = RowsModel(INTERVIEW_COLUMNS, self)
        self.table = make_table(self, self.model, single=True)
        self.history_model = RowsModel(HISTORY_COLUMNS, self)
        self.history = make_table(self, self.history_model, single=True)
        self.details_label = QLabel(self)
        self.answers = QTextBrowser(self)
        self.answers.setOpenLinks(False)
        self.answers.setObjectName("centre_answers")
        self.attachments = AttachmentsBox(service, self)
        self.attachments.hide()
        self.print_button = QPushButton(self)
        self.print_button.setEnabled(False)
        self.message = MessageLine(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)
        self._build()
        register(self)

    def _build(self) -> None:
        left = QWidget(self)
        left_column = QVBoxLayout(left)
        left_column.addWidget(self.search)
        left_column.addWidget(self.table)
        right = QWidget(self)
        right_column = QVBoxLayout(right)
        top = QHBoxLayout()
        top.addWidget(self.details_label, 1)
        top.addWidget(self.print_button)
        right_column.addLayout(top)
        right_column.addWidget(self.history, 1)
        right_column.addWidget(self.answers, 2)
        right_column.addWidget(self.attachments)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        column = QVBoxLayout(self)
        column.addWidget(self.message)
        column.addWidget(splitter)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.table.selectionModel().currentRowChanged.connect(self._interview_chosen)
        self.history.selectionModel().currentRowChanged.connect(self._revision_chosen)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search by alias or by words in the texts"))
        self.search.setAccessibleName(_("Search"))
        self.details_label.setText(_("Revisions and where they came from"))
        self.print_button.setText(_("Referral summary"))
        self.print_button.setAccessibleName(_("Referral summary of the selected interview"))
        self.table.setAccessibleName(_("Imported interviews"))
        self.history.setAccessibleName(_("Revisions and where they came from"))
        self.answers.setAccessibleName(_("Answers of the selected revision"))
        self.model.retranslate()
        self.history_model.retranslate()
        if self.current is not None:
            self._show_answers(self.current)

    def refresh(self) -> None:
        """List the interviews again (matching the search, if one is typed)."""
        when_done(self._service.interviews(self.search.text()), self._listed, self._failed,
                  owner=self, context="centre interviews")

    def _listed(self, interviews: object) -> None:
        assert isinstance(interviews, list)
        self.model.set_rows(interviews)
        self.table.resizeColumnsToContents()

    def _failed(self, error: KnownError) -> None:
        self.message.show_message(error.translated())

    def _interview_chosen(self, index: QModelIndex, _previous: QModelIndex) -> None:
        if index.isValid():
            self.show_interview(self.model.row_object(index.row()).id)

    def _revision_chosen(self, index: QModelIndex, _previous: QModelIndex) -> None:
        if index.isValid() and self.current is not None:
            revision: ImportedRevision = self.history_model.row_object(index.row())
            self.show_interview(self.current.record_id, revision.revision)

    def show_interview(self, record_id: str, revision: int | None = None) -> None:
        """Show an interview's history and one revision's answers (the newest by default)."""
        when_done(self._service.interview(record_id, revision, current_language()), self._shown,
                  self._failed, owner=self, context="centre interview")

    def _shown(self, shown: Any) -> None:
        assert isinstance(shown, InterviewDetails)
        same_record = self.current is not None and self.current.record_id == shown.record_id
        self.current = shown
        if not same_record:
            self.history_model.set_rows(shown.history)
            self.history.resizeColumnsToContents()
        self._show_answers(shown)
        self.attachments.set_attachments(shown.attachments)
        self.print_button.setEnabled(shown.answers is not None)
        self.shown.emit(shown.record_id)

    def _show_answers(self, shown: InterviewDetails) -> None:
        notes: list[str] = []
        if shown.answers is None:
            notes.append(_("The content of this revision was removed when the interview was "
                           "deleted."))
        for tombstone in shown.tombstones:
            notes.append(_("Deleted in revision {revision} ({reason}), received {time}.",
                           revision=tombstone.revision,
                           reason=deletion_reason_text(tombstone.reason),
                           time=when(tombstone.applied)))
        dir_ = direction()
        markup = "".join(f"<p dir='{dir_}'><i>{esc(note)}</i></p>" for note in notes)
        self.answers.setHtml(markup + answers_html(shown.answers or []))

    def clear(self) -> None:
        """Forget everything shown (on lock)."""
        self.current = None
        self.model.set_rows([])
        self.history_model.set_rows([])
        self.answers.clear()
        self.attachments.clear()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._debounce.stop()
        self.print_button.setEnabled(False)


def deletion_reason_text(code: str) -> str:
    """A tombstone's reason in words in the current language; an unknown code as it is."""
    name = DELETION_REASONS.get(code)
    return _(name) if name is not None else escape_hidden(code)


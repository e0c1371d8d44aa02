"""Imported interviews for triage: the list with risk, danger, urgent needs, referral consent,
follow-up and possible duplicates (sorted and filtered, `triage_model`), and the interview
chosen: its answers, its follow-up at the centre, the other interviews possibly of the same
person, and its revisions with where they came from.

Answers are shown by section, each question with its answer in words below it (the centre's one
renderer, as in the referral PDF and the CSV), every text escaped: nothing from an interview is
ever interpreted as rich text. The attached files are listed below the answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import N_, _, current_language
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService, InterviewDetails
from intake_app.services.centre_triage import TriageList, TriageTexts, triage
from intake_app.sync.centre import ImportedRevision, TriageRow, short_id, when
from intake_app.sync.format import escape_hidden
from intake_app.ui.admin.answers_html import answers_html, direction, esc
from intake_app.ui.admin.attachments_box import AttachmentsBox
from intake_app.ui.admin.duplicates_box import DuplicatesBox
from intake_app.ui.admin.follow_up_box import FollowUpBox
from intake_app.ui.admin.rows_model import Column, RowsModel, make_table
from intake_app.ui.admin.triage_filters import TriageFilters
from intake_app.ui.admin.triage_model import (
    CHANGED_COLUMN,
    URGENCY_COLUMN,
    TriageFilter,
    TriageModel,
    triage_columns,
)
from intake_app.ui.common import MessageLine
from intake_app.ui.tasks import when_done

SEARCH_DELAY_MS = 250
RESIZE_ROWS = 50  # rows the column widths are measured on

# Why a laptop deleted an interview: the code bundle-format.md names, and "deleted", which the
# laptop sends when the reason it holds is not a code (sync.device_changes.FALLBACK_REASON).
# Unknown codes are shown as they are.
DELETION_REASONS = {
    "consent-withdrawn": N_("consent withdrawn"),
    "deleted": N_("deleted on the laptop"),
}

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
        self.texts = TriageTexts(service.registry())
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.filters = TriageFilters(self)
        self.model = TriageModel(triage_columns(self.texts), self)
        self.proxy = TriageFilter(self.model, self)
        self.table = make_table(self, self.model, single=True)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        # Column widths from some rows, not from every one of 2,000 interviews.
        self.table.verticalHeader().setResizeContentsPrecision(0)
        self.table.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
        self.table.sortByColumn(CHANGED_COLUMN, Qt.SortOrder.DescendingOrder)
        self._rows: dict[str, TriageRow] = {}
        self._choosing = False  # a selection change made here, not by the administrator
        self.details_tabs = QTabWidget(self)
        self.follow_up = FollowUpBox(service, self)
        self.duplicates = DuplicatesBox(service, self.texts, self)
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
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.search)
        left_column.addWidget(self.filters)
        left_column.addWidget(self.table)
        right = QWidget(self)
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.details_label, 1)
        top.addWidget(self.print_button)
        right_column.addLayout(top)
        right_column.addWidget(self.duplicates)
        answers_page = QWidget(self.details_tabs)
        answers_column = QVBoxLayout(answers_page)
        answers_column.addWidget(self.answers, 2)
        answers_column.addWidget(self.attachments)
        self.details_tabs.addTab(answers_page, "")
        self.details_tabs.addTab(self.follow_up, "")
        self.details_tabs.addTab(self.history, "")
        right_column.addWidget(self.details_tabs, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 3)
        column = QVBoxLayout(self)
        column.addWidget(self.message)
        column.addWidget(splitter)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.filters.changed.connect(self._filter)
        self.filters.urgent_first.connect(self._urgent_first)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sorted)
        self.table.selectionModel().currentRowChanged.connect(self._interview_chosen)
        self.history.selectionModel().currentRowChanged.connect(self._revision_chosen)
        self.follow_up.saved.connect(lambda _record: self.refresh())
        self.duplicates.changed.connect(self.refresh)
        self.duplicates.open_requested.connect(self.open_interview)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search by alias or by words in the texts"))
        self.search.setAccessibleName(_("Search"))
        self.details_tabs.setTabText(0, _("Answers"))
        self.details_tabs.setTabText(1, _("Follow-up"))
        self.details_tabs.setTabText(2, _("Revisions"))
        self._show_title()
        self.print_button.setText(_("Referral summary"))
        self.print_button.setAccessibleName(_("Referral summary of the selected interview"))
        self.table.setAccessibleName(_("Imported interviews"))
        self.table.setAccessibleDescription(_(
            "Interviews in immediate danger or at high risk say so in the Urgency column."))
        self.history.setAccessibleName(_("Revisions and where they came from"))
        self.answers.setAccessibleName(_("Answers of the selected revision"))
        self.model.retranslate()
        self.history_model.retranslate()
        self._count()
        if self.current is not None:
            self._show_answers(self.current)

    def refresh(self) -> None:
        """List the interviews again (matching the search, if one is typed)."""
        when_done(triage(self._service, self.search.text()), self._listed, self._failed,
                  owner=self, context="centre interviews")

    def _listed(self, listed: object) -> None:
        assert isinstance(listed, TriageList)
        self._rows = {row.record_id: row for row in listed.rows}
        # Read after the list: an unlock or a publication before it has updated the forms.
        self.texts.use(self._service.registry())
        self._choosing = True
        try:
            self.model.set_rows(listed.rows)
            self.filters.set_laptops(listed.rows)
            self._apply_filters(listed.matches)
            self.table.resizeColumnsToContents()
            self._select_current()
        finally:
            self._choosing = False
        self._show_title()
        if self.current is not None:
            self.duplicates.set_row(self._rows.get(self.current.record_id), self._rows)

    def _apply_filters(self, matches: frozenset[str] | None) -> None:
        status, risk, laptop = self.filters.values()
        self.proxy.set_filters(status=status, risk=risk, laptop=laptop, matches=matches)
        self.proxy.sort(self.proxy.sortColumn(), self.proxy.sortOrder())
        self._count()

    def _filter(self) -> None:
        self._choosing = True
        try:
            self._apply_filters(self.proxy.matches)
            self._select_current()
        finally:
            self._choosing = False

    def _count(self) -> None:
        self.filters.show_count(self.proxy.rowCount(), self.model.rowCount())

    def _urgent_first(self, on: bool) -> None:
        if on:
            self.table.sortByColumn(URGENCY_COLUMN, Qt.SortOrder.DescendingOrder)
        else:
            self.table.sortByColumn(CHANGED_COLUMN, Qt.SortOrder.DescendingOrder)

    def _sorted(self, column: int, order: Qt.SortOrder) -> None:
        urgent = column == URGENCY_COLUMN and order == Qt.SortOrder.DescendingOrder
        self.filters.urgent.blockSignals(True)
        self.filters.urgent.setChecked(urgent)
        self.filters.urgent.blockSignals(False)

    def _select_current(self) -> None:
        """Keep the interview shown selected in the list (when the filters show it)."""
        row = None if self.current is None else self.proxy.proxy_row(self.current.record_id)
        if row is None:
            self.table.clearSelection()
            return
        self.table.selectionModel().setCurrentIndex(
            self.proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)

    def _failed(self, error: KnownError) -> None:
        self.message.show_message(error.translated())

    def _interview_chosen(self, index: QModelIndex, previous: QModelIndex) -> None:
        if self._choosing or not index.isValid():
            return
        record_id = self.proxy.row_object(index.row()).record_id
        if self.current is not None and record_id == self.current.record_id:
            return
        if not self.follow_up.ask_before_leaving(lambda: self.show_interview(record_id)):
            self._choosing = True  # stay on the interview whose follow-up is being written
            try:
                self._select_current()
            finally:
                self._choosing = False
            return
        self.show_interview(record_id)

    def open_interview(self, record_id: str) -> None:
        """Show another interview (a possible duplicate), in the list too: filters and search
        that hide it are cleared."""
        if self.follow_up.ask_before_leaving(lambda: self._open(record_id)):
            self._open(record_id)

    def _open(self, record_id: str) -> None:
        if self.proxy.proxy_row(record_id) is None:
            self.filters.reset()
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self._apply_filters(None)
        self.show_interview(record_id)

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
            self.follow_up.load(shown.record_id)
            self.duplicates.set_row(self._rows.get(shown.record_id), self._rows)
            self._choosing = True
            try:
                self._select_current()
            finally:
                self._choosing = False
        self._show_title()
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

    def _show_title(self) -> None:
        row = None if self.current is None else self._rows.get(self.current.record_id)
        if row is None:
            self.details_label.setText(_("Choose an interview in the list."))
            return
        self.details_label.setText(_("{alias} ({interview})", alias=row.interview.alias or "-",
                                     interview=short_id(row.record_id)))

    def save_unsaved(self, on_error: Callable[[KnownError], None]) -> None:
        """On lock or close: store a follow-up change not saved yet, without asking; a failure
        goes to `on_error` (this tab may be gone by then)."""
        self.follow_up.save_if_changed(on_error)

    def clear(self) -> None:
        """Forget everything shown (on lock)."""
        self.current = None
        self._rows = {}
        self.follow_up.clear()
        self.duplicates.set_row(None, {})
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


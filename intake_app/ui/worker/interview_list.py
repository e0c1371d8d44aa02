"""The interview list: search, filters by status and delivery, counts, and the table."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import N_, _, ngettext
from intake_app.i18n.formatting import format_number
from intake_app.i18n.qt import register
from intake_app.services.worker import Listing, WorkerService
from intake_app.ui.common import MessageLine
from intake_app.ui.interview_model import (
    ALIAS,
    ID_ROLE,
    MODIFIED,
    InterviewFilter,
    InterviewTableModel,
)
from intake_app.ui.tasks import when_done

SEARCH_DELAY_MS = 250
STATUS_FILTERS: tuple[tuple[str | None, str], ...] = (
    (None, N_("All interviews")),
    ("draft", N_("Not finished")),
    ("final", N_("Finished")),
    ("withdrawn", N_("Consent withdrawn")),
    ("deleted", N_("Deleted")),
)
DELIVERED_FILTERS: tuple[tuple[bool | None, str], ...] = (
    (None, N_("Delivered or not")),
    (False, N_("Not yet delivered")),
    (True, N_("Delivered to the centre")),
)


class InterviewList(QWidget):
    """Emits `open_requested(record_id)` when the person opens an interview."""

    open_requested = Signal(str)

    def __init__(self, service: WorkerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._reading: object | None = None  # the reading of the list waited for
        self.model = InterviewTableModel(self)
        self.proxy = InterviewFilter(self)
        self.proxy.setSourceModel(self.model)

        self.search_label = QLabel(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.status_filter = QComboBox(self)
        self.delivered_filter = QComboBox(self)
        for _value, _label in STATUS_FILTERS:
            self.status_filter.addItem("")
        for _value2, _label2 in DELIVERED_FILTERS:
            self.delivered_filter.addItem("")
        # Labels name the filters for screen readers (Qt names a combo box by its current text).
        self.status_label = QLabel(self)
        self.status_label.setBuddy(self.status_filter)
        self.delivered_label = QLabel(self)
        self.delivered_label.setBuddy(self.delivered_filter)
        self.counts = QLabel(self)
        self.counts.setObjectName("counts")
        self.error = MessageLine(self)

        self.table = QTableView(self)
        self.table.setObjectName("interviews")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(MODIFIED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        # Tab leaves the table (the arrow keys move within it); it used to go cell by cell.
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ALIAS, QHeaderView.ResizeMode.Stretch)
        # Fit the columns to the first rows, not to all 10,000.
        header.setResizeContentsPrecision(50)
        for column in range(1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._activated)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._search_timer.start)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.delivered_filter.currentIndexChanged.connect(self._filters_changed)
        self.proxy.rowsInserted.connect(self._show_counts)
        self.proxy.rowsRemoved.connect(self._show_counts)
        self.proxy.modelReset.connect(self._show_counts)
        self.proxy.layoutChanged.connect(self._show_counts)

        top = QHBoxLayout()
        top.addWidget(self.search_label)
        top.addWidget(self.search, 2)
        top.addWidget(self.status_label)
        top.addWidget(self.status_filter, 1)
        top.addWidget(self.delivered_label)
        top.addWidget(self.delivered_filter, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.counts)
        register(self)
        register(self.model)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.search_label.setText(_("&Search:"))
        self.search.setPlaceholderText(_("Alias or a word from the notes"))
        self.search.setAccessibleName(_("Search interviews"))
        for row, (_value, label) in enumerate(STATUS_FILTERS):
            self.status_filter.setItemText(row, _(label))
        for row, (_value2, label2) in enumerate(DELIVERED_FILTERS):
            self.delivered_filter.setItemText(row, _(label2))
        self.status_filter.setAccessibleName(_("Show interviews with status"))
        self.status_label.setText(_("Status:"))
        self.delivered_label.setText(_("Delivery:"))
        self.delivered_filter.setAccessibleName(_("Show delivered or not delivered"))
        self.table.setAccessibleName(_("Interviews"))
        self._show_counts()

    def reload(self) -> None:
        """Read the list (or the search results) from the vault again, in the background: the
        rows shown stay, the counts line says the list is being read, and the reading asked
        for last is the one shown."""
        reading = self._reading = object()
        self._show_counts()
        when_done(
            self._service.read_list(self.search.text().strip()),
            lambda listing: self._listed(reading, listing),
            lambda error: self._not_listed(reading, error),
            owner=self,
            context="reading the interview list",
        )

    def is_reading(self) -> bool:
        """True while the list is being read again (the rows shown may be out of date)."""
        return self._reading is not None

    def _listed(self, reading: object, listing: Listing) -> None:
        if reading is not self._reading:
            return  # a later reading was asked for
        self._reading = None
        self.error.show_message("")
        self.model.set_summaries(listing.rows, listing.refused)
        self._show_counts()

    def _not_listed(self, reading: object, error: KnownError) -> None:
        if reading is not self._reading:
            return
        self._reading = None
        self.error.show_message(error.translated())
        self._show_counts()

    def _filters_changed(self) -> None:
        self.proxy.set_status(STATUS_FILTERS[max(self.status_filter.currentIndex(), 0)][0])
        self.proxy.set_delivered(DELIVERED_FILTERS[max(self.delivered_filter.currentIndex(), 0)][0])

    def _show_counts(self) -> None:
        if self._reading is not None:
            self.counts.setText(_("Reading the interviews…"))
            return
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if self.search.text().strip():
            text = ngettext(
                "{shown} of {n} interview found by the search",
                "{shown} of {n} interviews found by the search",
                total,
                shown=format_number(shown),
            )
        else:
            text = ngettext(
                "Showing {shown} of {n} interview",
                "Showing {shown} of {n} interviews",
                total,
                shown=format_number(shown),
            )
        self.counts.setText(text)

    def _activated(self, index: QModelIndex) -> None:
        record_id = self.proxy.data(index, ID_ROLE)
        if record_id:
            self.open_requested.emit(str(record_id))

    def selected_id(self) -> str | None:
        """The id of the selected interview, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = self.proxy.data(rows[0], ID_ROLE)
        return str(value) if value else None

"""The import log and the alerts: what happened to each bundle, in words, newest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import N_, _
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.sync.centre import LogEntry, outcome_text, reason_text, short_id, when
from intake_app.sync.format import escape_hidden
from intake_app.ui.admin.held_panel import HeldPanel
from intake_app.ui.admin.rows_model import Column, RowsModel, make_table
from intake_app.ui.common import MessageLine, wrap_text
from intake_app.ui.tasks import when_done

LOG_LIMIT = 1000

LOG_COLUMNS = (
    Column(N_("Time"), lambda e: when(e.at)),
    Column(N_("File"), lambda e: escape_hidden(e.file_name)),
    Column(N_("Laptop"), lambda e: short_id(e.device_id)),
    Column(N_("Bundle"), lambda e: "" if e.seq is None else str(e.seq)),
    Column(N_("Outcome"), lambda e: outcome_text(e.outcome)),
    Column(N_("Reason"), lambda e: reason_text(e.reason)),
)

ALERT_COLUMNS = (
    Column(N_("Time"), lambda e: when(e.at)),
    Column(N_("Laptop"), lambda e: short_id(e.device_id)),
    Column(N_("Bundle"), lambda e: "" if e.seq is None else str(e.seq)),
    Column(N_("What happened"), lambda e: reason_text(e.reason)),
    Column(N_("File"), lambda e: escape_hidden(e.file_name)),
)


class LogTab(QWidget):
    """The last `LOG_LIMIT` import attempts."""

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.model = RowsModel(LOG_COLUMNS, self)
        self.table = make_table(self, self.model)
        self.message = MessageLine(self)
        # A reason is a sentence or two: shown whole here, never cut short with "…".
        self.detail = wrap_text(QLabel(self))
        self.detail.setObjectName("log_detail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        column = QVBoxLayout(self)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)
        column.addWidget(self.detail)
        self.table.selectionModel().currentRowChanged.connect(
            lambda _index, _previous: self._show_detail())
        self.model.modelReset.connect(self._show_detail)
        register(self)

    def retranslate(self) -> None:
        self.table.setAccessibleName(_("Import log"))
        self.detail.setAccessibleName(_("The selected import in full"))
        self.model.retranslate()
        self._show_detail()

    def _show_detail(self) -> None:
        index: QModelIndex = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            self.detail.setText(_("Select a row to read its reason in full."))
            return
        entry: LogEntry = self.model.row_object(index.row())
        parts = [when(entry.at), escape_hidden(entry.file_name), outcome_text(entry.outcome)]
        reason = reason_text(entry.reason)
        self.detail.setText(" — ".join(part for part in parts if part)
                            + ("\n" + reason if reason else ""))

    def refresh(self) -> None:
        when_done(self._service.import_log(limit=LOG_LIMIT), self._show,
                  lambda error: self.message.show_message(error.translated()), owner=self,
                  context="centre log")

    def _show(self, entries: object) -> None:
        assert isinstance(entries, list)
        self.model.set_rows(entries)
        self.table.resizeColumnsToContents()


class AlertsTab(QWidget):
    """Open alerts: sequence conflicts, held bundles, refused laptops; mark them as seen.
    Below them, the bundles held in quarantine. `changed` after one was imported by hand."""

    changed = Signal()

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.model = RowsModel(ALERT_COLUMNS, self)
        self.table = make_table(self, self.model)
        self.seen_button = QPushButton(self)
        self.message = MessageLine(self)
        self.held = HeldPanel(service, self)
        self.held.imported.connect(self.changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.seen_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.addLayout(buttons)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)
        column.addWidget(self.held, 1)
        self.seen_button.clicked.connect(self.mark_seen)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()
        register(self)

    def retranslate(self) -> None:
        self.seen_button.setText(_("Mark as seen"))
        self.seen_button.setAccessibleName(_("Mark the selected alert as seen"))
        self.table.setAccessibleName(_("Alerts"))
        self.model.retranslate()

    def refresh(self) -> None:
        when_done(self._service.alerts(), self._show, self._failed,
                  owner=self, context="centre alerts")
        self.held.refresh()

    def count(self) -> int:
        return self.model.rowCount()

    def _show(self, entries: object) -> None:
        assert isinstance(entries, list)
        self.model.set_rows(entries)
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def _failed(self, error: KnownError) -> None:
        self.message.show_message(error.translated())

    def _update_buttons(self, *_args: Any) -> None:
        self.seen_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def mark_seen(self) -> None:
        """Acknowledge the selected alerts."""
        entries: list[LogEntry] = [self.model.row_object(index.row())
                                   for index in self.table.selectionModel().selectedRows()]
        when_done(self._service.mark_seen([entry.num for entry in entries]),
                  lambda _r: self.refresh(), self._failed, owner=self,
                  context="centre acknowledge")

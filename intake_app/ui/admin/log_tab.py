"""The import log and the alerts: what happened to each bundle, in words, newest first.

The alerts are of two kinds in one list: import-log rows that need the administrator (held
bundles, sequence conflicts, refused laptops) and the quarantine's caps (a laptop's bundle left
in the inbox, naming the laptop and the cap). "Mark as seen" marks either kind.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from intake_app.services.centre import CapAlertRow, CentreService
from intake_app.sync.centre import (
    LogEntry,
    cap_alert_text,
    outcome_text,
    reason_text,
    short_id,
    when,
)
from intake_app.sync.format import escape_hidden
from intake_app.ui.admin.column_fit import fit_columns
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
REASON = 5  # a sentence or two: wrapped in the room the other columns leave

AlertRow = LogEntry | CapAlertRow  # an import-log alert, or a cap's alert with its laptop


def _alert_at(row: AlertRow) -> str:
    return row.at if isinstance(row, LogEntry) else row[0].at


def _alert_laptop(row: AlertRow) -> str:
    return short_id(row.device_id if isinstance(row, LogEntry) else row[0].device_id)


def alert_text(row: AlertRow) -> str:
    """What an alert says, in words."""
    if isinstance(row, LogEntry):
        return reason_text(row.reason)
    alert, device = row
    return cap_alert_text(alert.device_id, alert.cap,
                          None if device is None else device.device_name)


ALERT_COLUMNS = (
    Column(N_("Time"), lambda r: when(_alert_at(r))),
    Column(N_("Laptop"), _alert_laptop),
    Column(N_("Bundle"), lambda r: "" if not isinstance(r, LogEntry) or r.seq is None
           else str(r.seq)),
    Column(N_("What happened"), alert_text),
    Column(N_("File"), lambda r: escape_hidden(r.file_name) if isinstance(r, LogEntry) else ""),
)
WHAT_HAPPENED = 3  # a sentence or two: wrapped in the room the other columns leave


class LogTab(QWidget):
    """The last `LOG_LIMIT` import attempts."""

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.model = RowsModel(LOG_COLUMNS, self)
        self.table = make_table(self, self.model)
        fit_columns(self.table, wrapping=REASON)
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
        self.model.set_rows(entries)  # the columns follow (fit_columns)


class AlertsTab(QWidget):
    """Open alerts: sequence conflicts, held bundles, refused laptops, bundles left in the inbox
    by a cap; mark them as seen. Below them, the bundles held in quarantine. `changed` after one
    was imported by hand."""

    changed = Signal()

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._log_alerts: list[LogEntry] | None = None
        self._cap_alerts: list[CapAlertRow] | None = None
        self.model = RowsModel(ALERT_COLUMNS, self)
        self.table = make_table(self, self.model)
        fit_columns(self.table, wrapping=WHAT_HAPPENED)
        self.seen_button = QPushButton(self)
        self.message = MessageLine(self)
        # An alert is a sentence or two: shown whole here, never cut short with "…".
        self.detail = wrap_text(QLabel(self))
        self.detail.setObjectName("alert_detail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.held = HeldPanel(service, self)
        self.held.imported.connect(self.changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.seen_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.addLayout(buttons)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)
        column.addWidget(self.detail)
        column.addWidget(self.held, 1)
        self.seen_button.clicked.connect(self.mark_seen)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.selectionModel().currentRowChanged.connect(
            lambda _index, _previous: self._show_detail())
        self.model.modelReset.connect(self._show_detail)
        self._update_buttons()
        register(self)

    def retranslate(self) -> None:
        self.seen_button.setText(_("Mark as seen"))
        self.seen_button.setAccessibleName(_("Mark the selected alert as seen"))
        self.table.setAccessibleName(_("Alerts"))
        self.detail.setAccessibleName(_("The selected alert in full"))
        self.model.retranslate()
        self._show_detail()

    def refresh(self) -> None:
        """Read the alerts and the held bundles again."""
        self.refresh_alerts()
        self.held.refresh()

    def refresh_alerts(self) -> None:
        """Read both kinds of alerts again; the list changes once both are read (and keeps its
        selection when they are the same)."""
        self._log_alerts = self._cap_alerts = None
        when_done(self._service.alerts(), self._show_log_alerts, self._failed,
                  owner=self, context="centre alerts")
        when_done(self._service.cap_alerts(), self._show_cap_alerts, self._failed,
                  owner=self, context="centre cap alerts")

    def count(self) -> int:
        return self.model.rowCount()

    def _show_log_alerts(self, entries: object) -> None:
        assert isinstance(entries, list)
        self._log_alerts = entries
        self._show()

    def _show_cap_alerts(self, rows: object) -> None:
        assert isinstance(rows, list)
        self._cap_alerts = rows
        self._show()

    def _show(self) -> None:
        if self._log_alerts is None or self._cap_alerts is None:
            return
        rows: list[AlertRow] = [*self._log_alerts, *self._cap_alerts]
        rows.sort(key=_alert_at, reverse=True)  # newest first (UTC stamps sort as text)
        if rows == self.model.rows():
            return
        self.model.set_rows(rows)
        self._update_buttons()

    def _show_detail(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            self.detail.setText("")
            self.detail.hide()
            return
        row: AlertRow = self.model.row_object(index.row())
        self.detail.setText(when(_alert_at(row)) + " — " + alert_text(row))
        self.detail.show()

    def _failed(self, error: KnownError) -> None:
        self.message.show_message(error.translated())

    def _update_buttons(self, *_args: Any) -> None:
        self.seen_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def chosen(self) -> list[AlertRow]:
        """The alerts of the selected rows."""
        return [self.model.row_object(index.row())
                for index in self.table.selectionModel().selectedRows()]

    def mark_seen(self) -> None:
        """Acknowledge the selected alerts, of either kind."""
        self.mark_rows_seen(self.chosen())

    def mark_rows_seen(self, rows: Sequence[AlertRow]) -> None:
        logged = [row.num for row in rows if isinstance(row, LogEntry)]
        capped = [row[0].num for row in rows if not isinstance(row, LogEntry)]
        when_done(self._service.mark_seen(logged), lambda _r: None, self._failed, owner=self,
                  context="centre acknowledge")
        # The vault thread runs one request after the other: this one ends after both.
        when_done(self._service.mark_cap_alerts_seen(capped), lambda _r: self.refresh(),
                  self._failed, owner=self, context="centre acknowledge caps")

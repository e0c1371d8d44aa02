"""The laptops tab: the registry with fingerprints and missing bundles; approve, retire, revoke.

Approval shows the key's fingerprint large and asks whether the laptop shows the same one.
Names come from the laptops: they are shown with hidden characters escaped and never as markup,
so no name can fake or hide the fingerprint next to it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import N_, _, ngettext
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService, DeviceRow
from intake_app.sync.centre import RegisteredDevice, short_id, state_text, when
from intake_app.sync.format import DeviceState, escape_hidden
from intake_app.ui.admin.rows_model import Column, RowsModel
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import MessageLine
from intake_app.ui.tasks import when_done


def _gaps_text(row: DeviceRow) -> str:
    return ", ".join(str(g.first) if g.first == g.last else f"{g.first}–{g.last}"
                     for g in row[1])


COLUMNS = (
    Column(N_("Laptop"), lambda r: short_id(r[0].device_id)),
    Column(N_("Name"), lambda r: escape_hidden(r[0].device_name)),
    Column(N_("Worker"), lambda r: escape_hidden(r[0].worker)),
    Column(N_("State"), lambda r: state_text(r[0].state.value)),
    Column(N_("Last bundle allowed"), lambda r: "" if r[0].last_seq is None
           else str(r[0].last_seq)),
    Column(N_("Key fingerprint"), lambda r: r[0].fingerprint),
    Column(N_("Missing bundles"), _gaps_text),
    Column(N_("Registered"), lambda r: when(r[0].registered)),
)


class DevicesTab(QWidget):
    """Emits `changed()` after an action that may have imported or refused bundles."""

    changed = Signal()

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.model = RowsModel(COLUMNS, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.read_button = QPushButton(self)
        self.open_button = QPushButton(self)
        self.approve_button = QPushButton(self)
        self.retire_button = QPushButton(self)
        self.revoke_button = QPushButton(self)
        self.message = MessageLine(self, error=False)
        buttons = QHBoxLayout()
        for button in (self.read_button, self.open_button, self.approve_button,
                       self.retire_button, self.revoke_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.addLayout(buttons)
        column.addWidget(self.message)
        column.addWidget(self.table)
        self.read_button.clicked.connect(self.read_requests)
        self.open_button.clicked.connect(self.open_request_file)
        self.approve_button.clicked.connect(self.approve_selected)
        self.retire_button.clicked.connect(self.retire_selected)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()
        register(self)

    def retranslate(self) -> None:
        self.read_button.setText(_("Read enrolment requests"))
        self.approve_button.setText(_("Approve…"))
        self.retire_button.setText(_("Retire…"))
        self.revoke_button.setText(_("Revoke…"))
        self.read_button.setAccessibleName(_("Read enrolment requests"))
        self.open_button.setText(_("Open a request file…"))
        self.open_button.setAccessibleName(_("Open an enrolment request file"))
        self.open_button.setToolTip(_("A request a worker brought on a USB stick"))
        self.approve_button.setAccessibleName(_("Approve the selected laptop"))
        self.retire_button.setAccessibleName(_("Retire the selected laptop"))
        self.revoke_button.setAccessibleName(_("Revoke the selected laptop"))
        self.table.setAccessibleName(_("Laptops"))
        self.model.retranslate()

    def refresh(self) -> None:
        """Read the registry again."""
        when_done(self._service.devices(), self._show, self._failed, owner=self,
                  context="centre devices")

    def _show(self, rows: object) -> None:
        assert isinstance(rows, list)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def _failed(self, error: KnownError) -> None:
        self.message.show_message(error.translated())

    def selected(self) -> RegisteredDevice | None:
        """The device of the selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        device: RegisteredDevice = self.model.row_object(rows[0].row())[0]
        return device

    def _update_buttons(self, *_args: Any) -> None:
        device = self.selected()
        state = device.state if device is not None else None
        self.approve_button.setEnabled(state is DeviceState.PENDING)
        self.retire_button.setEnabled(state in (DeviceState.ACTIVE, DeviceState.RETIRED))
        self.revoke_button.setEnabled(state is not None and state is not DeviceState.REVOKED)

    def _after(self, action: Future[Any], done_text: Callable[[object], str]) -> None:
        def finished(result: object) -> None:
            self.message.show_message(done_text(result))
            self.refresh()
            self.changed.emit()
        when_done(action, finished, self._failed, owner=self,
                  context="centre device action")

    def read_requests(self) -> None:
        """Register the enrolment requests waiting on the share."""
        self.read_files(None)

    def open_request_file(self) -> None:
        """Register a request file the administrator picks (from a USB stick, say)."""
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Open an enrolment request file"), "",
            _("Enrolment requests (*.json)"))
        if name:
            self.read_files([Path(name)])

    def read_files(self, files: list[Path] | None) -> None:
        """Verify and register these request files (None: those waiting on the share)."""
        def done(reads: object) -> str:
            assert isinstance(reads, list)
            problems = sum(1 for read in reads if read.error is not None)
            text = ngettext("{count} request read.", "{count} requests read.", len(reads),
                            count=len(reads))
            if problems:
                text += " " + ngettext("{count} could not be used: it is damaged or changed.",
                                       "{count} could not be used: they are damaged or changed.",
                                       problems, count=problems)
            return text
        self._after(self._service.read_enrolment_requests(files), done)

    def approve_selected(self) -> None:
        device = self.selected()
        if device is None or not self.confirm_fingerprint(device):
            return
        def approved(result: object) -> str:
            assert isinstance(result, tuple)
            count = len(result[1])
            return ngettext("The laptop was approved; {count} waiting bundle was imported.",
                            "The laptop was approved; {count} waiting bundles were imported.",
                            count, count=count)
        self._after(self._service.approve_device(device.device_id, device.fingerprint), approved)

    def confirm_fingerprint(self, device: RegisteredDevice) -> bool:
        """Ask whether the laptop shows the same fingerprint (shown large)."""
        box = QMessageBox(self)
        box.setWindowTitle(WINDOW_TITLE)
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(_("Does the laptop show this fingerprint?"))
        box.setInformativeText(device.fingerprint)
        font = QFont(box.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setStyleHint(QFont.StyleHint.Monospace)
        box.setFont(font)
        same = box.addButton(_("Yes, the same: approve"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("No, do not approve"), QMessageBox.ButtonRole.RejectRole)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()
        return box.clickedButton() is same

    def retire_selected(self) -> None:
        device = self.selected()
        if device is None:
            return
        last, ok = QInputDialog.getInt(self, WINDOW_TITLE,
                                       _("Last bundle number still accepted from this laptop:"),
                                       device.last_seq or 0, 0, 2**31 - 1)
        if ok:
            self._after(self._service.retire_device(device.device_id, last),
                        lambda _result: _("The laptop was retired."))

    def revoke_selected(self) -> None:
        device = self.selected()
        if device is None:
            return
        answer = QMessageBox.question(
            self, WINDOW_TITLE,
            _("Revoke this laptop? None of its bundles will be accepted any more."))
        if answer == QMessageBox.StandardButton.Yes:
            self._after(self._service.revoke_device(device.device_id),
                        lambda _result: _("The laptop was revoked."))

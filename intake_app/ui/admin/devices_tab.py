"""The laptops tab: enrolment requests waiting on the share, and the registry.

A request on the share is not a laptop until the administrator registers it: the requests are
listed (nothing is registered by reading them) to be registered, chosen or all, or dismissed
(moved aside on the share, in one action however many were chosen). A request brought on a USB
stick is registered as it is opened: the administrator chose the file.

The registry shows fingerprints and missing bundles; approve, retire, revoke. Approval asks the
administrator to type the fingerprint the worker reads out from the laptop (approval_dialog).
Names come from the laptops: they are shown with hidden characters escaped and never as
markup, so no name can fake or hide the fingerprint next to it; fingerprints stay one
left-to-right piece in Arabic and Dari.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import N_, _, ngettext
from intake_app.i18n.formatting import isolate
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService, DeviceRow
from intake_app.sync.centre import RegisteredDevice, RequestOnShare, short_id, state_text, when
from intake_app.sync.format import DeviceState, escape_hidden
from intake_app.ui.admin.approval_dialog import ApprovalDialog
from intake_app.ui.admin.column_fit import fit_columns
from intake_app.ui.admin.rows_model import Column, RowsModel, make_table
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import MessageLine, wrap_text
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
    Column(N_("Key fingerprint"), lambda r: isolate(r[0].fingerprint)),
    Column(N_("Missing bundles"), _gaps_text),
    Column(N_("Registered"), lambda r: when(r[0].registered)),
)


def _asked(read: RequestOnShare, text: Callable[[Any], str]) -> str:
    return "" if read.request is None else text(read.request)


REQUEST_COLUMNS = (
    Column(N_("Laptop"), lambda r: escape_hidden(short_id(r.request_id))),
    Column(N_("Name"), lambda r: _asked(r, lambda q: escape_hidden(q.device_name))),
    Column(N_("Worker"), lambda r: _asked(r, lambda q: escape_hidden(q.worker))),
    Column(N_("Key fingerprint"), lambda r: _asked(r, lambda q: isolate(q.fingerprint()))),
    Column(N_("Created"), lambda r: _asked(r, lambda q: when(q.created))),
    Column(N_("Problem"), lambda r: "" if r.error is None else r.error.translated()),
)


class DevicesTab(QWidget):
    """Emits `changed()` after an action that may have imported or refused bundles."""

    changed = Signal()

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._requests_busy = False
        self.approval: ApprovalDialog | None = None
        self.message = MessageLine(self, error=False)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._requests_section(splitter))
        splitter.addWidget(self._registry_section(splitter))
        column = QVBoxLayout(self)
        column.addWidget(self.message)
        column.addWidget(splitter, 1)
        self._update_buttons()
        self._update_request_buttons()
        register(self)

    def _requests_section(self, parent: QWidget) -> QWidget:
        """The requests on the share that are not registered laptops, and what to do with them."""
        section = QWidget(parent)
        self.requests_title = wrap_text(QLabel(section))
        self.requests_title.setObjectName("requests_title")
        self.requests_model = RowsModel(REQUEST_COLUMNS, self)
        self.requests_table = make_table(section, self.requests_model)
        fit_columns(self.requests_table)  # titles wrap where they must; columns follow the texts
        self.requests_title.setBuddy(self.requests_table)
        self.register_button = QPushButton(section)
        self.register_all_button = QPushButton(section)
        self.dismiss_button = QPushButton(section)
        self.check_button = QPushButton(section)
        self.open_button = QPushButton(section)
        buttons = QHBoxLayout()
        for button in (self.register_button, self.register_all_button, self.dismiss_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.open_button)
        column = QVBoxLayout(section)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.requests_title)
        column.addLayout(buttons)
        column.addWidget(self.requests_table, 1)
        self.register_button.clicked.connect(self.register_chosen)
        self.register_all_button.clicked.connect(self.register_all)
        self.dismiss_button.clicked.connect(self.dismiss_chosen)
        self.check_button.clicked.connect(self.refresh_requests)
        self.open_button.clicked.connect(self.open_request_file)
        self.requests_table.selectionModel().selectionChanged.connect(
            self._update_request_buttons)
        return section

    def _registry_section(self, parent: QWidget) -> QWidget:
        """The registered laptops: approve, retire, revoke."""
        section = QWidget(parent)
        self.registry_title = QLabel(section)
        self.model = RowsModel(COLUMNS, self)
        self.table = QTableView(section)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        fit_columns(self.table)
        self.registry_title.setBuddy(self.table)
        self.approve_button = QPushButton(section)
        self.retire_button = QPushButton(section)
        self.revoke_button = QPushButton(section)
        buttons = QHBoxLayout()
        for button in (self.approve_button, self.retire_button, self.revoke_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout(section)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.registry_title)
        column.addLayout(buttons)
        column.addWidget(self.table, 1)
        self.approve_button.clicked.connect(self.approve_selected)
        self.retire_button.clicked.connect(self.retire_selected)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        return section

    def retranslate(self) -> None:
        self._title_requests()
        self.register_button.setText(_("Register chosen"))
        self.register_button.setAccessibleName(_("Register the chosen enrolment requests"))
        self.register_all_button.setText(_("Register all…"))
        self.register_all_button.setAccessibleName(
            _("Register every enrolment request waiting on the share"))
        self.dismiss_button.setText(_("Dismiss chosen…"))
        self.dismiss_button.setAccessibleName(_("Dismiss the chosen enrolment requests"))
        self.dismiss_button.setToolTip(_("Moved aside on the share and never shown again"))
        self.check_button.setText(_("Check the share again"))
        self.check_button.setAccessibleName(_("Check the share for enrolment requests again"))
        self.open_button.setText(_("Open a request file…"))
        self.open_button.setAccessibleName(_("Open an enrolment request file"))
        self.open_button.setToolTip(_("A request a worker brought on a USB stick"))
        self.requests_table.setAccessibleName(_("Enrolment requests waiting on the share"))
        self.registry_title.setText(_("&Registered laptops"))
        self.approve_button.setText(_("Approve…"))
        self.retire_button.setText(_("Retire…"))
        self.revoke_button.setText(_("Revoke…"))
        self.approve_button.setAccessibleName(_("Approve the selected laptop"))
        self.retire_button.setAccessibleName(_("Retire the selected laptop"))
        self.revoke_button.setAccessibleName(_("Revoke the selected laptop"))
        self.table.setAccessibleName(_("Laptops"))
        self.model.retranslate()
        self.requests_model.retranslate()

    def _title_requests(self) -> None:
        count = self.requests_model.rowCount()
        self.requests_title.setText(
            ngettext("&Enrolment requests waiting on the share: {count}",
                     "&Enrolment requests waiting on the share: {count}", count, count=count)
            if count else _("&Enrolment requests waiting on the share: none"))

    def refresh(self) -> None:
        """Read the registry and the requests on the share again."""
        when_done(self._service.devices(), self._show, self._failed, owner=self,
                  context="centre devices")
        self.refresh_requests()

    def refresh_requests(self) -> None:
        """List the requests on the share again (registering none of them)."""
        when_done(self._service.enrolment_requests(), self._show_requests, self._failed,
                  owner=self, context="centre enrolment requests")

    def _show_requests(self, rows: object) -> None:
        assert isinstance(rows, list)
        if rows == self.requests_model.rows():
            return  # the same files: keep the selection and the place in the list
        chosen = {read.request_id for read in self.chosen_requests()}
        self.requests_model.set_rows(rows)
        selection = self.requests_table.selectionModel()
        for row, read in enumerate(rows):
            if read.request_id in chosen:
                selection.select(self.requests_model.index(row, 0),
                                 selection.SelectionFlag.Select
                                 | selection.SelectionFlag.Rows)
        self._title_requests()
        self._update_request_buttons()

    def _show(self, rows: object) -> None:
        assert isinstance(rows, list)
        self.model.set_rows(rows)
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

    def chosen_requests(self) -> list[RequestOnShare]:
        """The requests of the selected rows, in the list's order."""
        rows = sorted(index.row() for index in self.requests_table.selectionModel().selectedRows())
        return [self.requests_model.row_object(row) for row in rows]

    def _update_request_buttons(self, *_args: Any) -> None:
        chosen = self.chosen_requests()
        idle = not self._requests_busy
        self.register_button.setEnabled(idle and any(r.request is not None for r in chosen))
        self.dismiss_button.setEnabled(idle and bool(chosen))
        self.register_all_button.setEnabled(
            idle and any(r.request is not None for r in self.requests_model.rows()))

    def _after(self, action: Future[Any], done_text: Callable[[object], str]) -> None:
        def finished(result: object) -> None:
            self.message.show_message(done_text(result))
            self.refresh()
            self.changed.emit()
        when_done(action, finished, self._failed, owner=self,
                  context="centre device action")

    def _on_requests(self, action: Future[Any], done_text: Callable[[object], str]) -> None:
        """Run an action on requests; their buttons wait for it."""
        self._requests_busy = True
        self._update_request_buttons()

        def failed(error: KnownError) -> None:
            self._requests_busy = False
            self._failed(error)
            self.refresh()

        def finished(result: object) -> None:
            self._requests_busy = False
            self.message.show_message(done_text(result))
            self.refresh()
            self.changed.emit()
        when_done(action, finished, failed, owner=self, context="centre request action")

    def register_chosen(self) -> None:
        """Register the chosen requests as laptops waiting for approval."""
        self._register([r.request_id for r in self.chosen_requests() if r.request is not None])

    def register_all(self) -> None:
        """Register every request listed, after asking once."""
        ids = [r.request_id for r in self.requests_model.rows() if r.request is not None]
        if ids and self.ask(ngettext(
                "Register {count} enrolment request? It becomes a laptop waiting for "
                "approval.",
                "Register all {count} enrolment requests? Each becomes a laptop waiting for "
                "approval.", len(ids), count=len(ids))):
            self._register(ids)

    def _register(self, ids: Sequence[str]) -> None:
        if ids:
            self._on_requests(self._service.register_requests(ids), _read_text)

    def dismiss_chosen(self) -> None:
        """Dismiss the chosen requests in one action, after asking once for all of them."""
        ids = [r.request_id for r in self.chosen_requests()]
        if not ids or not self.ask(ngettext(
                "Dismiss {count} enrolment request? It is moved aside on the share and not "
                "shown again.",
                "Dismiss {count} enrolment requests? They are moved aside on the share and not "
                "shown again.", len(ids), count=len(ids))):
            return

        def done(dismissed: object) -> str:
            assert isinstance(dismissed, list)
            return ngettext("{count} enrolment request was dismissed.",
                            "{count} enrolment requests were dismissed.", len(dismissed),
                            count=len(dismissed))
        self._on_requests(self._service.dismiss_requests(ids), done)

    def ask(self, question: str) -> bool:
        """Ask a yes-or-no question about requests; True for yes."""
        answer = QMessageBox.question(self, WINDOW_TITLE, question)
        return answer == QMessageBox.StandardButton.Yes

    def open_request_file(self) -> None:
        """Register a request file the administrator picks (from a USB stick, say)."""
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Open an enrolment request file"), "",
            _("Enrolment requests (*.json)"))
        if name:
            self.read_files([Path(name)])

    def read_files(self, files: list[Path]) -> None:
        """Verify and register these request files (chosen by the administrator)."""
        def done(reads: object) -> str:
            assert isinstance(reads, list)
            problems = sum(1 for read in reads if read.error is not None)
            text = ngettext("{count} request read.", "{count} requests read.", len(reads),
                            count=len(reads))
            if problems:
                text += " " + _problems_text(problems)
            return text
        self._after(self._service.read_enrolment_requests(files), done)

    def approve_selected(self) -> ApprovalDialog | None:
        """Approve the selected laptop once the administrator typed the fingerprint the worker
        reads out (not a Yes next to one shown here)."""
        device = self.selected()
        if device is None:
            return None
        dialog = ApprovalDialog(self._service, device, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.approved.connect(self._approved)
        dialog.finished.connect(lambda _result: setattr(self, "approval", None))
        dialog.open()
        self.approval = dialog
        return dialog

    def _approved(self, result: object) -> None:
        assert isinstance(result, tuple)
        count = len(result[1])
        self.message.show_message(ngettext(
            "The laptop was approved; {count} waiting bundle was imported.",
            "The laptop was approved; {count} waiting bundles were imported.",
            count, count=count))
        self.refresh()
        self.changed.emit()

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


def _problems_text(problems: int) -> str:
    return ngettext("{count} could not be used: it is damaged or changed.",
                    "{count} could not be used: they are damaged or changed.",
                    problems, count=problems)


def _read_text(reads: object) -> str:
    """What registering requests did, in words."""
    assert isinstance(reads, list)
    registered = sum(1 for read in reads if read.device is not None)
    text = ngettext("{count} laptop registered: approve it after comparing its fingerprint.",
                    "{count} laptops registered: approve each after comparing its fingerprint.",
                    registered, count=registered)
    problems = len(reads) - registered
    return text + (" " + _problems_text(problems) if problems else "")

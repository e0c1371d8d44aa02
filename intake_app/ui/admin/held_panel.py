"""Bundles held in quarantine, what each is waiting for, and importing a far-ahead one by hand.

A laptop's bundles wait while it is pending (approving it imports them). A bundle whose
sequence number jumps far ahead waits for the ones before it; the administrator may import it
now when those will never come. A record conflict is settled on the Conflicts tab
(`ui/admin/conflicts.py`): its button here leads there.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import N_, _
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.sync.centre import HeldBundle, Reason, outcome_text, reason_text, short_id, when
from intake_app.sync.format import escape_hidden
from intake_app.ui.admin.column_fit import fit_columns
from intake_app.ui.admin.rows_model import Column, RowsModel, make_table
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import MessageLine, wrap_text
from intake_app.ui.tasks import when_done

COLUMNS = (
    Column(N_("Held since"), lambda h: when(h.held)),
    Column(N_("Laptop"), lambda h: short_id(h.device_id)),
    Column(N_("Bundle"), lambda h: str(h.seq)),
    Column(N_("Waiting for"), lambda h: reason_text(h.reason)),
    Column(N_("File"), lambda h: escape_hidden(h.file_name)),
)
ADVICE = {
    Reason.DEVICE_PENDING: N_("Approve the laptop on the Laptops tab: its held bundles are "
                              "then imported."),
    Reason.SEQ_FAR_AHEAD: N_("Bundles before this one have not arrived. Import it now only if "
                             "they will never come, for example when a USB stick was lost."),
    Reason.RECORD_CONFLICT: N_("It carries an interview revision that differs from one already "
                               "imported. It stays held so that nothing is overwritten until "
                               "you choose which version to keep on the Conflicts tab."),
}


class HeldPanel(QWidget):
    """The held bundles; emits `imported` after one was imported by hand."""

    imported = Signal()

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.title = QLabel(self)
        self.model = RowsModel(COLUMNS, self)
        self.table = make_table(self, self.model, single=True)
        fit_columns(self.table, wrapping=3)  # "Waiting for" is a sentence or two: it wraps
        self.advice = wrap_text(QLabel(self))
        self.import_button = QPushButton(self)
        self.compare_button = QPushButton(self)  # the window shows its Conflicts tab
        self.message = MessageLine(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.table)
        column.addWidget(self.advice)
        column.addLayout(buttons)
        column.addWidget(self.message)
        self.title.setBuddy(self.table)
        self.import_button.clicked.connect(self.import_selected)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self._update()
        register(self)

    def retranslate(self) -> None:
        self.title.setText(_("&Bundles held in quarantine"))
        self.table.setAccessibleName(_("Bundles held in quarantine"))
        self.import_button.setText(_("&Import now…"))
        self.import_button.setAccessibleName(_("Import the selected held bundle now"))
        self.compare_button.setText(_("Compare the versions…"))
        self.compare_button.setAccessibleName(_("Compare the versions of the selected held "
                                                "bundle's interviews"))
        self.model.retranslate()
        self._update()

    def refresh(self) -> None:
        when_done(self._service.held_bundles(), self._show, self._failed,
                  owner=self, context="centre held bundles")

    def _show(self, rows: object) -> None:
        assert isinstance(rows, list)
        self.model.set_rows(rows)
        self._update()

    def _failed(self, error: KnownError) -> None:
        self.message.show_message(error.translated())

    def selected(self) -> HeldBundle | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        held: HeldBundle = self.model.row_object(rows[0].row())
        return held

    def _update(self, *_args: Any) -> None:
        held = self.selected()
        self.import_button.setEnabled(held is not None
                                      and held.reason is Reason.SEQ_FAR_AHEAD)
        self.compare_button.setVisible(held is not None
                                       and held.reason is Reason.RECORD_CONFLICT)
        advice = ADVICE.get(held.reason) if held is not None else None
        self.advice.setText(_(advice) if advice else "")
        self.advice.setVisible(bool(advice))

    def confirm(self, held: HeldBundle) -> bool:
        """Ask before importing a bundle whose predecessors are missing."""
        answer = QMessageBox.question(
            self, WINDOW_TITLE,
            _("Import bundle {seq} now? The bundles before it will be counted as missing.",
              seq=held.seq))
        return answer == QMessageBox.StandardButton.Yes

    def import_selected(self) -> None:
        """Import the selected far-ahead bundle now, after asking."""
        held = self.selected()
        if held is None or held.reason is not Reason.SEQ_FAR_AHEAD or not self.confirm(held):
            return

        def done(result: Any) -> None:
            words = outcome_text(result.outcome)
            if result.reason is not None:
                words += ": " + reason_text(result.reason)
            self.message.show_message(_("Bundle {seq}: {outcome}", seq=held.seq,
                                        outcome=words))
            self.refresh()
            self.imported.emit()

        self.import_button.setEnabled(False)
        when_done(self._service.import_held_now(held.num), done, self._failed, owner=self,
                  context="centre release")

"""Withdraw consent and delete: each asks first, in a dialog whose title names no one. The
change is queued on the vault thread (`EditorFinishing.change_record`); meanwhile this row
says what it waits for, beside its buttons disabled."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton, QWidget

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.services.interviews import withdrawn
from intake_app.services.worker import WorkerService
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import announce

if TYPE_CHECKING:
    from intake_app.domain.document import Interview
    from intake_app.ui.editor.editor import InterviewEditor

DELETE_REASON = "deleted by the worker"


class RecordActions(QWidget):
    """The "Withdraw consent…" and "Delete…" buttons of the editor."""

    def __init__(
        self, service: WorkerService, editor: InterviewEditor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._editor = editor
        self.withdraw_button = QPushButton(self)
        self.withdraw_button.setObjectName("withdraw")
        self.withdraw_button.clicked.connect(self.ask_withdraw)
        self.delete_button = QPushButton(self)
        self.delete_button.setObjectName("delete")
        self.delete_button.clicked.connect(self.ask_delete)
        self.busy = QLabel(self)  # what a change of the record waits for
        self.busy.setObjectName("record_busy")
        self.busy.hide()
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)  # moving: how long is not known
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(80)
        self.busy_bar.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.busy)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.withdraw_button)
        layout.addWidget(self.delete_button)
        self.confirmation: QMessageBox | None = None
        register(self)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.withdraw_button.setText(_("&Withdraw consent…"))
        self.withdraw_button.setAccessibleName(_("Withdraw consent"))
        self.delete_button.setText(_("&Delete…"))
        self.delete_button.setAccessibleName(_("Delete the interview"))
        self.busy_bar.setAccessibleName(self.busy.text() or _("Saving the change"))

    def show_busy(self, text: str) -> None:
        """Say what a change of the record waits for, the buttons disabled; "" when done."""
        self.busy.setText(text)
        self.busy_bar.setAccessibleName(text)
        self.busy.setVisible(bool(text))
        self.busy_bar.setVisible(bool(text))
        for button in (self.withdraw_button, self.delete_button):
            button.setEnabled(not text)
        if text:
            announce(self.busy, text, urgent=False)

    def _ask(self, text: str, detail: str, yes: str, keep: str, then: object) -> QMessageBox:
        """A question whose two buttons say what they do (never "Cancel" beside a "Withdraw
        consent" that starts with the same word in Finnish)."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, WINDOW_TITLE, text, QMessageBox.StandardButton.NoButton, self
        )
        box.setInformativeText(detail)
        confirm = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
        cancel.setObjectName("keep")
        cancel.setAccessibleName(keep)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        confirm.setAccessibleName(yes)

        def done() -> None:
            if box.clickedButton() is confirm and callable(then):
                then()

        box.finished.connect(done)
        box.open()
        self.confirmation = box
        return box

    def _saved_before(self) -> bool:
        return self._editor.interview.revision > 0

    def ask_withdraw(self) -> QMessageBox:
        """Ask, then withdraw consent."""
        return self._ask(
            _("Withdraw consent for this interview?"),
            _(
                "Its answers are removed from this computer. The centre receives only a note that "
                "consent was withdrawn, so that it stops processing too."
            ),
            _("Withdraw consent"),
            _("Keep the consent"),
            self.withdraw,
        )

    def withdraw(self) -> None:
        """Save the tombstone revision: status "withdrawn", the consent section's answers only."""
        editor = self._editor
        record_id = editor.interview.id
        tombstone = None  # never saved: its draft is thrown away
        if self._saved_before():
            try:
                tombstone = self._withdrawn().to_dict()
            except KnownError as error:
                editor.message.show_message(error.translated())
                return
        editor.change_record(
            lambda: (
                self._service.queue_discard_draft(record_id)
                if tombstone is None
                else self._service.queue_revision(tombstone)
            ),
            _("Withdrawing consent…"),
            lambda _done: editor.closed_record(
                _("Consent was withdrawn. The answers were removed.")
            ),
            context="withdrawing consent",
        )

    def _withdrawn(self) -> Interview:
        """The tombstone: the consent section's answers only, the withdrawal dated today."""
        editor = self._editor
        consent = editor.form.questions[0]
        keep = tuple(q.name for q in consent.walk() if q.answerable)
        answers = dict(editor.current_interview().answers)
        for question in consent.walk():
            if question.type == "date" and "withdraw" in question.name:
                answers[question.name] = dt.date.today().isoformat()
        return withdrawn(editor.interview.with_answers(answers), dt.date.today(), keep)

    def ask_delete(self) -> QMessageBox:
        """Ask, then delete."""
        return self._ask(
            _("Delete this interview?"),
            _(
                "It is removed from this computer. If it was already sent, the centre is told "
                "that it was deleted. This cannot be undone."
            ),
            _("Delete"),
            _("Keep the interview"),
            self.delete,
        )

    def delete(self) -> None:
        """Delete the record (a tombstone revision), or drop a draft that was never saved."""
        editor = self._editor
        record_id = editor.interview.id
        saved_before = self._saved_before()
        editor.change_record(
            lambda: (
                self._service.queue_delete(record_id, DELETE_REASON)
                if saved_before
                else self._service.queue_discard_draft(record_id)
            ),
            _("Deleting the interview…"),
            lambda _done: editor.closed_record(_("The interview was deleted.")),
            context="deleting an interview",
        )

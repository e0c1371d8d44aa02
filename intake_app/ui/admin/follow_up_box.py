"""The centre's follow-up of the interview shown: its status, a note, and who changed them when.

Saving is explicit (the Save button, or Ctrl+S in the box), one transaction each time, so the
history holds the administrator's decisions rather than every keystroke. Nothing typed is lost:
- choosing another interview while a change is unsaved asks: save (and move on only once it is
  stored), discard, or stay;
- while another interview's follow-up is being read, nothing can be typed or saved: what is
  shown always belongs to `record_id`;
- locking the window (by hand or when nobody is at the desk) saves the change without asking
  (nobody may be there to answer): the save is queued on the vault thread before the vault
  closes, and a failure (of a save running when the lock came too) is said on the unlock
  page;
- closing the window waits for the save (`save_for_closing`) and stays open when it fails.
The follow-up is centre-side data: never sent to a laptop (the note's label says so).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.formatting import isolate
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.services.centre_triage import load_follow_up, save_follow_up
from intake_app.sync.centre import (
    FOLLOW_UP_STATUSES,
    FollowUp,
    FollowUpRecord,
    follow_up_text,
    when,
)
from intake_app.ui.admin.answers_html import direction, esc
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import MessageLine, wrap_text
from intake_app.ui.tasks import guarded, when_done


def clean(note: str) -> str:
    """A note as the centre stores it (`follow_up.clean_note`): "\\n" breaks, no trailing
    blanks."""
    return note.replace("\r\n", "\n").replace("\r", "\n").rstrip()


class FollowUpBox(QWidget):
    """Emits `saved(record id)` after a change was stored."""

    saved = Signal(str)

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("follow_up")
        self._service = service
        self.record_id: str | None = None
        self.loaded: FollowUpRecord | None = None  # None while `record_id`'s is being read
        self._saving = False
        self._pending: Future[FollowUp] | None = None  # the save running, while `_saving`
        self._after_save: Callable[[], None] | None = None  # the move asked while saving
        self.status = QComboBox(self)
        self.status_label = QLabel(self)
        self.status_label.setBuddy(self.status)
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note_label = wrap_text(QLabel(self))
        self.note_label.setBuddy(self.note)
        self.save_button = QPushButton(self)
        self.unsaved = QLabel(self)
        self.history_label = QLabel(self)
        self.history = QTextBrowser(self)
        self.history.setOpenLinks(False)
        self.history_label.setBuddy(self.history)
        self.message = MessageLine(self)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        grid = QGridLayout(self)
        grid.addWidget(self.status_label, 0, 0)
        grid.addWidget(self.status, 0, 1)
        grid.addWidget(self.unsaved, 0, 2)
        grid.addWidget(self.note_label, 1, 0, 1, 3)
        grid.addWidget(self.note, 2, 0, 1, 3)
        grid.addWidget(self.save_button, 3, 0, 1, 2)
        grid.addWidget(self.message, 4, 0, 1, 3)
        grid.addWidget(self.history_label, 5, 0, 1, 3)
        grid.addWidget(self.history, 6, 0, 1, 3)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(2, 1)
        grid.setRowStretch(6, 1)
        self.status.currentIndexChanged.connect(lambda _index: self._show_dirty())
        self.note.textChanged.connect(self._show_dirty)
        self.save_button.clicked.connect(self.save)
        self._set_enabled(False)
        register(self)

    def retranslate(self) -> None:
        self.status_label.setText(_("Stat&us:"))
        self.status.setAccessibleName(_("Follow-up status"))
        self.note_label.setText(_("&Note (kept at the centre, never sent to laptops):"))
        self.note.setAccessibleName(_("Follow-up note"))
        self.save_button.setText(_("&Save follow-up"))
        self.save_button.setAccessibleName(_("Save the follow-up status and note"))
        self.history_label.setText(_("Changes:"))
        self.history.setAccessibleName(_("Changes of the follow-up, oldest first"))
        chosen = self.status.currentData()
        self.status.blockSignals(True)
        self.status.clear()
        for code in FOLLOW_UP_STATUSES:
            self.status.addItem(follow_up_text(code), code)
        self.status.setCurrentIndex(max(self.status.findData(chosen), 0))
        self.status.blockSignals(False)
        self._show_dirty()
        self._show_history()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.status, self.note, self.save_button):
            widget.setEnabled(enabled)

    def load(self, record_id: str) -> None:
        """Show an interview's follow-up; the one shown keeps what is being typed. Until it is
        read, the fields are empty and disabled: nothing typed or saved can land in another
        interview."""
        if record_id == self.record_id and self.is_dirty():
            return
        self.record_id = record_id
        self.loaded = None
        self._set_enabled(False)
        self._show_stored(None)
        self._show_history()
        when_done(
            load_follow_up(self._service, record_id),
            self._loaded,
            lambda error: self._load_failed(record_id, error),
            owner=self,
            context="centre follow-up",
        )

    def _loaded(self, loaded: Any) -> None:
        assert isinstance(loaded, FollowUpRecord)
        if loaded.current.record_id != self.record_id:
            return  # another interview was chosen meanwhile
        self.loaded = loaded
        self._show_stored(loaded.current)
        self._set_enabled(True)
        self.note.setReadOnly(loaded.deleted)
        self.message.show_message("")
        self._show_dirty()
        self._show_history()

    def _show_stored(self, current: FollowUp | None) -> None:
        """Put the stored status and note in the fields (empty for None)."""
        status = FOLLOW_UP_STATUSES[0] if current is None else current.status
        self.status.blockSignals(True)
        self.status.setCurrentIndex(max(self.status.findData(status), 0))
        self.status.blockSignals(False)
        self.note.blockSignals(True)
        self.note.setPlainText("" if current is None else current.note)
        self.note.blockSignals(False)
        self._show_dirty()

    def _load_failed(self, record_id: str, error: KnownError) -> None:
        if record_id == self.record_id:  # the fields stay disabled: nothing of it is shown
            self.message.show_message(error.translated())

    def changes(self) -> tuple[str | None, str | None]:
        """(status, note) as they differ from what is stored; None where unchanged."""
        if self.loaded is None:
            return None, None
        current = self.loaded.current
        status = self.status.currentData()
        note = clean(self.note.toPlainText())
        return (
            status if status != current.status else None,
            note if note != current.note else None,
        )

    def is_dirty(self) -> bool:
        """Whether something changed that is not saved yet."""
        return self.changes() != (None, None)

    def _show_dirty(self) -> None:
        dirty = self.is_dirty()
        self.unsaved.setText(_("Not saved yet") if dirty else "")
        self.save_button.setEnabled(dirty and self.loaded is not None and not self._saving)

    @guarded("centre follow-up save")
    def save(self) -> Future[FollowUp] | None:
        """Store what changed (one transaction); None when nothing did (or a save runs)."""
        status, note = self.changes()
        if self.record_id is None or self._saving or (status, note) == (None, None):
            return None
        record_id = self.record_id
        future = save_follow_up(self._service, record_id, status, note)
        self._saving, self._pending = True, future
        self._set_enabled(False)  # nothing typed meanwhile is overwritten by the reading back
        when_done(
            future,
            lambda _saved: self._saved(record_id),
            self._save_failed,
            owner=self,
            context="centre follow-up save",
        )
        return future

    def _saved(self, record_id: str) -> None:
        self._saving, self._pending = False, None
        go_on, self._after_save = self._after_save, None
        self.saved.emit(record_id)
        if record_id == self.record_id:
            self.record_id = None  # read it back, with its new history row
            self.load(record_id)
        if go_on is not None:
            go_on()

    def _save_failed(self, error: KnownError) -> None:
        """The text stays as typed, on this interview, with the reason shown."""
        self._saving, self._pending = False, None
        self._after_save = None
        if self.loaded is not None:
            self._set_enabled(True)
            self.note.setReadOnly(self.loaded.deleted)
        self._show_dirty()
        self.message.show_message(error.translated())

    def ask_before_leaving(self, go_on: Callable[[], None]) -> bool:
        """Before another interview is shown: save, discard or stay. True: go on now. False:
        stay; after "Save", `go_on()` is called once the change is stored (never if storing
        fails: the text stays, with the reason)."""
        if self._saving:
            self._after_save = go_on
            return False
        if not self.is_dirty():
            return True
        box = QMessageBox(
            QMessageBox.Icon.Question,
            WINDOW_TITLE,
            _("The follow-up of this interview has changes that are not saved."),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            if self.save() is not None:
                self._after_save = go_on
            return False
        if answer == QMessageBox.StandardButton.Discard:
            if self.loaded is not None:
                self._show_stored(self.loaded.current)
            return True
        return False

    def save_for_closing(self) -> Future[FollowUp] | None:
        """Before the window closes: the save to wait for (the one running, or one started now
        for what changed); None when nothing is left unsaved. Its outcome shows here as for
        any save: a failure leaves the text as typed, with the reason."""
        if self._pending is not None:
            return self._pending
        return self.save() if self.is_dirty() else None

    def save_if_changed(self, on_error: Callable[[KnownError], None]) -> None:
        """On lock: store what changed without asking. This box may be gone when the answer
        comes: a failure goes to `on_error` (bugs are logged too), never nowhere; so does the
        failure of a save still running (asked with the button)."""
        if self._pending is not None:
            when_done(
                self._pending,
                lambda _saved: None,
                on_error,
                context="centre follow-up save",
            )
        elif self.is_dirty():
            status, note = self.changes()
            assert self.record_id is not None
            when_done(
                save_follow_up(self._service, self.record_id, status, note),
                lambda _saved: None,
                on_error,
                context="centre follow-up save",
            )

    def _show_history(self) -> None:
        loaded = self.loaded
        if loaded is None:
            self.history.clear()
            return
        dir_ = direction()
        parts: list[str] = []
        if loaded.deleted:
            gone = _("The interview was deleted on its laptop: its notes were removed.")
            parts.append(f"<p dir='{dir_}'><i>{esc(gone)}</i></p>")
        if not loaded.history:
            nothing = _("No changes yet.")
            parts.append(f"<p dir='{dir_}'>{esc(nothing)}</p>")
        for change in loaded.history:
            lines = [
                _("{time}, {who}", time=when(change.at), who=isolate(change.by)),
                _("Status: {status}", status=follow_up_text(change.status)),
            ]
            if change.note is not None:
                lines.append(
                    _("Note: {note}", note=change.note) if change.note else _("Note removed")
                )
            parts.append(
                f"<p dir='{dir_}'><b>{esc(lines[0])}</b><br/>"
                f"{'<br/>'.join(esc(line) for line in lines[1:])}</p>"
            )
        self.history.setHtml("".join(parts))

    def clear(self) -> None:
        """Forget what is shown (nothing is saved)."""
        self.record_id = None
        self._after_save = None
        self.loaded = None
        self.note.blockSignals(True)
        self.note.clear()
        self.note.blockSignals(False)
        self.history.clear()
        self._set_enabled(False)
        self._show_dirty()

"""Autosave: every change reaches the vault as a draft within two seconds, typing never waits.

A change (re)starts a short quiet-time timer; a second timer, started by the first change after
a save, caps the wait so that steady typing still saves every two seconds. The save itself is
queued on the vault thread (`WorkerService.save_draft`), so the GUI thread only takes a snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.formatting import format_time
from intake_app.services.worker import WorkerService
from intake_app.ui.tasks import when_done

QUIET_MS = 800
MAX_WAIT_MS = 2000
FLUSH_WAIT = 0.2  # seconds; a lock must not wait behind a vault thread that hangs


class DraftSaver(QObject):
    """Saves `snapshot()` as the draft after changes; `state_changed(text)` for the status bar."""

    state_changed = Signal(str)
    saved = Signal()

    def __init__(
        self,
        service: WorkerService,
        snapshot: Callable[[], dict[str, Any]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._snapshot = snapshot
        self._pending = False
        self._in_flight = 0
        self._last_saved: dt.datetime | None = None
        self._last_error: KnownError | None = None
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(QUIET_MS)
        self._quiet.timeout.connect(self.save_soon_done)
        self._cap = QTimer(self)
        self._cap.setSingleShot(True)
        self._cap.setInterval(MAX_WAIT_MS)
        self._cap.timeout.connect(self.save_soon_done)

    @property
    def pending(self) -> bool:
        """True while a change has not been handed to the vault yet."""
        return self._pending

    def changed(self) -> None:
        """Something was typed or picked: save soon."""
        self._pending = True
        self._quiet.start()
        if not self._cap.isActive():
            self._cap.start()

    def save_soon_done(self) -> None:
        """The wait is over: queue the save (the vault thread does the writing)."""
        if not self._pending:
            return
        self._stop_timers()
        self._pending = False
        self._in_flight += 1
        self.state_changed.emit(_("Saving…"))
        when_done(
            self._service.save_draft(self._snapshot()),
            self._done,
            self._failed,
            owner=self,
            context="autosave",
        )

    def flush(self) -> None:
        """Save a pending change now and wait for it (before locking or closing), a moment at
        most: when the vault thread hangs the save stays queued, and a lock that follows
        waits for it or gives it up with the thread's other work."""
        if not self._pending:
            return
        self._stop_timers()
        self._pending = False
        try:
            self._service.save_draft(self._snapshot()).result(timeout=FLUSH_WAIT)
        except TimeoutError:
            return
        self._note_saved()

    def discard(self) -> None:
        """Forget a pending change (the interview was finished or deleted)."""
        self._stop_timers()
        self._pending = False

    def _stop_timers(self) -> None:
        self._quiet.stop()
        self._cap.stop()

    def _done(self, _result: object) -> None:
        self._in_flight -= 1
        self._note_saved()

    def _note_saved(self) -> None:
        self._last_saved = dt.datetime.now(dt.UTC)
        self._last_error = None
        self.state_changed.emit(self.describe())
        self.saved.emit()

    def _failed(self, error: KnownError) -> None:
        self._in_flight -= 1
        self._last_error = error
        self._pending = True  # try again with the next change, or on flush
        self.state_changed.emit(self.describe())

    def describe(self) -> str:
        """The current state in words, in the current language."""
        if self._last_error is not None:
            return _("Not saved: {reason}", reason=self._last_error.translated())
        if self._in_flight:
            return _("Saving…")
        if self._last_saved is not None:
            return _("Saved {time}", time=format_time(self._last_saved))
        return ""

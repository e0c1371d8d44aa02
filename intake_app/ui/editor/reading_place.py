"""Where the worker is in an interview: the section shown and the question last in focus, kept
inside the vault a moment after each move (at once when the editor closes), so that opening the
interview again goes back there. Never in QSettings: it is the vault's business."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from intake_app.services import editor_memory
from intake_app.services.editor_memory import EditorPlace
from intake_app.services.worker import WorkerService
from intake_app.ui.tasks import when_done

KEEP_AFTER_MS = 1000


class PlaceKeeper(QObject):
    """Call `moved()` after each move; `where()` says the place now (None: nowhere to keep)."""

    def __init__(
        self,
        service: WorkerService,
        record_id: str,
        where: Callable[[], EditorPlace | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._record_id = record_id
        self._where = where
        self._kept: EditorPlace | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(KEEP_AFTER_MS)
        self._timer.timeout.connect(self.flush)

    def starting_at(self, place: EditorPlace | None) -> None:
        """The place the editor opened at (already kept: nothing to write until a move)."""
        self._kept = place

    def moved(self) -> None:
        """The section or the question changed: keep the place a moment later."""
        self._timer.start()

    def flush(self) -> None:
        """Keep the place now, if it changed (queued on the vault thread; never waits)."""
        self._timer.stop()
        place = self._where()
        if place is None or place == self._kept:
            return
        self._kept = place
        when_done(
            editor_memory.remember_place(self._service, self._record_id, place),
            lambda _none: None,
            lambda _error: None,  # a place not kept costs a scroll next time, nothing more
            owner=None,
            context="keeping the place in an interview",
        )

"""Watching the share's inbox while the window is open, and importing files chosen by hand.

A timer asks the service to scan the inbox; the scan runs on the service's thread and reports
each file through `progress` (a queued signal, so the slots run on the GUI thread).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from intake_app.errors import KnownError
from intake_app.services.centre import CentreService
from intake_app.sync.centre import ImportResult
from intake_app.ui.tasks import when_done

DEFAULT_INTERVAL_MS = 15_000


class InboxWatch(QObject):
    """Emits `progress(ScanProgress)`, then `finished(results)` or `failed(error)`."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, service: CentreService, interval_ms: int = DEFAULT_INTERVAL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.scan_now)

    def start(self) -> None:
        """Scan now and then every interval."""
        self.timer.start()
        self.scan_now()

    def stop(self) -> None:
        self.timer.stop()

    def scan_now(self) -> None:
        """Import what waits in the inbox (nothing happens while a scan or import runs)."""
        if self.busy or not self._service.is_unlocked:
            return
        self._run(self._service.scan_inbox(progress=self.progress.emit))

    def import_files(self, paths: Sequence[Path]) -> bool:
        """Import files the administrator chose (a USB stick); False while busy."""
        if self.busy:
            return False
        self._run(self._service.import_files(paths, progress=self.progress.emit))
        return True

    def _run(self, future: Future[list[ImportResult]]) -> None:
        self.busy = True
        when_done(future, self._done, self._failed, owner=self, context="centre inbox")

    def _done(self, results: object) -> None:
        self.busy = False
        self.finished.emit(results)

    def _failed(self, error: KnownError) -> None:
        self.busy = False
        self.failed.emit(error)


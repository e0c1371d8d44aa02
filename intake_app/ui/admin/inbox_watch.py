"""Watching the share's inbox while the window is open, and importing files chosen by hand.

A timer asks the service to scan the inbox; the scan runs on the service's thread and reports
each file through `progress` (a queued signal, so the slots run on the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from intake_app.errors import KnownError
from intake_app.services.centre import CentreService
from intake_app.sync.centre import ImportResult, ScanProgress
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
        self._run_number = 0  # results of a run started before `stop` are dropped
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.scan_now)

    def start(self) -> None:
        """Scan now and then every interval."""
        self.timer.start()
        self.scan_now()

    def stop(self) -> None:
        """No more scans; what a running one finds later is not reported (the vault locks)."""
        self.timer.stop()
        self._run_number += 1
        self.busy = False

    def scan_now(self) -> None:
        """Import what waits in the inbox (nothing happens while a scan or import runs)."""
        if self.busy or not self._service.is_unlocked:
            return
        self._run(self._service.scan_inbox(progress=self._reporter()))

    def import_files(self, paths: Sequence[Path]) -> bool:
        """Import files the administrator chose (a USB stick); False while busy."""
        if self.busy:
            return False
        self._run(self._service.import_files(paths, progress=self._reporter()))
        return True

    def _reporter(self) -> Callable[[ScanProgress], None]:
        """Report the progress of the run about to start, until `stop` (from any thread)."""
        number = self._run_number

        def report(progress: ScanProgress) -> None:
            if number == self._run_number:
                self.progress.emit(progress)
        return report

    def _run(self, future: Future[list[ImportResult]]) -> None:
        self.busy = True
        number = self._run_number

        def done(results: object) -> None:
            if number == self._run_number:
                self.busy = False
                self.finished.emit(results)

        def failed(error: KnownError) -> None:
            if number == self._run_number:
                self.busy = False
                self.failed.emit(error)

        when_done(future, done, failed, owner=self, context="centre inbox")


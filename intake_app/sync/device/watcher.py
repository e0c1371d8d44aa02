"""The watcher: notices the centre's share and gets bundles home by itself. No Qt.

The UI calls `check_once()` from a worker thread, on a timer and whenever Qt reports a network
change; "Sync now" calls `sync_now()`. Each call probes the share (in a thread, with a time
limit, so a hung network mount cannot block it), and when the share is reachable exports new
changes, collects receipts, uploads what waits, and purges what is due. Progress and the final
status go to `on_progress`, called from the thread that runs the check.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime

from intake_app.errors import KnownError
from intake_app.safelog import log_bug
from intake_app.storage import Vault
from intake_app.sync.device.probe import DEFAULT_TIMEOUT, ProbeFunction, ShareProbe, probe_folder
from intake_app.sync.device.round import Clock, ProgressCallback, SyncOptions, SyncReport, sync_once
from intake_app.sync.device.status import SyncState, SyncStatus


def _now() -> datetime:
    return datetime.now(UTC)


class ShareWatcher:
    """Runs sync rounds on request, one at a time, and keeps the latest status."""

    def __init__(
        self,
        vault: Vault,
        *,
        options: SyncOptions | None = None,
        probe_timeout: float = DEFAULT_TIMEOUT,
        probe: ProbeFunction = probe_folder,
        on_progress: ProgressCallback | None = None,
        clock: Clock = _now,
    ) -> None:
        self._vault = vault
        self._options = options or SyncOptions()
        self._probe = ShareProbe(probe_timeout, probe)
        self._on_progress = on_progress
        self._clock = clock
        self._busy = threading.Lock()
        self._status = SyncStatus(SyncState.OFFLINE)
        self._report: SyncReport | None = None

    @property
    def status(self) -> SyncStatus:
        """The latest status (also while a round is running)."""
        return self._status

    @property
    def last_report(self) -> SyncReport | None:
        """What the last finished round did."""
        return self._report

    def check_once(self, *, force: bool = False) -> SyncStatus:
        """Probe the share and, if reachable, sync; returns at once if a round is running."""
        if not self._busy.acquire(blocking=False):
            return self._status
        try:
            options = replace(self._options, force_resend=True) if force else self._options
            try:
                report = sync_once(self._vault, options=options, probe=self._probe,
                                   on_progress=self._progress, clock=self._clock)
            except KnownError as problem:  # e.g. the vault was locked meanwhile
                report = SyncReport(SyncStatus(SyncState.PROBLEM, problem=problem))
            except Exception as bug:
                log_bug(bug, "sync watcher")
                report = SyncReport(SyncStatus(SyncState.PROBLEM, problem=KnownError()))
            self._report = report
            self._progress(report.status)
            return report.status
        finally:
            self._busy.release()

    def sync_now(self) -> SyncStatus:
        """The worker pressed "Sync now": like `check_once`, and resend what the centre lost."""
        return self.check_once(force=True)

    def _progress(self, status: SyncStatus) -> None:
        self._status = status
        if self._on_progress is not None:
            self._on_progress(status)

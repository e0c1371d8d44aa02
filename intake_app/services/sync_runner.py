"""Getting interviews home from the application: the watcher's rounds on a thread of their own.

Qt-free. A round may copy bundles to a slow network share for minutes, so it runs neither on
the GUI thread nor on the vault thread (autosave must never wait for it); the vault's own lock
keeps its database calls apart from the vault thread's. Rounds run one at a time, and asking
again while one is waiting to run asks for nothing more. The status goes to `on_status` from
the sync thread; once `close` was called (the vault is being locked) nothing more is reported.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.errors import KnownError, VaultLocked

if TYPE_CHECKING:
    from intake_app.services.worker import WorkerService
    from intake_app.storage import Vault
    from intake_app.sync.device.folder_export import FolderExport
    from intake_app.sync.device.probe import ProbeFunction
    from intake_app.sync.device.status import SyncStatus
    from intake_app.sync.device.watcher import ShareWatcher

StatusCallback = Callable[["SyncStatus"], None]
_Work = tuple["Future[Any]", Callable[[], Any]]


class _SyncThread:
    """One daemon thread running queued work in order. A daemon, so that quitting never waits
    for a copy to a share that stopped answering (the copy's `.partial` file is ignored there,
    and the bundle stays in the outbox)."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[_Work | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
        self._thread.start()

    def submit(self, work: Callable[[], Any]) -> Future[Any]:
        future: Future[Any] = Future()
        self._queue.put((future, work))
        return future

    def stop(self) -> None:
        """Run nothing queued after this; the running work ends by itself."""
        self._queue.put(None)

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            future, work = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(work())
            except BaseException as error:  # the future carries it to whoever asked
                future.set_exception(error)


class SyncRunner:
    """Sync rounds for one unlocked vault: `check()` on a timer or a network change,
    `check(now=True)` for "Sync now" (which also resends what the centre may have lost)."""

    def __init__(
        self,
        service: WorkerService,
        on_status: StatusCallback,
        *,
        probe: ProbeFunction | None = None,
    ) -> None:
        self._service = service
        self._on_status = on_status
        self._probe = probe
        self._thread = _SyncThread()
        self._guard = threading.Lock()
        self._waiting: Future[SyncStatus | None] | None = None  # queued, not started
        self._waiting_now = False
        self._watcher: ShareWatcher | None = None
        self._vault: Vault | None = None
        self._closed = False

    def check(self, *, now: bool = False) -> Future[SyncStatus | None] | None:
        """Queue a round (None once closed); the future holds its status (None: locked)."""
        with self._guard:
            if self._closed:
                return None
            if self._waiting is not None and (self._waiting_now or not now):
                return self._waiting
            future: Future[SyncStatus | None] = self._thread.submit(self._round)
            self._waiting, self._waiting_now = future, now
            return future

    def export_to(self, folder: Path) -> Future[FolderExport]:
        """Bundle what changed and copy every bundle still waiting into `folder` (a USB stick),
        on the sync thread, so it never overlaps a round. Raises VaultLocked once closed."""
        from intake_app.sync.device.folder_export import export_to_folder

        def export() -> FolderExport:
            if self._closed:
                raise VaultLocked()
            return export_to_folder(self._open_vault(), folder)

        with self._guard:
            if self._closed:
                raise VaultLocked()
            made: Future[FolderExport] = self._thread.submit(export)
            return made

    def close(self) -> None:
        """Report nothing more and run no more rounds; a running one ends by itself."""
        with self._guard:
            if not self._closed:
                self._closed = True
                self._thread.stop()

    def _round(self) -> SyncStatus | None:
        with self._guard:
            now, self._waiting, self._waiting_now = self._waiting_now, None, False
            if self._closed:
                return None
        try:
            watcher = self._watcher or self._make_watcher()
        except VaultLocked:
            return None
        except Exception as error:  # the status line must not wait for a round that never ran
            return self._failed(error)
        status = watcher.sync_now() if now else watcher.check_once()
        report = watcher.last_report
        if report is not None and report.forms is not None and report.forms.changed:
            # New interviews start with the new version from now on (read on the vault thread;
            # once the vault is locked the reading just fails with VaultLocked, unseen).
            self._service.reload_forms()
        return status

    def _failed(self, error: Exception) -> SyncStatus:
        from intake_app.safelog import log_bug
        from intake_app.sync.device.status import SyncState, SyncStatus

        if not isinstance(error, KnownError):
            log_bug(error, "sync runner")
            error = KnownError()  # "something went wrong", without the bug's own words
        status = SyncStatus(SyncState.PROBLEM, problem=error)
        self._report(status)
        return status

    def _open_vault(self) -> Vault:
        """The open vault (from the vault thread, its device tables made); VaultLocked."""
        from intake_app.sync.device.schema import ensure_device_schema

        def open_vault(vault: Vault) -> Vault:
            ensure_device_schema(vault)
            return vault

        if self._vault is None:
            self._vault = self._service.run(open_vault).result()
        return self._vault

    def _make_watcher(self) -> ShareWatcher:
        from intake_app.sync.device.watcher import ShareWatcher

        options: dict[str, Any] = {} if self._probe is None else {"probe": self._probe}
        self._watcher = ShareWatcher(self._open_vault(), on_progress=self._report, **options)
        return self._watcher

    def _report(self, status: SyncStatus) -> None:
        if not self._closed:
            self._on_status(status)

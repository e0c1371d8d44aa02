"""The sync runner: rounds on a daemon thread of their own, nothing after closing."""

from __future__ import annotations

from pathlib import Path

from intake_app.services.sync_runner import SyncRunner
from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.sync.device.status import SyncState, SyncStatus


def test_rounds_run_on_a_daemon_thread_and_stop_when_closed(tmp_path: Path) -> None:
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM)
    try:
        service.create_vault("several words for the runner").result(timeout=60)
        seen: list[SyncStatus] = []
        runner = SyncRunner(service, seen.append)
        future = runner.check()
        assert future is not None
        status = future.result(timeout=30)
        assert status is not None and status.state is SyncState.NOT_ENROLLED
        assert seen == [status]
        # Quitting must never wait for a copy to a share that stopped answering.
        thread = runner._thread._thread
        assert thread.daemon and thread.name == "sync"
        runner.close()
        assert runner.check() is None and runner.check(now=True) is None
        thread.join(timeout=10)
        assert not thread.is_alive()
    finally:
        service.shutdown()

"""The watcher: reachability with a time limit, uploads, receipts, and the status it reports."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from intake_app.sync.device.probe import Reachability, probe_folder
from intake_app.sync.device.round import SyncOptions
from intake_app.sync.device.status import SyncState, SyncStatus
from intake_app.sync.device.watcher import ShareWatcher
from tests.helpers.device import (
    Clock,
    enrolled,
    inbox_files,
    open_vault,
    random_bytes,
    save_interview,
)


def test_not_enrolled(tmp_path: Path) -> None:
    vault = open_vault(tmp_path / "vault")
    status = ShareWatcher(vault).check_once()
    assert status.state is SyncState.NOT_ENROLLED
    assert "not enrolled" in status.describe()


def test_offline_when_the_share_is_not_there(tmp_path: Path) -> None:
    vault, centre, _identity = enrolled(tmp_path)
    save_interview(vault)
    centre.share.rmdir()
    status = ShareWatcher(vault).check_once()
    assert status.state is SyncState.OFFLINE
    assert (status.undelivered, status.waiting) == (1, 0)  # exported once reachable
    assert status.describe() == "Not connected to the centre. 1 interview waits to be delivered."


def test_reachable_share_gets_everything_and_receipts_finish_it(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    for _ in range(2):
        save_interview(vault, attachment=random_bytes(400_000))
    seen: list[SyncStatus] = []
    watcher = ShareWatcher(vault, options=SyncOptions(max_bundle_size=600_000),
                           on_progress=seen.append, clock=Clock())
    status = watcher.check_once()
    sending = [s for s in seen if s.state is SyncState.SENDING]
    assert sending[0].total == 0 and sending[0].describe() == "Preparing bundles for the centre…"
    assert {(s.sent, s.total) for s in sending[1:]} == {(1, 2), (2, 2)}
    assert sending[1].describe() == "Sending bundle 1 of 2 to the centre…"
    assert sending[-1].bytes_sent == sending[-1].bytes_total > 0
    assert status.state is SyncState.WAITING and status.waiting == 2
    assert seen[-1] == status == watcher.status
    for bundle in inbox_files(centre, identity):
        centre.receipt_for(bundle, identity)
    status = watcher.check_once()
    assert status.state is SyncState.DELIVERED
    assert status.last_receipt == "2026-11-28T16:00:00Z"
    assert status.describe().startswith("Everything is delivered.")
    report = watcher.last_report
    assert report is not None and [r.seq for r in report.receipts] == [1, 2]


def test_share_that_cannot_be_written_is_a_problem_with_advice(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    (centre.share / "inbox").mkdir()
    (centre.share / "inbox" / identity.device_id).write_bytes(b"not a folder")
    assert probe_folder(centre.share, identity.device_id) is Reachability.NOT_WRITABLE
    status = ShareWatcher(vault).check_once()
    assert status.state is SyncState.PROBLEM
    assert status.problem is not None and status.problem.code == "share-not-writable"
    assert "permissions" in status.describe()


def test_hung_share_is_cut_off_by_the_time_limit(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    save_interview(vault)
    release = threading.Event()
    probes: list[float] = []

    def hung_mount(share: Path, device_id: str) -> Reachability:
        probes.append(time.monotonic())
        release.wait(30)  # like a stat() on a network mount that stopped answering
        return probe_folder(share, device_id)

    watcher = ShareWatcher(vault, probe_timeout=0.3, probe=hung_mount)
    started = time.monotonic()
    status = watcher.check_once()
    assert time.monotonic() - started < 5
    assert status.state is SyncState.PROBLEM
    assert status.problem is not None and status.problem.code == "share-not-responding"
    # While the first probe is still stuck, no second one is started.
    assert watcher.check_once().problem.code == "share-not-responding"  # type: ignore[union-attr]
    assert len(probes) == 1
    release.set()
    time.sleep(0.1)
    assert watcher.check_once().state is SyncState.WAITING
    assert len(inbox_files(centre, identity)) == 1


def test_a_check_while_another_runs_returns_at_once(tmp_path: Path) -> None:
    vault, _centre, _identity = enrolled(tmp_path)
    entered = threading.Event()
    release = threading.Event()

    def slow_probe(share: Path, device_id: str) -> Reachability:
        entered.set()
        release.wait(30)
        return probe_folder(share, device_id)

    watcher = ShareWatcher(vault, probe_timeout=30, probe=slow_probe)
    worker = threading.Thread(target=watcher.check_once)
    worker.start()
    assert entered.wait(10)
    started = time.monotonic()
    assert watcher.check_once() is watcher.status
    assert time.monotonic() - started < 1
    release.set()
    worker.join(30)
    assert watcher.status.state is SyncState.DELIVERED


def test_locked_vault_is_reported_not_raised(tmp_path: Path) -> None:
    vault, _centre, _identity = enrolled(tmp_path)
    watcher = ShareWatcher(vault)
    vault.lock()
    status = watcher.check_once()
    assert status.state is SyncState.PROBLEM
    assert status.problem is not None and status.problem.code == "vault-locked"

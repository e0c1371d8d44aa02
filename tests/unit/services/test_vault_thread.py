"""The vault thread: work in order, and a lock that never waits behind work that hangs."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from intake_app.errors import VaultLocked
from intake_app.services import vault_thread
from intake_app.services.vault_thread import VaultThread, lock_soon
from intake_app.storage import Vault
from tests.helpers.ui import PASSPHRASE, make_service


def test_a_lock_runs_after_the_queued_work_and_refuses_new_work_meanwhile() -> None:
    thread = VaultThread()
    done: list[str] = []
    go_on = threading.Event()
    thread.submit(go_on.wait)
    saved = thread.submit(lambda: done.append("save"))
    closed = thread.close_after(lambda: done.append("close"))
    with pytest.raises(VaultLocked):
        thread.submit(lambda: done.append("late")).result(timeout=5)
    go_on.set()
    closed.result(timeout=5)
    assert saved.done() and done == ["save", "close"]
    thread.reopen()
    assert thread.call(lambda: 7) == 7
    thread.shutdown()


def test_an_abandoned_thread_drops_its_work_and_throws_its_results_away() -> None:
    thread = VaultThread()
    go_on = threading.Event()
    ran: list[str] = []
    hanging = thread.submit(lambda: (go_on.wait(), ran.append("hanging"))[1])
    queued = thread.submit(lambda: ran.append("queued"))
    closed: list[str] = []
    began = time.monotonic()
    assert lock_soon(thread, lambda: closed.append("thread"), lambda: None,
                     lambda: closed.append("here"))
    assert time.monotonic() - began < vault_thread.LOCK_WAIT + vault_thread.INTERRUPTED_WAIT + 0.3
    assert closed == ["here"]
    for future in (hanging, queued):
        with pytest.raises(VaultLocked):
            future.result(timeout=0)
    with pytest.raises(VaultLocked):
        thread.submit(lambda: ran.append("late")).result(timeout=0)
    assert not thread.adopt(lambda: ran.append("adopted"))
    go_on.set()
    time.sleep(0.2)
    assert ran == ["hanging"] and closed == ["here"]  # nothing queued ran after it
    thread.shutdown()  # returns at once


def test_an_unlock_that_ends_after_the_lock_gave_up_leaves_the_vault_closed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    service = make_service(tmp_path)
    service.create_vault(PASSPHRASE).result(timeout=30)
    service.lock()
    go_on = threading.Event()
    opened: list[Vault] = []
    real_unlock = Vault.unlock

    def slow_unlock(folder: Path, passphrase: str) -> Vault:
        go_on.wait()
        vault = real_unlock(folder, passphrase)
        opened.append(vault)
        return vault

    monkeypatch.setattr(Vault, "unlock", staticmethod(slow_unlock))
    try:
        unlocking = service.unlock(PASSPHRASE)
        service.lock()  # the unlock hangs: given up
        with pytest.raises(VaultLocked):
            unlocking.result(timeout=0)
        go_on.set()
        deadline = time.monotonic() + 30
        while not (opened and opened[0].is_locked) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert opened and opened[0].is_locked
        assert not service.unlocked
        monkeypatch.setattr(Vault, "unlock", real_unlock)
        service.unlock(PASSPHRASE).result(timeout=30)  # a new thread for the next unlock
        assert service.unlocked
    finally:
        go_on.set()
        service.shutdown()

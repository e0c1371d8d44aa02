"""Lock always locks: the administrator's Ctrl+L and idle lock close the workspace and the centre
vault at once while the vault thread hangs reading a FIFO on the share (issue 14)."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
import sqlcipher3
from pytestqt.qtbot import QtBot

from intake_app.errors import VaultLocked
from intake_app.services.centre import CentreService
from intake_app.ui.admin.window import AdminWindow
from tests.gui.admin.test_window import shown_window, unlock
from tests.helpers.centre import REGISTRY, make_centre

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")

# The old lock waited for the hanging work: the FIFO is fed after this long so that such a
# lock fails the test instead of hanging it.
RELEASE_AFTER = 4.0


def feed(fifo: Path) -> None:
    """Let the reader blocked on `fifo` go on (it reads a byte, then the end of the file)."""
    with contextlib.suppress(OSError):  # nobody reads any more
        descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.write(descriptor, b"x")
        os.close(descriptor)


class HangingRead:
    """Vault work that writes inside a transaction, then reads a FIFO on the share: it hangs
    until `feed`, as a read from a share that stopped answering does."""

    def __init__(self, share: Path) -> None:
        self.fifo = share / "inbox.fifo"
        os.mkfifo(self.fifo)
        self.started = threading.Event()
        self.finished = threading.Event()
        self.timer = threading.Timer(RELEASE_AFTER, feed, (self.fifo,))

    def __call__(self, centre: Any) -> bytes:
        try:
            with centre.vault.transaction() as conn:
                conn.execute("CREATE TABLE hang_probe (x)")
                conn.execute("INSERT INTO hang_probe VALUES (1)")
                self.started.set()
                data = self.fifo.read_bytes()
                conn.execute("INSERT INTO hang_probe VALUES (2)")
            return data
        finally:
            self.finished.set()

    def start(self, service: CentreService) -> Any:
        future = service.run(self)
        assert self.started.wait(30)
        self.timer.start()
        return future

    def release(self) -> None:
        self.timer.cancel()
        feed(self.fifo)
        assert self.finished.wait(30)


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot, qapp: object) -> Iterator[AdminWindow]:
    make_centre(tmp_path).close()
    with shown_window(CentreService(tmp_path / "centre-data", registry=REGISTRY), qtbot,
                      qapp) as made:
        yield made


def probe_rows(window: AdminWindow) -> int:
    def count(centre: Any) -> int:
        return int(centre.vault.connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'hang_probe'").fetchone()[0])
    return int(window.service.run(count).result(timeout=30))


def assert_locked_at_once(window: AdminWindow, qtbot: QtBot, shown: object, vault: Any,
                          raw: Any) -> None:
    assert window.pages.currentWidget() is window.unlock_page
    assert window.unlock_page.isVisible()
    assert window.workspace is not shown
    qtbot.waitUntil(lambda: not shiboken6.isValid(shown), timeout=2000)
    assert not window.service.is_unlocked
    assert vault.is_locked
    with pytest.raises(VaultLocked):
        _ = vault.connection
    with pytest.raises(sqlcipher3.ProgrammingError):  # the SQLCipher connection is closed
        raw.execute("SELECT 1")


def test_ctrl_l_locks_while_the_vault_thread_reads_a_fifo(window: AdminWindow, qtbot: QtBot,
                                                           tmp_path: Path) -> None:
    unlock(window, qtbot)
    vault = window.service.run(lambda centre: centre.vault).result(timeout=30)
    raw = vault.connection
    hanging = HangingRead(tmp_path / "share")
    future = hanging.start(window.service)
    shown = window.workspace

    began = time.monotonic()
    window.lock_shortcut.activated.emit()
    took = time.monotonic() - began

    assert took < 1.0, f"the lock took {took:.1f} s"
    assert_locked_at_once(window, qtbot, shown, vault, raw)
    with pytest.raises(VaultLocked):  # the hanging work was given up
        future.result(timeout=0)
    # Whatever the read returns later, nothing is written and no bug is logged.
    hanging.release()
    qtbot.wait(100)
    assert window.pages.currentWidget() is window.unlock_page
    unlock(window, qtbot)
    assert probe_rows(window) == 0


def test_the_idle_lock_locks_while_the_vault_thread_reads_a_fifo(
        tmp_path: Path, qtbot: QtBot, qapp: object) -> None:
    make_centre(tmp_path).close()
    service = CentreService(tmp_path / "centre-data", registry=REGISTRY)
    made = AdminWindow(service, watch_interval_ms=3_600_000, idle_seconds=3600)
    qtbot.addWidget(made)
    made.show()
    hanging = HangingRead(tmp_path / "share")
    try:
        unlock(made, qtbot)
        vault = service.run(lambda centre: centre.vault).result(timeout=30)
        raw = vault.connection
        shown = made.workspace
        hanging.start(service)
        made.idle.set_timeout(0.5)
        made.idle.arm()  # the half second counts from here
        began = time.monotonic()
        qtbot.waitUntil(lambda: made.pages.currentWidget() is made.unlock_page, timeout=3000)
        took = time.monotonic() - began
        assert took < 0.5 + 1.0, f"the idle lock came after {took:.1f} s"
        assert_locked_at_once(made, qtbot, shown, vault, raw)
        hanging.release()
        qtbot.wait(100)
        assert not service.is_unlocked
    finally:
        hanging.release()
        made.close()
        service.shutdown()

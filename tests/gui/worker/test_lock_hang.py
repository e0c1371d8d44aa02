"""Lock always locks: the worker's Ctrl+L and idle lock destroy the workspace and close the
vault at once while the vault thread hangs (issue 14)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from PySide6.QtCore import Qt

from intake_app.errors import VaultLocked
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import (
    OFFSCREEN_NOISE,
    PASSPHRASE,
    editor_opened,
    make_preferences,
    make_service,
)

pytestmark = OFFSCREEN_NOISE
# The old lock waited for the hanging work: it is let go after this long so that such a lock
# fails the test instead of hanging it.
RELEASE_AFTER = 4.0


class HangingWork:
    """Vault work that writes inside a transaction, then waits for an event (as a copy from a
    share that stopped answering does)."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.go_on = threading.Event()
        self.finished = threading.Event()
        self.timer = threading.Timer(RELEASE_AFTER, self.go_on.set)

    def __call__(self, vault: Any) -> None:
        try:
            with vault.transaction() as conn:
                conn.execute("CREATE TABLE hang_probe (x)")
                conn.execute("INSERT INTO hang_probe VALUES (1)")
                self.started.set()
                self.go_on.wait()
                conn.execute("INSERT INTO hang_probe VALUES (2)")
        finally:
            self.finished.set()

    def start(self, shell: Shell) -> Any:
        future = shell.service.run(self)
        assert self.started.wait(30)
        self.timer.start()
        return future

    def release(self) -> None:
        self.timer.cancel()
        self.go_on.set()
        assert self.finished.wait(30)


@pytest.fixture
def shell(qtbot: Any, tmp_path: Path) -> Iterator[Shell]:
    service = make_service(tmp_path)
    service.create_vault(PASSPHRASE).result()
    window = Shell(service, make_preferences(tmp_path), idle_seconds=3600)
    qtbot.addWidget(window)
    window.show_workspace()
    window.show()
    yield window
    service.shutdown()


def open_vault(shell: Shell) -> tuple[Any, Any]:
    vault = shell.service.run(lambda v: v).result(timeout=30)
    return vault, vault.connection


def assert_locked(shell: Shell, vault: Any, raw: Any) -> None:
    assert shell.workspace is None
    assert shell.pages.currentWidget() is shell.unlock_screen
    assert not shell.service.unlocked
    assert vault.is_locked
    with pytest.raises(VaultLocked):
        _ = vault.connection
    with pytest.raises(sqlcipher3.ProgrammingError):  # the SQLCipher connection is closed
        raw.execute("SELECT 1")


def nothing_written(shell: Shell) -> bool:
    shell.service.unlock(PASSPHRASE).result(timeout=30)
    try:
        found = shell.service.run(lambda v: v.connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'hang_probe'").fetchone()[0])
        return bool(found.result(timeout=30) == 0)
    finally:
        shell.service.lock()


def test_ctrl_l_locks_while_the_vault_thread_hangs(qtbot: Any, shell: Shell) -> None:
    vault, raw = open_vault(shell)
    shown = shell.workspace
    assert shown is not None
    shown.new_action.trigger()  # an interview open, with a change not saved yet
    editor_opened(qtbot, shown)
    assert shown.editor is not None
    shown.editor.saver.changed()
    hanging = HangingWork()
    future = hanging.start(shell)

    began = time.monotonic()
    qtbot.keyClick(shown, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    took = time.monotonic() - began

    assert took < 1.0, f"the lock took {took:.1f} s"
    assert_locked(shell, vault, raw)
    with pytest.raises(VaultLocked):  # the hanging work was given up
        future.result(timeout=0)
    hanging.release()
    qtbot.wait(100)
    assert nothing_written(shell)


def test_the_idle_lock_locks_while_the_vault_thread_hangs(qtbot: Any, shell: Shell) -> None:
    vault, raw = open_vault(shell)
    hanging = HangingWork()
    try:
        hanging.start(shell)
        shell.idle.set_timeout(0.5)
        shell.idle.arm()  # the half second counts from here
        began = time.monotonic()
        with qtbot.waitSignal(shell.locked, timeout=3000) as blocker:
            pass
        took = time.monotonic() - began
        assert blocker.args == ["idle"]
        assert took < 0.5 + 1.0, f"the idle lock came after {took:.1f} s"
        assert_locked(shell, vault, raw)
    finally:
        hanging.release()
    qtbot.wait(100)
    assert nothing_written(shell)

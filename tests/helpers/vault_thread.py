"""Holding the worker's vault thread busy (a slow disk, a share that stopped answering) and
waiting for what it handed back, for the UI tests."""

from __future__ import annotations

import threading
from typing import Any

from intake_app.ui.tasks import when_done
from intake_app.ui.worker.shell import Shell

RELEASE_AFTER = 5.0  # seconds: a GUI thread that waits for the held vault thread fails, not hangs


class HeldVaultThread:
    """Vault work that waits for `release()` (as a slow disk or a share that stopped answering
    keeps the vault thread busy); it lets go by itself after RELEASE_AFTER."""

    def __init__(self, shell: Shell) -> None:
        self.started = threading.Event()
        self.go_on = threading.Event()
        self.timer = threading.Timer(RELEASE_AFTER, self.go_on.set)
        self.future = shell.service.run(self._hold)
        assert self.started.wait(30)
        self.timer.start()

    def _hold(self, _vault: Any) -> None:
        self.started.set()
        self.go_on.wait()

    def release(self) -> None:
        self.timer.cancel()
        self.go_on.set()


def delivered_so_far(qtbot: Any, shell: Shell) -> None:
    """Wait until every result the vault thread handed back so far reached the GUI thread:
    queued results are delivered in order, so a later one arriving says the earlier did."""
    arrived: list[bool] = []
    when_done(shell.service.run(lambda _vault: None), lambda _r: arrived.append(True),
              lambda _e: arrived.append(True))
    qtbot.waitUntil(lambda: bool(arrived), timeout=10000)

"""Bring the result of background work (a `concurrent.futures.Future`) back to the GUI thread.

The one bridge between worker threads and widgets: the future's callback emits a queued signal,
so slots always run on the GUI thread. Known errors arrive as themselves; any other exception
is logged without its message and arrives as a plain `KnownError` ("something went wrong").
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from intake_app import safelog
from intake_app.errors import KnownError


class _Relay(QObject):
    done = Signal(object, object)  # (result, error)


_running: set[_Relay] = set()


def when_done(
    future: Future[Any],
    on_result: Callable[[Any], None],
    on_error: Callable[[KnownError], None],
    *,
    owner: QObject | None = None,
    context: str = "background work",
) -> None:
    """Call `on_result(value)` or `on_error(known_error)` on the GUI thread when `future` ends.

    Nothing is called when `owner` was destroyed meanwhile (the vault was locked and the screen
    that asked is gone). `context` (no personal data) says where a bug happened in the log.
    """
    relay = _Relay()
    _running.add(relay)

    def deliver(result: object, error: object) -> None:
        _running.discard(relay)
        relay.deleteLater()
        if owner is not None and not shiboken6.isValid(owner):
            return
        if error is None:
            on_result(result)
        else:
            assert isinstance(error, KnownError)
            on_error(error)

    relay.done.connect(deliver, Qt.ConnectionType.QueuedConnection)

    def finished(done: Future[Any]) -> None:
        error = done.exception()
        if error is None:
            relay.done.emit(done.result(), None)
        elif isinstance(error, KnownError):
            relay.done.emit(None, error)
        else:
            safelog.log_bug(error, context)
            relay.done.emit(None, KnownError())

    future.add_done_callback(finished)

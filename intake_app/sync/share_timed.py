"""Every call on the share with a time limit: a share that stops answering is
`ShareNotAnswering`, never a hang."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from intake_app.sync.errors import ShareNotAnswering

#: Seconds one call on the share (open, read, list, look, rename) may take.
READ_TIMEOUT = 30.0

_T = TypeVar("_T")


def timed(call: Callable[[], _T], *, folder: Path, timeout: float | None = None,
          discard: Callable[[_T], None] | None = None) -> _T:
    """Run one blocking call on the share with a time limit.

    The call runs on a daemon thread; if it has not returned after `timeout` seconds
    (`READ_TIMEOUT` by default) `ShareNotAnswering` is raised and the thread is left to finish
    on its own (`discard` then gets a late result, to close what it opened).
    """
    limit = READ_TIMEOUT if timeout is None else timeout
    done = threading.Event()
    lock = threading.Lock()
    outcome: list[tuple[bool, object]] = []
    abandoned = False

    def run() -> None:
        try:
            result: tuple[bool, object] = (True, call())
        except BaseException as exc:  # handed to the caller's thread
            result = (False, exc)
        with lock:
            late = abandoned
            outcome.append(result)
        done.set()
        if late and result[0] and discard is not None:
            with contextlib.suppress(Exception):
                discard(result[1])  # type: ignore[arg-type]

    thread = threading.Thread(target=run, name="share-call", daemon=True)
    thread.start()
    if not done.wait(limit):
        with lock:
            if not outcome:
                abandoned = True
        if abandoned:
            raise ShareNotAnswering(folder=str(folder), seconds=f"{limit:g}")
    ok, value = outcome[0]
    if not ok:
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[return-value]

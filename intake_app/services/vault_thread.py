"""One thread that owns the vault's database connection.

SQLite connections belong to the thread that opened them (sqlcipher3 checks), and the slow
parts (Argon2 when unlocking) must not run on the GUI thread. So every vault call runs here,
one after another, in the order it was asked for: a draft save queued before a lock is done
before the lock. Qt-free: callers get `concurrent.futures.Future`s.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class VaultThread:
    """A single worker thread; `submit` queues work, `call` queues and waits for the result."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vault")
        self._ident: int | None = None
        self.closed = False
        self._executor.submit(self._remember_ident).result()

    def _remember_ident(self) -> None:
        self._ident = threading.get_ident()

    def in_thread(self) -> bool:
        """True when running on the vault thread itself."""
        return threading.get_ident() == self._ident

    def submit(self, fn: Callable[..., T], *args: object) -> Future[T]:
        """Queue `fn(*args)`; the future holds its result or its exception."""
        if self.in_thread():  # re-entrant use from vault work runs inline, never deadlocks
            future: Future[T] = Future()
            try:
                future.set_result(fn(*args))
            except BaseException as error:
                future.set_exception(error)
            return future
        return self._executor.submit(fn, *args)

    def queue(self, fn: Callable[..., T], *args: object) -> Future[T]:
        """Queue `fn(*args)` behind the work already waiting, also when asked from the vault
        thread itself (work split in steps that let the queued saves through in between)."""
        return self._executor.submit(fn, *args)

    def call(self, fn: Callable[..., T], *args: object) -> T:
        """Run `fn(*args)` on the vault thread and wait: for quick reads and writes (ms)."""
        return self.submit(fn, *args).result()

    def shutdown(self) -> None:
        """Finish the queued work and stop the thread."""
        self.closed = True
        self._executor.shutdown(wait=True)

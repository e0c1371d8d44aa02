"""One thread that owns the vault's database connection.

SQLite connections belong to the thread that opened them (sqlcipher3 checks), and the slow
parts (Argon2 when unlocking) must not run on the GUI thread. So every vault call runs here,
one after another, in the order it was asked for: a draft save queued before a lock is done
before the lock. Qt-free: callers get `concurrent.futures.Future`s.

Locking must never wait behind work that hangs (a read from a share that stopped answering):
`close_after` runs the closing step after the queued work and refuses new work meanwhile;
when the thread does not get there in time the locking side `abandon`s it. Abandoned, the
thread runs nothing more, every waiting future fails with `VaultLocked` at once, and whatever
the hanging work returns later is thrown away. The thread is a daemon, so a read that never
returns does not keep the application from quitting.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from intake_app.errors import VaultLocked

T = TypeVar("T")
LOCK_WAIT = 0.2  # seconds the queued work may take before a lock stops its statement
INTERRUPTED_WAIT = 0.2  # and then before the lock gives the thread up
_Work = tuple["Future[Any]", Callable[[], Any]]


class VaultThread:
    """A single worker thread; `submit` queues work, `call` queues and waits for the result."""

    def __init__(self) -> None:
        self._guard = threading.Condition()
        self._queue: collections.deque[_Work] = collections.deque()
        self._running: Future[Any] | None = None
        self._refusing = False  # a lock is queued: new work fails with VaultLocked
        self.closed = False  # shut down or abandoned: nothing more runs here
        self.abandoned = False
        self._thread = threading.Thread(target=self._run, name="vault", daemon=True)
        self._thread.start()

    def in_thread(self) -> bool:
        """True when running on the vault thread itself."""
        return threading.current_thread() is self._thread

    def submit(self, fn: Callable[..., T], *args: object) -> Future[T]:
        """Queue `fn(*args)`; the future holds its result or its exception."""
        if self.in_thread():  # re-entrant use from vault work runs inline, never deadlocks
            future: Future[T] = Future()
            try:
                future.set_result(fn(*args))
            except BaseException as error:
                future.set_exception(error)
            return future
        return self.queue(fn, *args)

    def queue(self, fn: Callable[..., T], *args: object) -> Future[T]:
        """Queue `fn(*args)` behind the work already waiting, also when asked from the vault
        thread itself (work split in steps that let the queued saves through in between).
        Once a lock is queued, or the thread was stopped, the future fails with VaultLocked."""
        return self._put(lambda: fn(*args), refuse=True)

    def call(self, fn: Callable[..., T], *args: object) -> T:
        """Run `fn(*args)` on the vault thread and wait: for quick reads and writes (ms)."""
        return self.submit(fn, *args).result()

    def close_after(self, fn: Callable[[], T]) -> Future[T]:
        """Queue `fn` (closing the vault) behind the queued work and refuse new work until
        `reopen`; in the vault thread itself it runs at once."""
        if self.in_thread():
            return self.submit(fn)
        with self._guard:
            self._refusing = True
        return self._put(fn, refuse=False)

    def reopen(self) -> None:
        """Accept new work again (the vault was closed; the next unlock may come)."""
        with self._guard:
            self._refusing = False

    @staticmethod
    def wait(future: Future[Any], seconds: float) -> bool:
        """Whether `future` ended within `seconds` (its exception is not raised here)."""
        try:
            future.exception(timeout=seconds)
        except FutureTimeout:
            return False
        return True

    def abandon(self) -> None:
        """Give the thread up (its work hangs): run nothing more on it and fail every waiting
        future, the running one included, with VaultLocked. The running work is left to end
        by itself; what it returns is thrown away."""
        with self._guard:
            self.abandoned = self.closed = True
            dropped = [future for future, _work in self._queue]
            self._queue.clear()
            if self._running is not None:
                dropped.append(self._running)
            self._guard.notify_all()
        for future in dropped:
            _fail(future)

    def adopt(self, keep: Callable[[], None]) -> bool:
        """From work on this thread: run `keep` (remember a vault just opened) unless the thread
        was abandoned meanwhile; False then, and the caller closes what it opened. Atomic with
        `abandon`, so a vault unlocked while the lock gave up waiting is never left open."""
        with self._guard:
            if self.abandoned:
                return False
            keep()
            return True

    def shutdown(self) -> None:
        """Finish the queued work and stop the thread (at once when it was abandoned)."""
        with self._guard:
            self.closed = True
            self._guard.notify_all()
        if not self.abandoned and not self.in_thread():
            self._thread.join()

    def _put(self, work: Callable[[], T], *, refuse: bool) -> Future[T]:
        future: Future[T] = Future()
        with self._guard:
            if self.closed or (refuse and self._refusing):
                future.set_exception(VaultLocked())
                return future
            self._queue.append((future, work))
            self._guard.notify()
        return future

    def _run(self) -> None:
        while True:
            with self._guard:
                while not self._queue and not self.closed:
                    self._guard.wait()
                if not self._queue or self.abandoned:
                    return
                future, work = self._queue.popleft()
                self._running = future
            if future.set_running_or_notify_cancel():
                try:
                    result = work()
                except BaseException as error:  # the future carries it to whoever asked
                    _settle(future, error=error)
                else:
                    _settle(future, result=result)
            with self._guard:
                self._running = None
                if self.abandoned:
                    return


def _fail(future: Future[Any]) -> None:
    _settle(future, error=VaultLocked())


def _settle(future: Future[Any], *, result: object = None,
            error: BaseException | None = None) -> None:
    """Set the future's outcome unless it was settled already (failed by `abandon`)."""
    try:
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)
    except InvalidStateError:  # abandoned meanwhile: the outcome is thrown away
        pass


def lock_soon(thread: VaultThread, close: Callable[[], None], interrupt: Callable[[], None],
              close_now: Callable[[], None]) -> bool:
    """Close the vault within about 0.4 s, whatever its thread is doing.

    `close` runs on the thread after the queued work (saves queued before the lock are
    kept). When the thread does not get there in time, `interrupt` stops its running
    statement; when even that does not free it (it waits for a share), the thread is
    abandoned and `close_now` closes the vault from here. True: abandoned, the caller
    needs a new thread for the next unlock.
    """
    done = thread.close_after(close)
    if thread.wait(done, LOCK_WAIT):
        thread.reopen()
        return False
    interrupt()
    if thread.wait(done, INTERRUPTED_WAIT):
        thread.reopen()
        return False
    thread.abandon()
    close_now()
    return True

"""The vault's one keyed connection, shared by its users, with re-entrant transactions.

`Database.transaction` is one SQLite transaction (BEGIN IMMEDIATE ... COMMIT), a savepoint when
nested, and runs its connection's after-commit or after-rollback actions (`vault_connection`);
`read_transaction` reads on a read-only connection of its own. Opening the database is in
`database_open`, the mapping of SQLite's failures in `database_errors`; their names are
importable from here too.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

import sqlcipher3

from intake_app.errors import VaultLocked
from intake_app.storage.database_errors import DISK_ERROR_CODES, known_error_for, sqlite_errors
from intake_app.storage.database_open import (
    BUSY_TIMEOUT_MS,
    COMPANION_SUFFIXES,
    FULL_CHECK_BYTES,
    JOURNAL_SIZE_LIMIT,
    PAGE_BYTES,
    check_database_file,
    open_database,
    open_reader,
    validate_database,
)
from intake_app.storage.errors import VaultBusy
from intake_app.storage.vault_connection import (
    Connection,
    VaultConnection,
    action_marks,
    committed,
    rolled_back,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "COMPANION_SUFFIXES",
    "DISK_ERROR_CODES",
    "FULL_CHECK_BYTES",
    "JOURNAL_SIZE_LIMIT",
    "PAGE_BYTES",
    "Connection",
    "Database",
    "VaultConnection",
    "check_database_file",
    "known_error_for",
    "open_database",
    "open_reader",
    "sqlite_errors",
    "validate_database",
]


class Database:
    """One keyed connection shared by the vault's users, with re-entrant transactions."""

    def __init__(self, conn: Connection) -> None:
        self._conn: Connection | None = conn
        self._lock = threading.RLock()
        self._depth = 0
        self.commits = 0  # transactions this connection committed (see `changed_since`)
        self._writer: int | None = None  # the thread inside `transaction`, if any
        # Read connections for `read_transaction` (idle ones, and all of them).
        self._open_reader: Callable[[], Connection] | None = None
        self._idle_readers: list[Connection] = []
        self._readers: set[Connection] = set()
        self._readers_lock = threading.Lock()

    @property
    def connection(self) -> Connection:
        """The raw connection; raises VaultLocked once the vault is locked."""
        if self._conn is None:
            raise VaultLocked()
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @contextlib.contextmanager
    def _closed_meanwhile(self) -> Iterator[None]:
        """A connection closed under its user by a lock (`close(wait=False)`): VaultLocked."""
        try:
            yield
        except sqlcipher3.ProgrammingError:
            if self._conn is None:
                raise VaultLocked() from None
            raise

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """The connection for reads, with known errors mapped and other threads held off."""
        with self._lock, self._closed_meanwhile(), sqlite_errors():
            yield self.connection

    def set_reader(self, open_reader: Callable[[], Connection]) -> None:
        """How to open a read-only connection for `read_transaction` (the vault's key)."""
        self._open_reader = open_reader

    @contextlib.contextmanager
    def read_transaction(self) -> Iterator[Connection]:
        """A read transaction (BEGIN DEFERRED ... COMMIT) on a read-only connection of its
        own: it sees what was committed when it began and never waits for a write transaction
        of another thread or process (WAL). Inside this thread's own `transaction`, or without
        `set_reader`, it is `reading()` (so it sees the transaction's writes)."""
        if self._open_reader is None or self._writer == threading.get_ident():
            with self.reading() as conn:
                yield conn
            return
        self.connection  # noqa: B018 - raises VaultLocked once the vault is locked
        conn = self._take_reader()
        try:
            with self._closed_meanwhile(), sqlite_errors():
                conn.execute("BEGIN DEFERRED")
                try:
                    yield conn
                finally:
                    if conn.in_transaction:
                        conn.execute("COMMIT")
        finally:
            self._give_back(conn)

    def _take_reader(self) -> Connection:
        with self._readers_lock:
            if self._idle_readers:
                return self._idle_readers.pop()
        assert self._open_reader is not None
        conn = self._open_reader()
        with self._readers_lock:
            self._readers.add(conn)
        return conn

    def _give_back(self, conn: Connection) -> None:
        with self._readers_lock:
            if conn in self._readers:
                if self._conn is None:
                    self._readers.discard(conn)
                    conn.close()
                else:
                    self._idle_readers.append(conn)

    def _close_readers(self) -> None:
        with self._readers_lock:
            readers, self._readers = self._readers, set()
            idle, self._idle_readers = self._idle_readers, []
        for conn in readers:
            if conn not in idle:
                conn.interrupt()  # in use by another thread: its read fails with VaultLocked
            with contextlib.suppress(sqlcipher3.Error):
                conn.close()

    @contextlib.contextmanager
    def transaction(self, *, wait: bool = True) -> Iterator[Connection]:
        """One SQLite transaction (BEGIN IMMEDIATE ... COMMIT); nested use becomes a savepoint.
        `wait=False`: VaultBusy at once when another thread or process is writing."""
        if not self._lock.acquire(blocking=wait):
            raise VaultBusy()
        try:
            with self._closed_meanwhile(), sqlite_errors():
                yield from self._transaction(wait)
        finally:
            self._lock.release()

    def _transaction(self, wait: bool) -> Iterator[Connection]:
        conn = self.connection
        depth = self._depth
        savepoint = f"nested_{depth}"
        if depth == 0 and not wait:
            conn.execute("PRAGMA busy_timeout = 0").fetchall()
            try:
                conn.execute("BEGIN IMMEDIATE")
            finally:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}").fetchall()
        else:
            conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {savepoint}")
        marks = action_marks(conn)
        self._depth += 1
        writer, self._writer = self._writer, threading.get_ident()
        try:
            yield conn
        except BaseException:
            self._writer = writer
            self._depth = depth
            self._undo(conn, depth, savepoint)
            rolled_back(conn, marks)
            raise
        self._writer = writer
        self._depth = depth
        try:
            conn.execute("COMMIT" if depth == 0 else f"RELEASE {savepoint}")
        except BaseException:
            self._undo(conn, depth, savepoint)
            rolled_back(conn, marks)
            raise
        if depth == 0:
            self.commits += 1
            committed(conn)

    def change_mark(self) -> tuple[int, int]:
        """Changes to compare later: equal marks mean no transaction was committed in between,
        by this connection (`commits`) or by any other (SQLite's `data_version`)."""
        with self._lock, sqlite_errors():
            version = self.connection.execute("PRAGMA data_version").fetchone()[0]
            return self.commits, int(version)

    @staticmethod
    def _undo(conn: Connection, depth: int, savepoint: str) -> None:
        if not conn.in_transaction:
            return  # SQLite already rolled back (e.g. after SQLITE_FULL)
        if depth == 0:
            conn.execute("ROLLBACK")
        else:
            conn.execute(f"ROLLBACK TO {savepoint}")
            conn.execute(f"RELEASE {savepoint}")

    def close(self, *, wait: bool = True) -> None:
        """Close the connection (SQLite checkpoints and removes the WAL); idempotent.

        `wait=False` (a lock while the vault's thread hangs): stop a running statement and
        close without waiting for the thread using the connection; SQLite rolls its open
        transaction back, and its next statement raises VaultLocked.
        """
        if not wait:
            conn, self._conn = self._conn, None
            self._close_readers()
            if conn is not None:
                conn.interrupt()
                conn.close()
            return
        with self._lock:
            if self._conn is not None:
                conn, self._conn = self._conn, None
                self._close_readers()
                conn.close()

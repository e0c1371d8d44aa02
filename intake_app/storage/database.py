"""The SQLCipher connection: keying, the safety pragmas, validation, transactions, error mapping.

Opening happens in two steps. A read-only connection first proves that the key decrypts the
file and that every page's HMAC is intact; only then is the read-write connection opened. A
read-only connection never checkpoints or deletes the WAL on close, so a damaged database is
reported without a single byte of it being written.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3

from intake_app.errors import DiskFull, KnownError, VaultDamaged, VaultLocked, VaultTooNew
from intake_app.storage.errors import VaultBusy, VaultIOError, VaultReadOnly

Connection = Any  # sqlcipher3 ships no type information
PAGE_BYTES = 4096
BUSY_TIMEOUT_MS = 5000
# Failures of the disk itself (not of a check): said as full, read-only or an I/O error.
DISK_ERROR_CODES = frozenset({sqlcipher3.SQLITE_FULL, sqlcipher3.SQLITE_READONLY,
                              sqlcipher3.SQLITE_IOERR, sqlcipher3.SQLITE_CANTOPEN})
# The WAL grows while a large attachment is written; trim it afterwards.
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
_SAFETY_PRAGMAS = (
    ("temp_store", "MEMORY", 2),
    ("journal_mode", "WAL", "wal"),
    ("synchronous", "FULL", 2),
    ("secure_delete", "ON", 1),
)


def known_error_for(exc: sqlcipher3.Error) -> KnownError | None:
    """The known error an SQLite failure stands for, or None when it is a bug."""
    primary = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if primary == sqlcipher3.SQLITE_FULL:
        return DiskFull()
    if primary in (sqlcipher3.SQLITE_CORRUPT, sqlcipher3.SQLITE_NOTADB):
        return VaultDamaged()
    if primary in (sqlcipher3.SQLITE_BUSY, sqlcipher3.SQLITE_LOCKED):
        return VaultBusy()
    if primary == sqlcipher3.SQLITE_INTERRUPT:
        return VaultLocked()  # only a lock interrupts the vault's connection
    if primary == sqlcipher3.SQLITE_READONLY:
        # A read-only folder or disk, or a vault opened read-only after damage was found.
        return VaultReadOnly()
    if primary in (sqlcipher3.SQLITE_IOERR, sqlcipher3.SQLITE_CANTOPEN):
        return VaultIOError()
    return None


@contextlib.contextmanager
def sqlite_errors() -> Iterator[None]:
    """Turn SQLite failures a person can meet (disk full, damage, busy) into known errors."""
    try:
        yield
    except sqlcipher3.Error as exc:
        known = known_error_for(exc)
        if known is None:
            raise
        raise known from exc


def check_database_file(path: Path, database_salt: bytes) -> None:
    """Cheap checks before any key is used: the file exists, is whole pages, and is ours.
    A file that cannot be read for another reason raises its OSError (the disk's fault)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(len(database_salt))
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise VaultDamaged() from None
    if size == 0 or size % PAGE_BYTES or header != database_salt:
        raise VaultDamaged()


# Unlocking checks every page's HMAC of a database up to this size (about half a second here);
# a larger one (photos, audio) is checked page by page after unlocking (`pages_intact`), so a
# worker never waits many seconds for the vault to open. Pages are checked when read anyway.
FULL_CHECK_BYTES = 64 * 1024 * 1024


def validate_database(path: Path, key_hex: str, newest_version: int, *,
                      every_page: bool = True) -> None:
    """Prove with a read-only connection that `key_hex` opens an intact database (with
    `every_page`, that every page's HMAC checks; without it, the schema and header pages).

    Raises VaultDamaged or VaultTooNew, or what the disk did wrong (`DiskFull`,
    `VaultReadOnly`, `VaultIOError`: it is not damage); any companion file SQLite created is
    removed again.
    """
    existed = {suffix for suffix in COMPANION_SUFFIXES if _companion(path, suffix).exists()}
    try:
        conn = _connect(path, "ro")
    except sqlcipher3.Error as exc:
        raise _validation_failure(exc) from None
    valid = False
    try:
        _key(conn, key_hex)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if every_page and conn.execute("PRAGMA cipher_integrity_check").fetchall():
            raise VaultDamaged()
        if conn.execute("PRAGMA user_version").fetchone()[0] > newest_version:
            raise VaultTooNew()
        valid = True
    except sqlcipher3.Error as exc:
        raise _validation_failure(exc) from None
    finally:
        conn.close()
        if not valid:
            _remove_new_companions(path, existed)


def _validation_failure(exc: sqlcipher3.Error) -> KnownError:
    """The disk's own failures as such; anything else while proving the key and the pages
    (a page or its HMAC did not check, the file is not ours) is damage."""
    primary = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    known = known_error_for(exc) if primary in DISK_ERROR_CODES else None
    return known or VaultDamaged()


def open_reader(path: Path, key_hex: str) -> Connection:
    """A second, read-only keyed connection (a long check beside the vault's own connection)."""
    conn = _connect(path, "ro")
    try:
        with sqlite_errors():
            _key(conn, key_hex)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}").fetchall()
    except BaseException:
        conn.close()
        raise
    return conn


def open_database(path: Path, key_hex: str, *, create: bool = False) -> Connection:
    """A keyed read-write connection with the safety pragmas applied and checked."""
    conn = _connect(path, "rwc" if create else "rw")
    try:
        with sqlite_errors():
            _key(conn, key_hex)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            for name, value, expected in _SAFETY_PRAGMAS:
                conn.execute(f"PRAGMA {name} = {value}").fetchall()
                actual = conn.execute(f"PRAGMA {name}").fetchone()[0]
                if actual != expected:
                    raise RuntimeError(f"SQLCipher refused PRAGMA {name} = {value}")
            conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}").fetchall()
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}").fetchall()
    except BaseException:
        conn.close()
        raise
    return conn


class VaultConnection(sqlcipher3.Connection):  # type: ignore[misc]
    """A connection that knows its vault's folder and what to do once its transaction ends.

    Files beside the database (attachments) change with its rows: a file is written before
    the row naming it commits and removed only after the row's removal committed.
    `Database.transaction` runs `after_commit` actions after the outermost COMMIT and
    `after_rollback` actions when the transaction (or the savepoint they were added in) is
    undone; each runs once and its failures are ignored (the unlock sweep catches up).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vault_folder: Path | None = None
        self.after_commit: list[Callable[[], None]] = []
        self.after_rollback: list[Callable[[], None]] = []


def _connect(path: Path, mode: str) -> Connection:
    conn = sqlcipher3.connect(
        f"{path.absolute().as_uri()}?mode={mode}",
        uri=True,
        isolation_level=None,
        check_same_thread=False,
        factory=VaultConnection,
    )
    conn.vault_folder = path.absolute().parent
    return conn


def _run_actions(actions: list[Callable[[], None]]) -> None:
    for action in actions:
        with contextlib.suppress(Exception):
            action()


def _key(conn: Connection, key_hex: str) -> None:
    # SQLCipher's own log would go to stderr; errors are reported through exceptions instead.
    conn.execute("PRAGMA cipher_log_level = NONE").fetchall()
    # Memory security must be on before the key is used, so key material is wiped when freed.
    conn.execute("PRAGMA cipher_memory_security = ON").fetchall()
    conn.execute(f"PRAGMA key = \"x'{key_hex}'\"").fetchall()
    version = conn.execute("PRAGMA cipher_version").fetchone()
    # Plain SQLite ignores PRAGMA key and would write the interviews in clear text.
    if not version or not version[0]:
        raise RuntimeError("the SQLite library in use is not SQLCipher")
    if conn.execute("PRAGMA cipher_memory_security").fetchone()[0] not in ("1", 1):
        raise RuntimeError("SQLCipher refused cipher_memory_security")


def _companion(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _remove_new_companions(path: Path, existed: set[str]) -> None:
    for suffix in COMPANION_SUFFIXES:
        if suffix not in existed:
            with contextlib.suppress(FileNotFoundError):
                _companion(path, suffix).unlink()


def _action_marks(conn: Connection) -> tuple[int, int]:
    return len(getattr(conn, "after_commit", ())), len(getattr(conn, "after_rollback", ()))


def _rolled_back(conn: Connection, marks: tuple[int, int]) -> None:
    """Drop the commit actions added since `marks` and run the rollback actions, newest first."""
    if not isinstance(conn, VaultConnection):
        return
    commit_mark, rollback_mark = marks
    undo = conn.after_rollback[rollback_mark:]
    del conn.after_commit[commit_mark:]
    del conn.after_rollback[rollback_mark:]
    _run_actions(undo[::-1])


def _committed(conn: Connection) -> None:
    if not isinstance(conn, VaultConnection):
        return
    actions = conn.after_commit[:]
    conn.after_commit.clear()
    conn.after_rollback.clear()
    _run_actions(actions)


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
        marks = _action_marks(conn)
        self._depth += 1
        writer, self._writer = self._writer, threading.get_ident()
        try:
            yield conn
        except BaseException:
            self._writer = writer
            self._depth = depth
            self._undo(conn, depth, savepoint)
            _rolled_back(conn, marks)
            raise
        self._writer = writer
        self._depth = depth
        try:
            conn.execute("COMMIT" if depth == 0 else f"RELEASE {savepoint}")
        except BaseException:
            self._undo(conn, depth, savepoint)
            _rolled_back(conn, marks)
            raise
        if depth == 0:
            self.commits += 1
            _committed(conn)

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

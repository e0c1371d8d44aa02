"""Opening the SQLCipher database: cheap file checks, keying, validation, the safety pragmas.

Opening happens in two steps. A read-only connection first proves that the key decrypts the
file and that every page's HMAC is intact; only then is the read-write connection opened. A
read-only connection never checkpoints or deletes the WAL on close, so a damaged database is
reported without a single byte of it being written.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import sqlcipher3

from intake_app.errors import VaultDamaged, VaultTooNew
from intake_app.storage.database_errors import sqlite_errors, validation_failure
from intake_app.storage.vault_connection import Connection, VaultConnection

PAGE_BYTES = 4096
BUSY_TIMEOUT_MS = 5000
# The WAL grows while a large attachment is written; trim it afterwards.
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
_SAFETY_PRAGMAS = (
    ("temp_store", "MEMORY", 2),
    ("journal_mode", "WAL", "wal"),
    ("synchronous", "FULL", 2),
    ("secure_delete", "ON", 1),
)


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
        raise validation_failure(exc) from None
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
        raise validation_failure(exc) from None
    finally:
        conn.close()
        if not valid:
            _remove_new_companions(path, existed)


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

"""SQLite's failures as the known errors a person can meet: a full, read-only or failing disk,
damage, a busy or locked vault. Anything else is a bug and passes as it is."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sqlcipher3

from intake_app.errors import DiskFull, KnownError, VaultDamaged, VaultLocked
from intake_app.storage.errors import VaultBusy, VaultIOError, VaultReadOnly

# Failures of the disk itself (not of a check): said as full, read-only or an I/O error.
DISK_ERROR_CODES = frozenset({sqlcipher3.SQLITE_FULL, sqlcipher3.SQLITE_READONLY,
                              sqlcipher3.SQLITE_IOERR, sqlcipher3.SQLITE_CANTOPEN})


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


def validation_failure(exc: sqlcipher3.Error) -> KnownError:
    """The disk's own failures as such; anything else while proving the key and the pages
    (a page or its HMAC did not check, the file is not ours) is damage."""
    primary = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    known = known_error_for(exc) if primary in DISK_ERROR_CODES else None
    return known or VaultDamaged()

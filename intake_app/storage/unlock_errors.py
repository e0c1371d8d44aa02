"""Why a vault could not be opened, when the disk is to blame: full, read-only, an I/O error.

"Damaged" is said only when a check proved damage (vault.json's contents, the database's header,
a page's HMAC). A disk that is full, read-only or failing gets its own words, because the advice
differs (free some space, make the folder writable, check the disk) and because telling a worker
the vault is damaged when it is not sends them to the administrator for nothing. SQLite often
reports a full or read-only disk as a bare I/O error (creating the `-shm` file, say), so the
vault's folder is looked at to tell which it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3

from intake_app.errors import DiskFull, KnownError
from intake_app.storage.atomic import NO_SPACE
from intake_app.storage.database_errors import DISK_ERROR_CODES, known_error_for
from intake_app.storage.errors import (
    DiskFullAtUnlock,
    VaultIOError,
    VaultIOErrorAtUnlock,
    VaultReadOnly,
    VaultReadOnlyAtUnlock,
)

# Less free space than this in the vault's folder: a failed open is put down to a full disk.
FREE_BYTES_NEEDED = 1024 * 1024
_NOT_WRITABLE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def folder_problem(folder: Path) -> KnownError | None:
    """What is wrong with the vault's folder itself (read-only or full), if anything."""
    try:
        info = os.statvfs(folder)
    except OSError:
        return None
    if info.f_flag & os.ST_RDONLY or not os.access(folder, os.W_OK):
        return VaultReadOnlyAtUnlock()
    if info.f_bavail * info.f_frsize < FREE_BYTES_NEEDED:
        return DiskFullAtUnlock()
    return None


def _at_unlock(error: KnownError) -> KnownError:
    if isinstance(error, DiskFull):
        return DiskFullAtUnlock()
    if isinstance(error, VaultReadOnly):
        return VaultReadOnlyAtUnlock()
    return VaultIOErrorAtUnlock()


def _for_os_error(exc: OSError) -> KnownError:
    if exc.errno in NO_SPACE:
        return DiskFullAtUnlock()
    if exc.errno in _NOT_WRITABLE:
        return VaultReadOnlyAtUnlock()
    return VaultIOErrorAtUnlock()


@contextlib.contextmanager
def unlock_errors(folder: Path) -> Iterator[None]:
    """Around unlocking the vault in `folder`: a failure of the disk becomes DiskFullAtUnlock,
    VaultReadOnlyAtUnlock or VaultIOErrorAtUnlock; every other error passes unchanged."""
    try:
        yield
    except (DiskFull, VaultReadOnly, VaultIOError) as exc:
        if isinstance(exc, (DiskFullAtUnlock, VaultReadOnlyAtUnlock, VaultIOErrorAtUnlock)):
            raise
        raise (folder_problem(folder) or _at_unlock(exc)) from exc
    except sqlcipher3.Error as exc:
        primary = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        known = known_error_for(exc) if primary in DISK_ERROR_CODES else None
        if known is None:
            raise
        raise (folder_problem(folder) or _at_unlock(known)) from exc
    except OSError as exc:
        if exc.errno is None:  # raised by code, not reported by the system: a bug
            raise
        raise (folder_problem(folder) or _for_os_error(exc)) from exc

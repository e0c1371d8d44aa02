"""Deleting the original of a file the worker attached, once its encrypted copy is in the vault.

A photo of a passport left in Downloads is a leak waiting to happen. After adding files the
window offers to delete the originals; only on the worker's explicit yes does this run, and only
for files whose copy the vault has committed. Each original is checked first (still a plain
file, the same size and SHA-256 as the copy stored), overwritten with zeros, flushed to the
disk, then deleted. That is the best a program can do: flash storage (SSDs, memory cards, USB
sticks) moves writes elsewhere, and cloud-sync folders and backups keep their own copies, so
the window says so. Qt-free; the work runs on a thread of its own (files can be large).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from intake_app.errors import KnownError
from intake_app.i18n import N_

CHUNK = 1024 * 1024
DELETED, ALREADY_GONE = "deleted", "already-gone"


class OriginalChanged(KnownError):
    code = "original-changed"
    message = N_(
        "“{name}” was not deleted: it is no longer the file that was added (it changed or was "
        "replaced). The vault keeps the file as it was added."
    )


class OriginalNotAFile(KnownError):
    code = "original-not-a-file"
    message = N_(
        "“{name}” was not deleted: it is a link or not an ordinary file. The copy in the vault "
        "is safe; delete the original yourself if you need to."
    )


class OriginalNoPermission(KnownError):
    code = "original-no-permission"
    message = N_(
        "“{name}” could not be deleted: this computer's account may not change it. The copy in "
        "the vault is safe; delete the original yourself if you can."
    )


class OriginalReadOnly(KnownError):
    code = "original-read-only"
    message = N_(
        "“{name}” could not be deleted: it is on a disk that cannot be written to (a locked "
        "memory card, say). The copy in the vault is safe."
    )


class OriginalNotDeleted(KnownError):
    code = "original-not-deleted"
    message = N_(
        "“{name}” could not be deleted. The copy in the vault is safe; delete the original "
        "yourself."
    )


@dataclass(frozen=True)
class Original:
    """A file on the disk and the copy of it the vault committed (its SHA-256 and size)."""

    path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class Outcome:
    """What happened to one original: DELETED, ALREADY_GONE, or `error` (a known error)."""

    original: Original
    result: str | None
    error: KnownError | None = None


def delete_originals(originals: Sequence[Original]) -> Future[list[Outcome]]:
    """Delete each original as the module says, on a thread of its own; one outcome each."""
    future: Future[list[Outcome]] = Future()
    chosen = list(originals)

    def work() -> None:
        outcomes: list[Outcome] = []
        try:
            for original in chosen:
                try:
                    outcomes.append(Outcome(original, delete_original(original)))
                except KnownError as error:
                    outcomes.append(Outcome(original, None, error))
        except BaseException as bug:  # handed to the window: logged there as a bug
            future.set_exception(bug)
        else:
            future.set_result(outcomes)

    threading.Thread(target=work, name="delete-originals", daemon=True).start()
    return future


def delete_original(original: Original) -> str:
    """Overwrite `original` with zeros and delete it, if it still is the file the vault holds;
    DELETED, or ALREADY_GONE when there is nothing there any more."""
    path = original.path
    name = path.name
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        return ALREADY_GONE
    except OSError as error:
        raise _known(error, name) from error
    try:
        with os.fdopen(descriptor, "r+b") as handle:
            found = os.fstat(handle.fileno())
            if not stat.S_ISREG(found.st_mode):
                raise OriginalNotAFile(name=name)
            if found.st_size != original.size or _sha256(handle) != original.sha256:
                raise OriginalChanged(name=name)
            if not os.access(path.parent, os.W_OK | os.X_OK):  # it could not be unlinked
                raise OriginalNoPermission(name=name)
            # Another name for the same bytes (a hard link) would lose them too: only unlink.
            if found.st_nlink <= 1:
                _zero(handle, found.st_size)
        _unlink_same(path, found, name)
    except OSError as error:
        raise _known(error, name) from error
    return DELETED


def _sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _zero(handle: IO[bytes], size: int) -> None:
    """Write zeros over the whole file and make the disk take them before it is unlinked."""
    handle.seek(0)
    zeros = bytes(CHUNK)
    left = size
    while left > 0:
        step = min(CHUNK, left)
        handle.write(zeros[:step])
        left -= step
    handle.flush()
    os.fsync(handle.fileno())


def _unlink_same(path: Path, opened: os.stat_result, name: str) -> None:
    """Delete `path` if it is still the file that was checked (not swapped for another)."""
    now = os.stat(path, follow_symlinks=False)
    if (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
        raise OriginalChanged(name=name)
    path.unlink()
    with contextlib.suppress(OSError):  # not every system can sync a folder (Windows)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _known(error: OSError, name: str) -> KnownError:
    if error.errno in (errno.EACCES, errno.EPERM):
        return OriginalNoPermission(name=name)
    if error.errno == errno.EROFS:
        return OriginalReadOnly(name=name)
    if error.errno in (errno.ELOOP, errno.EISDIR, errno.ENOTDIR):
        return OriginalNotAFile(name=name)
    return OriginalNotDeleted(name=name)

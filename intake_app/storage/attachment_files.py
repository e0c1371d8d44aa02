"""Attachment files: each an age file in `<vault>/attachments/`, to an X25519 identity of its own.

The identity, the SHA-256, the size and the random file name live in the attachment's row in
the database (see `attachments.py`), so a file is unreadable without the unlocked vault and
removing the row (secure_delete) shreds the file's key. This module only knows files:

- `write` streams a source through age into a temporary file, fsyncs it and renames it (the
  one atomic writer, `atomic.atomic_writer`); the file is written before its row commits and
  stays locked until the caller calls `WrittenFile.release` after that commit.
- `open` streams the plaintext back (`AttachmentReader`); `verify` decrypts and hashes a file.
- `sweep` removes files no row names, and temporary files of interrupted writes, skipping any
  that a writer (this process or another) still holds locked.

Plaintext never reaches the disk: it only passes through memory, one piece at a time.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import re
import secrets
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyrage
from pyrage import x25519

from intake_app.errors import AttachmentTooLarge, DiskFull
from intake_app.storage.atomic import TEMP_PREFIX, TEMP_SUFFIX, atomic_writer, fsync_directory
from intake_app.storage.attachment_reader import AttachmentReader
from intake_app.storage.errors import VaultReadOnly

FOLDER_NAME = "attachments"
FILE_SUFFIX = ".age"
_NAME = re.compile(r"[0-9a-f]{32}\.age")
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}
Progress = Callable[[int], None]


@contextlib.contextmanager
def file_errors() -> Iterator[None]:
    """Turn the failures of attachment file I/O a person can meet into known errors."""
    try:
        yield
    except OSError as exc:
        if exc.errno in _NO_SPACE:
            raise DiskFull() from exc
        if exc.errno in _NOT_WRITABLE:
            raise VaultReadOnly() from exc
        raise


@dataclass
class WrittenFile:
    """A file just written and synced, not yet named by a row; `release` after the commit."""

    name: str
    identity: str = field(repr=False)
    sha256: str
    size: int
    _lock_fd: int = field(default=-1, repr=False)

    def release(self) -> None:
        """Let the sweep see the file (call once its row committed, or after removing it)."""
        if self._lock_fd >= 0:
            fd, self._lock_fd = self._lock_fd, -1
            os.close(fd)


class AttachmentFiles:
    """The encrypted attachment files of one vault (a folder beside intake.db)."""

    def __init__(self, vault_folder: Path, folder_name: str = FOLDER_NAME) -> None:
        """`folder_name`: another folder of the vault's for files of the same kind (the
        centre keeps the bundles it holds in quarantine in `held/`)."""
        self.folder = Path(vault_folder) / folder_name

    def write(
        self, source: BinaryIO, *, limit: int, progress: Progress | None = None
    ) -> WrittenFile:
        """Encrypt `source` (read in pieces) into a new file; refuse more than `limit` bytes."""
        self._ensure_folder()
        identity = x25519.Identity.generate()
        name = secrets.token_hex(16) + FILE_SUFFIX
        reader = _HashingReader(source, limit, progress)
        lock_fd = -1
        try:
            with file_errors(), atomic_writer(self.folder / name) as handle:
                lock_fd = os.dup(handle.fileno())
                _lock(lock_fd)
                writer = _GuardedWriter(handle)
                try:
                    pyrage.encrypt_io(reader, writer, [identity.to_public()])
                except pyrage.EncryptError:
                    raise reader.failure or writer.failure or _Unexpected() from None
        except BaseException:
            if lock_fd >= 0:
                os.close(lock_fd)
            raise
        return WrittenFile(name, str(identity), reader.digest.hexdigest(), reader.size, lock_fd)

    def open(
        self, name: str, identity: str, sha256: str, size: int, is_open: Callable[[], bool]
    ) -> AttachmentReader:
        """A forward-only reader over the file's plaintext; it checks the SHA-256 at the end."""
        return AttachmentReader(self._path(name), identity, sha256, size, is_open)

    def verify(self, name: str, identity: str, sha256: str, size: int) -> str | None:
        """None when the file decrypts to `size` bytes with this SHA-256, else the problem."""
        digest = _DigestWriter()
        try:
            with self._path(name).open("rb") as handle:
                pyrage.decrypt_io(handle, digest, [x25519.Identity.from_str(identity)])
        except FileNotFoundError:
            return "missing"
        except (OSError, pyrage.DecryptError, pyrage.IdentityError):
            return "does not decrypt"
        if digest.size != size or digest.digest.hexdigest() != sha256:
            return "content differs from its SHA-256"
        return None

    def remove(self, name: str) -> None:
        """Remove one file (its row is already gone); a missing file is fine."""
        with contextlib.suppress(FileNotFoundError):
            self._path(name).unlink()
            fsync_directory(self.folder)

    def names(self) -> set[str]:
        """The names of the finished files in the folder (temporaries left out)."""
        return {entry for entry in self._entries() if _NAME.fullmatch(entry)}

    def sweep(self, is_named: Callable[[str], bool]) -> int:
        """Remove files no row names (asked with `is_named` while the file is locked) and
        leftover temporaries; files a writer holds are kept. Returns how many went."""
        removed = 0
        for entry in self._entries():
            temporary = entry.startswith(TEMP_PREFIX) and entry.endswith(TEMP_SUFFIX)
            if not temporary and not _NAME.fullmatch(entry):
                continue  # not ours: leave it alone
            path = self.folder / entry
            keep: Callable[[], bool] = _never if temporary else functools.partial(is_named, entry)
            if _remove_unless_held(path, keep):
                removed += 1
        if removed:
            fsync_directory(self.folder)
        return removed

    def size_on_disk(self) -> int:
        """Bytes the folder's files take (their lengths)."""
        total = 0
        for entry in self._entries():
            with contextlib.suppress(FileNotFoundError):
                total += (self.folder / entry).stat().st_size
        return total

    def _path(self, name: str) -> Path:
        if not _NAME.fullmatch(name):
            raise ValueError("not an attachment file name")
        return self.folder / name

    def _entries(self) -> list[str]:
        try:
            return os.listdir(self.folder)
        except FileNotFoundError:
            return []

    def _ensure_folder(self) -> None:
        with file_errors():
            self.folder.mkdir(mode=0o700, exist_ok=True)
            if stat.S_IMODE(self.folder.stat().st_mode) != 0o700:
                self.folder.chmod(0o700)
            fsync_directory(self.folder.parent)


class _Unexpected(RuntimeError):
    """age refused to encrypt for a reason of its own."""


class _HashingReader:
    """`read(n)` over the source that hashes, counts, enforces the limit and reports progress.

    An exception raised here reaches pyrage as an error: it is kept and raised again."""

    def __init__(self, source: BinaryIO, limit: int, progress: Progress | None) -> None:
        self._source = source
        self._limit = limit
        self._progress = progress
        self.digest = hashlib.sha256()
        self.size = 0
        self.failure: BaseException | None = None

    def read(self, size: int = -1, /) -> bytes:
        try:
            data = self._source.read(size if size > 0 else 1024 * 1024) or b""
            self.size += len(data)
            if self.size > self._limit:
                raise AttachmentTooLarge(limit=f"{self._limit // 1_000_000} MB")
            self.digest.update(data)
            if self._progress is not None and data:
                self._progress(self.size)
            return data
        except BaseException as exc:
            self.failure = exc
            raise


class _GuardedWriter:
    """The temporary file, keeping a write failure (disk full) to raise it again."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.failure: BaseException | None = None

    def write(self, data: bytes) -> int:
        try:
            return self._handle.write(data)
        except BaseException as exc:
            self.failure = exc
            raise

    def flush(self) -> None:
        self._handle.flush()


class _DigestWriter:
    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def _never() -> bool:
    return False


def _lock(fd: int) -> None:
    """Hold the file against the sweep of another process (flock; Windows refuses to delete
    an open file anyway)."""
    if sys.platform != "win32":
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


def _remove_unless_held(path: Path, keep: Callable[[], bool]) -> bool:
    """Remove `path` unless a writer holds it or `keep()`, asked while we hold it, says so."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        if sys.platform != "win32":
            import fcntl

            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
        if keep():
            return False
        try:
            path.unlink()
        except (FileNotFoundError, PermissionError):
            return False
        return True
    finally:
        os.close(fd)

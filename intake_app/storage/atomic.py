"""The one crash-safe file writer: a new temporary file beside the target, fsync, rename.

After `atomic_writer` returns, the new content is durable; if the process dies at any moment
before that, the target holds either its old content or the new content, never a mix.

Every file the application writes goes through here: the vault folder, the outbox, reports
and settings directly, files on the centre's share through `sync.share`, which adds the
share's own rules (its temporary name, a check of the target name, its known errors).

The temporary file is always a new one: created exclusively and without following a link
(`O_CREAT | O_EXCL | O_NOFOLLOW`), under a random name, so nothing that already exists is
ever opened for writing. On Windows a folder cannot be opened to fsync it, and NTFS makes
the rename durable by itself, so that step is skipped there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from intake_app.errors import DiskFull

NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})
TEMP_PREFIX = "."
TEMP_SUFFIX = ".tmp"
_FSYNC_FOLDERS = os.name != "nt"
# O_BINARY: on Windows a descriptor opened without it turns "\n" into "\r\n".
_CREATE_NEW = (
    os.O_RDWR | os.O_CREAT | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
)


def temp_path_for(target: Path, suffix: str = TEMP_SUFFIX) -> Path:
    """A fresh temporary name in the target's own folder (so the rename stays on one disk)."""
    return target.with_name(f"{TEMP_PREFIX}{target.name}.{secrets.token_hex(6)}{suffix}")


def is_temp_for(candidate: Path, target: Path) -> bool:
    """Whether `candidate` is a leftover temporary file of an interrupted write to `target`."""
    name = candidate.name
    return name.startswith(f"{TEMP_PREFIX}{target.name}.") and name.endswith(TEMP_SUFFIX)


def remove_leftovers(target: Path) -> int:
    """Remove the temporary files interrupted writes to `target` left in its folder (a kill
    or a power cut during an export of clear text leaves them, hidden, beside the file the
    user chose); links and folders are left alone. Returns how many were removed."""
    removed = 0
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return 0
    for entry in entries:
        if is_temp_for(Path(entry.path), target) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.remove(entry.path)
                removed += 1
    return removed


def fsync_directory(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable (skipped on Windows, see above)."""
    if not _FSYNC_FOLDERS:
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(
    target: Path,
    mode: int = 0o600,
    *,
    temp_suffix: str = TEMP_SUFFIX,
    before_rename: Callable[[Path], None] | None = None,
) -> Iterator[BinaryIO]:
    """Yield a new binary file; on a clean exit it atomically replaces `target`, else it vanishes.

    `before_rename(target)` runs after the data is synced and may raise to stop the rename.
    ENOSPC and EDQUOT become `DiskFull`; other `OSError`s are raised as they are.
    """
    temp = temp_path_for(target, temp_suffix)
    created = False
    try:
        fd = os.open(temp, _CREATE_NEW, mode)
        created = True
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if before_rename is not None:
            before_rename(target)
        os.replace(temp, target)
        created = False
        fsync_directory(target.parent)
    except BaseException as exc:
        if created:
            _remove_quietly(temp)
        if isinstance(exc, OSError) and exc.errno in NO_SPACE:
            raise DiskFull() from exc
        raise


def atomic_write_bytes(target: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `target` with `data` so that a crash leaves either the old or the new content."""
    with atomic_writer(target, mode) as handle:
        handle.write(data)


def _remove_quietly(path: Path) -> None:
    # A failure to clean up (the share went away) must not hide the error that got us here.
    with contextlib.suppress(OSError):
        path.unlink()

"""Crash-safe file replacement: write a temporary file beside the target, fsync it, rename it.

After `atomic_write_bytes` returns, the new content is durable; if the process dies at any
moment before that, the target holds either its old content or the new content, never a mix.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from intake_app.errors import DiskFull

_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
TEMP_PREFIX = "."
TEMP_SUFFIX = ".tmp"


def temp_path_for(target: Path) -> Path:
    """A fresh temporary name in the target's own folder (so the rename stays on one disk)."""
    return target.with_name(f"{TEMP_PREFIX}{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")


def is_temp_for(candidate: Path, target: Path) -> bool:
    """Whether `candidate` is a leftover temporary file of an interrupted write to `target`."""
    name = candidate.name
    return name.startswith(f"{TEMP_PREFIX}{target.name}.") and name.endswith(TEMP_SUFFIX)


def fsync_directory(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(target: Path, mode: int = 0o600) -> Iterator[BinaryIO]:
    """Yield a binary file; on a clean exit it atomically replaces `target`, else it vanishes."""
    temp = temp_path_for(target)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
        fsync_directory(target.parent)
    except OSError as exc:
        _remove_quietly(temp)
        if exc.errno in _NO_SPACE:
            raise DiskFull() from exc
        raise
    except BaseException:
        _remove_quietly(temp)
        raise


def atomic_write_bytes(target: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `target` with `data` so that a crash leaves either the old or the new content."""
    with atomic_writer(target, mode) as handle:
        handle.write(data)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()

"""Crash-safe writes of files on a share or drive: `.<name>.partial`, fsync, rename, fsync dir.

Readers ignore names that start with a dot, so a half-written file is never seen under its
real name, whether the process dies, the disk fills up or the share vanishes mid-copy.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from intake_app.errors import DiskFull
from intake_app.sync.errors import ShareWriteFailed


def partial_path(path: Path) -> Path:
    """The temporary name a file is written under before it is renamed into place."""
    return path.with_name(f".{path.name}.partial")


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (not possible, and not needed, on Windows)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _known_error(exc: OSError, folder: Path) -> Exception:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull()
    return ShareWriteFailed(folder=str(folder))


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file that appears at `path` only once it is complete and synced.

    On any failure the partial file is removed; OS errors become `DiskFull` or
    `ShareWriteFailed`. An existing file at `path` is replaced.
    """
    temp = partial_path(path)
    try:
        handle = open(temp, "w+b")  # noqa: SIM115 - closed below on every path
    except OSError as exc:
        raise _known_error(exc, path.parent) from exc
    try:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.replace(temp, path)
        fsync_folder(path.parent)
    except BaseException as exc:
        handle.close()
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise _known_error(exc, path.parent) from exc
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (see `atomic_writer`)."""
    with atomic_writer(path) as handle:
        handle.write(data)

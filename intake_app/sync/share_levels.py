"""The folder levels below the share's root, never through a link, and what is left alone.

Each folder level is opened with `O_NOFOLLOW | O_DIRECTORY` from the level above (POSIX), or
`lstat`-ed where there are no folder descriptors; a level that is a link or not a folder is
`_Refused`. What is left alone (a link, a pipe, a device...) is logged once per process.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import threading
from pathlib import Path

from intake_app.safelog import logger
from intake_app.sync.errors import ShareNotAFile

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_FOLDER_FLAGS = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC
# Folders opened and listed through descriptors (POSIX); elsewhere each level is lstat-ed.
_BY_FD = (os.open in os.supports_dir_fd and os.scandir in os.supports_fd
          and bool(_DIRECTORY and _NOFOLLOW))
_noted: set[tuple[str, str]] = set()
_noted_lock = threading.Lock()


class _Refused(Exception):
    """Inside a share call: `path` is a link or not an ordinary file (`kind`)."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(kind)
        self.path = path
        self.kind = kind


def note_left_alone(path: Path, kind: str) -> None:
    """Log once per process that `path` (a link, folder, pipe, device...) was left alone."""
    with _noted_lock:
        if (str(path), kind) in _noted:
            return
        _noted.add((str(path), kind))
    logger.warning("share: left alone %s (%s)", path, kind)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file"


def _levels(root: Path, folder: Path) -> tuple[str, ...]:
    parts = Path(folder).relative_to(root).parts
    if any(part in ("..", ".") for part in parts):
        raise ValueError("a share folder is named below the root")
    return parts


def _open_folder(root: Path, folder: Path, *, make: bool = False) -> int:
    """A descriptor of `folder`, opened from `root` one level at a time, never through a link
    (`_Refused` for a level that is a link or not a folder); `make` makes missing levels
    (0700) on the way. POSIX only."""
    fd = os.open(root, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    reached = Path(root)
    try:
        for part in _levels(root, folder):
            reached = reached / part
            if make:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o700, dir_fd=fd)
            try:
                inner = os.open(part, _FOLDER_FLAGS, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                    info = os.stat(part, dir_fd=fd, follow_symlinks=False)
                    raise _Refused(reached, _kind(info.st_mode)) from None
                raise
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def _check_levels(root: Path, folder: Path) -> None:
    """Without descriptors: each level below `root` must be a folder and not a link."""
    reached = Path(root)
    for part in _levels(root, folder):
        reached = reached / part
        info = os.lstat(reached)
        if not stat.S_ISDIR(info.st_mode):
            raise _Refused(reached, _kind(info.st_mode))


def _refusal(refused: _Refused) -> ShareNotAFile:
    note_left_alone(refused.path, refused.kind)
    return ShareNotAFile(file=refused.path.name)

"""Reading the centre's share safely (bundle-format.md, "Writing and reading files on a share").

A file is opened without following a link and without blocking (`O_NOFOLLOW | O_NONBLOCK`), its
handle is `fstat`-ed and anything but an ordinary file is refused (`ShareNotAFile`); every byte
that is checked and kept is read through that one handle. Listings leave out dot-names, links
(files and folders) and special files; each folder level below the share's root is opened with
`O_NOFOLLOW | O_DIRECTORY` and listed through its descriptor, so a folder swapped for a link is
never followed. Whatever is left alone is logged once per process, not per round. Every call
on the share runs on a thread of its own with a time limit (`READ_TIMEOUT`): a share that stops
answering is `ShareNotAnswering`, never a hang. `Looks` applies the 5-second rule
(`SETTLE_SECONDS`). Folders are made, and files moved, level by level without following links.

The public names are re-exported by `intake_app.sync.share`, the one door to the share.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from intake_app.safelog import logger
from intake_app.sync.errors import (
    ShareNotAFile,
    ShareNotAnswering,
)
from intake_app.sync.format.spec import signature_path

#: Seconds one call on the share (open, read, list, look, rename) may take.
READ_TIMEOUT = 30.0
#: The 5-second rule: how long a file must stay unchanged (and how old it must be) to count
#: as complete.
SETTLE_SECONDS = 5.0

_T = TypeVar("_T")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_FILE_FLAGS = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC | _BINARY
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


def timed(call: Callable[[], _T], *, folder: Path, timeout: float | None = None,
          discard: Callable[[_T], None] | None = None) -> _T:
    """Run one blocking call on the share with a time limit.

    The call runs on a daemon thread; if it has not returned after `timeout` seconds
    (`READ_TIMEOUT` by default) `ShareNotAnswering` is raised and the thread is left to finish
    on its own (`discard` then gets a late result, to close what it opened).
    """
    limit = READ_TIMEOUT if timeout is None else timeout
    done = threading.Event()
    lock = threading.Lock()
    outcome: list[tuple[bool, object]] = []
    abandoned = False

    def run() -> None:
        try:
            result: tuple[bool, object] = (True, call())
        except BaseException as exc:  # handed to the caller's thread
            result = (False, exc)
        with lock:
            late = abandoned
            outcome.append(result)
        done.set()
        if late and result[0] and discard is not None:
            with contextlib.suppress(Exception):
                discard(result[1])  # type: ignore[arg-type]

    thread = threading.Thread(target=run, name="share-call", daemon=True)
    thread.start()
    if not done.wait(limit):
        with lock:
            if not outcome:
                abandoned = True
        if abandoned:
            raise ShareNotAnswering(folder=str(folder), seconds=f"{limit:g}")
    ok, value = outcome[0]
    if not ok:
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[return-value]


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


def _clear_nonblock(fd: int) -> None:
    if _NONBLOCK:
        import fcntl  # POSIX only, like O_NONBLOCK

        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~_NONBLOCK)


def _open_file(path: Path, root: Path | None) -> tuple[int, os.stat_result]:
    dir_fd: int | None = None
    if root is not None and _BY_FD:
        dir_fd = _open_folder(root, path.parent)
    elif root is not None:
        _check_levels(root, path.parent)
    try:
        try:
            if dir_fd is not None:
                fd = os.open(path.name, _FILE_FLAGS, dir_fd=dir_fd)
            else:
                fd = os.open(path, _FILE_FLAGS)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EMLINK, errno.ENXIO):
                raise _Refused(path, "link" if exc.errno != errno.ENXIO else "socket") from None
            raise
    finally:
        if dir_fd is not None:
            os.close(dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Refused(path, _kind(info.st_mode))
        _clear_nonblock(fd)
    except BaseException:
        os.close(fd)
        raise
    if _NOFOLLOW == 0 and os.path.islink(path):  # no O_NOFOLLOW here: look at the name too
        os.close(fd)
        raise _Refused(path, "link")
    return fd, info


class ShareFile(io.RawIOBase):
    """A file on the share opened by `open_share_file`: every read goes through this one
    handle, at positions of its own, each with the time limit. `info` is the `fstat` taken at
    opening; `size` is what the checks read (later growth is not seen)."""

    def __init__(self, fd: int, info: os.stat_result, path: Path, timeout: float | None
                 ) -> None:
        super().__init__()
        self._fd = fd
        self.info = info
        self.size = info.st_size
        self.path = path
        self._timeout = timeout
        self._pos = 0
        self.error: ShareNotAnswering | None = None  # once the share stopped answering

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET, /) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative position")
        self._pos = base + offset
        return self._pos

    def read(self, size: int | None = -1, /) -> bytes:
        if size is None or size < 0:
            size = max(self.size - self._pos, 0)
        if size == 0:
            return b""
        position = self._pos
        data = self._call(lambda: _pread(self._fd, size, position))
        self._pos += len(data)
        return data

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readall(self) -> bytes:
        return self.read(-1)

    def _call(self, call: Callable[[], bytes]) -> bytes:
        if self.error is not None:
            raise self.error
        if self.closed:
            raise ValueError("read of a closed share file")
        try:
            return timed(call, folder=self.path.parent, timeout=self._timeout)
        except ShareNotAnswering as exc:
            self.error = exc  # the call may still hang: never touch this descriptor again
            raise

    def close(self) -> None:
        if not self.closed and self.error is None:
            os.close(self._fd)
        super().close()

    def same_look(self, look: ShareEntry) -> bool:
        """Whether what is open is the file of that look, unchanged (size and time)."""
        return (self.info.st_size, self.info.st_mtime_ns) == (look.size, look.mtime_ns)


def _pread(fd: int, size: int, position: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, size, position)
    os.lseek(fd, position, os.SEEK_SET)  # pragma: no cover - Windows
    return os.read(fd, size)  # pragma: no cover - Windows


def _refusal(refused: _Refused) -> ShareNotAFile:
    note_left_alone(refused.path, refused.kind)
    return ShareNotAFile(file=refused.path.name)


def open_share_file(path: Path, *, root: Path | None = None,
                    timeout: float | None = None) -> ShareFile:
    """Open a file on the share by the reading rule; the caller closes it.

    With `root` (the share), each folder level between it and the file is checked too.
    Raises `ShareNotAFile` (a link, a folder level that is a link, a pipe, a device...; logged
    once), `ShareNotAnswering`, or `OSError` (gone, no permission).
    """
    path = Path(path)
    try:
        fd, info = timed(lambda: _open_file(path, root), folder=path.parent, timeout=timeout,
                         discard=lambda opened: os.close(opened[0]))
    except _Refused as refused:
        raise _refusal(refused) from None
    return ShareFile(fd, info, path, timeout)


def read_share_file(path: Path, max_size: int, *, root: Path | None = None,
                    timeout: float | None = None) -> bytes:
    """At most `max_size + 1` bytes of a file on the share (so that a larger file shows as too
    large), by the reading rule; raises as `open_share_file`."""
    with open_share_file(path, root=root, timeout=timeout) as handle:
        data = b""
        while len(data) <= max_size:
            piece = handle.read(max_size + 1 - len(data))
            if not piece:
                break
            data += piece
    return data


def read_signed_share_file(path: Path, max_size: int, max_signature: int, *,
                           root: Path | None = None, timeout: float | None = None
                           ) -> tuple[bytes, bytes]:
    """A file and its `.minisig`, each by the reading rule (see `read_share_file`)."""
    data = read_share_file(path, max_size, root=root, timeout=timeout)
    signature = read_share_file(signature_path(path), max_signature, root=root, timeout=timeout)
    return data, signature


@dataclass(frozen=True, slots=True)
class ShareEntry:
    """One look at an ordinary file in a share folder."""

    path: Path
    size: int
    mtime_ns: int


def _list(root: Path, folder: Path, want_folders: bool, suffix: str) -> list[ShareEntry]:
    found: list[ShareEntry] = []

    def take(name: str, info: os.stat_result) -> None:
        path = folder / name
        if stat.S_ISDIR(info.st_mode):
            if want_folders:
                found.append(ShareEntry(path, 0, info.st_mtime_ns))
        elif stat.S_ISREG(info.st_mode):
            if not want_folders and name.endswith(suffix):
                found.append(ShareEntry(path, info.st_size, info.st_mtime_ns))
        elif want_folders or name.endswith(suffix):
            note_left_alone(path, _kind(info.st_mode))

    if _BY_FD:
        fd = _open_folder(root, folder)
        try:
            with os.scandir(fd) as entries:
                for entry in entries:
                    if not entry.name.startswith("."):
                        take(entry.name, entry.stat(follow_symlinks=False))
        finally:
            os.close(fd)
    else:
        _check_levels(root, folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.startswith("."):
                    take(entry.name, entry.stat(follow_symlinks=False))
    return sorted(found, key=lambda entry: entry.path.name)


def _listing(root: Path, folder: Path, want_folders: bool, suffix: str,
             timeout: float | None) -> list[ShareEntry]:
    try:
        return timed(lambda: _list(Path(root), Path(folder), want_folders, suffix),
                     folder=Path(folder), timeout=timeout)
    except _Refused as refused:
        note_left_alone(refused.path, refused.kind)
        return []
    except FileNotFoundError:
        return []


def share_files(root: Path, folder: Path, *, suffix: str = "",
                timeout: float | None = None) -> list[ShareEntry]:
    """The ordinary files in `folder` (below the share's `root`) whose names end in `suffix`,
    by name, with one look at each. Dot-names are left out; links, folders and special files
    too (links and special files logged once). A folder level that is a link, or a missing
    folder, gives nothing. Raises `ShareNotAnswering`, or `OSError` when it cannot be listed."""
    return _listing(root, folder, False, suffix, timeout)


def share_folders(root: Path, folder: Path, *, timeout: float | None = None) -> list[Path]:
    """The folders in `folder` (below `root`), by name: no dot-names, no links (logged once)."""
    return [entry.path for entry in _listing(root, folder, True, "", timeout)]


class Looks:
    """The 5-second rule, remembered across scans: a file is complete only when its size and
    modification time are the same at two looks at least `settle` seconds apart
    (`SETTLE_SECONDS` by default) and it is older than that."""

    def __init__(self, settle: float | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._settle = settle
        self._clock = clock
        self._first: dict[Path, tuple[int, int, float]] = {}

    @property
    def settle(self) -> float:
        return SETTLE_SECONDS if self._settle is None else self._settle

    def complete(self, look: ShareEntry) -> bool:
        """Judge a file by this look (remembered as its first look if it is new or changed)."""
        now = self._clock()
        first = self._first.get(look.path)
        if first is None or first[:2] != (look.size, look.mtime_ns):
            self._first[look.path] = (look.size, look.mtime_ns, now)
            return False  # a first look, or the file changed since: judged at a later look
        return (now - first[2] >= self.settle
                and now - look.mtime_ns / 1e9 >= self.settle)

    def wait_for(self, looks: list[ShareEntry]) -> float:
        """Seconds until every file looked at can be judged (0 when none waits)."""
        now = self._clock()
        waits = [0.0]
        for look in looks:
            first = self._first.get(look.path)
            if first is not None and first[:2] == (look.size, look.mtime_ns):
                waits.append(max(first[2] + self.settle - now,
                                 look.mtime_ns / 1e9 + self.settle - now))
        return max(waits)

    def keep_only(self, paths: set[Path]) -> None:
        """Forget the files no longer seen."""
        for path in list(self._first):
            if path not in paths:
                del self._first[path]

    def forget(self, path: Path) -> None:
        """Forget a file (moved away, or to be looked at afresh)."""
        self._first.pop(path, None)

def look_at(path: Path, *, timeout: float | None = None) -> os.stat_result | None:
    """`lstat` of a name on the share with the time limit; None when nothing is there."""
    try:
        return timed(lambda: os.lstat(path), folder=Path(path).parent, timeout=timeout)
    except FileNotFoundError:
        return None

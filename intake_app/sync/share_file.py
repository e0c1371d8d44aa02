"""Opening and reading a file on the share by the reading rule.

A file is opened without following a link and without blocking (`O_NOFOLLOW | O_NONBLOCK`),
its handle is `fstat`-ed and anything but an ordinary file is refused (`ShareNotAFile`); every
byte that is checked and kept is read through that one handle (`ShareFile`), each read with
the time limit.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Callable
from pathlib import Path

from intake_app.sync.errors import ShareNotAnswering
from intake_app.sync.format.spec import signature_path
from intake_app.sync.share_levels import (
    _BINARY,
    _BY_FD,
    _CLOEXEC,
    _NOFOLLOW,
    _NONBLOCK,
    _check_levels,
    _kind,
    _open_folder,
    _refusal,
    _Refused,
)
from intake_app.sync.share_listing import ShareEntry
from intake_app.sync.share_timed import timed

_FILE_FLAGS = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC | _BINARY


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

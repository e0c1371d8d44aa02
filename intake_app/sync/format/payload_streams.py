"""The streams under the importer's payload checks: age's plaintext counted with its last bytes
kept (check 4), decrypted again on a thread of its own as a forward-only handle for the ZIP
walk, and one entry's bytes read in pieces for the attachment sink. No check is made here.
"""

from __future__ import annotations

import contextlib
import io
import queue
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import pyrage
from pyrage import x25519

from intake_app.sync.format.zip_reader import EntryStream, ZipProblem

_PIECE_BYTES = 256 * 1024  # plaintext handed from the decrypting thread at a time
_PIPE_DEPTH = 4  # pieces waiting for the walk at most


class TailKeeper:
    """Check 4's sink for the plaintext: counts it, keeps its last bytes, refuses too much."""

    def __init__(self, keep: int, limit: int) -> None:
        self._keep = keep
        self._limit = limit
        self._tail = bytearray()
        self.size = 0

    def write(self, data: Any, /) -> int:
        count = len(data)
        self.size += count
        if self.size > self._limit:
            raise OSError("payload larger than its ciphertext allows")
        self._tail += data
        if len(self._tail) > 2 * self._keep:
            del self._tail[: len(self._tail) - self._keep]
        return count

    def flush(self) -> None:
        return None

    def handle(self) -> TailHandle:
        tail = bytes(self._tail[-self._keep :])
        return TailHandle(tail, self.size - len(tail))


class TailHandle:
    """The last bytes of the plaintext, read at their offsets in the whole plaintext."""

    def __init__(self, tail: bytes, base: int) -> None:
        self._tail = tail
        self._base = base
        self._pos = base

    def seek(self, offset: int, whence: int = 0, /) -> int:
        if whence != io.SEEK_SET or offset < self._base:
            raise ZipProblem("directory outside the last bytes")
        self._pos = offset
        return offset

    def read(self, size: int = -1, /) -> bytes:
        start = self._pos - self._base
        data = self._tail[start:] if size < 0 else self._tail[start : start + size]
        self._pos += len(data)
        return data


class _Stopped(Exception):
    """The walk ended early: the decrypting thread gives up."""


class _PipeWriter:
    """What age decrypts into on its thread: pieces of `_PIECE_BYTES` into a short queue."""

    def __init__(self, pieces: queue.Queue[object], stop: threading.Event) -> None:
        self._pieces = pieces
        self._stop = stop
        self._buffer = bytearray()

    def write(self, data: Any, /) -> int:
        self._buffer += data
        if len(self._buffer) >= _PIECE_BYTES:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            piece = bytes(self._buffer)
            self._buffer.clear()
            self.put(piece)

    def put(self, item: object) -> None:
        while True:
            if self._stop.is_set():
                raise _Stopped()
            try:
                self._pieces.put(item, timeout=0.05)
                return
            except queue.Full:
                continue


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()
_LOOK_BACK = 64  # bytes kept behind the position (a data descriptor is read twice)


class DecryptedStream:
    """The plaintext of `payload.age` decrypted again on a thread of its own, as a
    forward-only handle for the ZIP walk (`seek` ahead, `read`); `close` stops the thread.
    `failed` says whether decryption stopped with an error."""

    def __init__(self, stream: EntryStream, identities: Sequence[x25519.Identity]) -> None:
        self.stream = stream
        self._identities = list(identities)
        self._queue: queue.Queue[object] = queue.Queue(maxsize=_PIPE_DEPTH)
        self._stop = threading.Event()
        self._buffer = bytearray()
        self._start = 0  # offset of _buffer[0] in the plaintext
        self._pos = 0
        self._ended = False
        self.failed = False
        self._thread = threading.Thread(target=self._decrypt, name="payload-decrypt",
                                        daemon=True)
        self._thread.start()

    def _decrypt(self) -> None:
        writer = _PipeWriter(self._queue, self._stop)
        try:
            pyrage.decrypt_io(self.stream, writer, self._identities)
            writer.flush()
            writer.put(_END)
        except _Stopped:
            pass
        except Exception as exc:  # the file changed since check 4
            with contextlib.suppress(_Stopped):
                writer.put(_Failure(exc))

    def _more(self) -> bool:
        if self._ended:
            return False
        item = self._queue.get()
        if item is _END:
            self._ended = True
            return False
        if isinstance(item, _Failure):
            self._ended = self.failed = True
            raise ZipProblem("payload.age no longer decrypts")
        assert isinstance(item, bytes)
        keep_from = max(0, min(self._pos, self._start + len(self._buffer)) - _LOOK_BACK)
        if keep_from > self._start:
            del self._buffer[: keep_from - self._start]
            self._start = keep_from
        self._buffer += item
        return True

    def seek(self, offset: int, whence: int = 0, /) -> int:
        if whence != io.SEEK_SET or offset < self._start:
            raise ZipProblem("the walk went back")
        self._pos = offset
        return offset

    def read(self, size: int = -1, /) -> bytes:
        assert size >= 0
        while self._start + len(self._buffer) < self._pos + size and self._more():
            pass
        begin = self._pos - self._start
        data = bytes(self._buffer[begin : begin + size]) if begin >= 0 else b""
        self._pos += len(data)
        return data

    def finish(self) -> None:
        """Decrypt to the end (what the walk did not read is dropped) and stop the thread."""
        while not self._ended:
            item = self._queue.get()
            if item is _END or isinstance(item, _Failure):
                self._ended = True
                self.failed = item is not _END
        self.close()

    def close(self) -> None:
        self._stop.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=0.05)
        self._thread.join()
        self._buffer = bytearray()


class EntryReader:
    """`read(n)` over one entry's bytes, for the sink."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._piece = memoryview(b"")

    def read(self, size: int = -1, /) -> bytes:
        if not self._piece:
            chunk = next(self._chunks, b"")
            if not chunk:
                return b""
            self._piece = memoryview(chunk)
        if size < 0 or size >= len(self._piece):
            data, self._piece = bytes(self._piece), memoryview(b"")
            return data
        data = bytes(self._piece[:size])
        self._piece = self._piece[size:]
        return data

"""Reading one attachment file: age decryption streamed into a forward-only binary reader.

pyrage decrypts from a reader into a writer in one call. To hand the plaintext out piece by
piece, that call runs on a thread of its own and passes pieces of 256 KiB through a queue
of two; at most a few pieces are ever in memory. The reader checks the size and the SHA-256
at the end: content that differs, or a file that no longer decrypts, raises
`AttachmentDamaged` (proved, not guessed). Closing the reader stops the thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import queue
import threading
from collections.abc import Callable
from pathlib import Path

import pyrage
from pyrage import x25519

from intake_app.errors import VaultLocked
from intake_app.storage.errors import AttachmentDamaged

PIECE_BYTES = 256 * 1024
_END = object()


class _Stopped(Exception):
    """The reader was closed: the decrypting thread gives up."""


class AttachmentReader(io.RawIOBase):
    """A forward-only binary reader over one attachment's plaintext."""

    def __init__(
        self, path: Path, identity: str, sha256: str, size: int, is_open: Callable[[], bool]
    ) -> None:
        super().__init__()
        self.sha256 = sha256
        self.size = size
        self._is_open = is_open
        self._identity = identity
        try:
            self._file = path.open("rb")
        except FileNotFoundError:
            raise AttachmentDamaged() from None
        self._queue: queue.Queue[object] = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._piece = memoryview(b"")
        self._digest = hashlib.sha256()
        self._pos = 0
        self._ended = False

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def hexdigest(self) -> str:
        """SHA-256 (hex) of the plaintext read so far: all of it, checked against the row's,
        once `read` returned b"" (the export's payload writer uses it instead of hashing
        the attachment a second time)."""
        return self._digest.hexdigest()

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self.closed:
            raise ValueError("I/O operation on closed attachment")
        if not self._is_open():
            self._drop()  # a locked vault shows nothing, not even what was read already
            raise VaultLocked()
        if not self._piece and not self._next_piece():
            return 0
        count = min(len(buffer), len(self._piece))
        buffer[:count] = self._piece[:count]
        self._piece = self._piece[count:]
        self._pos += count
        return count

    def close(self) -> None:
        if not self.closed:
            self._drop()
        super().close()

    def _next_piece(self) -> bool:
        if self._ended:
            return False
        if self._thread is None:
            self._thread = threading.Thread(target=self._decrypt, name="attachment", daemon=True)
            self._thread.start()
        item = self._queue.get()
        if item is _END:
            self._ended = True
            if self._pos != self.size or self._digest.hexdigest() != self.sha256:
                raise AttachmentDamaged()
            return False
        if isinstance(item, BaseException):
            self._ended = True
            raise AttachmentDamaged() from None
        assert isinstance(item, bytes)
        self._digest.update(item)
        if self._pos + len(item) > self.size:
            self._ended = True
            raise AttachmentDamaged()
        self._piece = memoryview(item)
        return True

    def _decrypt(self) -> None:
        writer = _QueueWriter(self._queue, self._stop)
        try:
            identity = x25519.Identity.from_str(self._identity)
            pyrage.decrypt_io(self._file, writer, [identity])
            writer.flush()
            writer.put(_END)
        except _Stopped:
            pass
        except Exception as exc:  # damage: the reader raises AttachmentDamaged
            # Keep only the error's type: nothing of its message travels further.
            with contextlib.suppress(_Stopped):
                writer.put(RuntimeError(type(exc).__name__))

    def _drop(self) -> None:
        self._stop.set()
        self._piece = memoryview(b"")
        if self._thread is not None:
            while self._thread.is_alive():
                with contextlib.suppress(queue.Empty):
                    self._queue.get(timeout=0.05)
            self._thread.join()
        while not self._queue.empty():
            self._queue.get_nowait()
        self._file.close()


class _QueueWriter:
    """The writer pyrage decrypts into: collects plaintext into pieces and queues them."""

    def __init__(self, pieces: queue.Queue[object], stop: threading.Event) -> None:
        self._pieces = pieces
        self._stop = stop
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= PIECE_BYTES:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            piece = bytes(self._buffer)
            self._buffer = bytearray()
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

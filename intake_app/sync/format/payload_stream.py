"""The payload ZIP produced piece by piece, as a readable stream for age to encrypt.

The plaintext never exists as a whole, in memory or on disk: age pulls bytes with `read()`,
and each pull advances the ZIP writer by one entry or one attachment chunk.

The ZIP is laid out by one background thread ("payload-writer"): reading attachments out of
the vault's files (age decrypts without holding Python's lock), checking their SHA-256 (made
once: the vault's reader hashes what it reads, see `HashingReadable`), deflating records and
the ZIP's CRC-32s all overlap with age's encryption of the payload. At most
`_READ_AHEAD` pieces of the ZIP wait for age; `stop` ends the thread early.
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
import threading
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from intake_app.errors import VaultDamaged
from intake_app.sync.format.spec import MANIFEST_ENTRY

CHUNK = 256 * 1024
_READ_AHEAD = 16  # pieces of the ZIP (about 4 MiB) made ahead of age at most
# Fast deflate: on interview JSON, level 1 is about 2.5 times as fast as the default level 6
# and only about 8 % larger; records are a small part of a bundle next to attachments.
_LEVEL = 1
_REGULAR_FILE_MODE = 0o100644 << 16


class Readable(Protocol):
    """A binary reader, such as the vault's attachment reader."""

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


@runtime_checkable
class HashingReadable(Readable, Protocol):
    """A reader that hashes what it reads itself, such as the vault's attachment reader
    (which checks the SHA-256 at the end of the file): its digest is used, not made again."""

    def hexdigest(self) -> str:
        """SHA-256 (hex) of what was read; all of it once `read` returned b""."""
        ...


@dataclass(frozen=True, slots=True)
class PayloadFile:
    """A small payload entry whose bytes are known (manifest, records): deflated."""

    path: str
    data: bytes


@dataclass(frozen=True, slots=True)
class PayloadBlob:
    """A large entry read in chunks (an attachment): stored, its hash checked while copied."""

    path: str
    sha256: str
    size: int
    open: Callable[[], Readable]


def entry_info(name: str, moment: datetime, compress_type: int) -> zipfile.ZipInfo:
    """A ZipInfo with fixed, platform-independent attributes (a regular file, 0644)."""
    info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
    info.create_system = 3
    info.external_attr = _REGULAR_FILE_MODE
    info.compress_type = compress_type
    return info


def _copy_blob(inner: zipfile.ZipFile, blob: PayloadBlob, moment: datetime) -> None:
    copied = 0
    reader = blob.open()
    # Each attachment is hashed once: by a reader that hashes what it reads, else here.
    hashing = reader if isinstance(reader, HashingReadable) else None
    digest = hashlib.sha256()
    try:
        with inner.open(entry_info(blob.path, moment, zipfile.ZIP_STORED), "w") as target:
            while chunk := reader.read(CHUNK):
                copied += len(chunk)
                if copied > blob.size:
                    break
                if hashing is None:
                    digest.update(chunk)
                target.write(chunk)
        sha256 = digest.hexdigest() if hashing is None else hashing.hexdigest()
    finally:
        reader.close()
    if copied != blob.size or sha256 != blob.sha256:
        # Attachments are stored by their hash; bytes that no longer match mean damage.
        raise VaultDamaged()


class _Stopped(Exception):
    """`stop` was called: the writing thread gives up quietly."""


@dataclass(frozen=True, slots=True)
class _Failed:
    error: BaseException


_END = b""


class PayloadStream:
    """A read-only stream of the payload ZIP: manifest first, then records, then blobs."""

    def __init__(
        self,
        manifest: bytes,
        records: Sequence[PayloadFile],
        blobs: Sequence[PayloadBlob],
        moment: datetime,
    ) -> None:
        self._queue: queue.Queue[bytes | _Failed] = queue.Queue(_READ_AHEAD)
        self._stop = threading.Event()
        self._pending = bytearray()  # written by the ZIP writer, not yet queued
        self._written = 0
        self._piece = memoryview(b"")  # taken from the queue, not yet read
        self._ended = False
        self.error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(manifest, records, blobs, moment), daemon=True,
            name="payload-writer",
        )
        self._thread.start()

    # The ZIP writer's side (in the writing thread): a non-seekable sink, so entries get
    # data descriptors.
    def write(self, data: bytes, /) -> int:
        self._pending += data
        self._written += len(data)
        if len(self._pending) >= CHUNK:
            self._put(bytes(self._pending))
            self._pending.clear()
        return len(data)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def _run(self, manifest: bytes, records: Sequence[PayloadFile],
             blobs: Sequence[PayloadBlob], moment: datetime) -> None:
        try:
            with zipfile.ZipFile(self, "w", allowZip64=False) as inner:
                inner.writestr(entry_info(MANIFEST_ENTRY, moment, zipfile.ZIP_DEFLATED),
                               manifest, compresslevel=_LEVEL)
                for record in records:
                    inner.writestr(entry_info(record.path, moment, zipfile.ZIP_DEFLATED),
                                   record.data, compresslevel=_LEVEL)
                for blob in blobs:
                    _copy_blob(inner, blob, moment)
            if self._pending:
                self._put(bytes(self._pending))
            self._put(_END)
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the reading thread by `read`
            with contextlib.suppress(_Stopped):
                self._put(_Failed(exc))

    def _put(self, item: bytes | _Failed) -> None:
        while True:
            if self._stop.is_set():
                raise _Stopped()
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    # age's side.
    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes of the payload ZIP; b"" at the end."""
        if size < 0:
            return b"".join(iter(lambda: self.read(1 << 20), b""))
        if not self._piece and not self._ended:
            item = self._queue.get()
            if isinstance(item, _Failed):
                # age turns a failing read into its own error; keep ours to raise it instead.
                self.error = item.error
                self._ended = True
                raise item.error
            if item == _END:
                self._ended = True
            self._piece = memoryview(item)
        chunk = bytes(self._piece[:size])
        self._piece = self._piece[size:]
        return chunk

    def stop(self) -> None:
        """End the writing thread (after the last read, or when age gave up)."""
        self._stop.set()
        self._thread.join()

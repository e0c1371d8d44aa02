"""The payload ZIP produced piece by piece, as a readable stream for age to encrypt.

The plaintext never exists as a whole, in memory or on disk: age pulls bytes with `read()`,
and each pull advances the ZIP writer by one entry or one attachment chunk.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from intake_app.errors import VaultDamaged
from intake_app.sync.bundle_format import MANIFEST_ENTRY

CHUNK = 256 * 1024
# Fast deflate: on interview JSON, level 1 is about 2.5 times as fast as the default level 6
# and only about 8 % larger; records are a small part of a bundle next to attachments.
_LEVEL = 1
_REGULAR_FILE_MODE = 0o100644 << 16


class Readable(Protocol):
    """A binary reader, such as the vault's attachment reader."""

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


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


def _copy_blob(inner: zipfile.ZipFile, blob: PayloadBlob, moment: datetime) -> Iterator[None]:
    digest = hashlib.sha256()
    copied = 0
    reader = blob.open()
    try:
        with inner.open(entry_info(blob.path, moment, zipfile.ZIP_STORED), "w") as target:
            while chunk := reader.read(CHUNK):
                copied += len(chunk)
                if copied > blob.size:
                    break
                digest.update(chunk)
                target.write(chunk)
                yield
    finally:
        reader.close()
    if copied != blob.size or digest.hexdigest() != blob.sha256:
        # Attachments are stored by their hash; bytes that no longer match mean damage.
        raise VaultDamaged()


class PayloadStream:
    """A read-only stream of the payload ZIP: manifest first, then records, then blobs."""

    def __init__(
        self,
        manifest: bytes,
        records: Sequence[PayloadFile],
        blobs: Sequence[PayloadBlob],
        moment: datetime,
    ) -> None:
        self._buffer = bytearray()
        self._start = 0
        self._written = 0
        self._done = False
        self.error: BaseException | None = None
        self._steps = self._produce(manifest, records, blobs, moment)

    # The ZIP writer's side: a non-seekable sink, so entries get data descriptors.
    def write(self, data: bytes, /) -> int:
        if self._start and self._start * 2 >= len(self._buffer):
            del self._buffer[: self._start]
            self._start = 0
        self._buffer += data
        self._written += len(data)
        return len(data)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def _produce(
        self,
        manifest: bytes,
        records: Sequence[PayloadFile],
        blobs: Sequence[PayloadBlob],
        moment: datetime,
    ) -> Iterator[None]:
        with zipfile.ZipFile(self, "w", allowZip64=False) as inner:
            inner.writestr(entry_info(MANIFEST_ENTRY, moment, zipfile.ZIP_DEFLATED), manifest,
                           compresslevel=_LEVEL)
            yield
            for record in records:
                inner.writestr(entry_info(record.path, moment, zipfile.ZIP_DEFLATED),
                               record.data, compresslevel=_LEVEL)
                yield
            for blob in blobs:
                yield from _copy_blob(inner, blob, moment)

    # age's side.
    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes of the payload ZIP; b"" at the end."""
        wanted = size if size >= 0 else 1 << 62
        try:
            while len(self._buffer) - self._start < wanted and not self._done:
                try:
                    next(self._steps)
                except StopIteration:
                    self._done = True
        except BaseException as exc:
            # age turns a failing read into its own error; keep ours to raise it instead.
            self.error = exc
            raise
        end = min(self._start + wanted, len(self._buffer))
        chunk = bytes(self._buffer[self._start : end])
        self._start = end
        return chunk

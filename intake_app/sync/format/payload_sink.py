"""Where the walk puts each attachment while it checks it, and what a sink kept.

At the centre the sink encrypts each attachment into a file of the vault's (not yet named by
any row); `MemorySink` keeps them in memory for tests and tools.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class StoredAttachment(Protocol):
    """What a sink kept: the SHA-256 and size of exactly the bytes it kept."""

    @property
    def sha256(self) -> str: ...

    @property
    def size(self) -> int: ...


class AttachmentSink(Protocol):
    """Where the walk puts each attachment's bytes while it checks them (check 6)."""

    def store(self, source: Readable) -> StoredAttachment:
        """Read `source` to its end and keep its bytes; raise what `source.read` raised."""
        ...

    def discard(self, stored: StoredAttachment) -> None:
        """Drop what `store` kept (the bundle failed, or its content was not needed)."""
        ...


@dataclass(frozen=True, slots=True)
class HeldBytes:
    """An attachment kept in memory by `MemorySink`."""

    sha256: str
    size: int
    data: bytes = field(repr=False)


class MemorySink:
    """Keeps attachments in memory: for tests and tools; the centre stores them in files."""

    def store(self, source: Readable) -> HeldBytes:
        data = b"".join(iter(lambda: source.read(1 << 20), b""))
        return HeldBytes(hashlib.sha256(data).hexdigest(), len(data), data)

    def discard(self, stored: StoredAttachment) -> None:
        return None


def discard_all(sink: AttachmentSink, stored: Iterable[StoredAttachment]) -> None:
    """Discard each of `stored`, whatever `discard` raises."""
    for item in list(stored):
        with contextlib.suppress(Exception):
            sink.discard(item)

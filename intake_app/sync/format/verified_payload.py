"""A payload that passed checks 4 to 6: its manifest, its checked records, its attachments."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from intake_app.sync.format.manifest import Manifest, RecordEntry
from intake_app.sync.format.payload_sink import (
    AttachmentSink,
    HeldBytes,
    StoredAttachment,
    discard_all,
)


@dataclass(frozen=True, slots=True)
class PayloadRecord:
    """A checked record: its manifest entry, its exact bytes, and the parsed document."""

    entry: RecordEntry
    data: bytes
    document: dict[str, Any]


class VerifiedPayload:
    """A payload that passed checks 4 to 6: its manifest, its records, and the attachments
    its sink stored. `take` hands one over for good; `close` discards the rest."""

    def __init__(self, manifest: Manifest, records: tuple[PayloadRecord, ...],
                 stored: dict[str, StoredAttachment], sink: AttachmentSink) -> None:
        self.manifest = manifest
        self.records = records
        self._stored = stored
        self._sink = sink

    def take(self, sha256: str) -> StoredAttachment | None:
        """The stored attachment with this SHA-256, now the caller's (None if taken)."""
        return self._stored.pop(sha256, None)

    def attachment_chunks(self, sha256: str) -> Iterator[bytes]:
        """The bytes of an attachment kept by a `MemorySink`."""
        held = self._stored[sha256]
        assert isinstance(held, HeldBytes), "only a MemorySink keeps the bytes"
        return iter((held.data,))

    def close(self) -> None:
        """Discard every stored attachment not taken."""
        stored, self._stored = self._stored, {}
        discard_all(self._sink, stored.values())

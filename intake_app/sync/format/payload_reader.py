"""The importer's checks 4 to 6 on `payload.age`, streamed: the plaintext is never held whole.

Two passes over `payload.age`, each decrypting it as a stream:

1. Check 4 (`payload_decrypt`): decrypt it to its end (age authenticates every 64 KiB
   piece), keeping only the plaintext's length and its last bytes; the ciphertext must hash
   to the signed hash. Then the first part of check 5 on those last bytes: the ZIP's end
   record and central directory (entries, names, compression, sizes, ratios, total
   uncompressed).
2. Decrypt it again and walk the ZIP from its start (`payload_walk`): every local header
   checked against the directory (check 5); `manifest.json`, the first entry, parsed and
   checked against the signature and this centre (check 5) before any other entry is looked
   at; then each file's size and SHA-256 (check 6). Records are kept in memory (they are
   small and the transaction needs them); attachments go straight into the `AttachmentSink`
   (at the centre, its age-encrypted attachment files, not yet named by any row) and are
   never held.

A failure found on the walk does not end it unless the ZIP cannot be walked further: the
verdict is the first failure in the spec's order (ZIP structure, then manifest, then files),
and the ciphertext read the second time must hash to the signed hash again. What the sink
stored for a bundle that fails is discarded before the refusal is raised. Then the records
against their forms and owners (the rest of check 6, `payload_records`).

Plaintext reaches nothing but memory, a few pieces at a time, and the sink.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import BinaryIO

from pyrage import x25519

from intake_app.sync.errors import BundleRefused, Reason
from intake_app.sync.format.payload_decrypt import (
    AGE_BINARY_HEADER,
    PayloadDirectory,
    check_central,
    decrypt_payload,
    unchanged,
)
from intake_app.sync.format.payload_records import (
    FormCheck,
    RecordOwner,
    RecordValidator,
    check_records,
    no_owner,
)
from intake_app.sync.format.payload_sink import (
    AttachmentSink,
    HeldBytes,
    MemorySink,
    Readable,
    StoredAttachment,
    discard_all,
)
from intake_app.sync.format.payload_streams import DecryptedStream
from intake_app.sync.format.payload_walk import Walk, walk_entries
from intake_app.sync.format.reader import BundleContainer, SignedBundle
from intake_app.sync.format.verified_payload import PayloadRecord, VerifiedPayload

__all__ = [
    "AGE_BINARY_HEADER",
    "AttachmentSink",
    "FormCheck",
    "HeldBytes",
    "MemorySink",
    "PayloadDirectory",
    "PayloadRecord",
    "Readable",
    "RecordOwner",
    "RecordValidator",
    "StoredAttachment",
    "VerifiedPayload",
    "check_payload",
    "decrypt_payload",
    "no_owner",
    "open_payload",
]


def _verified(walk: Walk, signed: SignedBundle, sink: AttachmentSink,
              validate_record: RecordValidator, record_owner: RecordOwner,
              changed: BundleRefused | None = None) -> VerifiedPayload:
    """The payload from a finished walk, or the walk's refusal (its attachments discarded)."""
    try:
        failure = changed or walk.failure
        if failure is not None:
            raise failure
        assert walk.manifest is not None
        records = check_records(walk.manifest, walk.records, signed.device_id,
                                 validate_record, record_owner)
    except BaseException:
        discard_all(sink, walk.stored.values())
        raise
    return VerifiedPayload(walk.manifest, records, walk.stored, sink)


def check_payload(
    plaintext: BinaryIO, signed: SignedBundle, *, centre_id: str,
    validate_record: RecordValidator, record_owner: RecordOwner = no_owner,
    sink: AttachmentSink | None = None,
) -> VerifiedPayload:
    """Checks 5 and 6 on a decrypted payload held in a seekable handle (tests and tools)."""
    sink = sink or MemorySink()
    size = plaintext.seek(0, io.SEEK_END)
    central = check_central(plaintext, size)
    walk = Walk()
    try:
        walk_entries(walk, plaintext, central, signed, centre_id, sink)
    except BaseException:
        discard_all(sink, walk.stored.values())
        raise
    return _verified(walk, signed, sink, validate_record, record_owner)


def open_payload(
    container: BundleContainer, signed: SignedBundle, *, identities: Sequence[x25519.Identity],
    centre_id: str, validate_record: RecordValidator, record_owner: RecordOwner = no_owner,
    sink: AttachmentSink | None = None,
) -> VerifiedPayload:
    """Checks 4, 5 and 6, streamed (see the module's text). Raises `BundleRefused` with the
    spec's reason code; errors of the sink (a full disk) pass through."""
    sink = sink or MemorySink()
    directory = decrypt_payload(container, signed, identities)
    stream = container.payload_stream(check_crc=False)
    plaintext = DecryptedStream(stream, identities)
    walk = Walk()
    try:
        walk_entries(walk, plaintext, directory.central, signed, centre_id, sink)
        plaintext.finish()
        changed = plaintext.failed or not unchanged(stream, signed)
    except BaseException:
        plaintext.close()
        discard_all(sink, walk.stored.values())
        raise
    refusal = BundleRefused(Reason.BAD_CONTAINER, "payload.age changed while it was read")
    return _verified(walk, signed, sink, validate_record, record_owner,
                     refusal if changed else None)

"""The importer's checks 4 to 6 on `payload.age`, streamed: the plaintext is never held whole.

Two passes over `payload.age`, each decrypting it as a stream:

1. Check 4: decrypt it to its end (age authenticates every 64 KiB piece), keeping only the
   plaintext's length and its last bytes; the ciphertext must hash to the signed hash. Then
   the first part of check 5 on those last bytes: the ZIP's end record and central directory
   (entries, names, compression, sizes, ratios, total uncompressed).
2. Decrypt it again and walk the ZIP from its start (`_walk`): every local header checked
   against the directory (check 5); `manifest.json`, the first entry, parsed and checked
   against the signature and this centre (check 5) before any other entry is looked at; then
   each file's size and SHA-256 (check 6). Records are kept in memory (they are small and the
   transaction needs them); attachments go straight into the `AttachmentSink` (at the centre,
   its age-encrypted attachment files, not yet named by any row) and are never held.

A failure found on the walk does not end it unless the ZIP cannot be walked further: the
verdict is the first failure in the spec's order (ZIP structure, then manifest, then files),
and the ciphertext read the second time must hash to the signed hash again. What the sink
stored for a bundle that fails is discarded before the refusal is raised. Then the records
against their forms and owners (the rest of check 6).

Plaintext reaches nothing but memory, a few pieces at a time, and the sink.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, BinaryIO, Protocol

import pyrage
from pyrage import x25519

from intake_app.sync.errors import BundleRefused, Reason
from intake_app.sync.format.manifest import Manifest, RecordEntry, parse_manifest
from intake_app.sync.format.payload_streams import (
    DecryptedStream,
    EntryReader,
    TailKeeper,
)
from intake_app.sync.format.reader import BundleContainer, SignedBundle
from intake_app.sync.format.spec import (
    MANIFEST_ENTRY,
    MAX_COMPRESSION_RATIO,
    MAX_MANIFEST_SIZE,
    MAX_PAYLOAD_ENTRIES,
    MAX_PAYLOAD_UNCOMPRESSED,
    MAX_RECORD_SIZE,
)
from intake_app.sync.format.strict_json import SHA256_RE, UUID_RE, FormatProblem, loads_object
from intake_app.sync.format.zip_reader import (
    DEFLATED,
    STORED,
    CentralDirectory,
    EntryStream,
    ZipEntry,
    ZipProblem,
    entry_end,
    iter_entry,
    local_entry,
    read_central,
    read_entry,
    tail_bytes,
)

_MAX_DIRECTORY = MAX_PAYLOAD_ENTRIES * 512
_NO_MATCHING_KEY = "No matching keys found"  # pyrage's message when no identity fits
_DOCUMENT_FIELDS = frozenset(
    {"id", "revision", "form", "form_version", "created", "modified", "status", "answers"}
)


class FormCheck(StrEnum):
    """What the domain layer says about a record document."""

    VALID = "valid"
    UNKNOWN_FORM = "unknown-form"
    INVALID = "invalid"


RecordValidator = Callable[[Mapping[str, Any]], FormCheck]
"""Validate a record document against its form definition (supplied by the domain layer)."""

RecordOwner = Callable[[str], str | None]
"""The device id that a record id already belongs to at the centre, or None if unknown."""


def no_owner(record_id: str) -> str | None:
    """A `RecordOwner` for a centre that holds no records yet."""
    return None


@dataclass(frozen=True, slots=True)
class PayloadRecord:
    """A checked record: its manifest entry, its exact bytes, and the parsed document."""

    entry: RecordEntry
    data: bytes
    document: dict[str, Any]


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
        _discard_all(self._sink, stored.values())


def _discard_all(sink: AttachmentSink, stored: Iterator[StoredAttachment] | Any) -> None:
    for item in list(stored):
        with contextlib.suppress(Exception):
            sink.discard(item)


AGE_BINARY_HEADER = b"age-encryption.org/v1\n"


@dataclass(frozen=True, slots=True)
class PayloadDirectory:
    """What check 4 and the first part of check 5 established: the plaintext's length and
    its checked central directory."""

    size: int
    central: CentralDirectory


def decrypt_payload(container: BundleContainer, signed: SignedBundle,
                    identities: Sequence[x25519.Identity]) -> PayloadDirectory:
    """Check 4 (decrypt `payload.age` to its end with the centre's identities, keeping only
    its last bytes) and the directory half of check 5.

    The ciphertext is hashed again while it is decrypted and must be the one whose signature
    was verified, so a file swapped on the share between the checks is refused.
    """
    _check_binary(container)
    stream = container.payload_stream(check_crc=False)
    keeper = TailKeeper(tail_bytes(_MAX_DIRECTORY),
                         min(container.payload.size, MAX_PAYLOAD_UNCOMPRESSED))
    try:
        pyrage.decrypt_io(stream, keeper, list(identities))
        stream.drain()
    except ZipProblem as exc:
        raise BundleRefused(Reason.BAD_CONTAINER, str(exc)) from None
    except (pyrage.DecryptError, OSError) as exc:
        if isinstance(stream.error, ZipProblem) or not _unchanged(stream, signed):
            raise BundleRefused(Reason.BAD_CONTAINER, "payload.age changed or damaged") from None
        if _NO_MATCHING_KEY in str(exc):
            raise BundleRefused(Reason.NOT_FOR_THIS_CENTRE) from None
        raise BundleRefused(Reason.BAD_PAYLOAD, "age decryption failed") from None
    if stream.digest.hexdigest() != signed.payload_sha256:
        raise BundleRefused(Reason.BAD_CONTAINER, "payload.age changed while it was read")
    return PayloadDirectory(keeper.size, _central(keeper.handle(), keeper.size))


def _check_binary(container: BundleContainer) -> None:
    # The spec asks for binary age; the armored form would decrypt too, so refuse it here.
    if container.payload_stream(check_crc=False).read(len(AGE_BINARY_HEADER)) != AGE_BINARY_HEADER:
        raise BundleRefused(Reason.BAD_PAYLOAD, "payload.age is not binary age v1")


def _unchanged(stream: EntryStream, signed: SignedBundle) -> bool:
    """Whether the ciphertext (read to its end) is still the one that was verified."""
    try:
        stream.drain()
    except ZipProblem:
        return False
    return stream.digest.hexdigest() == signed.payload_sha256


def _central(handle: Any, size: int) -> CentralDirectory:
    """Check 5's first part: the directory's shape, names, compression, sizes and ratios."""
    try:
        central = read_central(handle, size, max_entries=MAX_PAYLOAD_ENTRIES,
                               max_directory=_MAX_DIRECTORY)
    except ZipProblem as exc:
        raise BundleRefused(Reason.BAD_PAYLOAD, str(exc)) from None
    entries = [record.entry for record in central.records]
    if not entries or entries[0].name != MANIFEST_ENTRY:
        raise BundleRefused(Reason.BAD_PAYLOAD, "manifest.json is not the first entry")
    total = 0
    for entry in entries:
        if not _allowed_name(entry.name) or entry.method not in (STORED, DEFLATED):
            raise BundleRefused(Reason.BAD_PAYLOAD, "name or compression not allowed")
        if entry.size > MAX_COMPRESSION_RATIO * entry.compressed_size:
            raise BundleRefused(Reason.BAD_PAYLOAD, "compression ratio too high")
        total += entry.size
    if total > MAX_PAYLOAD_UNCOMPRESSED:
        raise BundleRefused(Reason.BAD_PAYLOAD, "payload too large uncompressed")
    return central


def _allowed_name(name: str) -> bool:
    if name == MANIFEST_ENTRY:
        return True
    if name.startswith("records/") and name.endswith(".json"):
        return UUID_RE.fullmatch(name[len("records/") : -len(".json")]) is not None
    if name.startswith("attachments/"):
        return SHA256_RE.fullmatch(name[len("attachments/") :]) is not None
    return False


@dataclass
class _Walk:
    """What the walk found: the manifest, the records' bytes, the stored attachments, and
    the first failure of each kind (in the spec's order: structure, manifest, files)."""

    manifest: Manifest | None = None
    listed: dict[str, int] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    records: dict[str, bytes] = field(default_factory=dict)
    stored: dict[str, StoredAttachment] = field(default_factory=dict)
    structure: BundleRefused | None = None
    manifest_problem: BundleRefused | None = None
    files_problem: BundleRefused | None = None

    @property
    def failure(self) -> BundleRefused | None:
        return self.structure or self.manifest_problem or self.files_problem

    @property
    def wants_files(self) -> bool:
        return self.manifest is not None and self.failure is None


def _walk(walk: _Walk, handle: Any, central: CentralDirectory, signed: SignedBundle,
          centre_id: str, sink: AttachmentSink) -> None:
    """Walk the entries from the start, checking as described above, into `walk`; stops
    only when the ZIP's structure fails. What it stored is the caller's to discard."""
    expected = 0
    try:
        for index, record in enumerate(central.records):
            entry = local_entry(handle, record, expected, central.offset)
            if index == 0:
                _walk_manifest(walk, handle, entry, signed, centre_id, central)
            elif walk.wants_files:
                _walk_file(walk, handle, entry, sink)
            else:
                for _ in iter_entry(handle, entry, check_crc=False):
                    pass
            expected = entry_end(handle, entry, record)
        if expected != central.offset:
            raise ZipProblem("gap before the central directory")
    except ZipProblem as exc:
        walk.structure = BundleRefused(Reason.BAD_PAYLOAD, str(exc))


def _walk_manifest(walk: _Walk, handle: Any, entry: ZipEntry, signed: SignedBundle,
                   centre_id: str, central: CentralDirectory) -> None:
    data = read_entry(handle, entry, limit=MAX_MANIFEST_SIZE)  # ZipProblem: structure
    try:
        manifest = _check_manifest(data, signed, centre_id)
    except BundleRefused as refusal:
        walk.manifest_problem = refusal
        return
    walk.manifest = manifest
    walk.listed = manifest.file_paths()
    walk.hashes = {entry.path: entry.sha256 for entry in manifest.records}
    walk.hashes.update((entry.path, entry.sha256) for entry in manifest.attachments)
    names = {record.entry.name for record in central.records[1:]}
    if set(walk.listed) != names:
        walk.files_problem = BundleRefused(Reason.HASH_MISMATCH, "files missing or not listed")


def _check_manifest(data: bytes, signed: SignedBundle, centre_id: str) -> Manifest:
    # The spec's order: valid JSON of the manifest's form first, then its SHA-256.
    try:
        manifest = parse_manifest(data)
    except FormatProblem as exc:
        raise BundleRefused(Reason.BAD_PAYLOAD, str(exc)) from None
    if hashlib.sha256(data).hexdigest() != signed.comment.manifest_sha256:
        raise BundleRefused(Reason.MANIFEST_MISMATCH, "manifest hash")
    comment = signed.comment
    if (manifest.device_id, manifest.seq, manifest.created) != (
        comment.device_id, comment.seq, comment.created
    ):
        raise BundleRefused(Reason.MANIFEST_MISMATCH, "device, seq or created")
    if manifest.centre_id != centre_id:
        raise BundleRefused(Reason.NOT_FOR_THIS_CENTRE, "manifest names another centre")
    return manifest


def _walk_file(walk: _Walk, handle: Any, entry: ZipEntry, sink: AttachmentSink) -> None:
    name = entry.name
    is_record = name.startswith("records/")
    chunks = iter_entry(handle, entry, check_crc=False)  # the SHA-256 decides
    if entry.size != walk.listed[name] or (is_record and entry.size > MAX_RECORD_SIZE):
        walk.files_problem = BundleRefused(Reason.HASH_MISMATCH, "size differs from the manifest")
        for _ in chunks:
            pass
        return
    if is_record:
        data = b"".join(chunks)
        digest, size = hashlib.sha256(data).hexdigest(), len(data)
        walk.records[name] = data
    else:
        stored = sink.store(EntryReader(chunks))
        digest, size = stored.sha256, stored.size
        if digest in walk.stored or digest != walk.hashes[name]:
            sink.discard(stored)
        else:
            walk.stored[digest] = stored
    if digest != walk.hashes[name] or size != entry.size:
        walk.files_problem = BundleRefused(Reason.HASH_MISMATCH,
                                           "SHA-256 differs from the manifest")


def _check_record(entry: RecordEntry, data: bytes, validate: RecordValidator) -> PayloadRecord:
    try:
        document = loads_object(data)
    except FormatProblem:
        raise BundleRefused(Reason.INVALID_RECORD, "record is not a JSON object") from None
    identity = (document.get("id"), document.get("revision"), document.get("form"),
                document.get("form_version"))
    complete = set(document) >= _DOCUMENT_FIELDS and type(document["revision"]) is int
    if not complete or identity != (entry.id, entry.revision, entry.form, entry.form_version):
        raise BundleRefused(Reason.INVALID_RECORD, "record does not match its manifest entry")
    verdict = validate(document)
    if verdict is FormCheck.UNKNOWN_FORM:
        raise BundleRefused(Reason.UNKNOWN_FORM)
    if verdict is not FormCheck.VALID:
        raise BundleRefused(Reason.INVALID_RECORD)
    return PayloadRecord(entry, data, document)


def _check_records(manifest: Manifest, record_bytes: dict[str, bytes], device_id: str,
                   validate_record: RecordValidator, record_owner: RecordOwner
                   ) -> tuple[PayloadRecord, ...]:
    """The rest of check 6: records valid for their forms, none foreign."""
    records = tuple(_check_record(entry, record_bytes[entry.path], validate_record)
                    for entry in manifest.records)
    ids = {entry.id for entry in manifest.records}
    ids.update(entry.record_id for entry in manifest.attachments)
    ids.update(entry.id for entry in manifest.deleted)
    for record_id in sorted(ids):
        owner = record_owner(record_id)
        if owner is not None and owner != device_id:
            raise BundleRefused(Reason.FOREIGN_RECORD)
    return records


def _verified(walk: _Walk, signed: SignedBundle, sink: AttachmentSink,
              validate_record: RecordValidator, record_owner: RecordOwner,
              changed: BundleRefused | None = None) -> VerifiedPayload:
    """The payload from a finished walk, or the walk's refusal (its attachments discarded)."""
    try:
        failure = changed or walk.failure
        if failure is not None:
            raise failure
        assert walk.manifest is not None
        records = _check_records(walk.manifest, walk.records, signed.device_id,
                                 validate_record, record_owner)
    except BaseException:
        _discard_all(sink, walk.stored.values())
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
    central = _central(plaintext, size)
    walk = _Walk()
    try:
        _walk(walk, plaintext, central, signed, centre_id, sink)
    except BaseException:
        _discard_all(sink, walk.stored.values())
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
    walk = _Walk()
    try:
        _walk(walk, plaintext, directory.central, signed, centre_id, sink)
        plaintext.finish()
        changed = plaintext.failed or not _unchanged(stream, signed)
    except BaseException:
        plaintext.close()
        _discard_all(sink, walk.stored.values())
        raise
    refusal = BundleRefused(Reason.BAD_CONTAINER, "payload.age changed while it was read")
    return _verified(walk, signed, sink, validate_record, record_owner,
                     refusal if changed else None)

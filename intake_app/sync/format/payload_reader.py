"""The importer's checks 4 to 6: decrypt in memory, check the payload ZIP and its manifest,
check every file against the manifest and every record against its form.

The plaintext is only ever held in memory (an `io.BytesIO`); nothing here writes to disk.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pyrage
from pyrage import x25519

from intake_app.sync.errors import BundleRefused, Reason
from intake_app.sync.format.manifest import Manifest, RecordEntry, parse_manifest
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
    EntryStream,
    ZipEntry,
    ZipProblem,
    iter_entry,
    read_directory,
    read_entry,
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


class VerifiedPayload:
    """A payload that passed checks 4 to 6, held in memory until `close()`."""

    def __init__(self, plaintext: io.BytesIO, manifest: Manifest, entries: dict[str, ZipEntry],
                 records: tuple[PayloadRecord, ...]) -> None:
        self._plaintext = plaintext
        self._entries = entries
        self.manifest = manifest
        self.records = records

    def attachment_chunks(self, sha256: str) -> Iterator[bytes]:
        """The bytes of a listed attachment, in chunks (already checked against its SHA-256)."""
        entry = self._entries[f"attachments/{sha256}"]
        return iter_entry(self._plaintext, entry, check_crc=False)

    def close(self) -> None:
        """Drop the plaintext from memory."""
        self._plaintext.close()


class _CappedBuffer(io.BytesIO):
    """An in-memory sink for the plaintext that refuses to grow past a limit."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._limit = limit

    def write(self, data: Any, /) -> int:
        if self.tell() + len(data) > self._limit:
            raise OSError("payload larger than its ciphertext allows")
        return super().write(data)


AGE_BINARY_HEADER = b"age-encryption.org/v1\n"


def decrypt_payload(container: BundleContainer, signed: SignedBundle,
                    identities: Sequence[x25519.Identity]) -> io.BytesIO:
    """Check 4: decrypt `payload.age` in memory with the centre's identities.

    The ciphertext is hashed again while it is decrypted and must be the one whose signature
    was verified, so a file swapped on the share between the checks is refused.
    """
    # The spec asks for binary age; the armored form would decrypt too, so refuse it here.
    if container.payload_stream(check_crc=False).read(len(AGE_BINARY_HEADER)) != AGE_BINARY_HEADER:
        raise BundleRefused(Reason.BAD_PAYLOAD, "payload.age is not binary age v1")
    # No CRC here: the SHA-256 must equal the one computed while the signature was checked.
    stream = container.payload_stream(check_crc=False)
    plaintext = _CappedBuffer(min(container.payload.size, MAX_PAYLOAD_UNCOMPRESSED))
    try:
        pyrage.decrypt_io(stream, plaintext, list(identities))
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
    plaintext.seek(0)
    return plaintext


def _unchanged(stream: EntryStream, signed: SignedBundle) -> bool:
    """Whether the ciphertext (read to its end) is still the one that was verified."""
    try:
        stream.drain()
    except ZipProblem:
        return False
    return stream.digest.hexdigest() == signed.payload_sha256


def _payload_entries(plaintext: io.BytesIO) -> list[ZipEntry]:
    size = plaintext.seek(0, io.SEEK_END)
    try:
        entries = read_directory(plaintext, size, max_entries=MAX_PAYLOAD_ENTRIES,
                                 max_directory=_MAX_DIRECTORY)
    except ZipProblem as exc:
        raise BundleRefused(Reason.BAD_PAYLOAD, str(exc)) from None
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
    return entries


def _allowed_name(name: str) -> bool:
    if name == MANIFEST_ENTRY:
        return True
    if name.startswith("records/") and name.endswith(".json"):
        return UUID_RE.fullmatch(name[len("records/") : -len(".json")]) is not None
    if name.startswith("attachments/"):
        return SHA256_RE.fullmatch(name[len("attachments/") :]) is not None
    return False


def read_manifest(plaintext: io.BytesIO, signed: SignedBundle, centre_id: str
                  ) -> tuple[Manifest, dict[str, ZipEntry]]:
    """Check 5: the payload ZIP's shape, and a manifest that matches the signature and us."""
    entries = _payload_entries(plaintext)
    try:
        data = read_entry(plaintext, entries[0], limit=MAX_MANIFEST_SIZE)
    except ZipProblem as exc:
        raise BundleRefused(Reason.BAD_PAYLOAD, str(exc)) from None
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
    return manifest, {entry.name: entry for entry in entries[1:]}


def _hash_entry(plaintext: io.BytesIO, entry: ZipEntry, *, keep: bool) -> tuple[str, bytes]:
    digest = hashlib.sha256()
    kept: list[bytes] = []
    try:
        for chunk in iter_entry(plaintext, entry, check_crc=False):  # the SHA-256 decides
            digest.update(chunk)
            if keep:
                kept.append(chunk)
    except ZipProblem as exc:
        raise BundleRefused(Reason.BAD_PAYLOAD, str(exc)) from None
    return digest.hexdigest(), b"".join(kept)


def _check_files(plaintext: io.BytesIO, manifest: Manifest, entries: dict[str, ZipEntry]
                 ) -> dict[str, bytes]:
    listed = manifest.file_paths()
    if set(listed) != set(entries):
        raise BundleRefused(Reason.HASH_MISMATCH, "files missing or not listed")
    hashes = {entry.path: entry.sha256 for entry in manifest.records}
    hashes.update((entry.path, entry.sha256) for entry in manifest.attachments)
    record_bytes: dict[str, bytes] = {}
    for name, entry in entries.items():
        is_record = name.startswith("records/")
        if entry.size != listed[name] or (is_record and entry.size > MAX_RECORD_SIZE):
            raise BundleRefused(Reason.HASH_MISMATCH, "size differs from the manifest")
        digest, data = _hash_entry(plaintext, entry, keep=is_record)
        if digest != hashes[name]:
            raise BundleRefused(Reason.HASH_MISMATCH, "SHA-256 differs from the manifest")
        if is_record:
            record_bytes[name] = data
    return record_bytes


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


def check_contents(
    plaintext: io.BytesIO, manifest: Manifest, entries: dict[str, ZipEntry], device_id: str,
    *, validate_record: RecordValidator, record_owner: RecordOwner = no_owner,
) -> tuple[PayloadRecord, ...]:
    """Check 6: files exactly as listed, records valid for their forms, none foreign."""
    record_bytes = _check_files(plaintext, manifest, entries)
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


def check_payload(
    plaintext: io.BytesIO, signed: SignedBundle, *, centre_id: str,
    validate_record: RecordValidator, record_owner: RecordOwner = no_owner,
) -> VerifiedPayload:
    """Checks 5 and 6 on a decrypted payload held in memory."""
    manifest, entries = read_manifest(plaintext, signed, centre_id)
    records = check_contents(plaintext, manifest, entries, signed.device_id,
                             validate_record=validate_record, record_owner=record_owner)
    return VerifiedPayload(plaintext, manifest, entries, records)


def open_payload(
    container: BundleContainer, signed: SignedBundle, *, identities: Sequence[x25519.Identity],
    centre_id: str, validate_record: RecordValidator, record_owner: RecordOwner = no_owner,
) -> VerifiedPayload:
    """Checks 4, 5 and 6. Raises `BundleRefused` with the spec's reason code."""
    plaintext = decrypt_payload(container, signed, identities)
    try:
        return check_payload(plaintext, signed, centre_id=centre_id,
                             validate_record=validate_record, record_owner=record_owner)
    except BaseException:
        plaintext.close()
        raise

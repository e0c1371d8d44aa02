"""Write one `.ibundle` file exactly as bundle-format.md describes.

Outer ZIP (stored): `payload.age` (the payload ZIP encrypted with age to every centre
recipient), `payload.age.minisig` (minisign, prehashed, device key), `README.txt`.
The file is written as `.<name>.partial`, synced, then renamed.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import minisign
import pyrage

from intake_app.sync.bundle_format import (
    MAX_BUNDLE_SIZE,
    PAYLOAD_ENTRY,
    README_ENTRY,
    README_TEXT,
    SIGNATURE_ENTRY,
    BundleComment,
    bundle_name,
    size_text,
)
from intake_app.sync.errors import ExportTooLarge
from intake_app.sync.files import atomic_writer
from intake_app.sync.keys import parse_recipient
from intake_app.sync.manifest import AttachmentEntry, Manifest, RecordEntry, Tombstone
from intake_app.sync.payload_stream import (
    PayloadBlob,
    PayloadFile,
    PayloadStream,
    Readable,
    entry_info,
)
from intake_app.sync.profile import CentreProfile
from intake_app.sync.strict_json import (
    NAME_RE,
    UUID_RE,
    FormatProblem,
    dumps_canonical,
    format_timestamp,
    get_int,
    get_match,
)

APP_NAME = "intake-app 0.1.0"
RECORD_FIELDS = frozenset(
    {"id", "revision", "form", "form_version", "created", "modified", "status", "answers"}
)
_SIGN_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class AttachmentSource:
    """An attachment to carry: its metadata and how to read its bytes in chunks."""

    sha256: str
    record_id: str
    size: int
    media_type: str
    open: Callable[[], Readable] = field(repr=False)

    def entry(self) -> AttachmentEntry:
        return AttachmentEntry(self.sha256, self.record_id, self.size, self.media_type)


@dataclass(frozen=True, slots=True)
class PreparedRecord:
    """A record document serialised once: its manifest entry and its file's bytes."""

    entry: RecordEntry
    data: bytes


RecordInput = Mapping[str, Any] | PreparedRecord
"""A record document, or one already prepared (the planner prepares them)."""


@dataclass(frozen=True, slots=True)
class BundleContents:
    """What one bundle carries."""

    records: tuple[RecordInput, ...] = ()
    attachments: tuple[AttachmentSource, ...] = ()
    deleted: tuple[Tombstone, ...] = ()
    abandoned_seqs: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class WrittenBundle:
    """A bundle on disk and what it carries (for the outbox and for checking receipts)."""

    path: Path
    device_id: str
    seq: int
    created: str
    size: int
    payload_sha256: str
    manifest_sha256: str
    records: tuple[RecordEntry, ...]
    attachments: tuple[AttachmentEntry, ...]
    deleted: tuple[Tombstone, ...]


def prepare_record(document: RecordInput) -> PreparedRecord:
    """A record document's manifest entry and file bytes (canonical JSON); checks the fields."""
    if isinstance(document, PreparedRecord):
        return document
    missing = RECORD_FIELDS - set(document)
    if missing:
        raise ValueError(f"record document lacks {sorted(missing)}")
    try:
        record_id = get_match(document, "id", UUID_RE)
        revision = get_int(document, "revision", minimum=1)
        form = get_match(document, "form", NAME_RE)
        form_version = get_match(document, "form_version", NAME_RE)
    except FormatProblem as exc:
        raise ValueError(f"record document is not valid: {exc}") from exc
    data = dumps_canonical(dict(document))
    entry = RecordEntry(record_id, revision, form, form_version,
                        hashlib.sha256(data).hexdigest(), len(data))
    return PreparedRecord(entry, data)


def latest_revisions(records: Sequence[RecordInput]) -> list[PreparedRecord]:
    """One prepared record per record id, the highest revision, in first-seen order.

    The payload has one file per record id (`records/<id>.json`), so a bundle carries only
    the latest of several revisions of one record.
    """
    latest: dict[str, PreparedRecord] = {}
    for document in records:
        record = prepare_record(document)
        held = latest.get(record.entry.id)
        if held is None or record.entry.revision > held.entry.revision:
            latest[record.entry.id] = record
    return list(latest.values())


class _HashingWriter:
    """Passes writes on while counting bytes and hashing them with SHA-256."""

    def __init__(self, target: IO[bytes]) -> None:
        self._target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        self._target.write(data)
        return len(data)

    def flush(self) -> None:
        self._target.flush()


class _Slice:
    """Reads `length` bytes of `handle` from `start`: the written payload.age, for signing."""

    def __init__(self, handle: IO[bytes], start: int, length: int) -> None:
        # Nothing else uses the handle while the signature is made; the ZIP writer seeks
        # back to its own position before it writes the next entry.
        handle.seek(start)
        self._handle = handle
        self._left = length
        self._buffer = memoryview(b"")

    def read(self, size: int = -1, /) -> bytes:
        if size < 0:
            return b"".join(iter(lambda: self.read(_SIGN_CHUNK), b""))
        if not self._buffer and self._left:
            # minisign asks for 8 KiB at a time; read the file in larger pieces.
            data = self._handle.read(min(_SIGN_CHUNK, self._left))
            if not data:
                raise OSError("bundle file shrank while it was being signed")
            self._left -= len(data)
            self._buffer = memoryview(data)
        piece = bytes(self._buffer[:size])
        self._buffer = self._buffer[size:]
        return piece


def _build_manifest(
    profile: CentreProfile, device_id: str, seq: int, created: str, app: str,
    contents: BundleContents,
) -> tuple[Manifest, list[PayloadFile], list[PayloadBlob]]:
    entries: list[RecordEntry] = []
    files: list[PayloadFile] = []
    for record in latest_revisions(contents.records):
        entries.append(record.entry)
        files.append(PayloadFile(record.entry.path, record.data))
    attachments: dict[tuple[str, str], AttachmentEntry] = {}
    blobs: dict[str, PayloadBlob] = {}
    for source in contents.attachments:
        item = source.entry()
        attachments.setdefault((item.sha256, item.record_id), item)
        blobs.setdefault(item.sha256, PayloadBlob(item.path, item.sha256, item.size,
                                                  source.open))
    manifest = Manifest(
        centre_id=profile.centre_id, device_id=device_id, seq=seq, created=created, app=app,
        records=tuple(entries), attachments=tuple(attachments.values()),
        deleted=tuple(contents.deleted), abandoned_seqs=tuple(contents.abandoned_seqs),
    )
    return manifest, files, list(blobs.values())


def _write_payload(
    outer: zipfile.ZipFile, handle: IO[bytes], stream: PayloadStream, profile: CentreProfile,
    moment: datetime,
) -> tuple[int, int, str]:
    """Encrypt the payload stream into the `payload.age` entry: (start, size, sha256)."""
    recipients = [parse_recipient(text) for text in profile.age_recipients]
    with outer.open(entry_info(PAYLOAD_ENTRY, moment, zipfile.ZIP_STORED), "w") as entry:
        start = handle.tell()
        writer = _HashingWriter(entry)
        try:
            pyrage.encrypt_io(stream, writer, recipients)
        except Exception:
            if stream.error is not None:
                raise stream.error from None
            raise
    return start, writer.size, writer.digest.hexdigest()


def write_bundle(
    folder: Path,
    *,
    profile: CentreProfile,
    device_id: str,
    device_key: minisign.SecretKey,
    seq: int,
    created: datetime,
    contents: BundleContents,
    app: str = APP_NAME,
    readme: bool = True,
    max_size: int = MAX_BUNDLE_SIZE,
) -> WrittenBundle:
    """Write `<device_id>-<seq>.ibundle` into `folder` and describe what it carries.

    Raises `ExportTooLarge` (nothing written) if the file would exceed `max_size`.
    """
    if not UUID_RE.fullmatch(device_id) or seq < 1:
        raise ValueError("device id must be a UUID and seq at least 1")
    created_text = format_timestamp(created)
    manifest, records, blobs = _build_manifest(profile, device_id, seq, created_text, app,
                                               contents)
    manifest_bytes = manifest.to_bytes()
    comment = BundleComment(device_id, seq, created_text,
                            hashlib.sha256(manifest_bytes).hexdigest())
    moment = created.astimezone(UTC)
    path = folder / bundle_name(device_id, seq)
    with atomic_writer(path) as handle:
        with zipfile.ZipFile(handle, "w", allowZip64=False) as outer:
            stream = PayloadStream(manifest_bytes, records, blobs, moment)
            start, size, payload_sha256 = _write_payload(outer, handle, stream, profile, moment)
            signature = device_key.sign(_Slice(handle, start, size), prehash=True,
                                        trusted_comment=comment.text())
            outer.writestr(entry_info(SIGNATURE_ENTRY, moment, zipfile.ZIP_STORED),
                           bytes(signature) + b"\n")
            if readme:
                outer.writestr(entry_info(README_ENTRY, moment, zipfile.ZIP_STORED),
                               README_TEXT.encode("ascii"))
        total = handle.tell()
        if total > max_size:
            raise ExportTooLarge(limit=size_text(max_size))
    return WrittenBundle(
        path=path, device_id=device_id, seq=seq, created=created_text, size=total,
        payload_sha256=payload_sha256, manifest_sha256=comment.manifest_sha256,
        records=manifest.records, attachments=manifest.attachments, deleted=manifest.deleted,
    )

"""`manifest.json`, the first entry of a bundle's payload: building it and parsing it strictly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake_app.sync.format.spec import (
    MAX_MANIFEST_SIZE,
    MAX_PAYLOAD_ENTRIES,
    MAX_PAYLOAD_UNCOMPRESSED,
    MAX_RECORD_SIZE,
    PAYLOAD_FORMAT,
    PAYLOAD_VERSION,
    attachment_path,
    record_path,
)
from intake_app.sync.format.strict_json import (
    CODE_RE,
    MEDIA_TYPE_RE,
    NAME_RE,
    SHA256_RE,
    UUID_RE,
    FormatProblem,
    dumps_ordered,
    exact_keys,
    expect,
    get_int,
    get_list,
    get_match,
    get_object,
    get_str,
    get_timestamp,
    loads_object,
)

MAX_SEQ = 10**16 - 1  # the trusted comment allows up to 16 digits
_TOP_KEYS = frozenset(
    {"format", "version", "centre_id", "device_id", "seq", "created", "app", "records",
     "attachments", "deleted", "abandoned_seqs"}
)
_RECORD_KEYS = frozenset({"id", "revision", "form", "form_version", "path", "sha256", "size"})
_ATTACHMENT_KEYS = frozenset({"sha256", "record_id", "size", "media_type", "path"})
_TOMBSTONE_KEYS = frozenset({"id", "revision", "reason"})


@dataclass(frozen=True, slots=True)
class RecordEntry:
    """One record revision carried in the payload."""

    id: str
    revision: int
    form: str
    form_version: str
    sha256: str
    size: int

    @property
    def path(self) -> str:
        return record_path(self.id)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "revision": self.revision, "form": self.form,
                "form_version": self.form_version, "path": self.path,
                "sha256": self.sha256, "size": self.size}


@dataclass(frozen=True, slots=True)
class AttachmentEntry:
    """One attachment of a record; the same bytes may be listed for several records."""

    sha256: str
    record_id: str
    size: int
    media_type: str

    @property
    def path(self) -> str:
        return attachment_path(self.sha256)

    def to_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "record_id": self.record_id, "size": self.size,
                "media_type": self.media_type, "path": self.path}


@dataclass(frozen=True, slots=True)
class Tombstone:
    """A deleted record: the centre removes its content and keeps this."""

    id: str
    revision: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "revision": self.revision, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Manifest:
    """The payload's table of contents."""

    centre_id: str
    device_id: str
    seq: int
    created: str
    app: str
    records: tuple[RecordEntry, ...]
    attachments: tuple[AttachmentEntry, ...]
    deleted: tuple[Tombstone, ...]
    abandoned_seqs: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        """The JSON object of the spec, keys in the spec's order."""
        return {
            "format": PAYLOAD_FORMAT, "version": PAYLOAD_VERSION,
            "centre_id": self.centre_id, "device_id": self.device_id, "seq": self.seq,
            "created": self.created, "app": self.app,
            "records": [entry.to_json() for entry in self.records],
            "attachments": [entry.to_json() for entry in self.attachments],
            "deleted": [entry.to_json() for entry in self.deleted],
            "abandoned_seqs": list(self.abandoned_seqs),
        }

    def to_bytes(self) -> bytes:
        """The exact bytes of manifest.json; checked by parsing them back."""
        data = dumps_ordered(self.to_json())
        parse_manifest(data)
        return data

    def file_paths(self) -> dict[str, int]:
        """Every payload path the manifest lists (besides itself) with its size."""
        paths = {entry.path: entry.size for entry in self.records}
        paths.update((entry.path, entry.size) for entry in self.attachments)
        return paths


def _record(obj: dict[str, Any]) -> RecordEntry:
    exact_keys(obj, _RECORD_KEYS)
    entry = RecordEntry(
        id=get_match(obj, "id", UUID_RE),
        revision=get_int(obj, "revision", minimum=1),
        form=get_match(obj, "form", NAME_RE),
        form_version=get_match(obj, "form_version", NAME_RE),
        sha256=get_match(obj, "sha256", SHA256_RE),
        size=get_int(obj, "size", maximum=MAX_RECORD_SIZE),
    )
    if obj["path"] != entry.path:
        raise FormatProblem("record path does not match its id")
    return entry


def _attachment(obj: dict[str, Any]) -> AttachmentEntry:
    exact_keys(obj, _ATTACHMENT_KEYS)
    entry = AttachmentEntry(
        sha256=get_match(obj, "sha256", SHA256_RE),
        record_id=get_match(obj, "record_id", UUID_RE),
        size=get_int(obj, "size", maximum=MAX_PAYLOAD_UNCOMPRESSED),
        media_type=get_match(obj, "media_type", MEDIA_TYPE_RE),
    )
    if obj["path"] != entry.path:
        raise FormatProblem("attachment path does not match its hash")
    return entry


def _tombstone(obj: dict[str, Any]) -> Tombstone:
    exact_keys(obj, _TOMBSTONE_KEYS)
    return Tombstone(
        id=get_match(obj, "id", UUID_RE),
        revision=get_int(obj, "revision", minimum=1),
        reason=get_match(obj, "reason", CODE_RE),
    )


def _check_consistent(manifest: Manifest) -> None:
    record_ids = [entry.id for entry in manifest.records]
    if len(set(record_ids)) != len(record_ids):
        raise FormatProblem("a record is listed twice")
    deleted_ids = [entry.id for entry in manifest.deleted]
    if len(set(deleted_ids)) != len(deleted_ids) or set(deleted_ids) & set(record_ids):
        raise FormatProblem("a deleted record is listed twice or also carried")
    pairs = {(entry.sha256, entry.record_id) for entry in manifest.attachments}
    sizes = {entry.sha256: entry.size for entry in manifest.attachments}
    if len(pairs) != len(manifest.attachments):
        raise FormatProblem("an attachment is listed twice for one record")
    if any(sizes[entry.sha256] != entry.size for entry in manifest.attachments):
        raise FormatProblem("one attachment is listed with two sizes")
    if 1 + len(record_ids) + len(sizes) > MAX_PAYLOAD_ENTRIES:
        raise FormatProblem("too many entries")
    abandoned = manifest.abandoned_seqs
    if len(set(abandoned)) != len(abandoned) or any(s >= manifest.seq for s in abandoned):
        raise FormatProblem("abandoned_seqs must be distinct and earlier than seq")


def _parse(obj: dict[str, Any]) -> Manifest:
    exact_keys(obj, _TOP_KEYS)
    expect(obj, "format", PAYLOAD_FORMAT)
    expect(obj, "version", PAYLOAD_VERSION)
    limit = MAX_PAYLOAD_ENTRIES
    seq = get_int(obj, "seq", minimum=1, maximum=MAX_SEQ)
    return Manifest(
        centre_id=get_match(obj, "centre_id", UUID_RE),
        device_id=get_match(obj, "device_id", UUID_RE),
        seq=seq,
        created=get_timestamp(obj, "created"),
        app=get_str(obj, "app", max_len=100),
        records=tuple(_record(get_object(x)) for x in get_list(obj, "records", max_len=limit)),
        attachments=tuple(
            _attachment(get_object(x)) for x in get_list(obj, "attachments", max_len=limit)
        ),
        deleted=tuple(_tombstone(get_object(x)) for x in get_list(obj, "deleted", max_len=limit)),
        abandoned_seqs=tuple(
            get_int({"seq": x}, "seq", minimum=1, maximum=MAX_SEQ)
            for x in get_list(obj, "abandoned_seqs", max_len=limit)
        ),
    )


def parse_manifest(data: bytes) -> Manifest:
    """Parse manifest.json strictly (no unknown or duplicate keys, exact types, limits).

    Raises `FormatProblem`.
    """
    if len(data) > MAX_MANIFEST_SIZE:
        raise FormatProblem("manifest too large")
    manifest = _parse(loads_object(data))
    _check_consistent(manifest)
    return manifest

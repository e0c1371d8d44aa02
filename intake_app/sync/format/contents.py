"""What one bundle carries: record documents, attachments, tombstones, and its manifest.

Shared by the writer of bundle files (`bundle_writer`) and the writer into any handle
(`device_bundle`), so both lay out the payload exactly alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from intake_app.sync.format.manifest import AttachmentEntry, Manifest, RecordEntry, Tombstone
from intake_app.sync.format.payload_stream import PayloadBlob, PayloadFile, Readable
from intake_app.sync.format.profile import CentreProfile
from intake_app.sync.format.strict_json import (
    NAME_RE,
    UUID_RE,
    FormatProblem,
    dumps_canonical,
    get_int,
    get_match,
)

APP_NAME = "intake-app 0.1.0"
RECORD_FIELDS = frozenset(
    {"id", "revision", "form", "form_version", "created", "modified", "status", "answers"}
)


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


def build_manifest(
    profile: CentreProfile, device_id: str, seq: int, created: str, app: str,
    contents: BundleContents,
) -> tuple[Manifest, list[PayloadFile], list[PayloadBlob]]:
    """The manifest of one bundle and the files and attachments its payload carries."""
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

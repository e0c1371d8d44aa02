"""Check 5's second half and check 6's first, on the decrypted payload walked from its start.

Every local header is checked against the central directory; `manifest.json`, the first
entry, is parsed and checked against the signature and this centre before any other entry is
looked at; then each file's size and SHA-256. Records are kept in memory (they are small and
the transaction needs them); attachments go straight into the `AttachmentSink`. A failure does
not end the walk unless the ZIP cannot be walked further: `Walk.failure` is the first failure
in the spec's order (ZIP structure, then manifest, then files).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from intake_app.sync.errors import BundleRefused, Reason
from intake_app.sync.format.manifest import Manifest, parse_manifest
from intake_app.sync.format.payload_sink import AttachmentSink, StoredAttachment
from intake_app.sync.format.payload_streams import EntryReader
from intake_app.sync.format.reader import SignedBundle
from intake_app.sync.format.spec import MAX_MANIFEST_SIZE, MAX_RECORD_SIZE
from intake_app.sync.format.strict_json import FormatProblem
from intake_app.sync.format.zip_reader import (
    CentralDirectory,
    ZipEntry,
    ZipProblem,
    entry_end,
    iter_entry,
    local_entry,
    read_entry,
)


@dataclass
class Walk:
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


def walk_entries(walk: Walk, handle: Any, central: CentralDirectory, signed: SignedBundle,
                 centre_id: str, sink: AttachmentSink) -> None:
    """Walk the entries from the start, checking as the module's text says, into `walk`;
    stops only when the ZIP's structure fails. What it stored is the caller's to discard."""
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


def _walk_manifest(walk: Walk, handle: Any, entry: ZipEntry, signed: SignedBundle,
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


def _walk_file(walk: Walk, handle: Any, entry: ZipEntry, sink: AttachmentSink) -> None:
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

"""Write one `.ibundle` file exactly as bundle-format.md describes.

Outer ZIP (stored): `payload.age` (the payload ZIP encrypted with age to every centre
recipient), `payload.age.minisig` (minisign, prehashed, device key), `README.txt`.
The file is written as `.<name>.partial`, synced, then renamed; the bytes themselves come
from `device_bundle.write_bundle_to`, the one place that lays a bundle out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import minisign

from intake_app.sync.format.contents import (
    APP_NAME,
    RECORD_FIELDS,
    AttachmentSource,
    BundleContents,
    PreparedRecord,
    RecordInput,
    build_manifest,
    latest_revisions,
    prepare_record,
)
from intake_app.sync.format.manifest import AttachmentEntry, RecordEntry, Tombstone
from intake_app.sync.format.profile import CentreProfile
from intake_app.sync.format.spec import MAX_BUNDLE_SIZE, bundle_name
from intake_app.sync.format.writer import write_bundle_to
from intake_app.sync.share import atomic_writer

__all__ = [
    "APP_NAME",
    "RECORD_FIELDS",
    "AttachmentSource",
    "BundleContents",
    "PreparedRecord",
    "RecordInput",
    "WrittenBundle",
    "build_manifest",
    "latest_revisions",
    "prepare_record",
    "write_bundle",
]


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
    path = folder / bundle_name(device_id, seq)
    with atomic_writer(path) as handle:
        facts = write_bundle_to(
            handle, profile=profile, device_id=device_id, device_key=device_key, seq=seq,
            created=created, contents=contents, app=app, readme=readme, max_size=max_size,
        )
    return WrittenBundle(
        path=path, device_id=device_id, seq=seq, created=facts.created, size=facts.size,
        payload_sha256=facts.payload_sha256, manifest_sha256=facts.manifest_sha256,
        records=facts.manifest.records, attachments=facts.manifest.attachments,
        deleted=facts.manifest.deleted,
    )

"""A written `.ibundle` file and what it carries, and the names that describe its contents.

Outer ZIP (stored): `payload.age` (the payload ZIP encrypted with age to every centre
recipient), `payload.age.minisig` (minisign, prehashed, device key), `README.txt`; its bytes
come from `writer.write_bundle_to`, the one place that lays a bundle out. Files are placed
by the laptop's side (`sync.device`), never by the format.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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

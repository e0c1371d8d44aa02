"""The device-side kit: a real vault enrolled with a centre, interviews saved, a clock.

The centre here is `CentreKeys` (tests.helpers.bundles): real keys, the format core's reader and
receipt writer, and a share folder, without a centre vault.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from intake_app.storage import Vault
from intake_app.sync.device.enrol import accept_profile, read_profile_file
from intake_app.sync.device.identity import DeviceIdentity
from intake_app.sync.device.schema import ensure_device_schema
from intake_app.sync.format.manifest import Manifest, parse_manifest
from tests.helpers.bundles import CentreKeys, payload_of
from tests.helpers.documents import make_document
from tests.helpers.storage import new_vault


class Clock:
    """A settable clock for purge and resend timing (the code takes a clock callable)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 28, 16, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def open_vault(folder: Path) -> Vault:
    """A new vault (`new_vault`) with the device's sync tables."""
    vault = new_vault(folder)
    ensure_device_schema(vault)
    return vault


def enrolled(tmp_path: Path) -> tuple[Vault, CentreKeys, DeviceIdentity]:
    """A new vault enrolled with a new centre whose share is `tmp_path/share`."""
    centre = CentreKeys.make(tmp_path)
    assert centre.profile_path is not None
    vault = open_vault(tmp_path / "vault")
    identity = accept_profile(vault, read_profile_file(centre.profile_path),
                              device_name="Laptop 7", worker="W-12")
    return vault, centre, identity


def save_interview(vault: Vault, *, attachment: bytes | None = None,
                   **answers: Any) -> str:
    document = make_document(revision=0, **answers)
    vault.interviews.save_revision(document)
    if attachment is not None:
        vault.interviews.add_attachment(document["id"], io.BytesIO(attachment), "image/jpeg",
                                        "photo.jpg")
    return str(document["id"])


def change_interview(vault: Vault, record_id: str, **answers: Any) -> None:
    document = vault.interviews.get(record_id)
    document["answers"].update(answers)
    vault.interviews.save_revision(document)


def inbox_files(centre: CentreKeys, identity: DeviceIdentity) -> list[Path]:
    folder = centre.share / "inbox" / identity.device_id
    return sorted(folder.iterdir()) if folder.is_dir() else []


def real_names(folder: Path) -> list[str]:
    """Names a reader would take (not starting with a dot)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def manifest_of(bundle: Path | bytes, centre: CentreKeys) -> Manifest:
    return parse_manifest(payload_of(bundle, centre)["manifest.json"])


def random_bytes(size: int) -> bytes:
    return os.urandom(size)


def revisions_delivered(vault: Vault) -> dict[str, bool]:
    return {s.id: s.delivered for s in vault.interviews.list()}


def as_mapping(manifest: Manifest) -> Mapping[str, Any]:
    return manifest.to_json()

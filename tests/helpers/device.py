"""Shared helpers for the device-side sync tests: a real vault, a real share folder, a centre.

Imported by the other `test_sync_device_*` modules; it holds no tests itself. The centre here
is played with the bundle-format core (its reader and receipt writer) and real keys.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import minisign
import pyrage
import pytest

from intake_app.storage import Vault
from intake_app.sync.centre.receipts import write_receipt
from intake_app.sync.centre.setup import write_profile
from intake_app.sync.device.enrol import accept_profile, read_profile_file
from intake_app.sync.device.identity import DeviceIdentity
from intake_app.sync.device.schema import ensure_device_schema
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format import keys
from intake_app.sync.format.check import BundleCheck, check_bundle
from intake_app.sync.format.manifest import Manifest, parse_manifest
from intake_app.sync.format.payload_reader import FormCheck
from intake_app.sync.format.profile import CentreProfile
from intake_app.sync.format.reader import DeviceState, KnownDevice
from intake_app.sync.format.receipt import Receipt, ReceiptRecord
from tests.helpers.storage import FAST, PASSPHRASE, make_document

needs_cli = pytest.mark.skipif(
    shutil.which("age") is None or shutil.which("minisign") is None,
    reason="the standard age and minisign tools are not installed (see .ci/run)",
)


class Clock:
    """A settable clock for purge and resend timing (the code takes a clock callable)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 28, 16, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Centre:
    keys: keys.CentreKeys
    profile: CentreProfile
    share: Path
    profile_path: Path

    @classmethod
    def make(cls, root: Path, *, share: Path | None = None) -> Centre:
        share = share or root / "share"
        share.mkdir(parents=True, exist_ok=True)
        centre_keys = keys.CentreKeys.generate(with_backup=True)
        profile = CentreProfile(str(uuid.uuid4()), "Example reception centre",
                                tuple(centre_keys.recipients()), centre_keys.receipt_key_text(),
                                str(share))
        path = root / f"centre-profile-{profile.centre_id[:8]}.json"
        write_profile(path, profile)
        return cls(centre_keys, profile, share, path)

    def identity_file(self, folder: Path) -> Path:
        path = folder / "centre-identity.txt"
        path.write_text(keys.identity_to_text(self.keys.primary) + "\n")
        return path

    def check(self, bundle: Path | bytes, public_key: str, device_id: str) -> BundleCheck:
        """Run the importer's checks 1 to 6 on a bundle, as the centre would."""
        device = KnownDevice(device_id, public_key, DeviceState.ACTIVE)
        wanted = keys.key_id(keys.parse_public_key(public_key))
        return check_bundle(bundle, lookup=lambda kid: device if kid == wanted else None,
                            identities=[self.keys.primary], centre_id=self.profile.centre_id,
                            validate_record=lambda _doc: FormCheck.VALID)

    def receipt_for(self, bundle: Path, identity: DeviceIdentity, *,
                    outcome: Outcome = Outcome.ACCEPTED, reason: Reason | None = None,
                    records: Sequence[ReceiptRecord] | None = None,
                    payload_sha256: str | None = None, seq: int | None = None,
                    signer: minisign.SecretKey | None = None) -> Path:
        """Import-check the bundle and write a signed receipt into the share."""
        verdict = self.check(bundle, identity.public_key, identity.device_id)
        assert verdict.signed is not None
        if records is None and outcome in (Outcome.ACCEPTED, Outcome.DUPLICATE):
            assert verdict.payload is not None
            records = [ReceiptRecord(r.entry.id, r.entry.revision, r.entry.sha256)
                       for r in verdict.payload.records]
        if verdict.payload is not None:
            verdict.payload.close()
        receipt = Receipt(
            centre_id=self.profile.centre_id, device_id=identity.device_id,
            seq=seq or verdict.signed.seq,
            payload_sha256=payload_sha256 or verdict.signed.payload_sha256,
            outcome=outcome, reason=reason, imported="2026-11-28T18:40:00Z",
            records=tuple(records or ()),
        )
        return write_receipt(self.share, receipt, signer or self.keys.receipt.secret_key)


def open_vault(folder: Path) -> Vault:
    vault, _code = Vault.create(folder, PASSPHRASE, kdf=FAST)
    ensure_device_schema(vault)
    return vault


def enrolled(tmp_path: Path) -> tuple[Vault, Centre, DeviceIdentity]:
    """A new vault enrolled with a new centre whose share is `tmp_path/share`."""
    centre = Centre.make(tmp_path)
    vault = open_vault(tmp_path / "vault")
    identity = accept_profile(vault, read_profile_file(centre.profile_path),
                              device_name="Laptop 7", worker="W-12")
    return vault, centre, identity


def save_interview(vault: Vault, *, attachment: bytes | None = None,
                   **answers: Any) -> str:
    document = make_document(**answers)
    vault.interviews.save_revision(document)
    if attachment is not None:
        vault.interviews.add_attachment(document["id"], io.BytesIO(attachment), "image/jpeg",
                                        "photo.jpg")
    return str(document["id"])


def change_interview(vault: Vault, record_id: str, **answers: Any) -> None:
    document = vault.interviews.get(record_id)
    document["answers"].update(answers)
    vault.interviews.save_revision(document)


def inbox_files(centre: Centre, identity: DeviceIdentity) -> list[Path]:
    folder = centre.share / "inbox" / identity.device_id
    return sorted(folder.iterdir()) if folder.is_dir() else []


def real_names(folder: Path) -> list[str]:
    """Names a reader would take (not starting with a dot)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def payload_of(bundle: Path | bytes, centre: Centre) -> dict[str, bytes]:
    """Decrypt a bundle's payload with the centre's identity: entry name -> bytes."""
    data = bundle.read_bytes() if isinstance(bundle, Path) else bundle
    with zipfile.ZipFile(io.BytesIO(data)) as outer:
        encrypted = outer.read("payload.age")
    plain = pyrage.decrypt(encrypted, [centre.keys.primary])
    with zipfile.ZipFile(io.BytesIO(plain)) as inner:
        return {info.filename: inner.read(info) for info in inner.infolist()}


def manifest_of(bundle: Path | bytes, centre: Centre) -> Manifest:
    return parse_manifest(payload_of(bundle, centre)["manifest.json"])


def run(*command: str | Path, stdin: bytes | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(c) for c in command], input=stdin, capture_output=True,
                          check=False, timeout=120, cwd=cwd)


def random_bytes(size: int) -> bytes:
    return os.urandom(size)


def revisions_delivered(vault: Vault) -> dict[str, bool]:
    return {s.id: s.delivered for s in vault.interviews.list()}


def as_mapping(manifest: Manifest) -> Mapping[str, Any]:
    return manifest.to_json()

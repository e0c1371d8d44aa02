"""Shared helpers for the sync-format tests: real keys, real bundles, ZIP surgery, the CLIs.

Imported by the other `test_sync_format_*` modules; it holds no tests itself.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import uuid
import warnings
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import minisign
import pyrage
import pytest

from intake_app.sync.device.transport import write_bundle
from intake_app.sync.format import keys
from intake_app.sync.format.bundle_file import (
    AttachmentSource,
    BundleContents,
    WrittenBundle,
)
from intake_app.sync.format.check import BundleCheck, check_bundle
from intake_app.sync.format.manifest import Tombstone
from intake_app.sync.format.payload_reader import FormCheck, RecordOwner, no_owner
from intake_app.sync.format.profile import CentreProfile
from intake_app.sync.format.reader import DeviceState, KnownDevice
from intake_app.sync.format.spec import BundleComment

CREATED = datetime(2026, 11, 28, 16, 2, 11, tzinfo=UTC)
FORMS = {("intake-fi", "2026.1")}

needs_cli = pytest.mark.skipif(
    shutil.which("age") is None or shutil.which("minisign") is None,
    reason="the standard age and minisign tools are not installed (see .ci/run)",
)


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Centre:
    keys: keys.CentreKeys
    profile: CentreProfile

    @classmethod
    def make(cls, share: str = "/srv/share") -> Centre:
        centre_keys = keys.CentreKeys.generate(with_backup=True)
        profile = CentreProfile(new_id(), "Example reception centre",
                                tuple(centre_keys.recipients()),
                                centre_keys.receipt_key_text(), share)
        return cls(centre_keys, profile)

    @property
    def identities(self) -> list[Any]:
        return [self.keys.primary]


@dataclass
class Device:
    device_id: str = field(default_factory=new_id)
    keypair: minisign.KeyPair = field(default_factory=keys.generate_signing_key)
    state: DeviceState = DeviceState.ACTIVE
    last_seq: int | None = None

    @property
    def public_text(self) -> str:
        return keys.public_key_to_text(self.keypair.public_key)

    @property
    def key_id(self) -> str:
        return keys.key_id(self.keypair.public_key)

    def known(self) -> KnownDevice:
        return KnownDevice(self.device_id, self.public_text, self.state, self.last_seq)


def lookup_for(*devices: Device) -> Callable[[str], KnownDevice | None]:
    table = {device.key_id: device for device in devices}

    def lookup(key_id: str) -> KnownDevice | None:
        device = table.get(key_id)
        return None if device is None else device.known()

    return lookup


def document(record_id: str | None = None, revision: int = 1, **answers: Any) -> dict[str, Any]:
    return {
        "format": "intake-interview", "version": 1,
        "id": record_id or new_id(), "revision": revision,
        "form": "intake-fi", "form_version": "2026.1",
        "created": "2026-11-28T16:02:11Z", "modified": "2026-11-28T16:05:00Z",
        "status": "final",
        "answers": answers or {"consent_interview": "yes", "alias": "A."},
    }


def attachment(data: bytes, record_id: str, media_type: str = "image/jpeg") -> AttachmentSource:
    return AttachmentSource(hashlib.sha256(data).hexdigest(), record_id, len(data), media_type,
                            lambda: io.BytesIO(data))


def validate(doc: Mapping[str, Any]) -> FormCheck:
    """A stand-in for the domain layer: known forms, and answers must be an object."""
    if (doc.get("form"), doc.get("form_version")) not in FORMS:
        return FormCheck.UNKNOWN_FORM
    return FormCheck.VALID if isinstance(doc.get("answers"), dict) else FormCheck.INVALID


def write(folder: Path, centre: Centre, device: Device, *, seq: int = 1,
          records: Sequence[Mapping[str, Any]] | None = None,
          attachments: Sequence[AttachmentSource] = (), deleted: Sequence[Tombstone] = (),
          abandoned: Sequence[int] = (), **options: Any) -> WrittenBundle:
    folder.mkdir(parents=True, exist_ok=True)
    contents = BundleContents(tuple(records if records is not None else [document()]),
                              tuple(attachments), tuple(deleted), tuple(abandoned))
    return write_bundle(folder, profile=centre.profile, device_id=device.device_id,
                        device_key=device.keypair.secret_key, seq=seq, created=CREATED,
                        contents=contents, **options)


def check(source: Path | bytes, centre: Centre, *devices: Device,
          owner: RecordOwner = no_owner, **options: Any) -> BundleCheck:
    return check_bundle(source, lookup=lookup_for(*devices), identities=centre.identities,
                        centre_id=centre.profile.centre_id, validate_record=validate,
                        record_owner=owner, **options)


# --- ZIP surgery -----------------------------------------------------------------------------


def zip_entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def build_zip(entries: Sequence[tuple[str, bytes]], *,
              compression: int | Mapping[str, int] = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # duplicate names are wanted in some tests
        for name, data in entries:
            method = compression if isinstance(compression, int) else compression.get(
                name, zipfile.ZIP_STORED)
            archive.writestr(zipfile.ZipInfo(name, (2026, 11, 28, 16, 2, 10)), data,
                             compress_type=method)
    return buffer.getvalue()


def payload_compression(entries: Sequence[tuple[str, bytes]]) -> dict[str, int]:
    return {name: zipfile.ZIP_DEFLATED for name, _ in entries
            if not name.startswith("attachments/")}


def decrypt(bundle: bytes, centre: Centre) -> list[tuple[str, bytes]]:
    outer = dict(zip_entries(bundle))
    return zip_entries(pyrage.decrypt(outer["payload.age"], centre.identities))


def comment_for(device: Device, seq: int, manifest: bytes,
                created: str = "2026-11-28T16:02:11Z") -> str:
    return BundleComment(device.device_id, seq, created,
                         hashlib.sha256(manifest).hexdigest()).text()


def seal(payload: Sequence[tuple[str, bytes]] | bytes, centre: Centre, device: Device, *,
         comment: str | None = None, seq: int = 1, recipients: Sequence[str] | None = None,
         readme: bytes | None = None, prehash: bool = True) -> bytes:
    """Encrypt, sign and pack a payload as a bundle (the way a device would, by hand)."""
    if isinstance(payload, bytes):
        payload_zip = payload
        manifest = zip_entries(payload)[0][1]
    else:
        payload_zip = build_zip(payload, compression=payload_compression(payload))
        manifest = dict(payload)["manifest.json"]
    targets = [keys.parse_recipient(r) for r in recipients or centre.profile.age_recipients]
    encrypted = pyrage.encrypt(payload_zip, targets)
    signature = device.keypair.secret_key.sign(
        encrypted, prehash=prehash, trusted_comment=comment or comment_for(device, seq, manifest))
    entries = [("payload.age", encrypted), ("payload.age.minisig", bytes(signature) + b"\n")]
    if readme is not None:
        entries.append(("README.txt", readme))
    return build_zip(entries)


def run(*command: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(c) for c in command], input=stdin, capture_output=True,
                          check=False, timeout=60)

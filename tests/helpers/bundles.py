"""The bundle kit: laptops and centre keys with real keys, bundles written or put together by hand.

A `Laptop` is a device as the centre sees it (an id, a minisign key pair, a name and a worker);
`CentreKeys` is a centre's keys and profile without a vault (the format core plays its importer).
The helpers that take a centre take either one or a real centre vault (`tests.helpers.centre`).
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
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

from intake_app.sync.centre.receipts import write_receipt
from intake_app.sync.centre.setup import write_profile
from intake_app.sync.centre.vault import Centre
from intake_app.sync.device.enrol import write_enrolment
from intake_app.sync.device.identity import DeviceIdentity
from intake_app.sync.device.transport import write_bundle
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format import keys
from intake_app.sync.format.bundle_file import AttachmentSource, BundleContents, WrittenBundle
from intake_app.sync.format.check import BundleCheck, check_bundle
from intake_app.sync.format.enrolment import EnrolmentRequest
from intake_app.sync.format.manifest import Tombstone
from intake_app.sync.format.payload_reader import FormCheck, RecordOwner, no_owner
from intake_app.sync.format.profile import CentreProfile
from intake_app.sync.format.reader import DeviceState, KnownDevice
from intake_app.sync.format.receipt import Receipt, ReceiptRecord
from intake_app.sync.format.spec import BundleComment
from tests.helpers.documents import make_document, new_id

CREATED = datetime(2026, 11, 28, 16, 2, 11, tzinfo=UTC)
FORMS = {("intake-fi", "2026.1")}

needs_cli = pytest.mark.skipif(
    shutil.which("age") is None or shutil.which("minisign") is None,
    reason="the standard age and minisign tools are not installed (see .ci/run)",
)


@dataclass
class Laptop:
    """A worker's laptop as the centre knows it: its id, a real minisign key pair, its name."""

    device_id: str = field(default_factory=new_id)
    keypair: minisign.KeyPair = field(default_factory=keys.generate_signing_key)
    state: DeviceState = DeviceState.ACTIVE
    last_seq: int | None = None
    name: str = "Laptop 7"
    worker: str = "W-12"
    next_seq: int = 1

    @property
    def public_text(self) -> str:
        return keys.public_key_to_text(self.keypair.public_key)

    @property
    def key_id(self) -> str:
        return keys.key_id(self.keypair.public_key)

    @property
    def fingerprint(self) -> str:
        return keys.key_fingerprint(self.public_text)

    def known(self) -> KnownDevice:
        return KnownDevice(self.device_id, self.public_text, self.state, self.last_seq)

    def request(self) -> EnrolmentRequest:
        return EnrolmentRequest.make(device_id=self.device_id, device_name=self.name,
                                     worker=self.worker, public_key=self.keypair.public_key,
                                     created=CREATED)

    def enrol(self, share: Path) -> Path:
        folder = share / "enrol"
        folder.mkdir(parents=True, exist_ok=True)
        return write_enrolment(folder, self.request(), self.keypair.secret_key)

    def bundle(self, folder: Path, centre: AnyCentre | CentreProfile, *, seq: int | None = None,
               records: Sequence[Mapping[str, Any]] | None = None,
               attachments: Sequence[AttachmentSource] = (), deleted: Sequence[Tombstone] = (),
               abandoned: Sequence[int] = (), **options: Any) -> WrittenBundle:
        """Write a bundle with the device's writer (the next sequence number by default)."""
        if seq is None:
            seq = self.next_seq
        self.next_seq = max(self.next_seq, seq + 1)
        folder.mkdir(parents=True, exist_ok=True)
        contents = BundleContents(tuple(records if records is not None else [make_document()]),
                                  tuple(attachments), tuple(deleted), tuple(abandoned))
        profile = centre if isinstance(centre, CentreProfile) else centre.profile
        return write_bundle(folder, profile=profile, device_id=self.device_id,
                            device_key=self.keypair.secret_key, seq=seq, created=CREATED,
                            contents=contents, **options)


@dataclass
class CentreKeys:
    """A centre without a vault: its keys and profile; with a folder, its share and profile file."""

    keys: keys.CentreKeys
    profile: CentreProfile
    profile_path: Path | None = None

    @classmethod
    def make(cls, root: Path | None = None, *, share: str | Path | None = None) -> CentreKeys:
        """New keys. With `root`: the share (`root/share` by default) and the profile file there."""
        if root is not None:
            share = Path(share or root / "share")
            share.mkdir(parents=True, exist_ok=True)
        centre_keys = keys.CentreKeys.generate(with_backup=True)
        profile = CentreProfile(new_id(), "Example reception centre",
                                tuple(centre_keys.recipients()), centre_keys.receipt_key_text(),
                                str(share or "/srv/share"))
        made = cls(centre_keys, profile)
        if root is not None:
            made.profile_path = root / f"centre-profile-{profile.centre_id[:8]}.json"
            write_profile(made.profile_path, profile)
        return made

    @property
    def centre_id(self) -> str:
        return self.profile.centre_id

    @property
    def share(self) -> Path:
        return Path(self.profile.share)

    @property
    def identities(self) -> list[Any]:
        return [self.keys.primary]

    def identity_file(self, folder: Path) -> Path:
        path = folder / "centre-identity.txt"
        path.write_text(keys.identity_to_text(self.keys.primary) + "\n")
        return path

    def check(self, bundle: Path | bytes, public_key: str, device_id: str) -> BundleCheck:
        """Run the importer's checks 1 to 6 on a bundle, as the centre would."""
        device = KnownDevice(device_id, public_key, DeviceState.ACTIVE)
        wanted = keys.key_id(keys.parse_public_key(public_key))
        return check_bundle(bundle, lookup=lambda kid: device if kid == wanted else None,
                            identities=self.identities, centre_id=self.centre_id,
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
            centre_id=self.centre_id, device_id=identity.device_id,
            seq=seq or verdict.signed.seq,
            payload_sha256=payload_sha256 or verdict.signed.payload_sha256,
            outcome=outcome, reason=reason, imported="2026-11-28T18:40:00Z",
            records=tuple(records or ()),
        )
        return write_receipt(self.share, receipt, signer or self.keys.receipt.secret_key)


AnyCentre = CentreKeys | Centre


def lookup_for(*laptops: Laptop) -> Callable[[str], KnownDevice | None]:
    table = {laptop.key_id: laptop for laptop in laptops}

    def lookup(key_id: str) -> KnownDevice | None:
        laptop = table.get(key_id)
        return None if laptop is None else laptop.known()

    return lookup


def attachment(data: bytes, record_id: str, media_type: str = "image/jpeg") -> AttachmentSource:
    return AttachmentSource(hashlib.sha256(data).hexdigest(), record_id, len(data), media_type,
                            lambda: io.BytesIO(data))


def validate(doc: Mapping[str, Any]) -> FormCheck:
    """A stand-in for the domain layer: known forms, and answers must be an object."""
    if (doc.get("form"), doc.get("form_version")) not in FORMS:
        return FormCheck.UNKNOWN_FORM
    return FormCheck.VALID if isinstance(doc.get("answers"), dict) else FormCheck.INVALID


def write(folder: Path, centre: AnyCentre, laptop: Laptop, *, seq: int = 1,
          **options: Any) -> WrittenBundle:
    """`laptop.bundle` with sequence number 1 by default."""
    return laptop.bundle(folder, centre, seq=seq, **options)


def check(source: Path | bytes, centre: AnyCentre, *laptops: Laptop,
          owner: RecordOwner = no_owner, **options: Any) -> BundleCheck:
    """The format core's checks with `laptops` known and the stand-in form check."""
    return check_bundle(source, lookup=lookup_for(*laptops), identities=centre.identities,
                        centre_id=centre.centre_id, validate_record=validate,
                        record_owner=owner, **options)


def run(*command: str | Path, stdin: bytes | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(c) for c in command], input=stdin, capture_output=True,
                          check=False, timeout=120, cwd=cwd)


# --- bundles put together by hand ------------------------------------------------------------


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


def payload_zip(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """A payload ZIP: manifest and records deflated, attachments stored (as the writer does)."""
    return build_zip(entries, compression={name: zipfile.ZIP_DEFLATED for name, _ in entries
                                           if not name.startswith("attachments/")})


def decrypt(bundle: Path | bytes, centre: AnyCentre) -> list[tuple[str, bytes]]:
    """The bundle's payload entries, decrypted with the centre's identity."""
    data = bundle.read_bytes() if isinstance(bundle, Path) else bundle
    outer = dict(zip_entries(data))
    return zip_entries(pyrage.decrypt(outer["payload.age"], centre.identities))


def payload_of(bundle: Path | bytes, centre: AnyCentre) -> dict[str, bytes]:
    """The bundle's payload: entry name -> bytes."""
    return dict(decrypt(bundle, centre))


def comment_for(laptop: Laptop, seq: int, manifest: bytes,
                created: str = "2026-11-28T16:02:11Z") -> str:
    return BundleComment(laptop.device_id, seq, created,
                         hashlib.sha256(manifest).hexdigest()).text()


def seal(payload: Sequence[tuple[str, bytes]] | bytes, centre: AnyCentre, laptop: Laptop, *,
         seq: int = 1, comment: str | None = None, recipients: Sequence[str] | None = None,
         readme: bytes | None = None, prehash: bool = True) -> bytes:
    """Encrypt, sign and pack a payload the way a device would, with any content we like."""
    if isinstance(payload, bytes):
        data = payload
        manifest = zip_entries(payload)[0][1] if comment is None else b""
    else:
        data = payload_zip(payload)
        manifest = dict(payload)["manifest.json"]
    targets = [keys.parse_recipient(r) for r in recipients or centre.profile.age_recipients]
    encrypted = pyrage.encrypt(data, targets)
    signature = laptop.keypair.secret_key.sign(
        encrypted, prehash=prehash, trusted_comment=comment or comment_for(laptop, seq, manifest))
    entries = [("payload.age", encrypted), ("payload.age.minisig", bytes(signature) + b"\n")]
    if readme is not None:
        entries.append(("README.txt", readme))
    return build_zip(entries)


def manifest_json(centre: AnyCentre, laptop: Laptop, seq: int,
                  records: Sequence[tuple[dict[str, Any], bytes]] = (),
                  attachments: Sequence[tuple[str, bytes]] = (), **changes: Any) -> bytes:
    """manifest.json for hand-made payloads; `records` are (document, file bytes)."""
    manifest: dict[str, Any] = {
        "format": "intake-payload", "version": 1, "centre_id": centre.centre_id,
        "device_id": laptop.device_id, "seq": seq, "created": "2026-11-28T16:02:11Z",
        "app": "by hand",
        "records": [{"id": doc["id"], "revision": doc["revision"], "form": doc["form"],
                     "form_version": doc["form_version"], "path": f"records/{doc['id']}.json",
                     "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                    for doc, data in records],
        "attachments": [{"sha256": hashlib.sha256(data).hexdigest(), "record_id": record_id,
                         "size": len(data), "media_type": "image/png",
                         "path": f"attachments/{hashlib.sha256(data).hexdigest()}"}
                        for record_id, data in attachments],
        "deleted": [], "abandoned_seqs": [],
    }
    manifest.update(changes)
    return json.dumps(manifest).encode()


def hand_payload(centre: AnyCentre, laptop: Laptop, seq: int,
                 documents: Sequence[dict[str, Any]], **changes: Any) -> list[tuple[str, bytes]]:
    """Payload entries for `documents`, with the manifest changed by `changes`."""
    records = [(doc, json.dumps(doc).encode()) for doc in documents]
    manifest = manifest_json(centre, laptop, seq, records, **changes)
    return [("manifest.json", manifest),
            *((f"records/{doc['id']}.json", data) for doc, data in records)]

"""Shared helpers for the centre tests: a real centre vault, laptops with real keys, bundles.

Imported by the other `test_centre_*` modules; it holds no tests itself.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import minisign
import pyrage

from intake_app.domain.form_loader import load_form_text
from intake_app.domain.registry import FormRegistry
from intake_app.storage import KdfParams, Vault
from intake_app.sync.centre.devices import RegisteredDevice, approve, register_request
from intake_app.sync.centre.forms import registry_validator
from intake_app.sync.centre.schema import RECORD_TABLES
from intake_app.sync.centre.setup import init_centre
from intake_app.sync.centre.vault import Centre
from intake_app.sync.device.enrol import write_enrolment
from intake_app.sync.device.transport import write_bundle
from intake_app.sync.format import keys
from intake_app.sync.format.bundle_file import (
    AttachmentSource,
    BundleContents,
    WrittenBundle,
)
from intake_app.sync.format.enrolment import EnrolmentRequest
from intake_app.sync.format.manifest import Tombstone
from intake_app.sync.format.payload_reader import RecordValidator
from intake_app.sync.format.profile import CentreProfile
from intake_app.sync.format.spec import BundleComment

PASSPHRASE = "centre passphrase 2026"
FAST = KdfParams.MINIMUM
CREATED = datetime(2026, 11, 28, 16, 2, 11, tzinfo=UTC)
YES_NO = [{"name": "yes", "label::en": "Yes", "label::fi": "Kyllä"},
          {"name": "no", "label::en": "No", "label::fi": "Ei"}]
FORM = {
    "format": "intake-form", "format_version": 1, "id": "intake-fi", "version": "2026.1",
    "languages": ["en", "fi"], "default_language": "en",
    "translation_status": {"en": "source", "fi": "draft"},
    "title::en": "Centre test interview",
    "choices": {
        "yes_no": YES_NO,
        "setting": [{"name": "street", "label::en": "Street", "label::fi": "Katu"},
                    {"name": "workplace", "label::en": "Workplace", "label::fi": "Työpaikka"}],
        "needs": [{"name": "housing", "label::en": "Safe housing", "label::fi": "Asunto"},
                  {"name": "legal", "label::en": "Legal aid", "label::fi": "Oikeusapu"}],
    },
    "questions": [{
        "type": "group", "name": "main", "label::en": "Interview", "label::fi": "Haastattelu",
        "children": [
            {"type": "select_one", "name": "consent_interview", "required": True,
             "choices": "yes_no", "label::en": "Consent to the interview",
             "label::fi": "Suostumus"},
            {"type": "text", "name": "alias", "label::en": "Alias", "label::fi": "Peitenimi"},
            {"type": "select_one", "name": "setting", "choices": "setting",
             "label::en": "Setting"},
            {"type": "select_multiple", "name": "needs", "choices": "needs",
             "label::en": "Needs"},
            {"type": "long_text", "name": "account", "label::en": "Account"},
        ],
    }],
}
REGISTRY = FormRegistry([load_form_text(json.dumps(FORM), "centre-test-form.json")])


def validator() -> RecordValidator:
    return registry_validator(REGISTRY)


def new_id() -> str:
    return str(uuid.uuid4())


def make_centre(tmp_path: Path, *, share: Path | None = None,
                backup: Path | None = None) -> Centre:
    """A real centre vault in `tmp_path/centre-data` with its share in `tmp_path/share`."""
    share = share or tmp_path / "share"
    share.mkdir(parents=True, exist_ok=True)
    data = tmp_path / "centre-data"
    init_centre(data, name="Example reception centre", share=str(share), passphrase=PASSPHRASE,
                kdf=FAST, backup_identity=backup)
    return open_centre(tmp_path)


def open_centre(tmp_path: Path) -> Centre:
    return Centre.open(tmp_path / "centre-data", PASSPHRASE, validator=validator)


@dataclass
class Laptop:
    """A device: its id and real minisign key pair."""

    device_id: str = field(default_factory=new_id)
    keypair: minisign.KeyPair = field(default_factory=keys.generate_signing_key)
    next_seq: int = 1

    def request(self) -> EnrolmentRequest:
        return EnrolmentRequest.make(device_id=self.device_id, device_name="Laptop 7",
                                     worker="W-12", public_key=self.keypair.public_key,
                                     created=CREATED)

    def enrol(self, share: Path) -> Path:
        folder = share / "enrol"
        folder.mkdir(parents=True, exist_ok=True)
        return write_enrolment(folder, self.request(), self.keypair.secret_key)

    @property
    def fingerprint(self) -> str:
        return keys.key_fingerprint(keys.public_key_to_text(self.keypair.public_key))

    def bundle(self, folder: Path, centre: Centre | CentreProfile, *, seq: int | None = None,
               records: Sequence[Mapping[str, Any]] | None = None,
               attachments: Sequence[AttachmentSource] = (),
               deleted: Sequence[Tombstone] = (), abandoned: Sequence[int] = ()) -> WrittenBundle:
        """Write a bundle with the format core's writer (the next sequence number by default)."""
        if seq is None:
            seq = self.next_seq
        self.next_seq = max(self.next_seq, seq + 1)
        folder.mkdir(parents=True, exist_ok=True)
        contents = BundleContents(tuple(records if records is not None else [document()]),
                                  tuple(attachments), tuple(deleted), tuple(abandoned))
        profile = centre.profile if isinstance(centre, Centre) else centre
        return write_bundle(folder, profile=profile, device_id=self.device_id,
                            device_key=self.keypair.secret_key, seq=seq, created=CREATED,
                            contents=contents)


def register(centre: Centre, laptop: Laptop, *, active: bool = True) -> RegisteredDevice:
    device = register_request(centre.vault, laptop.request())
    if active:
        device = approve(centre.vault, laptop.device_id, laptop.fingerprint)
    return device


def document(record_id: str | None = None, revision: int = 1, **answers: Any) -> dict[str, Any]:
    return {
        "format": "intake-interview", "version": 1,
        "id": record_id or new_id(), "revision": revision,
        "form": "intake-fi", "form_version": "2026.1",
        "created": "2026-11-28T16:02:11Z", "modified": "2026-11-28T16:05:00Z",
        "status": "final",
        "answers": answers or {"consent_interview": "yes", "alias": "A.",
                               "account": {"text": "Worked without pay", "lang": "en"}},
    }


def attachment(data: bytes, record_id: str, media_type: str = "image/jpeg") -> AttachmentSource:
    return AttachmentSource(hashlib.sha256(data).hexdigest(), record_id, len(data), media_type,
                            lambda: io.BytesIO(data))


def record_digest(vault: Vault) -> str:
    """SHA-256 over every row of every table that holds what bundles brought."""
    digest = hashlib.sha256()
    with vault.transaction() as conn:
        for table in RECORD_TABLES:
            digest.update(table.encode())
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def table_count(vault: Vault, table: str) -> int:
    with vault.transaction() as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


# --- bundles put together by hand -----------------------------------------------------------


def zip_entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def build_zip(entries: Sequence[tuple[str, bytes]], *, deflate: Sequence[str] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            method = zipfile.ZIP_DEFLATED if name in deflate else zipfile.ZIP_STORED
            archive.writestr(zipfile.ZipInfo(name, (2026, 11, 28, 16, 2, 10)), data,
                             compress_type=method)
    return buffer.getvalue()


def payload_zip(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """A payload ZIP: manifest and records deflated, attachments stored."""
    return build_zip(entries, deflate=[n for n, _ in entries if not n.startswith("attachments/")])


def decrypt_payload(bundle: bytes, centre: Centre) -> list[tuple[str, bytes]]:
    outer = dict(zip_entries(bundle))
    return zip_entries(pyrage.decrypt(outer["payload.age"], centre.identities))


def comment_for(laptop: Laptop, seq: int, manifest: bytes,
                created: str = "2026-11-28T16:02:11Z") -> str:
    return BundleComment(laptop.device_id, seq, created,
                         hashlib.sha256(manifest).hexdigest()).text()


def seal(payload: Sequence[tuple[str, bytes]] | bytes, centre: Centre, laptop: Laptop, *,
         seq: int, comment: str | None = None, recipients: Sequence[str] | None = None,
         readme: bytes | None = None) -> bytes:
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
        encrypted, prehash=True, trusted_comment=comment or comment_for(laptop, seq, manifest))
    entries = [("payload.age", encrypted), ("payload.age.minisig", bytes(signature) + b"\n")]
    if readme is not None:
        entries.append(("README.txt", readme))
    return build_zip(entries)


def manifest_json(centre: Centre, laptop: Laptop, seq: int,
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


def hand_payload(centre: Centre, laptop: Laptop, seq: int, documents: Sequence[dict[str, Any]],
                 **changes: Any) -> list[tuple[str, bytes]]:
    """Payload entries for `documents`, with the manifest changed by `changes`."""
    records = [(doc, json.dumps(doc).encode()) for doc in documents]
    manifest = manifest_json(centre, laptop, seq, records, **changes)
    return [("manifest.json", manifest),
            *((f"records/{doc['id']}.json", data) for doc, data in records)]


def write_forms_folder(folder: Path) -> Path:
    """A forms folder holding the test form, for `FormRegistry.load` in command-line runs."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "centre-test-form.json").write_text(json.dumps(FORM), encoding="utf-8")
    return folder

"""The centre and the standard `age` and `minisign` command-line tools, both ways.

Bundles and an enrolment request made entirely with the standard tools are imported (or refused
with the right reason); the centre's receipts and its offline backup key work with them too.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from intake_app.sync.centre.devices import approve, read_requests
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.records import attachments, get_document
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format.keys import public_key_file
from tests.helpers.bundles import (
    CREATED,
    Laptop,
    build_zip,
    manifest_json,
    payload_zip,
    zip_entries,
)
from tests.helpers.centre import make_centre, register
from tests.helpers.documents import make_document, new_id

pytestmark = [
    pytest.mark.cli_tools,
    pytest.mark.skipif(shutil.which("age") is None or shutil.which("minisign") is None,
                       reason="the standard age and minisign tools are not installed"),
]


def run(*command: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run([str(part) for part in command], input=stdin, capture_output=True,
                          check=False, timeout=60)
    return done


class ToolDevice:
    """A device whose key lives in files made by `minisign -G`."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.device_id = new_id()
        made = run("minisign", "-G", "-W", "-p", work / "device.pub", "-s", work / "device.key")
        assert made.returncode == 0, made.stderr
        self.public_text = (work / "device.pub").read_text().splitlines()[1]

    def sign(self, path: Path, comment: str, *extra: str) -> None:
        signed = run("minisign", "-S", *extra, "-s", self.work / "device.key", "-m", path,
                     "-t", comment)
        assert signed.returncode == 0, signed.stderr

    def enrol(self, share: Path) -> Path:
        folder = share / "enrol"
        folder.mkdir(parents=True, exist_ok=True)
        request = {"format": "intake-enrolment", "version": 1, "device_id": self.device_id,
                   "device_name": "Laptop made by hand", "worker": "W-99",
                   "public_key": self.public_text, "created": "2026-11-28T16:02:11Z"}
        path = folder / f"{self.device_id}.json"
        path.write_text(json.dumps(request, indent=2))
        self.sign(path, f"intake-enrolment v1 device={self.device_id}")
        return path

    def bundle(self, centre: Centre, *, seq: int, recipients: list[str] | None = None,
               legacy: bool = False) -> tuple[bytes, dict[str, object], bytes]:
        """A bundle assembled with `zip`-free Python ZIP code, `age` and `minisign` only."""
        doc = make_document()
        record = json.dumps(doc).encode()
        photo = os.urandom(4000)
        laptop = Laptop(device_id=self.device_id)
        manifest = manifest_json(centre, laptop, seq, [(doc, record)], [(doc["id"], photo)])
        sha = hashlib.sha256(photo).hexdigest()
        (self.work / "payload.zip").write_bytes(payload_zip(
            [("manifest.json", manifest), (f"records/{doc['id']}.json", record),
             (f"attachments/{sha}", photo)]))
        targets = [arg for r in recipients or centre.profile.age_recipients for arg in ("-r", r)]
        age = run("age", *targets, "-o", self.work / "payload.age", self.work / "payload.zip")
        assert age.returncode == 0, age.stderr
        created = CREATED.strftime("%Y-%m-%dT%H:%M:%SZ")
        comment = (f"intake-bundle v1 device={self.device_id} seq={seq} created={created} "
                   f"manifest={hashlib.sha256(manifest).hexdigest()}")
        self.sign(self.work / "payload.age", comment, *(["-l"] if legacy else []))
        bundle = build_zip([("payload.age", (self.work / "payload.age").read_bytes()),
                            ("payload.age.minisig",
                             (self.work / "payload.age.minisig").read_bytes())])
        return bundle, doc, photo


@pytest.fixture
def centre(tmp_path: Path) -> Centre:
    made = make_centre(tmp_path, backup=tmp_path / "backup-identity.txt")
    yield made  # type: ignore[misc]
    made.close()


@pytest.fixture
def device(tmp_path: Path, centre: Centre) -> ToolDevice:
    work = tmp_path / "tools"
    work.mkdir()
    made = ToolDevice(work)
    [read] = read_requests(centre.vault, [made.enrol(centre.share)])
    assert read.device is not None, read.error
    approve(centre.vault, made.device_id, read.device.fingerprint)
    return made


def test_bundle_made_with_the_standard_tools_is_imported(centre: Centre,
                                                         device: ToolDevice) -> None:
    bundle, doc, photo = device.bundle(centre, seq=1)
    result = import_bundle(centre, bundle, file_name="by-hand.ibundle")
    assert (result.outcome, result.reason, result.records) == (Outcome.ACCEPTED, None, 1)
    assert get_document(centre.vault, str(doc["id"])) == doc
    [stored] = attachments(centre.vault, str(doc["id"]))
    with centre.vault.interviews.open_attachment(stored.sha256) as reader:
        assert reader.read() == photo


def test_legacy_signature_from_the_tool_is_refused(centre: Centre, device: ToolDevice) -> None:
    bundle, _doc, _photo = device.bundle(centre, seq=1, legacy=True)
    result = import_bundle(centre, bundle, file_name="legacy.ibundle")
    assert (result.outcome, result.reason) == (Outcome.REJECTED, Reason.BAD_SIGNATURE)


def test_bundle_encrypted_by_the_tool_for_another_centre(centre: Centre, device: ToolDevice,
                                                         tmp_path: Path) -> None:
    other = make_centre(tmp_path / "other")
    recipients = list(other.profile.age_recipients)
    other.close()
    bundle, _doc, _photo = device.bundle(centre, seq=1, recipients=recipients)
    result = import_bundle(centre, bundle, file_name="other.ibundle")
    assert (result.outcome, result.reason) == (Outcome.REJECTED, Reason.NOT_FOR_THIS_CENTRE)


def test_receipt_and_backup_key_work_with_the_standard_tools(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    written = laptop.bundle(tmp_path / "out", centre)
    result = import_bundle(centre, written.path)
    assert result.receipt is not None
    work = tmp_path / "check"
    work.mkdir()
    centre_pub = work / "centre.pub"
    centre_pub.write_bytes(public_key_file(centre.receipt_key.get_public_key()))
    verified = run("minisign", "-V", "-p", centre_pub, "-m", result.receipt)
    assert verified.returncode == 0, verified.stderr
    assert f"outcome=accepted payload={written.payload_sha256}".encode() in verified.stdout
    # An auditor checks the bundle with the device's key and opens it with the offline key.
    for name, data in zip_entries(written.path.read_bytes())[:2]:
        (work / name).write_bytes(data)
    device_pub = work / "device.pub"
    device_pub.write_bytes(public_key_file(laptop.keypair.public_key))
    assert run("minisign", "-V", "-p", device_pub, "-m", work / "payload.age").returncode == 0
    opened = run("age", "-d", "-i", tmp_path / "backup-identity.txt", "-o",
                 work / "payload.zip", work / "payload.age")
    assert opened.returncode == 0, opened.stderr
    names = [name for name, _ in zip_entries((work / "payload.zip").read_bytes())]
    assert names[0] == "manifest.json"

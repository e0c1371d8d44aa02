"""The bundle writer and planner: exact layout, and checked with the standard age/minisign tools."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from intake_app.errors import VaultDamaged
from intake_app.sync.device.plan import plan_bundles
from intake_app.sync.device.transport import write_bundle
from intake_app.sync.errors import ExportTooLarge, Outcome
from intake_app.sync.format import keys
from intake_app.sync.format.bundle_file import AttachmentSource
from intake_app.sync.format.manifest import Tombstone, parse_manifest
from intake_app.sync.format.spec import README_TEXT
from intake_app.sync.format.strict_json import dumps_canonical
from tests.helpers.bundles import (
    CREATED,
    CentreKeys,
    Laptop,
    attachment,
    check,
    needs_cli,
    run,
    write,
)
from tests.helpers.documents import make_document, new_id


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "outbox"
    folder.mkdir()
    return folder


def _local_header(data: bytes, offset: int) -> tuple[int, int, int]:
    """(signature, general flags, method) of the local header at `offset`."""
    signature, _, flags, method = struct.unpack_from("<IHHH", data, offset)
    return signature, flags, method


def test_outer_zip_is_exactly_the_spec(out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    written = write(out, centre_keys, laptop, seq=17)
    assert written.path.name == f"{laptop.device_id}-00000017.ibundle"
    assert [p.name for p in out.iterdir()] == [written.path.name]  # no partial left behind
    data = written.path.read_bytes()
    assert written.size == len(data)
    assert written.payload_sha256 is not None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["payload.age", "payload.age.minisig",
                                               "README.txt"]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
        assert [i.header_offset for i in infos] == sorted(i.header_offset for i in infos)
        assert infos[0].header_offset == 0
        for info in infos:
            assert _local_header(data, info.header_offset) == (0x04034B50, 0, 0)
        payload = archive.read("payload.age")
        assert payload.startswith(b"age-encryption.org/v1\n")  # binary age, not armored
        assert hashlib.sha256(payload).hexdigest() == written.payload_sha256
        assert archive.read("README.txt") == README_TEXT.encode()
        assert len(README_TEXT.encode()) <= 4096


def test_readme_is_optional(out: Path) -> None:
    written = write(out, CentreKeys.make(), Laptop(), readme=False)
    with zipfile.ZipFile(written.path) as archive:
        assert archive.namelist() == ["payload.age", "payload.age.minisig"]


@needs_cli
def test_bundle_verifies_and_decrypts_with_the_standard_tools(
        tmp_path: Path, out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    records = [make_document(), make_document(revision=3)]
    photo = os.urandom(200_000)
    written = write(out, centre_keys, laptop, seq=5, records=records,
                    attachments=[attachment(photo, records[0]["id"])],
                    deleted=[Tombstone(new_id(), 4, "consent-withdrawn")], abandoned=[2, 3])
    work = tmp_path / "by-hand"
    work.mkdir()
    with zipfile.ZipFile(written.path) as archive:
        archive.extractall(work, ["payload.age", "payload.age.minisig"])
    (work / "device.pub").write_bytes(keys.public_key_file(laptop.keypair.public_key))
    verified = run("minisign", "-Vm", work / "payload.age", "-p", work / "device.pub")
    assert verified.returncode == 0, verified.stderr
    comment = (f"intake-bundle v1 device={laptop.device_id} seq=5 created=2026-11-28T16:02:11Z"
               f" manifest={written.manifest_sha256}")
    assert f"Trusted comment: {comment}\n".encode() in verified.stdout
    assert run("minisign", "-Vm", work / "payload.age", "-P", laptop.public_text).returncode == 0

    for identity in (centre_keys.keys.primary, centre_keys.keys.backup):
        assert identity is not None
        (work / "id.txt").write_text(keys.identity_to_text(identity) + "\n")
        decrypted = run("age", "-d", "-i", work / "id.txt", work / "payload.age")
        assert decrypted.returncode == 0, decrypted.stderr
        _check_payload_matches_manifest(decrypted.stdout, written.manifest_sha256, records, photo)


def _check_payload_matches_manifest(payload: bytes, manifest_sha256: str,
                                    records: list[dict[str, object]], photo: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        names = archive.namelist()
        assert names[0] == "manifest.json"
        manifest_bytes = archive.read("manifest.json")
        assert hashlib.sha256(manifest_bytes).hexdigest() == manifest_sha256
        manifest = parse_manifest(manifest_bytes)
        listed = {e.path: (e.sha256, e.size) for e in manifest.records}
        listed.update((e.path, (e.sha256, e.size)) for e in manifest.attachments)
        assert sorted(names[1:]) == sorted(listed)
        for name in names[1:]:
            data = archive.read(name)
            assert (hashlib.sha256(data).hexdigest(), len(data)) == listed[name]
        assert archive.getinfo(names[1]).compress_type == zipfile.ZIP_DEFLATED
        attachment_name = f"attachments/{hashlib.sha256(photo).hexdigest()}"
        assert archive.getinfo(attachment_name).compress_type == zipfile.ZIP_STORED
        for doc in records:
            assert archive.read(f"records/{doc['id']}.json") == dumps_canonical(doc)
    raw = json.loads(manifest_bytes)
    assert list(raw) == ["format", "version", "centre_id", "device_id", "seq", "created",
                         "app", "records", "attachments", "deleted", "abandoned_seqs"]
    assert raw["abandoned_seqs"] == [2, 3]
    assert raw["deleted"][0]["reason"] == "consent-withdrawn"


def test_only_the_latest_revision_of_a_record_is_carried(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    record_id = new_id()
    written = write(out, centre_keys, laptop, records=[
        make_document(record_id, 2), make_document(record_id, 4), make_document(record_id, 3)])
    assert [(r.id, r.revision) for r in written.records] == [(record_id, 4)]
    assert check(written.path, centre_keys, laptop).outcome is Outcome.ACCEPTED


def test_one_file_for_an_attachment_shared_by_two_records(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    first, second = make_document(), make_document()
    photo = b"same photo" * 100
    written = write(out, centre_keys, laptop, records=[first, second], attachments=[
        attachment(photo, first["id"]), attachment(photo, second["id"]),
        attachment(photo, second["id"])])
    assert len(written.attachments) == 2
    result = check(written.path, centre_keys, laptop)
    assert result.outcome is Outcome.ACCEPTED and result.payload is not None
    assert b"".join(result.payload.attachment_chunks(written.attachments[0].sha256)) == photo
    result.payload.close()


def test_attachment_bytes_that_do_not_match_their_hash_write_nothing(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    doc = make_document()
    good = attachment(b"original", doc["id"])
    changed = AttachmentSource(good.sha256, doc["id"], good.size, "image/jpeg",
                               lambda: io.BytesIO(b"changed!"))
    longer = AttachmentSource(good.sha256, doc["id"], good.size, "image/jpeg",
                              lambda: io.BytesIO(b"original and more"))
    for source in (changed, longer):
        with pytest.raises(VaultDamaged):
            write(out, centre_keys, laptop, records=[doc], attachments=[source])
        assert list(out.iterdir()) == []
    assert _writer_threads() == []  # the payload and signer threads ended with the failure


class _SelfHashing(io.BytesIO):
    """A reader that hashes what it reads, as the vault's attachment reader does."""

    def __init__(self, data: bytes, digest: str) -> None:
        super().__init__(data)
        self.digest = digest

    def hexdigest(self) -> str:
        return self.digest


def test_a_reader_that_hashes_what_it_reads_has_its_digest_used(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    doc = make_document()
    good = attachment(b"original", doc["id"])
    told_wrong = AttachmentSource(good.sha256, doc["id"], good.size, "image/jpeg",
                                  lambda: _SelfHashing(b"original", "0" * 64))
    with pytest.raises(VaultDamaged):  # its digest is what is checked: not hashed again
        write(out, centre_keys, laptop, records=[doc], attachments=[told_wrong])
    assert list(out.iterdir()) == []
    told_right = AttachmentSource(good.sha256, doc["id"], good.size, "image/jpeg",
                                  lambda: _SelfHashing(b"original", good.sha256))
    written = write(out, centre_keys, laptop, records=[doc], attachments=[told_right])
    assert written.attachments[0].sha256 == good.sha256


def test_a_failure_before_encrypting_leaves_no_thread_behind(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.sync.format import writer as device_bundle
    def unreadable(_text: str) -> object:
        raise ValueError("unreadable recipient")

    monkeypatch.setattr(device_bundle, "parse_recipient", unreadable)
    centre, device = CentreKeys.make(), Laptop()
    doc = make_document()
    with pytest.raises(ValueError):
        write(out, centre, device, records=[doc], attachments=[attachment(b"x" * 6_000_000,
                                                                          doc["id"])])
    assert _writer_threads() == [] and list(out.iterdir()) == []


def _writer_threads() -> list[str]:
    import threading

    return [t.name for t in threading.enumerate()
            if t.name in ("payload-writer", "bundle-signer") and t.is_alive()]


def test_bad_record_documents_are_bugs_not_bundles(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    doc = make_document()
    del doc["answers"]
    for bad in (doc, {**make_document(), "id": "not-a-uuid"},
                {**make_document(), "revision": True}):
        with pytest.raises(ValueError):
            write(out, centre_keys, laptop, records=[bad])
    assert list(out.iterdir()) == []


def test_bundle_over_the_cap_is_not_written(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    doc = make_document()
    with pytest.raises(ExportTooLarge):
        write(out, centre_keys, laptop, records=[doc],
              attachments=[attachment(os.urandom(50_000), doc["id"])], max_size=20_000)
    assert list(out.iterdir()) == []


# --- splitting -------------------------------------------------------------------------------


def test_planner_splits_under_a_small_cap_and_every_bundle_fits(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    records = [make_document() for _ in range(12)]
    blobs = [attachment(os.urandom(9_000), doc["id"]) for doc in records[::2]]
    tombstone = Tombstone(new_id(), 2, "consent-withdrawn")
    cap = 40_000
    plans = plan_bundles(records, blobs, [tombstone], [7], recipients=2, max_size=cap)
    assert len(plans) > 1
    assert plans[0].deleted == (tombstone,) and plans[0].abandoned_seqs == (7,)
    assert all(not p.deleted and not p.abandoned_seqs for p in plans[1:])
    carried: list[str] = []
    for seq, contents in enumerate(plans, start=10):
        written = write_bundle(out, profile=centre_keys.profile, device_id=laptop.device_id,
                               device_key=laptop.keypair.secret_key, seq=seq, created=CREATED,
                               contents=contents, max_size=cap)
        assert written.size <= cap
        assert check(written.path, centre_keys, laptop).outcome is Outcome.ACCEPTED
        carried += [r.id for r in written.records]
        record_ids = {r.id for r in written.records}
        assert all(a.record_id in record_ids for a in written.attachments)  # kept together
    assert sorted(carried) == sorted(d["id"] for d in records)


def test_planner_estimate_is_an_upper_bound_but_not_a_loose_one(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    # Deflated records may come out much smaller than the bound; attachments are stored.
    records = [make_document() for _ in range(200)]
    blobs = [attachment(os.urandom(1_000_000), records[0]["id"])]
    real = write(out, centre_keys, laptop, records=records, attachments=blobs).size
    generous = plan_bundles(records, blobs, recipients=2, max_size=int(real * 1.2))
    assert len(generous) == 1 and generous[0].attachments == tuple(blobs)
    assert [r.entry.id for r in generous[0].records] == [d["id"] for d in records]
    assert len(plan_bundles(records, blobs, recipients=2, max_size=real - 1)) > 1


def test_record_too_large_for_any_bundle_is_a_known_error() -> None:
    doc = make_document()
    with pytest.raises(ExportTooLarge):
        plan_bundles([doc], [attachment(os.urandom(30_000), doc["id"])], recipients=1,
                     max_size=20_000)


def test_planner_never_sends_a_record_and_a_newer_tombstone_together() -> None:
    kept, gone = make_document(revision=2), make_document(revision=2)
    plans = plan_bundles(
        [kept, gone], [attachment(b"photo", gone["id"]), attachment(b"ok", kept["id"])],
        [Tombstone(gone["id"], 3, "consent-withdrawn"), Tombstone(kept["id"], 1, "old")],
        recipients=1)
    (contents,) = plans
    assert [r.entry.id for r in contents.records] == [kept["id"]]
    assert [a.record_id for a in contents.attachments] == [kept["id"]]
    assert [t.id for t in contents.deleted] == [gone["id"]]


_CHILD = """
import io, sys, time, uuid
from datetime import UTC, datetime
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from intake_app.sync.format import keys
from intake_app.sync.device.transport import write_bundle
from intake_app.sync.format.bundle_file import AttachmentSource, BundleContents
from intake_app.sync.format.profile import CentreProfile

class Slow(io.BytesIO):
    def read(self, size=-1):
        print("reading", flush=True)
        time.sleep(0.05)
        return super().read(size)

centre = keys.CentreKeys.generate()
profile = CentreProfile(str(uuid.uuid4()), "c", tuple(centre.recipients()),
                        centre.receipt_key_text(), "s")
import hashlib
blob = bytes(4 * 1024 * 1024)
rid = str(uuid.uuid4())
doc = {"id": rid, "revision": 1, "form": "f", "form_version": "1", "created": "x",
       "modified": "x", "status": "final", "answers": {}}
source = AttachmentSource(hashlib.sha256(blob).hexdigest(), rid, len(blob), "image/jpeg",
                          lambda: Slow(blob))
write_bundle(Path(sys.argv[1]), profile=profile, device_id=str(uuid.uuid4()),
             device_key=keys.generate_signing_key().secret_key, seq=1,
             created=datetime.now(UTC), contents=BundleContents((doc,), (source,)))
print("done", flush=True)
"""


def test_killed_export_leaves_no_bundle_under_a_real_name(out: Path) -> None:
    root = Path(__file__).resolve().parents[4]
    with subprocess.Popen([sys.executable, "-c", _CHILD, str(out), str(root)],
                          stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        for _ in range(3):  # a few attachment chunks are in the partial file by now
            assert child.stdout.readline().strip() == "reading"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    names = [p.name for p in out.iterdir()]
    assert len(names) == 1 and names[0].startswith(".") and names[0].endswith(".partial")
    assert (out / names[0]).stat().st_size > 0

"""The importer's checks 1, 2, 4, 5, 6: accepted bundles, and every reason code they can give."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pyrage
import pytest

from intake_app.sync.errors import BundleRefused, Outcome, Reason
from intake_app.sync.format import keys
from intake_app.sync.format.check import check_bundle
from intake_app.sync.format.manifest import Tombstone
from intake_app.sync.format.payload_reader import open_payload
from intake_app.sync.format.reader import (
    DeviceState,
    check_sequence,
    open_container,
    verify_signature,
)
from tests.helpers.bundles import (
    CentreKeys,
    Laptop,
    attachment,
    build_zip,
    check,
    comment_for,
    decrypt,
    lookup_for,
    needs_cli,
    run,
    seal,
    validate,
    write,
    zip_entries,
)
from tests.helpers.documents import make_document, new_id

Entries = list[tuple[str, bytes]]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def test_writer_bundle_is_accepted_with_its_contents(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    doc = make_document()
    photo = os.urandom(70_000)
    written = write(out, centre_keys, laptop, seq=3, records=[doc],
                    attachments=[attachment(photo, doc["id"])], abandoned=[1])
    for source in (written.path, written.path.read_bytes()):
        result = check(source, centre_keys, laptop)
        assert (result.outcome, result.reason) == (Outcome.ACCEPTED, None)
        assert result.signed is not None and result.payload is not None
        assert (result.signed.device_id, result.signed.seq) == (laptop.device_id, 3)
        assert result.signed.payload_sha256 == written.payload_sha256
        assert result.signed.key_id == laptop.key_id
        (record,) = result.payload.records
        assert record.document == doc and record.entry == written.records[0]
        sha = hashlib.sha256(photo).hexdigest()
        assert b"".join(result.payload.attachment_chunks(sha)) == photo
        assert result.payload.manifest.abandoned_seqs == (1,)
        result.payload.close()


def test_backup_identity_alone_opens_the_bundle(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    written = write(out, centre_keys, laptop)
    assert centre_keys.keys.backup is not None
    result = check_bundle(written.path, lookup=lookup_for(laptop),
                          identities=[centre_keys.keys.backup],
                          centre_id=centre_keys.profile.centre_id,
                          validate_record=validate)
    assert result.outcome is Outcome.ACCEPTED


@needs_cli
def test_bundle_assembled_with_the_standard_tools_is_accepted(tmp_path: Path) -> None:
    centre = CentreKeys.make()
    work = tmp_path / "by-hand"
    work.mkdir()
    made = run("minisign", "-G", "-W", "-p", work / "device.pub", "-s", work / "device.key")
    assert made.returncode == 0, made.stderr
    public_text = (work / "device.pub").read_text().splitlines()[1]
    device = Laptop(keypair=keys.generate_signing_key())  # replaced below by the CLI's key
    doc = make_document()
    record = json.dumps(doc).encode()
    photo = os.urandom(5000)
    sha = hashlib.sha256(photo).hexdigest()
    manifest = {
        "format": "intake-payload", "version": 1, "centre_id": centre.profile.centre_id,
        "device_id": device.device_id, "seq": 1, "created": "2026-11-28T16:02:11Z",
        "app": "by hand", "records": [{
            "id": doc["id"], "revision": 1, "form": "intake-fi", "form_version": "2026.1",
            "path": f"records/{doc['id']}.json", "sha256": hashlib.sha256(record).hexdigest(),
            "size": len(record)}],
        "attachments": [{"sha256": sha, "record_id": doc["id"], "size": len(photo),
                         "media_type": "image/png", "path": f"attachments/{sha}"}],
        "deleted": [], "abandoned_seqs": [],
    }
    manifest_bytes = json.dumps(manifest, indent=1).encode()
    payload = build_zip([("manifest.json", manifest_bytes), (f"records/{doc['id']}.json", record),
                         (f"attachments/{sha}", photo)], compression=zipfile.ZIP_DEFLATED)
    (work / "payload.zip").write_bytes(payload)
    recipients = [arg for r in centre.profile.age_recipients for arg in ("-r", r)]
    encrypted = run("age", *recipients, "-o", work / "payload.age", work / "payload.zip")
    assert encrypted.returncode == 0, encrypted.stderr
    signed = run("minisign", "-S", "-s", work / "device.key", "-m", work / "payload.age",
                 "-t", comment_for(device, 1, manifest_bytes))
    assert signed.returncode == 0, signed.stderr
    bundle = build_zip([("payload.age", (work / "payload.age").read_bytes()),
                        ("payload.age.minisig", (work / "payload.age.minisig").read_bytes())])
    cli_device = Laptop(device_id=device.device_id,
                        keypair=_pair_with_public(public_text))
    result = check(bundle, centre, cli_device)
    assert (result.outcome, result.reason) == (Outcome.ACCEPTED, None)
    assert result.payload is not None
    assert b"".join(result.payload.attachment_chunks(sha)) == photo


def _pair_with_public(public_text: str) -> object:
    """A stand-in key pair that only carries a public key (the CLI keeps the secret one)."""

    class _Pair:
        public_key = keys.parse_public_key(public_text)

    return _Pair()


@needs_cli
def test_bundle_zipped_with_info_zip_is_accepted(
        tmp_path: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    if run("sh", "-c", "command -v zip").returncode != 0:
        pytest.skip("the zip tool is not installed")
    written = write(tmp_path / "w", centre_keys, laptop)
    work = tmp_path / "z"
    work.mkdir()
    for name, data in zip_entries(written.path.read_bytes())[:2]:
        (work / name).write_bytes(data)
    zipped = run("sh", "-c", f"cd {work} && zip -0 -X -q b.ibundle payload.age "
                 "payload.age.minisig")
    assert zipped.returncode == 0, zipped.stderr
    assert check(work / "b.ibundle", centre_keys, laptop).outcome is Outcome.ACCEPTED


# --- device states ---------------------------------------------------------------------------


def test_device_states_decide_before_contents(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    path = write(out, centre_keys, laptop, seq=5).path
    assert check(path, centre_keys).reason is Reason.UNKNOWN_DEVICE
    assert check(path, centre_keys, Laptop()).reason is Reason.UNKNOWN_DEVICE
    laptop.state = DeviceState.REVOKED
    assert check(path, centre_keys, laptop).reason is Reason.DEVICE_REVOKED
    laptop.state, laptop.last_seq = DeviceState.RETIRED, 4
    assert check(path, centre_keys, laptop).reason is Reason.KEY_RETIRED
    laptop.last_seq = 5
    assert check(path, centre_keys, laptop).outcome is Outcome.ACCEPTED
    laptop.state = DeviceState.PENDING
    held = check(path, centre_keys, laptop)
    assert (held.outcome, held.reason) == (Outcome.QUARANTINED, Reason.DEVICE_PENDING)
    assert held.signed is not None and held.signed.seq == 5 and held.payload is None


def test_pending_device_with_a_forged_bundle_is_rejected_not_held(out: Path) -> None:
    centre, device = CentreKeys.make(), Laptop(state=DeviceState.PENDING)
    data = write(out, centre, device).path.read_bytes()
    entries = zip_entries(data)
    forged = build_zip([("payload.age", entries[0][1] + b"x"), entries[1]])
    assert check(forged, centre, device).reason is Reason.BAD_SIGNATURE


# --- signature and trusted comment -----------------------------------------------------------


def _signature_cases() -> dict[str, tuple[Callable[[CentreKeys, Laptop, bytes], bytes], Reason]]:
    def payload_changed(centre: CentreKeys, device: Laptop, data: bytes) -> bytes:
        entries = zip_entries(data)
        age = bytearray(entries[0][1])
        age[-20] ^= 1
        return build_zip([("payload.age", bytes(age)), *entries[1:]])

    def comment_edited(centre: CentreKeys, device: Laptop, data: bytes) -> bytes:
        entries = zip_entries(data)
        signature = entries[1][1].replace(b"seq=1 ", b"seq=2 ")
        return build_zip([entries[0], ("payload.age.minisig", signature), *entries[2:]])

    def signature_garbage(centre: CentreKeys, device: Laptop, data: bytes) -> bytes:
        entries = zip_entries(data)
        return build_zip([entries[0], ("payload.age.minisig", b"not a signature\n")])

    def other_key_same_device(centre: CentreKeys, device: Laptop, data: bytes) -> bytes:
        # An impostor's signature, relabelled with the real device's key id.
        forged = zip_entries(seal(decrypt(data, centre), centre, Laptop(device.device_id)))
        lines = forged[1][1].split(b"\n")
        raw = bytearray(base64.b64decode(lines[1]))
        raw[2:10] = int(device.key_id, 16).to_bytes(8, "little")
        lines[1] = base64.b64encode(bytes(raw))
        return build_zip([forged[0], ("payload.age.minisig", b"\n".join(lines))])

    def not_prehashed(centre: CentreKeys, device: Laptop, data: bytes) -> bytes:
        return seal(decrypt(data, centre), centre, device, prehash=False)

    def resigned(comment: Callable[[Laptop, str], str]
                 ) -> Callable[[CentreKeys, Laptop, bytes], bytes]:
        def make(centre: CentreKeys, device: Laptop, data: bytes) -> bytes:
            entries = decrypt(data, centre)
            right = comment_for(device, 1, entries[0][1])
            return seal(entries, centre, device, comment=comment(device, right))
        return make

    return {
        "payload.age changed": (payload_changed, Reason.BAD_SIGNATURE),
        "trusted comment edited": (comment_edited, Reason.BAD_SIGNATURE),
        "signature garbage": (signature_garbage, Reason.BAD_SIGNATURE),
        "signed by another key with the same id": (other_key_same_device,
                                                   Reason.BAD_SIGNATURE),
        "legacy Ed signature": (not_prehashed, Reason.BAD_SIGNATURE),
        "comment with a double space": (
            resigned(lambda d, c: c.replace(" seq=", "  seq=")), Reason.BAD_TRUSTED_COMMENT),
        "comment fields reordered": (
            resigned(lambda d, c: " ".join(c.split(" ")[:2] + c.split(" ")[3:4]
                                          + c.split(" ")[2:3] + c.split(" ")[4:])),
            Reason.BAD_TRUSTED_COMMENT),
        "comment with a padded seq": (
            resigned(lambda d, c: c.replace("seq=1 ", "seq=01 ")), Reason.BAD_TRUSTED_COMMENT),
        "comment with upper-case hash": (
            resigned(lambda d, c: c[:-64] + c[-64:].upper()), Reason.BAD_TRUSTED_COMMENT),
        "comment of another tool": (
            resigned(lambda d, c: "timestamp:1764345731\tfile:payload.age\thashed"),
            Reason.BAD_TRUSTED_COMMENT),
        "comment with an impossible date": (
            resigned(lambda d, c: c.replace("2026-11-28T", "2026-02-30T")),
            Reason.BAD_TRUSTED_COMMENT),
        "comment names another device": (
            resigned(lambda d, c: c.replace(d.device_id, new_id())), Reason.BAD_TRUSTED_COMMENT),
        "comment with a trailing field": (
            resigned(lambda d, c: c + " extra=1"), Reason.BAD_TRUSTED_COMMENT),
    }


@pytest.mark.parametrize("case", list(_signature_cases()))
def test_signature_problems(case: str, out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    data = write(out, centre_keys, laptop).path.read_bytes()
    tamper, reason = _signature_cases()[case]
    result = check(tamper(centre_keys, laptop, data), centre_keys, laptop)
    assert (result.outcome, result.reason) == (Outcome.REJECTED, reason)


# --- decryption, payload and contents ---------------------------------------------------------


def _manifest(entries: Entries) -> dict[str, object]:
    return json.loads(entries[0][1])


def _with_manifest(entries: Entries, change: Callable[[dict[str, object]], object]) -> Entries:
    manifest = _manifest(entries)
    change(manifest)
    return [("manifest.json", json.dumps(manifest).encode()), *entries[1:]]


def _replace(entries: Entries, prefix: str, data: bytes) -> Entries:
    return [(n, data if n.startswith(prefix) else d) for n, d in entries]


def _resize_record(entries: Entries, data: bytes, **fields: object) -> Entries:
    """Put `data` as the record and fix the manifest's entry (size, hash, `fields`) to match."""
    entries = _replace(entries, "records/", data)

    def change(manifest: dict[str, object]) -> None:
        record = manifest["records"][0]  # type: ignore[index]
        record.update(size=len(data), sha256=hashlib.sha256(data).hexdigest(), **fields)

    return _with_manifest(entries, change)


Case = Callable[[CentreKeys, Laptop, Entries], bytes]


def _payload_cases() -> dict[str, tuple[Case, Reason]]:
    def sealed(change: Callable[[Entries], Entries]) -> Case:
        return lambda centre, device, entries: seal(change(entries), centre, device)

    def other_centre(centre: CentreKeys, device: Laptop, entries: Entries) -> bytes:
        return seal(entries, centre, device, recipients=CentreKeys.make().profile.age_recipients)

    def keep_old_comment(centre: CentreKeys, device: Laptop, entries: Entries) -> bytes:
        changed = _with_manifest(entries, lambda m: m.update(app="changed"))
        return seal(changed, centre, device, comment=comment_for(device, 1, entries[0][1]))

    def comment_for_other_seq(centre: CentreKeys, device: Laptop, entries: Entries) -> bytes:
        return seal(entries, centre, device, comment=comment_for(device, 2, entries[0][1]))

    def comment_other_time(centre: CentreKeys, device: Laptop, entries: Entries) -> bytes:
        return seal(entries, centre, device, comment=comment_for(
            device, 1, entries[0][1], created="2026-11-28T16:02:12Z"))

    def not_a_zip(centre: CentreKeys, device: Laptop, entries: Entries) -> bytes:
        comment = comment_for(device, 1, entries[0][1])
        return _seal_raw(b"plain text, not a zip", centre, device, comment)

    def bomb(centre: CentreKeys, device: Laptop, entries: Entries) -> bytes:
        zeros = bytes(5_000_000)
        sha = hashlib.sha256(zeros).hexdigest()
        def change(m: dict[str, object]) -> None:
            m["attachments"] = [{"sha256": sha, "record_id": m["records"][0]["id"],  # type: ignore[index]
                                 "size": len(zeros), "media_type": "text/plain",
                                 "path": f"attachments/{sha}"}]
        changed = _with_manifest([*entries, (f"attachments/{sha}", zeros)], change)
        payload = build_zip(changed, compression=zipfile.ZIP_DEFLATED)
        return _seal_raw(payload, centre, device, comment_for(device, 1, changed[0][1]))

    record_name = "records/"
    return {
        "encrypted for another centre": (other_centre, Reason.NOT_FOR_THIS_CENTRE),
        "manifest names another centre": (
            sealed(lambda e: _with_manifest(e, lambda m: m.update(centre_id=new_id()))),
            Reason.NOT_FOR_THIS_CENTRE),
        "payload is not a zip": (not_a_zip, Reason.BAD_PAYLOAD),
        "manifest not first": (sealed(lambda e: [*e[1:], e[0]]), Reason.BAD_PAYLOAD),
        "entry with a name not allowed": (
            sealed(lambda e: [*e, ("notes.txt", b"x")]), Reason.BAD_PAYLOAD),
        "record name not a uuid": (
            sealed(lambda e: [*e, ("records/../../etc.json", b"{}")]), Reason.BAD_PAYLOAD),
        "folder entry": (sealed(lambda e: [*e, ("records/", b"")]), Reason.BAD_PAYLOAD),
        "compression ratio over 200": (bomb, Reason.BAD_PAYLOAD),
        "manifest with an unknown key": (
            sealed(lambda e: _with_manifest(e, lambda m: m.update(comment="hi"))),
            Reason.BAD_PAYLOAD),
        "manifest with a duplicate key": (
            sealed(lambda e: [("manifest.json",
                               e[0][1].replace(b'"app":', b'"app":"x","app":', 1)), *e[1:]]),
            Reason.BAD_PAYLOAD),
        "manifest seq as text": (
            sealed(lambda e: _with_manifest(e, lambda m: m.update(seq="1"))), Reason.BAD_PAYLOAD),
        "manifest not JSON": (
            sealed(lambda e: [("manifest.json", b"{not json"), *e[1:]]), Reason.BAD_PAYLOAD),
        "manifest changed, comment kept": (keep_old_comment, Reason.MANIFEST_MISMATCH),
        "comment for another seq": (comment_for_other_seq, Reason.MANIFEST_MISMATCH),
        "comment with another time": (comment_other_time, Reason.MANIFEST_MISMATCH),
        "record changed": (
            sealed(lambda e: _replace(e, record_name, e[1][1].replace(b"A.", b"B."))),
            Reason.HASH_MISMATCH),
        "attachment changed": (
            sealed(lambda e: _replace(e, "attachments/", b"\x00" + e[2][1][1:])),
            Reason.HASH_MISMATCH),
        "attachment truncated": (
            sealed(lambda e: _replace(e, "attachments/", e[2][1][:-1])), Reason.HASH_MISMATCH),
        "listed file missing": (sealed(lambda e: e[:2]), Reason.HASH_MISMATCH),
        "unlisted file": (
            sealed(lambda e: [*e, (f"records/{new_id()}.json", b"{}")]), Reason.HASH_MISMATCH),
        "record not JSON": (sealed(lambda e: _resize_record(e, b"[1, 2")),
                            Reason.INVALID_RECORD),
        "record for another id": (
            sealed(lambda e: _resize_record(e, json.dumps(make_document()).encode())),
            Reason.INVALID_RECORD),
        "record fails its form": (
            sealed(lambda e: _resize_record(e, e[1][1].replace(
                b'"answers":{', b'"answers":[{').replace(b'},"created"', b'}],"created"'))),
            Reason.INVALID_RECORD),
        "record of an unknown form": (
            sealed(lambda e: _resize_record(e, e[1][1].replace(b"2026.1", b"2099.9"),
                                            form_version="2099.9")),
            Reason.UNKNOWN_FORM),
        "record's form differs from its manifest entry": (
            sealed(lambda e: _resize_record(e, e[1][1].replace(b"2026.1", b"2099.9"))),
            Reason.INVALID_RECORD),
    }


def _seal_raw(payload: bytes, centre: CentreKeys, device: Laptop, comment: str) -> bytes:
    encrypted = pyrage.encrypt(payload, [keys.parse_recipient(r)
                                         for r in centre.profile.age_recipients])
    signature = device.keypair.secret_key.sign(encrypted, prehash=True, trusted_comment=comment)
    return build_zip([("payload.age", encrypted),
                      ("payload.age.minisig", bytes(signature) + b"\n")])


@pytest.mark.parametrize("case", list(_payload_cases()))
def test_payload_problems(case: str, out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    doc = make_document()
    data = write(out, centre_keys, laptop, records=[doc],
                 attachments=[attachment(b"photo bytes" * 50, doc["id"])]).path.read_bytes()
    entries = decrypt(data, centre_keys)
    assert check(seal(entries, centre_keys, laptop), centre_keys,
                 laptop).outcome is Outcome.ACCEPTED
    make, reason = _payload_cases()[case]
    result = check(make(centre_keys, laptop, entries), centre_keys, laptop)
    assert (result.outcome, result.reason) == (Outcome.REJECTED, reason)
    assert result.payload is None


def test_record_of_another_device_is_foreign(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    doc = make_document()
    path = write(out, centre_keys, laptop, records=[doc]).path
    assert check(path, centre_keys, laptop, owner=lambda rid: laptop.device_id).outcome \
        is Outcome.ACCEPTED
    result = check(path, centre_keys, laptop, owner=lambda rid: new_id())
    assert (result.outcome, result.reason) == (Outcome.REJECTED, Reason.FOREIGN_RECORD)


def test_foreign_tombstones_and_attachments_are_caught_too(out: Path) -> None:
    centre, device, other = CentreKeys.make(), Laptop(), new_id()
    theirs = new_id()
    owner: Callable[[str], str | None] = lambda rid: other if rid == theirs else None  # noqa: E731
    path = write(out, centre, device, records=[make_document()],
                 deleted=[Tombstone(theirs, 2, "consent-withdrawn")]).path
    assert check(path, centre, device, owner=owner).reason is Reason.FOREIGN_RECORD
    path = write(out, centre, device, seq=2, records=[make_document()],
                 attachments=[attachment(b"x", theirs)]).path
    assert check(path, centre, device, owner=owner).reason is Reason.FOREIGN_RECORD


# --- the stages one by one --------------------------------------------------------------------


def _crc_preserving_flip(data: bytes, flip_at: int, fix_at: int) -> bytes:
    """`data` with one byte changed and four others adjusted so that its CRC-32 is unchanged."""
    target = zlib.crc32(data)
    changed = bytearray(data)
    changed[flip_at] ^= 0xFF
    base = zlib.crc32(changed)
    basis: list[tuple[int, int]] = []  # (crc delta, bits of the fix that produce it)
    for bit in range(32):
        trial = bytearray(changed)
        trial[fix_at + bit // 8] ^= 1 << (bit % 8)
        delta, mask = zlib.crc32(trial) ^ base, 1 << bit
        for b_delta, b_mask in basis:
            if delta ^ b_delta < delta:
                delta, mask = delta ^ b_delta, mask ^ b_mask
        if delta:
            basis.append((delta, mask))
            basis.sort(reverse=True)
    want, fix = target ^ base, 0
    for b_delta, b_mask in basis:
        if want ^ b_delta < want:
            want, fix = want ^ b_delta, fix ^ b_mask
    assert want == 0
    changed[fix_at : fix_at + 4] = bytes(a ^ b for a, b in zip(
        changed[fix_at : fix_at + 4], fix.to_bytes(4, "little"), strict=True))
    assert zlib.crc32(changed) == target and changed != data
    return bytes(changed)


def test_file_changed_between_signature_and_decryption_is_refused(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    path = write(out, centre_keys, laptop).path
    with open_container(path) as container:
        signed = verify_signature(container, lambda key_id: laptop.known())
        start, size = container.payload.data_offset, container.payload.size
        data = path.read_bytes()
        payload = _crc_preserving_flip(data[start : start + size], size - 40, size - 30)
        with open(path, "r+b") as handle:  # in place, as another writer on the share could
            handle.seek(start)
            handle.write(payload)
        with pytest.raises(BundleRefused) as refused:
            open_payload(container, signed, identities=centre_keys.identities,
                         centre_id=centre_keys.profile.centre_id, validate_record=validate)
        assert refused.value.reason is Reason.BAD_CONTAINER
    # The changed file would otherwise only fail the signature (the CRC still matches).
    assert check(path, centre_keys, laptop).reason is Reason.BAD_SIGNATURE


def test_check_sequence(out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    written = write(out, centre_keys, laptop, seq=120)
    with open_container(written.path) as container:
        signed = verify_signature(container, lambda key_id: laptop.known())
    same, other = written.payload_sha256, "0" * 64
    assert check_sequence(signed, imported_sha256=same, highest_seen=120) is Outcome.DUPLICATE
    with pytest.raises(BundleRefused) as refused:
        check_sequence(signed, imported_sha256=other, highest_seen=120)
    assert refused.value.reason is Reason.SEQ_CONFLICT
    assert check_sequence(signed, imported_sha256=None, highest_seen=20) is None
    with pytest.raises(BundleRefused) as refused:
        check_sequence(signed, imported_sha256=None, highest_seen=19)
    assert (refused.value.reason, refused.value.outcome) == (Reason.SEQ_FAR_AHEAD,
                                                             Outcome.QUARANTINED)
    with pytest.raises(BundleRefused):
        check_sequence(signed, imported_sha256=None, highest_seen=None)
    result = check(written.path, centre_keys, laptop, sequence=lambda s: Outcome.DUPLICATE)
    assert (result.outcome, result.reason, result.payload) == (Outcome.DUPLICATE, None, None)


def test_reason_codes_are_the_spec_table_with_descriptions() -> None:
    quarantined = {"device-pending", "record-conflict", "seq-far-ahead"}
    rejected = {"not-a-bundle", "too-large", "bad-container", "unknown-device",
                "device-revoked", "key-retired", "bad-signature", "bad-trusted-comment",
                "seq-conflict", "not-for-this-centre", "bad-payload", "manifest-mismatch",
                "hash-mismatch", "unknown-form", "invalid-record", "foreign-record"}
    assert {r.value for r in Reason} == quarantined | rejected
    for reason in Reason:
        expected = Outcome.QUARANTINED if reason.value in quarantined else Outcome.REJECTED
        assert reason.outcome is expected
        assert reason.description.endswith(".") and "{" not in reason.description
        refused = BundleRefused(reason)
        assert refused.translated() == f"The bundle was not imported: {reason.description}"
    assert {o.value for o in Outcome} == {"accepted", "duplicate", "quarantined", "rejected"}


def test_armored_payload_is_refused_though_it_would_decrypt(
        out: Path, centre_keys: CentreKeys, laptop: Laptop) -> None:
    """The spec asks for binary age; an armored payload.age is bad-payload, not accepted."""
    written = write(out, centre_keys, laptop, seq=1, records=[make_document()])
    payload = decrypt(written.path.read_bytes(), centre_keys)
    targets = [keys.parse_recipient(r) for r in centre_keys.profile.age_recipients]
    armored = pyrage.encrypt(build_zip(payload), targets, armored=True)
    assert armored.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----")
    manifest = dict(payload)["manifest.json"]
    signature = laptop.keypair.secret_key.sign(
        armored, prehash=True, trusted_comment=comment_for(laptop, 1, manifest))
    bundle = build_zip(
        [("payload.age", armored), ("payload.age.minisig", bytes(signature) + b"\n")]
    )
    result = check(bundle, centre_keys, laptop)
    assert (result.outcome, result.reason) == (Outcome.REJECTED, Reason.BAD_PAYLOAD)

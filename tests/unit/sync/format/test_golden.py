"""A version-1 bundle made by hand with zip, age and minisign (tests/data/sync_format_v1)
stays readable, with exactly the facts it was made with."""

from __future__ import annotations

from pathlib import Path

import minisign

from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format import keys
from intake_app.sync.format.check import check_bundle
from intake_app.sync.format.reader import DeviceState, KnownDevice
from tests.helpers.bundles import needs_cli, run, validate, zip_entries

DATA = Path(__file__).resolve().parents[3] / "data" / "sync_format_v1"
BUNDLE = DATA / "3f1b6e2a-8c4d-4f5e-9a7b-1c2d3e4f5a6b-00000017.ibundle"
DEVICE_ID = "3f1b6e2a-8c4d-4f5e-9a7b-1c2d3e4f5a6b"
CENTRE_ID = "8a4c3f0e-5d5b-4b61-9d1c-2f0c4b8e9a11"
RECORD_ID = "0b7c39a4-5f1e-4c4e-9a51-6f0f4b1e2d3c"


def _device() -> KnownDevice:
    public_key = minisign.PublicKey.from_file(DATA / "device.pub")
    return KnownDevice(DEVICE_ID, keys.public_key_to_text(public_key), DeviceState.ACTIVE)


def _identity() -> object:
    return keys.parse_identity((DATA / "centre-identity.txt").read_text().splitlines()[-1])


def test_hand_made_bundle_is_accepted_with_its_facts() -> None:
    device = _device()
    assert keys.key_id(keys.parse_public_key(device.public_key)) == "1A7609373FDBB609"
    result = check_bundle(BUNDLE, lookup=lambda key_id: device if key_id == "1A7609373FDBB609"
                          else None, identities=[_identity()], centre_id=CENTRE_ID,
                          validate_record=validate)
    assert (result.outcome, result.reason) == (Outcome.ACCEPTED, None)
    assert result.signed is not None and result.payload is not None
    assert (result.signed.seq, result.signed.comment.created) == (17, "2026-11-28T16:02:11Z")
    manifest = result.payload.manifest
    assert [(r.id, r.revision) for r in manifest.records] == [(RECORD_ID, 3)]
    assert manifest.abandoned_seqs == (15,)
    assert [t.reason for t in manifest.deleted] == ["consent-withdrawn"]
    (record,) = result.payload.records
    assert record.document["answers"]["alias"] == "Test person (fictional)"
    (attached,) = manifest.attachments
    assert b"".join(result.payload.attachment_chunks(attached.sha256)).startswith(b"Fictional")
    result.payload.close()


def test_hand_made_bundle_is_not_for_another_centre() -> None:
    device = _device()
    result = check_bundle(BUNDLE, lookup=lambda key_id: device,
                          identities=[_identity()],
                          centre_id="00000000-0000-4000-8000-000000000000",
                          validate_record=validate)
    assert result.reason is Reason.NOT_FOR_THIS_CENTRE


@needs_cli
def test_hand_made_bundle_still_verifies_with_the_minisign_tool(tmp_path: Path) -> None:
    for name, data in zip_entries(BUNDLE.read_bytes()):
        (tmp_path / name).write_bytes(data)
    result = run("minisign", "-Vm", tmp_path / "payload.age", "-p", DATA / "device.pub")
    assert result.returncode == 0, result.stderr
    assert f"device={DEVICE_ID} seq=17 ".encode() in result.stdout

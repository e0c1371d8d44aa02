"""The device registry: enrolment requests, approval by fingerprint, retiring and revoking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake_app.sync.centre.devices import (
    approve,
    enrolment_files,
    find_device,
    get_device,
    list_devices,
    read_requests,
    register_request,
    retire,
    revoke,
    same_fingerprint,
)
from intake_app.sync.centre.errors import (
    DeviceNotFound,
    DeviceStateWrong,
    EnrolmentConflict,
    FingerprintMismatch,
    RetireBelowImported,
)
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import EnrolmentInvalid
from intake_app.sync.format.enrolment import EnrolmentRequest
from intake_app.sync.format.reader import DeviceState
from tests.helpers.bundles import CREATED, Laptop
from tests.helpers.centre import register


def test_requests_on_the_share_are_registered_as_pending(centre: Centre) -> None:
    laptops = [Laptop(), Laptop()]
    for laptop in laptops:
        laptop.enrol(centre.share)
    (centre.share / "enrol" / ".half-written.json.partial").write_text("{")
    results = read_requests(centre.vault, enrolment_files(centre.share))
    assert [r.error for r in results] == [None, None]
    devices = list_devices(centre.vault, DeviceState.PENDING)
    assert {d.device_id for d in devices} == {laptop.device_id for laptop in laptops}
    assert {d.fingerprint for d in devices} == {laptop.fingerprint for laptop in laptops}
    again = read_requests(centre.vault, enrolment_files(centre.share))
    assert [r.error for r in again] == [None, None]  # registering twice changes nothing
    assert len(list_devices(centre.vault)) == 2


def test_changed_or_unsigned_requests_are_refused(centre: Centre) -> None:
    forged, unsigned = Laptop(), Laptop()
    path = forged.enrol(centre.share)
    request = json.loads(path.read_text())
    request["worker"] = "someone else"
    path.write_text(json.dumps(request, indent=2))
    unsigned_path = unsigned.enrol(centre.share)
    unsigned_path.with_name(unsigned_path.name + ".minisig").unlink()
    results = read_requests(centre.vault, [path, unsigned_path])
    assert all(isinstance(r.error, EnrolmentInvalid) for r in results)
    assert list_devices(centre.vault) == []


def test_a_device_id_or_key_cannot_be_taken_over(centre: Centre, laptop: Laptop) -> None:
    register(centre, laptop)
    impostor = Laptop(device_id=laptop.device_id)
    with pytest.raises(EnrolmentConflict):
        register_request(centre.vault, impostor.request())
    same_key = EnrolmentRequest.make(device_id=Laptop().device_id, device_name="Copy",
                                     worker="W", public_key=laptop.keypair.public_key,
                                     created=CREATED)
    with pytest.raises(EnrolmentConflict):
        register_request(centre.vault, same_key)
    assert get_device(centre.vault, laptop.device_id).state is DeviceState.ACTIVE


def test_approval_needs_the_matching_fingerprint(centre: Centre) -> None:
    laptop, other = Laptop(), Laptop()
    register(centre, laptop, active=False)
    with pytest.raises(FingerprintMismatch):
        approve(centre.vault, laptop.device_id, other.fingerprint)
    with pytest.raises(FingerprintMismatch):
        approve(centre.vault, laptop.device_id, "")
    assert get_device(centre.vault, laptop.device_id).state is DeviceState.PENDING
    typed = laptop.fingerprint.replace(" ", "").upper()
    assert approve(centre.vault, laptop.device_id, typed).state is DeviceState.ACTIVE
    with pytest.raises(DeviceStateWrong):
        approve(centre.vault, laptop.device_id, laptop.fingerprint)


def test_retire_and_revoke(centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    for seq in (1, 2):
        assert import_bundle(centre, laptop.bundle(tmp_path, centre, seq=seq).path).delivered
    with pytest.raises(RetireBelowImported):
        retire(centre.vault, laptop.device_id, 1)
    device = retire(centre.vault, laptop.device_id, 3)
    assert (device.state, device.last_seq) == (DeviceState.RETIRED, 3)
    assert import_bundle(centre, laptop.bundle(tmp_path, centre, seq=3).path).delivered
    assert revoke(centre.vault, laptop.device_id).state is DeviceState.REVOKED
    with pytest.raises(DeviceStateWrong) as raised:
        retire(centre.vault, laptop.device_id, 5)
    assert "revoked" in raised.value.translated()


def test_devices_are_found_by_id_or_prefix(centre: Centre, laptop: Laptop) -> None:
    register(centre, laptop)
    assert find_device(centre.vault, laptop.device_id[:6]).device_id == laptop.device_id
    assert find_device(centre.vault, laptop.device_id.upper()).device_id == laptop.device_id
    for text in ("", "abc", "zzzzzzzz", "0000-nothing"):
        with pytest.raises(DeviceNotFound):
            find_device(centre.vault, text)


def test_fingerprints_compare_without_spaces_or_case() -> None:
    assert same_fingerprint("ab12 CD34", "ab12cd34")
    assert not same_fingerprint("   ", "")
    assert not same_fingerprint("ab12", "ab13")

"""Enrolment requests at the centre (issue 14, findings 5 and 6): a laptop's first bundle is
never lost to the order in which the administrator does things; requests are registered or
dismissed by choice, many at once; held bundles are capped, and deleting them gives the space
back."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake_app.storage import Vault
from intake_app.sync.centre import quarantine
from intake_app.sync.centre.devices import (
    get_device,
    list_devices,
    register_requests,
    unregistered_requests,
)
from intake_app.sync.centre.errors import DeviceNotFound, DeviceStateWrong, HeldCapReached
from intake_app.sync.centre.inbox import scan_inbox
from intake_app.sync.centre.log import import_log
from intake_app.sync.centre.quarantine import HeldCaps, cap_alerts, held_bundles, held_files
from intake_app.sync.centre.release import approve_device, dismiss_requests, revoke_device
from intake_app.sync.centre.vault import Centre, profile_file
from intake_app.sync.device.enrol import accept_profile, read_profile_file, write_enrolment_request
from intake_app.sync.device.outbox import Outbox, OutboxState
from intake_app.sync.device.round import sync_once
from intake_app.sync.device.status import SyncState
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format.reader import DeviceState
from intake_app.sync.share import receipt_path
from tests.helpers.bundles import Laptop, attachment
from tests.helpers.centre import register
from tests.helpers.device import Clock, open_vault, save_interview
from tests.helpers.documents import make_document


def _inbox(centre: Centre, laptop: Laptop) -> Path:
    folder = centre.share / "inbox" / laptop.device_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _laptop_vault(tmp_path: Path, centre: Centre) -> Vault:
    """A real laptop vault enrolled with this centre's profile file."""
    vault = open_vault(tmp_path / "laptop")
    accept_profile(vault, read_profile_file(profile_file(tmp_path / "centre-data")),
                   device_name="Laptop 7", worker="W-12")
    return vault


# --- finding 5: the first bundle is held, not lost --------------------------------------------


def test_a_laptop_that_enrols_and_syncs_at_once_is_imported_on_approval_alone(
        tmp_path: Path, centre: Centre) -> None:
    vault = _laptop_vault(tmp_path, centre)
    try:
        clock = Clock(datetime.now(UTC))
        record_id = save_interview(vault)
        write_enrolment_request(vault)  # enrol ...
        first = sync_once(vault, clock=clock)  # ... and sync at once
        assert first.uploaded == (1,)
        # The administrator unlocks: the inbox is imported before any request was read.
        [result] = scan_inbox(centre)
        assert (result.outcome, result.reason) == (Outcome.QUARANTINED, Reason.DEVICE_PENDING)
        [device] = list_devices(centre.vault)
        assert device.state is DeviceState.PENDING and device.device_name == "Laptop 7"
        assert [h.seq for h in held_bundles(centre.vault)] == [1]
        assert receipt_path(centre.share, device.device_id, 1).exists()
        held = sync_once(vault, clock=clock)
        assert held.status.held == 1 and Outbox(vault).bundles()[0].state is OutboxState.HELD

        # Approval is the only action: the held bundle is imported.
        _device, results = approve_device(centre, device.device_id, device.fingerprint)
        assert [(r.outcome, r.seq) for r in results] == [(Outcome.ACCEPTED, 1)]
        done = sync_once(vault, clock=clock)
        assert done.status.state is SyncState.DELIVERED
        assert {s.id: s.delivered for s in vault.interviews.list()} == {record_id: True}
        assert held_bundles(centre.vault) == [] and held_files(centre.vault).names() == set()
    finally:
        vault.lock()


def test_a_stranger_without_a_request_is_still_unknown(centre: Centre, tmp_path: Path) -> None:
    stranger = Laptop()
    stranger.bundle(_inbox(centre, stranger), centre)
    [result] = scan_inbox(centre)
    assert result.reason is Reason.UNKNOWN_DEVICE and list_devices(centre.vault) == []


def test_a_request_with_another_key_registers_nothing(centre: Centre) -> None:
    laptop, impostor = Laptop(), Laptop()
    laptop.enrol(centre.share)
    impostor.device_id = laptop.device_id  # signs as the requesting laptop, with its own key
    impostor.bundle(_inbox(centre, laptop), centre)
    [result] = scan_inbox(centre)
    assert result.reason is Reason.UNKNOWN_DEVICE and list_devices(centre.vault) == []


def test_a_dismissed_request_is_not_registered_by_a_bundle(centre: Centre) -> None:
    laptop = Laptop()
    laptop.enrol(centre.share)
    assert dismiss_requests(centre, [laptop.device_id]) == [laptop.device_id]
    laptop.bundle(_inbox(centre, laptop), centre)
    [result] = scan_inbox(centre)
    assert result.reason is Reason.UNKNOWN_DEVICE and list_devices(centre.vault) == []


# --- finding 6: register, dismiss -------------------------------------------------------------


def test_requests_are_listed_until_registered_or_dismissed(centre: Centre) -> None:
    laptops = [Laptop() for _ in range(4)]
    for laptop in laptops:
        laptop.enrol(centre.share)
    listed = {read.request_id for read in unregistered_requests(centre.vault, centre.share)}
    assert listed == {laptop.device_id for laptop in laptops}
    assert list_devices(centre.vault) == []  # listing registers nothing

    [read] = register_requests(centre.vault, centre.share, [laptops[0].device_id[:8]])
    assert read.device is not None and read.device.state is DeviceState.PENDING
    dismissed = dismiss_requests(centre, [laptops[1].device_id, laptops[2].device_id])
    assert dismissed == [laptops[1].device_id, laptops[2].device_id]
    assert {r.request_id for r in unregistered_requests(centre.vault, centre.share)} == {
        laptops[3].device_id}
    moved = sorted(p.name for p in (centre.share / "enrol" / "dismissed").iterdir())
    assert moved == sorted(f"{laptop.device_id}.json{ext}" for laptop in laptops[1:3]
                           for ext in ("", ".minisig"))
    assert [r.device.device_id for r in register_requests(centre.vault, centre.share)
            if r.device] == [laptops[3].device_id]
    assert unregistered_requests(centre.vault, centre.share) == []


def test_two_thousand_spam_requests_go_in_one_dismissal(centre: Centre) -> None:
    spam = [Laptop() for _ in range(200)]  # 2,000 takes the same path, ten times longer
    for laptop in spam:
        laptop.enrol(centre.share)
    ids = [read.request_id for read in unregistered_requests(centre.vault, centre.share)]
    assert len(ids) == 200
    assert len(dismiss_requests(centre, ids)) == 200
    assert unregistered_requests(centre.vault, centre.share) == []
    assert list_devices(centre.vault) == []


def test_dismissing_a_pending_laptop_deletes_what_it_held(centre: Centre) -> None:
    laptop = Laptop()
    laptop.enrol(centre.share)
    for _ in range(3):
        laptop.bundle(_inbox(centre, laptop), centre)
    assert [r.reason for r in scan_inbox(centre)] == [Reason.DEVICE_PENDING] * 3
    files = held_files(centre.vault)
    assert len(files.names()) == 3
    dismiss_requests(centre, [laptop.device_id])
    assert held_bundles(centre.vault) == [] and files.names() == set()
    with pytest.raises(DeviceNotFound):
        get_device(centre.vault, laptop.device_id)


def test_an_approved_laptop_cannot_be_dismissed(centre: Centre) -> None:
    laptop = Laptop()
    laptop.enrol(centre.share)
    register(centre, laptop)
    with pytest.raises(DeviceStateWrong):
        dismiss_requests(centre, [laptop.device_id])
    assert (centre.share / "enrol" / f"{laptop.device_id}.json").exists()


# --- caps -------------------------------------------------------------------------------------


def test_a_bundle_over_the_per_laptop_count_is_left_in_the_inbox_with_one_alert(
        centre: Centre, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quarantine, "CAPS", HeldCaps(device_count=2))
    laptop = Laptop()
    laptop.enrol(centre.share)
    inbox = _inbox(centre, laptop)
    for _ in range(3):
        laptop.bundle(inbox, centre)
    results = scan_inbox(centre)
    assert [(r.reason, r.seq) for r in results] == [(Reason.DEVICE_PENDING, 1),
                                                   (Reason.DEVICE_PENDING, 2)]
    third = inbox / f"{laptop.device_id}-00000003.ibundle"
    before = third.stat()
    assert not receipt_path(centre.share, laptop.device_id, 3).exists()
    assert scan_inbox(centre) == []  # every scan leaves it, and alerts only once
    assert third.stat().st_mtime_ns == before.st_mtime_ns and third.stat().st_size == before.st_size
    [alert] = cap_alerts(centre.vault)
    assert (alert.device_id, alert.cap) == (laptop.device_id, "count")
    assert len(import_log(centre.vault)) == 2  # the third one was not answered nor logged

    # Approval imports the held ones; the one left waiting comes in with the next scan.
    approve_device(centre, laptop.device_id, laptop.fingerprint)
    assert [(r.outcome, r.seq) for r in scan_inbox(centre)] == [(Outcome.ACCEPTED, 3)]
    assert cap_alerts(centre.vault) == []


def test_the_per_laptop_size_cap(centre: Centre, monkeypatch: pytest.MonkeyPatch) -> None:
    laptop = Laptop()
    laptop.enrol(centre.share)
    first = laptop.bundle(_inbox(centre, laptop), centre)
    monkeypatch.setattr(quarantine, "CAPS", HeldCaps(device_bytes=first.size + 10))
    laptop.bundle(_inbox(centre, laptop), centre)
    assert [r.seq for r in scan_inbox(centre)] == [1]
    assert [(a.device_id, a.cap) for a in cap_alerts(centre.vault)] == [
        (laptop.device_id, "device-size")]


def test_the_total_cap_counts_every_laptop_and_the_free_space(
        centre: Centre, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = Laptop(), Laptop()
    for laptop in (one, two):
        laptop.enrol(centre.share)
    size = one.bundle(_inbox(centre, one), centre).size
    two.bundle(_inbox(centre, two), centre)
    monkeypatch.setattr(quarantine, "CAPS", HeldCaps(total_bytes=size + size // 2))
    results = scan_inbox(centre)
    assert len(results) == 1
    [alert] = cap_alerts(centre.vault)
    assert alert.cap == "total-size"
    # Half the disk's free space is the cap when it is smaller.
    monkeypatch.setattr(quarantine, "CAPS", HeldCaps())
    monkeypatch.setattr(quarantine, "disk_free", lambda _folder: 2 * size + size // 2)
    assert scan_inbox(centre) == []
    monkeypatch.setattr(quarantine, "disk_free", lambda _folder: 10 * size)
    assert len(scan_inbox(centre)) == 1


def test_import_by_hand_over_a_cap_is_a_known_error(
        centre: Centre, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quarantine, "CAPS", HeldCaps(device_count=0))
    laptop = Laptop()
    register(centre, laptop, active=False)
    from intake_app.sync.centre.importer import import_bundle

    with pytest.raises(HeldCapReached):
        import_bundle(centre, laptop.bundle(tmp_path, centre).path)
    assert held_bundles(centre.vault) == []


# --- revoking and dismissing give the space back ----------------------------------------------


def _vault_bytes(centre: Centre) -> int:
    folder = centre.vault.folder
    total = 0
    for root, _dirs, files in os.walk(folder):
        total += sum(os.path.getsize(os.path.join(root, name)) for name in files)
    return total


def test_revoking_deletes_the_held_bundles_and_their_space(centre: Centre) -> None:
    laptop = Laptop()
    laptop.enrol(centre.share)
    empty = _vault_bytes(centre)
    inbox = _inbox(centre, laptop)
    for _ in range(5):
        doc = make_document()
        laptop.bundle(inbox, centre, records=[doc],
                      attachments=[attachment(os.urandom(1024 * 1024), doc["id"])])
    assert len(scan_inbox(centre)) == 5
    assert _vault_bytes(centre) > empty + 5 * 1024 * 1024
    _device, results = revoke_device(centre, laptop.device_id)
    assert {(r.outcome, r.reason) for r in results} == {(Outcome.REJECTED,
                                                         Reason.DEVICE_REVOKED)}
    assert held_bundles(centre.vault) == [] and held_files(centre.vault).names() == set()
    assert _vault_bytes(centre) < empty + 1024 * 1024
    # Each held bundle got its `device-revoked` receipt: the laptop stops sending.
    assert receipt_path(centre.share, laptop.device_id, 5).exists()


def test_a_held_file_a_crash_left_is_swept_at_the_next_unlock(
        tmp_path: Path, centre: Centre) -> None:
    files = held_files(centre.vault)
    files.folder.mkdir(exist_ok=True)
    stray = files.folder / ("0" * 32 + ".age")
    stray.write_bytes(b"left by a crash")
    centre.close()
    again = Centre.open(tmp_path / "centre-data", "centre passphrase 2026",
                        validator=lambda: centre.validate_record)
    try:
        assert not stray.exists()
    finally:
        again.close()

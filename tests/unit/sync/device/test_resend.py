"""Resending and a revoked laptop, with a real laptop vault and a real centre (issue 14):
what the centre lost is copied again, held bundles included; a centre restored from a backup
does not leave the laptop held for ever; a `device-revoked` receipt stops all sending."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake_app.storage import Vault
from intake_app.sync.centre.devices import list_devices
from intake_app.sync.centre.inbox import scan_inbox
from intake_app.sync.centre.release import approve_device, revoke_device
from intake_app.sync.centre.vault import profile_file
from intake_app.sync.device.enrol import accept_profile, read_profile_file, write_enrolment_request
from intake_app.sync.device.errors import LaptopRevoked
from intake_app.sync.device.folder_export import export_to_folder
from intake_app.sync.device.outbox import Outbox, OutboxState
from intake_app.sync.device.round import SyncOptions, sync_once
from intake_app.sync.device.status import SyncState
from intake_app.sync.errors import Outcome, Reason
from tests.helpers.centre import make_centre, open_centre
from tests.helpers.device import Clock, open_vault, save_interview

FORCED = SyncOptions(force_resend=True)  # what Sync now asks for


@pytest.fixture
def laptop_vault(tmp_path: Path) -> Iterator[Vault]:
    make_centre(tmp_path).close()
    vault = open_vault(tmp_path / "laptop")
    accept_profile(vault, read_profile_file(profile_file(tmp_path / "centre-data")),
                   device_name="Laptop 7", worker="W-12")
    write_enrolment_request(vault)
    try:
        yield vault
    finally:
        vault.lock()


def _scan(tmp_path: Path) -> list[tuple[Outcome, Reason | None, int | None]]:
    with open_centre(tmp_path) as centre:
        return [(r.outcome, r.reason, r.seq) for r in scan_inbox(centre)]


def _approve(tmp_path: Path) -> list[Outcome]:
    with open_centre(tmp_path) as centre:
        [device] = list_devices(centre.vault)
        _device, results = approve_device(centre, device.device_id, device.fingerprint)
    return [r.outcome for r in results]


def _state(vault: Vault) -> OutboxState:
    [bundle] = Outbox(vault).bundles()
    return bundle.state


def test_a_held_bundle_is_resent_on_sync_now_and_after_a_while(
        tmp_path: Path, laptop_vault: Vault) -> None:
    clock = Clock(datetime.now(UTC))
    save_interview(laptop_vault)
    assert sync_once(laptop_vault, clock=clock).uploaded == (1,)
    assert _scan(tmp_path) == [(Outcome.QUARANTINED, Reason.DEVICE_PENDING, 1)]
    waiting = sync_once(laptop_vault, clock=clock)
    assert _state(laptop_vault) is OutboxState.HELD and waiting.status.held == 1
    assert "approved" in waiting.status.describe()  # a device-pending receipt means wait
    assert sync_once(laptop_vault, clock=clock).uploaded == ()  # not every round
    assert sync_once(laptop_vault, clock=clock, options=FORCED).uploaded == (1,)  # Sync now
    assert _scan(tmp_path) == [(Outcome.QUARANTINED, Reason.DEVICE_PENDING, 1)]  # once held
    clock.advance(hours=6)
    assert sync_once(laptop_vault, clock=clock).uploaded == (1,)


def test_a_centre_restored_from_a_backup_does_not_leave_the_laptop_held(
        tmp_path: Path, laptop_vault: Vault) -> None:
    clock = Clock(datetime.now(UTC))
    record_id = save_interview(laptop_vault)
    backup = tmp_path / "backup"
    shutil.copytree(tmp_path / "centre-data", backup)  # the centre's backup, from before
    sync_once(laptop_vault, clock=clock)
    assert _scan(tmp_path) == [(Outcome.QUARANTINED, Reason.DEVICE_PENDING, 1)]
    sync_once(laptop_vault, clock=clock)
    assert _state(laptop_vault) is OutboxState.HELD

    shutil.rmtree(tmp_path / "centre-data")  # the centre's disk died; restored from the backup
    shutil.copytree(backup, tmp_path / "centre-data")
    with open_centre(tmp_path) as centre:
        assert list_devices(centre.vault) == []  # it knows neither the laptop nor its bundle
    clock.advance(hours=6)
    assert sync_once(laptop_vault, clock=clock).uploaded == (1,)
    assert _scan(tmp_path) == [(Outcome.QUARANTINED, Reason.DEVICE_PENDING, 1)]
    assert _approve(tmp_path) == [Outcome.ACCEPTED]
    assert sync_once(laptop_vault, clock=clock).status.state is SyncState.DELIVERED
    assert {s.id: s.delivered for s in laptop_vault.interviews.list()} == {record_id: True}


def test_a_bundle_moved_without_a_receipt_is_resent_after_15_minutes(
        tmp_path: Path, laptop_vault: Vault) -> None:
    clock = Clock(datetime.now(UTC))
    save_interview(laptop_vault)
    sync_once(laptop_vault, clock=clock)
    [sent] = (tmp_path / "share" / "inbox").rglob("*.ibundle")
    sent.unlink()  # moved away by a centre that wrote no receipt
    clock.advance(minutes=14)
    assert sync_once(laptop_vault, clock=clock).uploaded == ()
    clock.advance(minutes=1)
    assert sync_once(laptop_vault, clock=clock).uploaded == (1,)


def test_a_revoked_laptop_stops_sending_and_keeps_its_interviews(
        tmp_path: Path, laptop_vault: Vault) -> None:
    clock = Clock(datetime.now(UTC))
    first = save_interview(laptop_vault)
    sync_once(laptop_vault, clock=clock)
    _scan(tmp_path)
    assert _approve(tmp_path) == [Outcome.ACCEPTED]
    sync_once(laptop_vault, clock=clock)
    second = save_interview(laptop_vault)
    assert sync_once(laptop_vault, clock=clock).uploaded == (2,)
    with open_centre(tmp_path) as centre:
        [device] = list_devices(centre.vault)
        revoke_device(centre, device.device_id)
        [result] = scan_inbox(centre)
        assert (result.reason, result.receipt is not None) == (Reason.DEVICE_REVOKED, True)

    told = sync_once(laptop_vault, clock=clock)
    assert told.status.state is SyncState.REVOKED
    assert "administrator" in told.status.describe() and "revoked" in told.status.describe()
    third = save_interview(laptop_vault)
    for options in (SyncOptions(), FORCED):  # every round, Sync now too: nothing goes
        clock.advance(hours=7)
        after = sync_once(laptop_vault, clock=clock, options=options)
        assert (after.exported, after.uploaded) == ((), ())
        assert after.status.state is SyncState.REVOKED
    assert not any((tmp_path / "share" / "inbox").rglob("*.ibundle"))
    with pytest.raises(LaptopRevoked):
        export_to_folder(laptop_vault, tmp_path / "usb")
    kept = {s.id: s.delivered for s in laptop_vault.interviews.list()}
    assert kept == {first: True, second: False, third: False}

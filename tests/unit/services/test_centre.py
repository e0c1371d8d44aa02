"""The centre's service: what the administrator does, each on the centre's one vault thread,
answered with plain values; nothing once the centre is locked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.errors import VaultLocked
from intake_app.services.centre import CentreService
from intake_app.sync.centre import Outcome, Reason, ScanProgress
from intake_app.sync.format import DeviceState
from tests.helpers.bundles import Laptop
from tests.helpers.centre import PASSPHRASE, REGISTRY, make_centre
from tests.helpers.documents import make_document

WAIT = 60


@pytest.fixture
def service(tmp_path: Path) -> Iterator[CentreService]:
    make_centre(tmp_path).close()
    made = CentreService(tmp_path / "centre-data", registry=REGISTRY)
    try:
        assert made.unlock(PASSPHRASE).result(timeout=WAIT) == "Example reception centre"
        yield made
    finally:
        made.shutdown()


def test_a_laptop_is_read_approved_and_its_held_bundle_imported(service: CentreService,
                                                                tmp_path: Path,
                                                                laptop: Laptop) -> None:
    laptop.enrol(tmp_path / "share")
    [read] = service.register_requests().result(timeout=WAIT)
    assert read.error is None
    [(device, missing)] = service.devices().result(timeout=WAIT)
    assert device.state is DeviceState.PENDING and missing == []

    profile = service.run(lambda centre: centre.profile).result(timeout=WAIT)
    doc = make_document(answers={"consent_interview": "yes", "alias": "Ilona"})
    laptop.bundle(tmp_path / "share" / "inbox" / laptop.device_id, profile, records=[doc])
    seen: list[ScanProgress] = []
    [held] = service.scan_inbox(seen.append).result(timeout=WAIT)
    assert held.outcome is Outcome.QUARANTINED and held.reason is Reason.DEVICE_PENDING
    assert seen and seen[-1].done == seen[-1].total == 1
    assert [h.reason for h in service.held_bundles().result(timeout=WAIT)] == [
        Reason.DEVICE_PENDING]
    [alert] = service.alerts().result(timeout=WAIT)

    approved, imported = service.approve_device(laptop.device_id,
                                                laptop.fingerprint).result(timeout=WAIT)
    assert approved.state is DeviceState.ACTIVE and [r.delivered for r in imported] == [True]
    assert service.held_bundles().result(timeout=WAIT) == []
    [interview] = service.interviews("Ilona").result(timeout=WAIT)
    assert interview.id == doc["id"]
    details = service.interview(doc["id"], None, "en").result(timeout=WAIT)
    said = {line.name: (line.label, line.text) for line in details.answers or []}
    assert said["alias"] == ("Alias", "Ilona")  # the alias, under its label, in words
    assert len(details.history) == 1 and details.tombstones == []
    referral = service.referral(doc["id"], "en").result(timeout=WAIT)
    assert referral.centre == "Example reception centre" and referral.interview.alias == "Ilona"
    assert len(service.import_log(limit=10).result(timeout=WAIT)) == 2
    service.mark_seen([alert.num]).result(timeout=WAIT)
    assert service.alerts().result(timeout=WAIT) == []

    revoked, _refused = service.revoke_device(laptop.device_id).result(timeout=WAIT)
    assert revoked.state is DeviceState.REVOKED


def test_every_request_runs_on_one_vault_thread(service: CentreService) -> None:
    names = {service.run(lambda _centre: threading.current_thread().name).result(timeout=WAIT)
             for _ in range(3)}
    [name] = names
    assert name.startswith("vault") and name != threading.current_thread().name
    # Asked from the vault thread itself, work runs there at once rather than deadlocking.
    inner = service.run(lambda _centre: service.run(lambda c: c.profile.name).result(timeout=5))
    assert inner.result(timeout=WAIT) == "Example reception centre"


def test_nothing_is_read_once_the_centre_is_locked(service: CentreService) -> None:
    service.lock().result(timeout=WAIT)
    assert not service.is_unlocked
    for asked in (service.devices(), service.import_log(), service.interviews(),
                  service.statistics(["status"])):
        with pytest.raises(VaultLocked):
            asked.result(timeout=WAIT)

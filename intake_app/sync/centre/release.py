"""Freeing quarantined bundles: on a device's approval, on its revocation, or by hand.

Each held bundle is imported again from its copy in the vault, with every check made afresh,
in sequence order per device. Whatever that import decides is final for the held copy: it is
forgotten unless the import holds it again (then only its reason is updated).
"""

from __future__ import annotations

from intake_app.sync.centre.devices import RegisteredDevice, approve, revoke
from intake_app.sync.centre.importer import ImportResult, import_bundle
from intake_app.sync.centre.quarantine import HeldBundle, get_held, held_bundles, held_bytes
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Reason
from intake_app.sync.format.reader import DeviceState


def release(centre: Centre, held: HeldBundle, *, waive_far_ahead: bool = False) -> ImportResult:
    """Import one held bundle again; `waive_far_ahead` accepts a far-ahead sequence number."""
    data = held_bytes(centre.vault, held.num)
    return import_bundle(centre, data, file_name=held.file_name, held_num=held.num,
                         waive_far_ahead=waive_far_ahead)


def release_number(centre: Centre, num: int, *, waive_far_ahead: bool = True) -> ImportResult:
    """The administrator frees held bundle `num` (by default accepting a far-ahead number)."""
    return release(centre, get_held(centre.vault, num), waive_far_ahead=waive_far_ahead)


def release_device(centre: Centre, device_id: str, reason: Reason | None = None
                   ) -> list[ImportResult]:
    """Import again every bundle held for a device (optionally only those held for `reason`)."""
    return [release(centre, held)
            for held in held_bundles(centre.vault, device_id=device_id, reason=reason)]


def approve_device(centre: Centre, device_id: str, fingerprint: str
                   ) -> tuple[RegisteredDevice, list[ImportResult]]:
    """Approve a pending device, then import the bundles it sent while it waited."""
    device = approve(centre.vault, device_id, fingerprint)
    return device, release_device(centre, device_id, Reason.DEVICE_PENDING)


def revoke_device(centre: Centre, device_id: str) -> tuple[RegisteredDevice, list[ImportResult]]:
    """Revoke a device; the bundles it had waiting are refused (`device-revoked`)."""
    device = revoke(centre.vault, device_id)
    assert device.state is DeviceState.REVOKED
    return device, release_device(centre, device_id)

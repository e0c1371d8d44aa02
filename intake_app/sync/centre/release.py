"""Freeing quarantined bundles: on a device's approval, on its revocation, or by hand; and
dismissing enrolment requests with what their laptops had held.

Each held bundle is imported again from its copy in the vault, with every check made afresh,
in sequence order per device. Whatever that import decides is final for the held copy: it is
forgotten unless the import holds it again (then only its reason is updated). Revoking a device
or dismissing its request deletes what it had held (the files go, the space is given back).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from intake_app.errors import KnownError
from intake_app.sync.centre.devices import (
    RegisteredDevice,
    RequestOnShare,
    approve,
    choose_requests,
    list_devices,
    requests_on_share,
    revoke,
)
from intake_app.sync.centre.errors import DeviceStateWrong
from intake_app.sync.centre.importer import ImportResult, import_bundle
from intake_app.sync.centre.quarantine import (
    HeldBundle,
    clear_cap_alerts,
    drop_device_held,
    drop_held,
    get_held,
    held_bundles,
    held_bytes,
    settle_files,
)
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Reason
from intake_app.sync.format.reader import DeviceState
from intake_app.sync.format.spec import signature_path
from intake_app.sync.share import enrol_folder, look_at, move_share_file

DISMISSED = "dismissed"


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
    results = release_device(centre, device_id, Reason.DEVICE_PENDING)
    clear_cap_alerts(centre.vault, device_id)  # what the caps left in the inbox comes in now
    return device, results


def revoke_device(centre: Centre, device_id: str) -> tuple[RegisteredDevice, list[ImportResult]]:
    """Revoke a device; the bundles it had waiting are refused (`device-revoked`)."""
    device = revoke(centre.vault, device_id)
    assert device.state is DeviceState.REVOKED
    results = release_device(centre, device_id)  # each refused with a `device-revoked` receipt
    drop_device_held(centre.vault, device_id)  # anything a failed release left
    return device, results


def dismiss_requests(centre: Centre, wanted: Sequence[str]) -> list[str]:
    """Dismiss enrolment requests, all in one action; returns the device ids dismissed.

    Each name is a device id (or a unique beginning of one) of a request on the share or of a
    laptop waiting for approval. The request file and its signature move to
    `<share>/enrol/dismissed/` and are never listed again; a laptop registered from it that is
    still waiting for approval leaves the registry, and what it had held is deleted. Nothing is
    changed when a name matches nothing (`RequestNotFound`), more than one request
    (`DeviceAmbiguous`), or a laptop already approved, retired or revoked (`DeviceStateWrong`).
    """
    on_share = [read for read, _key in requests_on_share(centre.share)]
    registered = {device.device_id: device for device in list_devices(centre.vault)}
    share_ids = {read.request_id for read in on_share}
    pending = [RequestOnShare(centre.share / "-" / device_id, None, None)
               for device_id, device in registered.items()
               if device.state is DeviceState.PENDING and device_id not in share_ids]
    chosen = choose_requests(on_share + pending, wanted)
    for read in chosen:
        device = registered.get(read.request_id)
        if device is not None and device.state is not DeviceState.PENDING:
            raise DeviceStateWrong(state=device.state.value, action="dismissed")
    ids = [read.request_id for read in chosen]
    names: list[str] = []
    with centre.vault.transaction() as conn:
        for device_id in ids:
            for (num,) in conn.execute("SELECT num FROM centre_held WHERE device_id = ?",
                                       (device_id,)).fetchall():
                if (name := drop_held(conn, int(num))) is not None:
                    names.append(name)
            conn.execute("DELETE FROM centre_cap_alert WHERE device_id = ?", (device_id,))
            conn.execute("DELETE FROM centre_device WHERE device_id = ? AND state = ?",
                         (device_id, DeviceState.PENDING.value))
    settle_files(centre.vault, (), names, committed=True)
    for read in chosen:
        if read.path.parent == enrol_folder(centre.share):
            _move_aside(centre, read.path)
    return ids


def _move_aside(centre: Centre, path: Path) -> None:
    """Move a request file, then its signature, into `enrol/dismissed/` (by the share's rules:
    never through a link, never replacing a file there); one that cannot be moved stays."""
    folder = enrol_folder(centre.share) / DISMISSED
    for name in (path, signature_path(path)):
        with contextlib.suppress(OSError, KnownError):
            info = look_at(name)
            if info is not None:
                move_share_file(centre.share, name, folder, same_as=info)

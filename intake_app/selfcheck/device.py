"""The laptop's side of the self-check, through the device-side sync services.

Enrolment accepts the centre's profile only if its fingerprint is the one the centre shows (as
a worker compares it with what the administrator reads out), then writes the signed request
into the share. Sending and receipts are two ordinary sync rounds (`sync_once`), exactly what
`intake-app sync` and the watcher run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from intake_app.storage import Vault
from intake_app.sync.device.enrol import (
    accept_profile,
    read_profile_file,
    write_enrolment_request,
)
from intake_app.sync.device.identity import load_device
from intake_app.sync.device.round import SyncOptions, SyncReport, sync_once
from intake_app.sync.device.schema import ensure_device_schema
from intake_app.sync.device.status import SyncState

DEVICE_NAME = "Self-check laptop"
WORKER_CODE = "SELFCHECK"


class DeviceStepFailed(Exception):
    """The laptop's side did not do what it should; the message says what (codes only)."""


@dataclass
class Device:
    """The enrolled laptop as the self-check follows it."""

    vault: Vault
    device_id: str
    key_fingerprint: str
    sent: tuple[int, ...] = ()


def _problems(report: SyncReport) -> str:
    return ", ".join(problem.code for problem in report.problems)


def enrol(worker: Vault, profile_path: Path, centre_fingerprint: str) -> Device:
    """Accept the centre's profile (fingerprints compared), make the key, write the request."""
    ensure_device_schema(worker)  # as `intake-app device ...` and the window do after unlocking
    profile = read_profile_file(profile_path)
    identity = accept_profile(worker, profile, device_name=DEVICE_NAME, worker=WORKER_CODE,
                              expected_fingerprint=centre_fingerprint)
    write_enrolment_request(worker)
    return Device(worker, identity.device_id, identity.key_fingerprint())


def export_and_send(device: Device) -> tuple[int, ...]:
    """One sync round: the new interviews become bundles and go into the share's inbox."""
    report = sync_once(device.vault, options=SyncOptions(purge=False))
    if report.problems:
        raise DeviceStepFailed(f"sync reported problems: {_problems(report)}")
    if not report.uploaded or report.uploaded != report.exported:
        raise DeviceStepFailed(f"bundles exported {list(report.exported)}, "
                               f"uploaded {list(report.uploaded)}")
    device.sent = report.uploaded
    return report.uploaded


def collect_receipts(device: Device) -> int:
    """The next sync round: verify the receipts and mark what they list as delivered."""
    report = sync_once(device.vault, options=SyncOptions(purge=False))
    if report.problems:
        raise DeviceStepFailed(f"sync reported problems: {_problems(report)}")
    taken = sorted(result.seq for result in report.receipts)
    if taken != sorted(device.sent):
        raise DeviceStepFailed(f"receipts taken for bundles {taken}, sent {list(device.sent)}")
    if report.status.state is not SyncState.DELIVERED:
        raise DeviceStepFailed(f"sync state is {report.status.state.value}, not delivered")
    load_device(device.vault)  # the device key still opens after the round
    return sum(result.marked for result in report.receipts)

"""Enrolment on the laptop: accept a centre profile, make the device key, write the request.

The worker compares the profile's fingerprint with the one the administrator reads out before
accepting it; the administrator compares the device key's fingerprint before approving it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import minisign

from intake_app.storage import Vault
from intake_app.sync.device.errors import (
    EnrolledElsewhere,
    EnrolmentDetailsMissing,
    FingerprintMismatch,
    ShareUnreachable,
)
from intake_app.sync.device.identity import (
    Device,
    DeviceIdentity,
    create_identity,
    load_device,
    read_identity,
    read_profile,
    store_profile,
)
from intake_app.sync.errors import ProfileInvalid, ShareNotAFile, ShareWriteFailed
from intake_app.sync.format.enrolment import EnrolmentRequest, sign_enrolment
from intake_app.sync.format.keys import fingerprint
from intake_app.sync.format.profile import MAX_PROFILE_SIZE, CentreProfile, parse_profile
from intake_app.sync.format.strict_json import format_timestamp, parse_timestamp
from intake_app.sync.share import (
    enrol_folder,
    read_share_file,
    share_folder,
    write_signed_file,
)

MAX_NAME = 100


@dataclass(frozen=True, slots=True)
class ProfileFile:
    """A centre profile read from a file, with the fingerprint of its exact bytes."""

    profile: CentreProfile
    fingerprint: str
    data: bytes


def read_profile_file(path: Path) -> ProfileFile:
    """Read and strictly check a `centre-profile.json` (from the share, a USB stick, any
    folder) by the share's reading rules; raises `ProfileInvalid` (also for a link, pipe or
    device) or `ShareNotAnswering`."""
    try:
        data = read_share_file(path, MAX_PROFILE_SIZE)
    except (OSError, ShareNotAFile) as exc:
        raise ProfileInvalid() from exc
    return ProfileFile(parse_profile(data), fingerprint(data), data)


def same_fingerprint(a: str, b: str) -> bool:
    """Compare fingerprints as people type them: spaces and letter case do not matter."""
    def norm(text: str) -> str:
        return "".join(text.split()).lower()

    return norm(a) == norm(b)


def accept_profile(
    vault: Vault,
    profile_file: ProfileFile,
    *,
    device_name: str,
    worker: str,
    expected_fingerprint: str | None = None,
    now: datetime | None = None,
) -> DeviceIdentity:
    """Store the profile and, on first enrolment, make the device key inside the vault.

    A newer profile of the same centre replaces the old one and keeps the device key. A profile
    of another centre is refused while bundles still wait for the old centre's receipt.
    """
    if expected_fingerprint is not None and not same_fingerprint(
        expected_fingerprint, profile_file.fingerprint
    ):
        raise FingerprintMismatch(actual=profile_file.fingerprint)
    device_name = _clean_name(device_name)
    worker = _clean_name(worker)
    stamp = format_timestamp(now or datetime.now(UTC))
    with vault.transaction() as conn:
        identity = read_identity(conn)
        held = read_profile(conn)
        if held is not None and held[0].centre_id != profile_file.profile.centre_id:
            waiting = conn.execute(
                "SELECT count(*) FROM device_outbox WHERE state IN ('building', 'ready', 'held')"
            ).fetchone()[0]
            if waiting:
                raise EnrolledElsewhere()
        if identity is None:
            identity = create_identity(conn, device_name=device_name, worker=worker, now=stamp)
        store_profile(conn, profile_file.profile, profile_file.data, profile_file.fingerprint,
                      stamp)
    return identity


def enrolment_request(vault: Vault) -> EnrolmentRequest:
    """The device's enrolment request (the same bytes every time it is asked for)."""
    device = load_device(vault)
    identity = device.identity
    return EnrolmentRequest.make(
        device_id=identity.device_id,
        device_name=identity.device_name,
        worker=identity.worker,
        public_key=device.secret_key.get_public_key(),
        created=parse_timestamp(identity.created),
    )


def write_enrolment_request(vault: Vault, folder: Path | None = None) -> Path:
    """Write `<device_id>.json` and its signature into `folder`, or the share's `enrol/`.

    Raises `NotEnrolled` before a profile was accepted, `ShareUnreachable` when the share is
    not there, `ShareWriteFailed` if the folder cannot be written.
    """
    return write_request_to(load_device(vault), enrolment_request(vault), folder)


def write_request_to(device: Device, request: EnrolmentRequest, folder: Path | None = None
                     ) -> Path:
    """`write_enrolment_request` with the vault already read (the window writes on a thread
    of its own, so that a share that stops answering never holds up the vault)."""
    if folder is None:
        share = Path(device.profile.share)
        if not share.is_dir():
            raise ShareUnreachable(folder=str(share))
        folder = share_folder(share, enrol_folder(share))  # never into a planted link
    else:
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise ShareWriteFailed(folder=str(folder)) from exc
    return write_enrolment(folder, request, device.secret_key)


def _clean_name(text: str) -> str:
    """A one-line name within the request's limit; an empty one is refused."""
    cleaned = " ".join(text.split())[:MAX_NAME]
    if not cleaned:
        raise EnrolmentDetailsMissing()
    return cleaned


def write_enrolment(folder: Path, request: EnrolmentRequest,
                    secret_key: minisign.SecretKey) -> Path:
    """Write `<device_id>.json` and its `.minisig` into `folder` by the share's rules; return
    the JSON's path. The signature goes first, so a visible request always has its signature.
    """
    data, signature = sign_enrolment(request, secret_key)
    return write_signed_file(folder / request.file_name, data, signature)

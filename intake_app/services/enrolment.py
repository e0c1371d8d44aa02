"""Connecting the laptop to a reception centre: read its profile, accept it, write the request.

Qt-free. The sync layer does the work (intake_app.sync.device.enrol); this puts the vault part
on the vault thread and the writing of the enrolment request on a thread of its own, so a
network share that hangs never holds up the vault (draft saves, locking).
"""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.errors import KnownError
from intake_app.i18n import N_

if TYPE_CHECKING:
    from intake_app.services.worker import WorkerService
    from intake_app.sync.device.enrol import ProfileFile
    from intake_app.sync.device.identity import Device
    from intake_app.sync.format.enrolment import EnrolmentRequest

# A share that has not taken two small files by then counts as not answering.
WRITE_TIMEOUT = 20.0


class RequestWriteTimedOut(KnownError):
    """The share did not answer in time; the request may or may not appear there later."""

    code = "enrolment-request-timed-out"
    message = N_(
        "The centre's share does not answer, so the enrolment request may not have been "
        "written. Check the network connection and write it again, or write it to a USB stick."
    )


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What the worker may see of this laptop's enrolment: names and fingerprints, no key."""

    centre_name: str
    profile_fingerprint: str
    share: str
    device_name: str
    worker: str
    key_fingerprint: str  # compared with the administrator's screen before approval
    approved: bool = False  # the centre has delivered a bundle of this laptop's


def read_centre_profile(path: Path) -> ProfileFile:
    """Read and check a centre profile file (raises ProfileInvalid); touches no vault."""
    from intake_app.sync.device.enrol import read_profile_file

    return read_profile_file(path)


def accept_centre_profile(
    service: WorkerService,
    profile: ProfileFile,
    *,
    device_name: str,
    worker: str,
    expected_fingerprint: str | None,
) -> Future[Any]:
    """Store the profile in the vault and make this laptop's device key (on the vault thread)."""
    from intake_app.sync.device.enrol import accept_profile
    from intake_app.sync.device.schema import ensure_device_schema

    def accept(vault: Any) -> Any:
        ensure_device_schema(vault)
        return accept_profile(
            vault,
            profile,
            device_name=device_name,
            worker=worker,
            expected_fingerprint=expected_fingerprint or None,
        )

    return service.run(accept)


def enrolled_centre(service: WorkerService) -> Future[str | None]:
    """The name of the centre this laptop is enrolled with, or None (on the vault thread)."""
    from intake_app.sync.device.identity import device_status
    from intake_app.sync.device.schema import ensure_device_schema

    def read(vault: Any) -> str | None:
        ensure_device_schema(vault)
        _identity, profile, _fingerprint = device_status(vault)
        return None if profile is None else str(profile.name)

    return service.run(read)


def enrolment(service: WorkerService) -> Future[Enrolment | None]:
    """This laptop's enrolment as the worker sees it, or None before a profile was accepted."""
    from intake_app.sync.device.identity import device_status
    from intake_app.sync.device.schema import ensure_device_schema

    def read(vault: Any) -> Enrolment | None:
        from intake_app.sync.device.outbox import Outbox

        ensure_device_schema(vault)
        identity, profile, fingerprint = device_status(vault)
        if identity is None or profile is None or fingerprint is None:
            return None
        return Enrolment(
            centre_name=str(profile.name),
            profile_fingerprint=fingerprint,
            share=str(profile.share),
            device_name=identity.device_name,
            worker=identity.worker,
            key_fingerprint=identity.key_fingerprint(),
            approved=Outbox(vault).approved(),
        )

    return service.run(read)


def write_enrolment_request(
    service: WorkerService, folder: Path | None = None, *, timeout: float = WRITE_TIMEOUT
) -> Future[Path]:
    """Write the signed enrolment request into `folder`, or the share's `enrol/` folder.

    The request is read from the vault on the vault thread and written on a thread of its
    own. Known errors: `NotEnrolled`, `ShareUnreachable`, `ShareWriteFailed`, `DiskFull`,
    and `RequestWriteTimedOut` when the writing has not finished after `timeout` seconds.
    """
    from intake_app.sync.device.enrol import enrolment_request
    from intake_app.sync.device.identity import load_device
    from intake_app.sync.device.schema import ensure_device_schema

    result: Future[Path] = Future()

    def prepare(vault: Any) -> tuple[Device, EnrolmentRequest]:
        ensure_device_schema(vault)
        return load_device(vault), enrolment_request(vault)

    def prepared(done: Future[tuple[Device, EnrolmentRequest]]) -> None:
        error = done.exception()
        if error is not None:
            _settle(result, error=error)
            return
        device, request = done.result()
        _start_writing(result, device, request, folder, timeout)

    service.run(prepare).add_done_callback(prepared)
    return result


def _start_writing(
    result: Future[Path],
    device: Device,
    request: EnrolmentRequest,
    folder: Path | None,
    timeout: float,
) -> None:
    from intake_app.sync.device.enrol import write_request_to

    def write() -> None:
        try:
            path = write_request_to(device, request, folder)
        except BaseException as error:  # handed to the caller: known error or bug
            _settle(result, error=error)
        else:
            _settle(result, value=path)

    # Daemon threads: a share stuck in the kernel must not keep the application from exiting.
    timer = threading.Timer(timeout, lambda: _settle(result, error=RequestWriteTimedOut()))
    timer.daemon = True
    result.add_done_callback(lambda _done: timer.cancel())
    threading.Thread(target=write, name="enrolment-write", daemon=True).start()
    timer.start()


def _settle(
    future: Future[Path], *, value: Path | None = None, error: BaseException | None = None
) -> None:
    """Set the outcome once: the first of the write and its time limit wins."""
    with contextlib.suppress(InvalidStateError):
        if error is not None:
            future.set_exception(error)
        elif value is not None:
            future.set_result(value)

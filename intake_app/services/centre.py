"""Connecting the laptop to a reception centre: read its profile file, accept it. Qt-free.

The sync layer does the work (intake_app.sync.device_enrol); this only puts the vault part on
the vault thread.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intake_app.services.worker_service import WorkerService
    from intake_app.sync.device_enrol import ProfileFile


def read_centre_profile(path: Path) -> ProfileFile:
    """Read and check a centre profile file (raises ProfileInvalid); touches no vault."""
    from intake_app.sync.device_enrol import read_profile_file

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
    from intake_app.sync.device_enrol import accept_profile
    from intake_app.sync.device_schema import ensure_device_schema

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
    from intake_app.sync.device_identity import device_status
    from intake_app.sync.device_schema import ensure_device_schema

    def read(vault: Any) -> str | None:
        ensure_device_schema(vault)
        _identity, profile, _fingerprint = device_status(vault)
        return None if profile is None else str(profile.name)

    return service.run(read)

"""Setting a centre up once: its vault, its keys, and the profile handed to every device.

Order matters for what a failure leaves behind: nothing is created before the checks pass; the
offline backup identity (if asked for) is written first, to a new file; then the vault with the
secret keys and the profile inside it; the profile file for devices comes last. If a step fails,
what the earlier steps made is removed again, so `centre init` can simply be run again.
"""

from __future__ import annotations

import contextlib
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from pyrage import x25519

from intake_app.domain.utc_time import utc_now
from intake_app.errors import KnownError, VaultExists
from intake_app.i18n.core import N_
from intake_app.storage import KdfParams, Vault, atomic_write_bytes
from intake_app.sync.centre.errors import BackupIdentityExists
from intake_app.sync.centre.vault import centre_dir, profile_file, store_centre_keys
from intake_app.sync.format import keys
from intake_app.sync.format.profile import CentreProfile
from intake_app.sync.share import SHARE_FOLDERS

MAX_NAME = 200
MAX_SHARE = 1024


class SetupFieldInvalid(KnownError):
    code = "setup-field-invalid"
    message = N_("The centre's name must be between 1 and {limit} characters long, on one line.")


class SetupShareInvalid(SetupFieldInvalid):
    code = "setup-share-invalid"
    message = N_("The share folder must be between 1 and {limit} characters long, on one line.")


@dataclass(frozen=True)
class CentreSetup:
    """What `init_centre` made; the recovery code is shown once and never stored."""

    profile: CentreProfile
    profile_path: Path
    fingerprint: str
    recovery_code: str
    vault_folder: Path
    backup_identity: Path | None
    share_ready: bool = True  # False: the share's folders could not be made (not reachable)


def _check_field(value: str, problem: type[SetupFieldInvalid], limit: int) -> None:
    if not value.strip() or len(value) > limit or "\n" in value or "\r" in value:
        raise problem(limit=limit)


def backup_identity_text(identity: x25519.Identity, created: str) -> bytes:
    """The backup identity as an age identity file (`age -d -i FILE` reads it)."""
    return (
        f"# Intake centre backup key, created {created}. Keep it offline and safe.\n"
        f"# public key: {keys.recipient_of(identity)}\n"
        f"{keys.identity_to_text(identity)}\n"
    ).encode("ascii")


def init_centre(
    data_dir: Path,
    *,
    name: str,
    share: str,
    passphrase: str,
    kdf: KdfParams | None = None,
    backup_identity: Path | None = None,
) -> CentreSetup:
    """Make the centre vault, its keys and `centre-profile.json` in `data_dir`."""
    data_dir = Path(data_dir)
    _check_field(name, SetupFieldInvalid, MAX_NAME)
    _check_field(share, SetupShareInvalid, MAX_SHARE)
    folder = centre_dir(data_dir)
    if Vault.exists(folder):
        raise VaultExists()
    if backup_identity is not None and backup_identity.exists():
        raise BackupIdentityExists(file=backup_identity.name)
    centre_keys = keys.CentreKeys.generate(with_backup=backup_identity is not None)
    profile = CentreProfile(str(uuid.uuid4()), name, tuple(centre_keys.recipients()),
                            centre_keys.receipt_key_text(), share)
    profile_bytes = profile.to_bytes()
    created = utc_now()
    made: list[Path] = []
    try:
        if backup_identity is not None and centre_keys.backup is not None:
            atomic_write_bytes(backup_identity,
                               backup_identity_text(centre_keys.backup, created), mode=0o600)
            made.append(backup_identity)
        fresh_folder = not folder.exists() or not any(folder.iterdir())
        vault, recovery_code = Vault.create(folder, passphrase, kdf=kdf, kind="centre")
        if fresh_folder:
            made.append(folder)
        try:
            store_centre_keys(vault, centre_keys, profile_bytes, created)
        finally:
            vault.lock()
        data_dir.mkdir(parents=True, exist_ok=True)
        path = profile_file(data_dir)
        fingerprint = write_profile(path, profile)
    except BaseException:
        _remove(made)
        raise
    return CentreSetup(profile, path, fingerprint, recovery_code, folder, backup_identity,
                       share_ready=make_share_folders(Path(share)))


def write_profile(path: Path, profile: CentreProfile) -> str:
    """Write the profile file atomically; return the fingerprint of the bytes written.

    Readable by everyone, as it always was: it holds only public keys and names."""
    data = profile.to_bytes()
    atomic_write_bytes(path, data, mode=0o644)
    return keys.fingerprint(data)


def make_share_folders(share: Path) -> bool:
    """Make the folders laptops write to and read from on the share (`enrol/`, `inbox/`,
    `receipts/`), and the share folder itself when its parent exists. False when the share
    cannot be reached now; the centre works anyway and makes them on its first import.
    """
    try:
        if not share.is_dir():
            share.mkdir(mode=0o770)
        for name in SHARE_FOLDERS:
            (share / name).mkdir(mode=0o770, exist_ok=True)
    except OSError:
        return False
    return True


def _remove(paths: list[Path]) -> None:
    for path in reversed(paths):
        with contextlib.suppress(OSError):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()

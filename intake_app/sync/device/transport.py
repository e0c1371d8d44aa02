"""Transports: copy a bundle from the outbox to the share's inbox or to any folder (USB stick).

A bundle is written by the share's rules (`sync.share.share_writer`: a new dot-named partial
file, synced, then renamed), so a copy that dies, or whose share vanishes mid-way, leaves
nothing under the real name and is simply done again later. The bytes are the outbox's,
unchanged: a resend is byte for byte. `write_bundle` makes a bundle straight into a folder,
without the outbox (tests and benchmarks stand in for a laptop with it).
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import minisign

from intake_app.storage import Vault
from intake_app.sync.device.errors import OutboxCopyDamaged, ShareUnreachable
from intake_app.sync.device.outbox import Outbox, OutboxBundle
from intake_app.sync.format.bundle_file import APP_NAME, BundleContents, WrittenBundle
from intake_app.sync.format.profile import CentreProfile
from intake_app.sync.format.spec import MAX_BUNDLE_SIZE, bundle_name
from intake_app.sync.format.writer import write_bundle_to
from intake_app.sync.share import inbox_folder, look_at, share_folder, share_writer

BytesProgress = Callable[[int, int], None]
"""Called after each piece is written: (bytes written so far, bundle size)."""


def prepare_inbox(share: Path, device_id: str) -> Path:
    """The inbox folder, made if missing; raises `ShareUnreachable` or `ShareWriteFailed`
    (`ShareTargetNotAFile` when a level of it is a link)."""
    if not share.is_dir():
        raise ShareUnreachable(folder=str(share))
    # A level planted as a link (toward this laptop's own files, say) is refused.
    return share_folder(share, inbox_folder(share, device_id))


def copy_bundle(
    vault: Vault,
    bundle: OutboxBundle,
    folder: Path,
    *,
    on_bytes: BytesProgress | None = None,
) -> Path:
    """Copy one stored bundle into `folder` atomically; return the file's path.

    Raises `ShareWriteFailed` (`ShareFull` when the share is full; nothing under the real
    name), and `OutboxCopyDamaged` if the stored copy is incomplete.
    """
    if bundle.name is None or bundle.size is None:
        raise ValueError("only stored bundles can be copied")
    target = folder / bundle.name
    written = 0
    with share_writer(target) as handle:
        for chunk in Outbox(vault).chunks(bundle):
            handle.write(chunk)
            written += len(chunk)
            if on_bytes is not None:
                on_bytes(written, bundle.size)
        if written != bundle.size:
            raise OutboxCopyDamaged()
    return target


def write_bundle(
    folder: Path,
    *,
    profile: CentreProfile,
    device_id: str,
    device_key: minisign.SecretKey,
    seq: int,
    created: datetime,
    contents: BundleContents,
    app: str = APP_NAME,
    readme: bool = True,
    max_size: int = MAX_BUNDLE_SIZE,
) -> WrittenBundle:
    """Write `<device_id>-<seq>.ibundle` into `folder` and describe what it carries.

    Raises `ExportTooLarge` (nothing written) if the file would exceed `max_size`.
    """
    path = folder / bundle_name(device_id, seq)
    with share_writer(path) as handle:
        facts = write_bundle_to(
            handle, profile=profile, device_id=device_id, device_key=device_key, seq=seq,
            created=created, contents=contents, app=app, readme=readme, max_size=max_size,
        )
    return WrittenBundle(
        path=path, device_id=device_id, seq=seq, created=facts.created, size=facts.size,
        payload_sha256=facts.payload_sha256, manifest_sha256=facts.manifest_sha256,
        records=facts.manifest.records, attachments=facts.manifest.attachments,
        deleted=facts.manifest.deleted,
    )


def same_file_there(bundle: OutboxBundle, folder: Path) -> bool:
    """Whether `folder` already holds this bundle under its name with the right size, as an
    ordinary file (a link there is not the bundle). Raises `ShareNotAnswering`."""
    if bundle.name is None:
        return False
    try:
        info = look_at(folder / bundle.name)
    except OSError:
        return False
    return info is not None and stat.S_ISREG(info.st_mode) and info.st_size == bundle.size


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in pieces (tests and diagnostics)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while piece := handle.read(1 << 20):
            digest.update(piece)
    return digest.hexdigest()

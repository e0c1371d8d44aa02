"""Transports: copy a bundle from the outbox to the share's inbox or to any folder (USB stick).

A bundle is written as `.<name>.partial`, synced, then renamed (`sync.files.atomic_writer`),
so a copy that dies, or whose share vanishes mid-way, leaves nothing under the real name and
is simply done again later. The bytes are the outbox's, unchanged: a resend is byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from intake_app.storage import Vault
from intake_app.sync.device.errors import OutboxCopyDamaged, ShareUnreachable
from intake_app.sync.device.outbox import Outbox, OutboxBundle
from intake_app.sync.errors import ShareWriteFailed
from intake_app.sync.share import atomic_writer

INBOX_FOLDER = "inbox"
RECEIPTS_FOLDER = "receipts"

BytesProgress = Callable[[int, int], None]
"""Called after each piece is written: (bytes written so far, bundle size)."""


def inbox_folder(share: Path, device_id: str) -> Path:
    """`<share>/inbox/<device_id>/`, where the centre's importer picks bundles up."""
    return share / INBOX_FOLDER / device_id


def receipts_folder(share: Path, device_id: str) -> Path:
    """`<share>/receipts/<device_id>/`, where the centre writes receipts."""
    return share / RECEIPTS_FOLDER / device_id


def prepare_inbox(share: Path, device_id: str) -> Path:
    """The inbox folder, made if missing; raises `ShareUnreachable` or `ShareWriteFailed`."""
    if not share.is_dir():
        raise ShareUnreachable(folder=str(share))
    folder = inbox_folder(share, device_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ShareWriteFailed(folder=str(folder)) from exc
    return folder


def copy_bundle(
    vault: Vault,
    bundle: OutboxBundle,
    folder: Path,
    *,
    on_bytes: BytesProgress | None = None,
) -> Path:
    """Copy one stored bundle into `folder` atomically; return the file's path.

    Raises `ShareWriteFailed` or `DiskFull` (nothing under the real name), and
    `OutboxCopyDamaged` if the stored copy is incomplete.
    """
    if bundle.name is None or bundle.size is None:
        raise ValueError("only stored bundles can be copied")
    target = folder / bundle.name
    written = 0
    with atomic_writer(target) as handle:
        for chunk in Outbox(vault).chunks(bundle):
            handle.write(chunk)
            written += len(chunk)
            if on_bytes is not None:
                on_bytes(written, bundle.size)
        if written != bundle.size:
            raise OutboxCopyDamaged()
    return target


def same_file_there(bundle: OutboxBundle, folder: Path) -> bool:
    """Whether `folder` already holds this bundle under its name with the right size."""
    if bundle.name is None:
        return False
    try:
        return (folder / bundle.name).stat().st_size == bundle.size
    except OSError:
        return False


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in pieces (tests and diagnostics)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while piece := handle.read(1 << 20):
            digest.update(piece)
    return digest.hexdigest()

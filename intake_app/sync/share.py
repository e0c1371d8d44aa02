"""The centre's share: its folder names, and how a file is written on it (bundle-format.md).

    <share>/enrol/<device_id>.json (+ .minisig)        written by laptops
    <share>/inbox/<device_id>/<device_id>-<seq>.ibundle  written by laptops
    <share>/receipts/<device_id>/...receipt.json (+ .minisig)  written by the centre
    <share>/processed/<device_id>/...ibundle            where the centre moves imported bundles
    <share>/forms/<form id>_<version>.json, index.json (+ .minisig)  written by the centre

Every laptop writes the share, so each is treated as a possible attacker of the others and
of the centre. A file is written under a new dot-name `.<name>.<random>.partial` (created
exclusively, never through a link, mode 0600), flushed and fsynced; then the target name is
looked at without following it (a link or anything but an ordinary file there is a known
error and is left alone), and the file is renamed into place and the folder synced. No file
that already exists on the share is ever opened for writing. Readers ignore dot-names, so a
half-written file is never seen under its real name, whether the process dies, the disk
fills up or the share vanishes mid-copy.

The steps themselves are `intake_app.storage`'s one atomic writer; this module adds the
share's temporary name, the check of the target and the share's known errors.

Reading, listing, moving and making folders follow the reading rules in `share_read`,
whose public names this module re-exports: every reader and writer of the share goes through
`intake_app.sync.share`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from intake_app.errors import DiskFull
from intake_app.storage import atomic_writer
from intake_app.sync.errors import (
    ShareFull,
    ShareReadOnly,
    ShareTargetNotAFile,
    ShareWriteFailed,
)
from intake_app.sync.format.form_package import FORMS_FOLDER
from intake_app.sync.format.receipt import receipt_file_name
from intake_app.sync.format.spec import signature_path

ENROL = "enrol"
INBOX = "inbox"
RECEIPTS = "receipts"
PROCESSED = "processed"
FORMS = FORMS_FOLDER
#: The folders the centre makes at set-up: those the laptops write to and read from.
SHARE_FOLDERS = (ENROL, INBOX, RECEIPTS)
PARTIAL_SUFFIX = ".partial"


def enrol_folder(share: Path) -> Path:
    """`<share>/enrol/`, where laptops leave their enrolment requests."""
    return Path(share) / ENROL


def inbox_folder(share: Path, device_id: str) -> Path:
    """`<share>/inbox/<device_id>/`, where the centre's importer picks bundles up."""
    return Path(share) / INBOX / device_id


def receipts_folder(share: Path, device_id: str) -> Path:
    """`<share>/receipts/<device_id>/`, where the centre writes receipts."""
    return Path(share) / RECEIPTS / device_id


def receipt_path(share: Path, device_id: str, seq: int) -> Path:
    """Where the receipt for bundle `seq` of a device lives on the share."""
    return receipts_folder(share, device_id) / receipt_file_name(device_id, seq)


def forms_folder(share: Path) -> Path:
    """`<share>/forms/`, where the centre publishes interview forms (`format.form_package`)."""
    return Path(share) / FORMS


def processed_folder(share: Path, device_id: str) -> Path:
    """`<share>/processed/<device_id>/`, where the centre keeps the bundles it handled."""
    return Path(share) / PROCESSED / device_id


@contextlib.contextmanager
def share_writer(path: Path) -> Iterator[BinaryIO]:
    """Yield a new binary file that appears at `path` only once it is complete and synced.

    On any failure the partial file is removed and nothing is left under `path`'s name.
    Raises `ShareFull`, `ShareReadOnly`, `ShareTargetNotAFile` or `ShareWriteFailed`; an
    ordinary file already at `path` is replaced by the rename, never opened.
    """
    try:
        with atomic_writer(path, 0o600, temp_suffix=PARTIAL_SUFFIX,
                           before_rename=_refuse_odd_target) as handle:
            yield handle
    except DiskFull as exc:  # the share is full, not this computer's disk
        raise ShareFull(folder=str(path.parent)) from exc
    except OSError as exc:
        if exc.errno == errno.EROFS:
            raise ShareReadOnly(folder=str(path.parent)) from exc
        raise ShareWriteFailed(folder=str(path.parent)) from exc


def write_share_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` on the share (see `share_writer`)."""
    with share_writer(path) as handle:
        handle.write(data)


def write_signed_file(path: Path, data: bytes, signature: bytes) -> Path:
    """Write a file and its `.minisig` on the share, the signature first: a file that can be
    seen always has its signature beside it. Returns `path`."""
    write_share_file(signature_path(path), signature)
    write_share_file(path, data)
    return path


def _refuse_odd_target(target: Path) -> None:
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise ShareTargetNotAFile(file=target.name)


from intake_app.sync.share_folders import move_share_file, share_folder  # noqa: E402
from intake_app.sync.share_read import (  # noqa: E402 - the reading half, re-exported
    READ_TIMEOUT,
    SETTLE_SECONDS,
    Looks,
    ShareEntry,
    ShareFile,
    look_at,
    note_left_alone,
    open_share_file,
    read_share_file,
    read_signed_share_file,
    share_files,
    share_folders,
    timed,
)

__all__ = [
    "ENROL",
    "FORMS",
    "INBOX",
    "PARTIAL_SUFFIX",
    "PROCESSED",
    "READ_TIMEOUT",
    "RECEIPTS",
    "SETTLE_SECONDS",
    "SHARE_FOLDERS",
    "Looks",
    "ShareEntry",
    "ShareFile",
    "enrol_folder",
    "forms_folder",
    "inbox_folder",
    "look_at",
    "move_share_file",
    "note_left_alone",
    "open_share_file",
    "processed_folder",
    "read_share_file",
    "read_signed_share_file",
    "receipt_path",
    "receipts_folder",
    "share_files",
    "share_folder",
    "share_folders",
    "share_writer",
    "timed",
    "write_share_file",
    "write_signed_file",
]

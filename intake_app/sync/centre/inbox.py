"""The share's inbox, read by the centre: import each complete bundle, then move it to `processed/`.

Devices write `<share>/inbox/<device>/<device>-<seq>.ibundle` through a dot-named temporary
file and a rename, but anyone who can write to the share can put anything there, and a file
copied by hand (from a USB stick) appears under its real name while it is still being copied.
So the inbox is read by the share's reading rules (`sync.share`): device folders and files that
are links, and special files, are left alone (logged once) and never moved; a file is imported
only once it is complete by the 5-second rule (its first look is remembered across scans in
this process, and a scan that waits looks again itself); it is opened once, and what is
checked, held and moved is that one file. An incomplete file is left where it is, unread and
unanswered.

A file is moved to `<share>/processed/<device>/` once its outcome is recorded and its receipt
written, and only while the name still holds the file that was read; if the receipt could not
be written (share gone), the file stays and the next scan issues the receipt again (as a
duplicate). A file that vanished, cannot be read or changed while it was read is left for the
next scan. No Qt here: the administrator's window runs `scan_inbox` on a worker thread.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from intake_app.errors import KnownError
from intake_app.sync.centre.errors import HeldCapReached
from intake_app.sync.centre.importer import ImportResult, import_bundle
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import ShareFileChanged, ShareNotAFile
from intake_app.sync.format.spec import BUNDLE_SUFFIX
from intake_app.sync.share import (
    INBOX,
    Looks,
    ShareEntry,
    move_share_file,
    open_share_file,
    processed_folder,
    share_files,
    share_folders,
)


@dataclass(frozen=True)
class ScanProgress:
    """Where a scan is: `done` of `total` files, the one being imported, the last result."""

    done: int
    total: int
    current: str | None
    result: ImportResult | None


Progress = Callable[[ScanProgress], None]

_looks: dict[Path, Looks] = {}
_looks_lock = threading.Lock()


def inbox_looks(share: Path) -> Looks:
    """The first looks at the inbox's files, remembered for this share in this process."""
    with _looks_lock:
        return _looks.setdefault(Path(share), Looks())


def inbox_entries(share: Path) -> list[ShareEntry]:
    """One look at each bundle file in the inbox, by device folder and name (so by sequence
    number): ordinary files only, in device folders that are not links."""
    share = Path(share)
    found: list[ShareEntry] = []
    for folder in share_folders(share, share / INBOX):
        found += share_files(share, folder, suffix=BUNDLE_SUFFIX)
    return found


def inbox_files(share: Path) -> list[Path]:
    """Bundle files in the inbox, complete or not (see `inbox_entries`)."""
    return [entry.path for entry in inbox_entries(share)]


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def complete_files(share: Path, looks: Looks, *, wait: bool = True) -> list[ShareEntry]:
    """The inbox's files that are complete by the 5-second rule, judged with what `looks`
    remembers; with `wait`, files not yet judged are looked at again once they can be."""
    entries = inbox_entries(share)
    looks.keep_only({entry.path for entry in entries})
    ready = [entry for entry in entries if looks.complete(entry)]
    if wait and len(ready) < len(entries):
        _sleep(looks.wait_for(entries))
        entries = inbox_entries(share)
        looks.keep_only({entry.path for entry in entries})
        ready = [entry for entry in entries if looks.complete(entry)]
    return ready


def _move_to_processed(share: Path, path: Path, same_as: os.stat_result) -> Path | None:
    """Move a handled bundle out of the inbox without replacing an earlier file, only while its
    name still holds the file that was read; None when it stays."""
    try:
        return move_share_file(share, path, processed_folder(share, path.parent.name),
                               same_as=same_as)
    except (OSError, KnownError):
        return None  # left in the inbox; the next scan sees a duplicate (or leaves it alone)


def scan_inbox(centre: Centre, *, progress: Progress | None = None, move: bool = True,
               wait: bool = True, looks: Looks | None = None) -> list[ImportResult]:
    """Import every complete bundle waiting in the inbox, reporting progress after each file.

    `wait`: look again at files seen for the first time once the 5-second rule can judge them
    (at most `SETTLE_SECONDS`); without it they wait for the next scan. Raises
    `ShareNotAnswering` when the share stops answering.
    """
    share = centre.share
    looks = looks if looks is not None else inbox_looks(share)
    files = complete_files(share, looks, wait=wait)
    results: list[ImportResult] = []
    report = progress or (lambda _progress: None)
    for index, entry in enumerate(files):
        path = entry.path
        name = f"{path.parent.name}/{path.name}"
        report(ScanProgress(index, len(files), name, None))
        try:
            handle = open_share_file(path, root=share)
        except (OSError, ShareNotAFile):
            continue  # vanished, unreadable, or no longer a file: left alone
        with handle:
            if not handle.same_look(entry):
                looks.forget(path)  # changed since it was judged complete: judged afresh
                continue
            try:
                result = import_bundle(centre, handle, file_name=name)
            except (OSError, ShareFileChanged):
                looks.forget(path)
                continue  # unreadable, or changed while it was read: left for a later scan
            except HeldCapReached:
                continue  # over a quarantine cap: left where it is, unanswered (alerted once)
        results.append(result)
        if move and result.receipt_error is None:
            looks.forget(path)
            _move_to_processed(share, path, handle.info)
        report(ScanProgress(index + 1, len(files), None, result))
    return results

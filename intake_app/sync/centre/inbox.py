"""The share's inbox, read by the centre: import each new bundle, then move it to `processed/`.

Devices write `<share>/inbox/<device>/<device>-<seq>.ibundle` through a dot-named temporary
file and a rename, so a name without a leading dot is complete. A file is moved to
`<share>/processed/<device>/` once its outcome is recorded and its receipt written; if the
receipt could not be written (share gone), the file stays and the next scan issues the receipt
again (as a duplicate). A file that vanished or cannot be read is left for the next scan.
No Qt here: the administrator's window runs `scan_inbox` on a worker thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from intake_app.sync.centre.importer import ImportResult, import_bundle
from intake_app.sync.centre.vault import Centre
from intake_app.sync.format.spec import BUNDLE_SUFFIX
from intake_app.sync.share import INBOX, processed_folder


@dataclass(frozen=True)
class ScanProgress:
    """Where a scan is: `done` of `total` files, the one being imported, the last result."""

    done: int
    total: int
    current: str | None
    result: ImportResult | None


Progress = Callable[[ScanProgress], None]


def _visible(path: Path) -> bool:
    return not path.name.startswith(".")


def inbox_files(share: Path) -> list[Path]:
    """Bundle files waiting in the inbox, by device folder and name (so by sequence number)."""
    inbox = Path(share) / INBOX
    if not inbox.is_dir():
        return []
    found: list[Path] = []
    for folder in sorted(inbox.iterdir()):
        if not _visible(folder) or not folder.is_dir():
            continue
        found += sorted(path for path in folder.iterdir()
                        if _visible(path) and path.name.endswith(BUNDLE_SUFFIX)
                        and path.is_file())
    return found


def _move_to_processed(share: Path, path: Path) -> Path | None:
    """Move a handled bundle out of the inbox without replacing an earlier file."""
    target_dir = processed_folder(share, path.parent.name)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / path.name
        counter = 1
        while target.exists():
            target = target_dir / f"{path.stem}.{counter}{path.suffix}"
            counter += 1
        os.replace(path, target)
    except OSError:
        return None  # left in the inbox; the next scan sees a duplicate
    return target


def scan_inbox(centre: Centre, *, progress: Progress | None = None,
               move: bool = True) -> list[ImportResult]:
    """Import every bundle waiting in the inbox, reporting progress after each file."""
    share = centre.share
    files = inbox_files(share)
    results: list[ImportResult] = []
    report = progress or (lambda _progress: None)
    for index, path in enumerate(files):
        name = f"{path.parent.name}/{path.name}"
        report(ScanProgress(index, len(files), name, None))
        try:
            result = import_bundle(centre, path, file_name=name)
        except OSError:
            continue  # vanished or unreadable: another scan took it, or the share went away
        results.append(result)
        if move and result.receipt_error is None:
            _move_to_processed(share, path)
        report(ScanProgress(index + 1, len(files), None, result))
    return results

"""Export to a folder: everything waiting for the centre, as bundle files on a USB stick.

For a laptop that cannot reach the centre's share: new changes go into bundles first, then
every bundle still waiting for its receipt is copied into the folder (temporary name, fsync,
rename). The bundles stay in the outbox until their receipts arrive, like uploaded ones.
Used by `intake-app export --to` and by the worker's window. No Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from intake_app.errors import KnownError
from intake_app.storage import Vault
from intake_app.sync.device.errors import LaptopRevoked
from intake_app.sync.device.export import export_changes
from intake_app.sync.device.outbox import Outbox, OutboxState
from intake_app.sync.device.transport import copy_bundle
from intake_app.sync.errors import ShareWriteFailed
from intake_app.sync.format.spec import MAX_BUNDLE_SIZE
from intake_app.sync.format.strict_json import format_timestamp

Progress = Callable[[int, int], None]  # (bundles copied, bundles in all)


@dataclass(frozen=True, slots=True)
class FolderExport:
    """The files written, the interviews that could not go (their ids) and why, in words."""

    written: tuple[Path, ...]
    skipped: tuple[str, ...]
    problems: tuple[KnownError, ...]


def export_to_folder(
    vault: Vault,
    folder: Path,
    *,
    max_size: int = MAX_BUNDLE_SIZE,
    on_progress: Progress | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> FolderExport:
    """Bundle what changed and copy every bundle without a final receipt into `folder`.

    Raises `ShareWriteFailed` (`ShareFull` when it is full) when the folder cannot take them
    (a file already copied stays: it is a whole bundle under its real name), and
    `LaptopRevoked` (nothing made or written) once the centre revoked this laptop.
    """
    if Outbox(vault).revoked():
        raise LaptopRevoked()
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise ShareWriteFailed(folder=str(folder)) from exc
    result = export_changes(vault, max_size=max_size)
    outbox = Outbox(vault)
    waiting = outbox.bundles((OutboxState.READY,))
    written: list[Path] = []
    for bundle in waiting:
        if on_progress is not None:
            on_progress(len(written), len(waiting))
        written.append(copy_bundle(vault, bundle, folder))
        outbox.mark_sent(bundle.seq, format_timestamp(clock()), to_share=False)
    if on_progress is not None:
        on_progress(len(written), len(waiting))
    return FolderExport(tuple(written), tuple(result.skipped), tuple(result.problems()))

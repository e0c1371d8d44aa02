"""Reading the centre's share safely (bundle-format.md, "Writing and reading files on a share").

A file is opened without following a link and without blocking (`O_NOFOLLOW | O_NONBLOCK`), its
handle is `fstat`-ed and anything but an ordinary file is refused (`ShareNotAFile`); every byte
that is checked and kept is read through that one handle. Listings leave out dot-names, links
(files and folders) and special files; each folder level below the share's root is opened with
`O_NOFOLLOW | O_DIRECTORY` and listed through its descriptor, so a folder swapped for a link is
never followed. Whatever is left alone is logged once per process, not per round. Every call
on the share runs on a thread of its own with a time limit (`READ_TIMEOUT`): a share that stops
answering is `ShareNotAnswering`, never a hang. `Looks` applies the 5-second rule
(`SETTLE_SECONDS`). Folders are made, and files moved, level by level without following links
(`share_folders`).

The work is shared by `share_timed` (the time limit), `share_levels` (folder levels and what is
left alone), `share_file` (opening and reading a file) and `share_listing` (listings and looks);
this module keeps the 5-second rule and names them all.

The public names are re-exported by `intake_app.sync.share`, the one door to the share.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from intake_app.sync.share_file import (
    ShareFile,
    open_share_file,
    read_share_file,
    read_signed_share_file,
)
from intake_app.sync.share_levels import note_left_alone
from intake_app.sync.share_listing import ShareEntry, look_at, share_files, share_folders
from intake_app.sync.share_timed import READ_TIMEOUT, timed

__all__ = [
    "READ_TIMEOUT",
    "SETTLE_SECONDS",
    "Looks",
    "ShareEntry",
    "ShareFile",
    "look_at",
    "note_left_alone",
    "open_share_file",
    "read_share_file",
    "read_signed_share_file",
    "share_files",
    "share_folders",
    "timed",
]

#: The 5-second rule: how long a file must stay unchanged (and how old it must be) to count
#: as complete.
SETTLE_SECONDS = 5.0


class Looks:
    """The 5-second rule, remembered across scans: a file is complete only when its size and
    modification time are the same at two looks at least `settle` seconds apart
    (`SETTLE_SECONDS` by default) and it is older than that."""

    def __init__(self, settle: float | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._settle = settle
        self._clock = clock
        self._first: dict[Path, tuple[int, int, float]] = {}

    @property
    def settle(self) -> float:
        return SETTLE_SECONDS if self._settle is None else self._settle

    def complete(self, look: ShareEntry) -> bool:
        """Judge a file by this look (remembered as its first look if it is new or changed)."""
        now = self._clock()
        first = self._first.get(look.path)
        if first is None or first[:2] != (look.size, look.mtime_ns):
            self._first[look.path] = (look.size, look.mtime_ns, now)
            return False  # a first look, or the file changed since: judged at a later look
        return (now - first[2] >= self.settle
                and now - look.mtime_ns / 1e9 >= self.settle)

    def wait_for(self, looks: list[ShareEntry]) -> float:
        """Seconds until every file looked at can be judged (0 when none waits)."""
        now = self._clock()
        waits = [0.0]
        for look in looks:
            first = self._first.get(look.path)
            if first is not None and first[:2] == (look.size, look.mtime_ns):
                waits.append(max(first[2] + self.settle - now,
                                 look.mtime_ns / 1e9 + self.settle - now))
        return max(waits)

    def keep_only(self, paths: set[Path]) -> None:
        """Forget the files no longer seen."""
        for path in list(self._first):
            if path not in paths:
                del self._first[path]

    def forget(self, path: Path) -> None:
        """Forget a file (moved away, or to be looked at afresh)."""
        self._first.pop(path, None)

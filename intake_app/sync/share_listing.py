"""Listing share folders and looking at names on the share, without following links.

Listings leave out dot-names, links (files and folders) and special files; each folder level
below the share's root is opened from the level above and listed through its descriptor, so a
folder swapped for a link is never followed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from intake_app.sync.share_levels import (
    _BY_FD,
    _check_levels,
    _kind,
    _open_folder,
    _Refused,
    note_left_alone,
)
from intake_app.sync.share_timed import timed


@dataclass(frozen=True, slots=True)
class ShareEntry:
    """One look at an ordinary file in a share folder."""

    path: Path
    size: int
    mtime_ns: int


def _list(root: Path, folder: Path, want_folders: bool, suffix: str) -> list[ShareEntry]:
    found: list[ShareEntry] = []

    def take(name: str, info: os.stat_result) -> None:
        path = folder / name
        if stat.S_ISDIR(info.st_mode):
            if want_folders:
                found.append(ShareEntry(path, 0, info.st_mtime_ns))
        elif stat.S_ISREG(info.st_mode):
            if not want_folders and name.endswith(suffix):
                found.append(ShareEntry(path, info.st_size, info.st_mtime_ns))
        elif want_folders or name.endswith(suffix):
            note_left_alone(path, _kind(info.st_mode))

    if _BY_FD:
        fd = _open_folder(root, folder)
        try:
            with os.scandir(fd) as entries:
                for entry in entries:
                    if not entry.name.startswith("."):
                        take(entry.name, entry.stat(follow_symlinks=False))
        finally:
            os.close(fd)
    else:
        _check_levels(root, folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.startswith("."):
                    take(entry.name, entry.stat(follow_symlinks=False))
    return sorted(found, key=lambda entry: entry.path.name)


def _listing(root: Path, folder: Path, want_folders: bool, suffix: str,
             timeout: float | None) -> list[ShareEntry]:
    try:
        return timed(lambda: _list(Path(root), Path(folder), want_folders, suffix),
                     folder=Path(folder), timeout=timeout)
    except _Refused as refused:
        note_left_alone(refused.path, refused.kind)
        return []
    except FileNotFoundError:
        return []


def share_files(root: Path, folder: Path, *, suffix: str = "",
                timeout: float | None = None) -> list[ShareEntry]:
    """The ordinary files in `folder` (below the share's `root`) whose names end in `suffix`,
    by name, with one look at each. Dot-names are left out; links, folders and special files
    too (links and special files logged once). A folder level that is a link, or a missing
    folder, gives nothing. Raises `ShareNotAnswering`, or `OSError` when it cannot be listed."""
    return _listing(root, folder, False, suffix, timeout)


def share_folders(root: Path, folder: Path, *, timeout: float | None = None) -> list[Path]:
    """The folders in `folder` (below `root`), by name: no dot-names, no links (logged once)."""
    return [entry.path for entry in _listing(root, folder, True, "", timeout)]


def look_at(path: Path, *, timeout: float | None = None) -> os.stat_result | None:
    """`lstat` of a name on the share with the time limit; None when nothing is there."""
    try:
        return timed(lambda: os.lstat(path), folder=Path(path).parent, timeout=timeout)
    except FileNotFoundError:
        return None

"""Making folders on the share and moving files there, level by level, never through a link.

A folder level that is a link is refused; a move renames through folder descriptors, never
replaces a file, and only moves while the name still points at the file that was read. The
public names are re-exported by `intake_app.sync.share`.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from intake_app.sync.errors import ShareFileChanged, ShareTargetNotAFile, ShareWriteFailed
from intake_app.sync.share_levels import (
    _BY_FD,
    _check_levels,
    _kind,
    _levels,
    _open_folder,
    _refusal,
    _Refused,
    note_left_alone,
)
from intake_app.sync.share_timed import timed


def _free_name(exists: Callable[[str], bool], name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, counter = name, 1
    while exists(candidate):
        candidate = f"{stem}.{counter}.{suffix}" if suffix else f"{stem}.{counter}"
        counter += 1
    return candidate


def _move(root: Path, source: Path, folder: Path, same_as: os.stat_result) -> Path:
    def same(info: os.stat_result) -> bool:
        return (stat.S_ISREG(info.st_mode)
                and (info.st_dev, info.st_ino) == (same_as.st_dev, same_as.st_ino))

    if not _BY_FD:
        _check_levels(root, source.parent)
        if not same(os.lstat(source)):
            raise _Refused(source, "changed")
        target_dir = Path(folder)
        _check_levels(root, target_dir.parent)
        target_dir.mkdir(exist_ok=True)
        _check_levels(root, target_dir)
        name = _free_name(lambda n: os.path.lexists(target_dir / n), source.name)
        os.replace(source, target_dir / name)
        return target_dir / name
    src = _open_folder(root, source.parent)
    try:
        if not same(os.stat(source.name, dir_fd=src, follow_symlinks=False)):
            raise _Refused(source, "changed")
        dst = _open_folder(root, folder, make=True)
        try:
            def exists(candidate: str) -> bool:
                try:
                    os.stat(candidate, dir_fd=dst, follow_symlinks=False)
                except FileNotFoundError:
                    return False
                return True

            name = _free_name(exists, source.name)
            os.rename(source.name, name, src_dir_fd=src, dst_dir_fd=dst)
        finally:
            os.close(dst)
    finally:
        os.close(src)
    return Path(folder) / name


def move_share_file(root: Path, source: Path, folder: Path, *, same_as: os.stat_result,
                    timeout: float | None = None) -> Path:
    """Move `source` into `folder` (made if missing; both below `root`) without replacing a
    file there (`<stem>.<n>.<suffix>` instead), never through a link, and only while
    `source` is still the ordinary file `same_as` describes (what was read).

    Raises `ShareNotAFile` (a link somewhere, or `source` is another file now; left where it
    is), `ShareNotAnswering` or `OSError`.
    """
    try:
        return timed(lambda: _move(Path(root), Path(source), Path(folder), same_as),
                     folder=Path(source).parent, timeout=timeout)
    except _Refused as refused:
        if refused.kind == "changed":
            raise ShareFileChanged(file=Path(source).name) from None
        raise _refusal(refused) from None



def _make_levels(root: Path, folder: Path) -> None:
    reached = Path(root)
    for part in _levels(root, folder):
        reached = reached / part
        with contextlib.suppress(FileExistsError):
            os.mkdir(reached, 0o770)
        info = os.lstat(reached)
        if not stat.S_ISDIR(info.st_mode):
            raise _Refused(reached, _kind(info.st_mode))


def share_folder(root: Path, folder: Path, *, timeout: float | None = None) -> Path:
    """Make `folder` (below the share's `root`) where it is missing, one level at a time, and
    refuse a level that is a link or not a folder, so that a write into it lands on the share.

    Returns `folder`. Raises `ShareTargetNotAFile` (logged once), `ShareNotAnswering`, or
    `ShareWriteFailed` when a level cannot be made.
    """
    try:
        timed(lambda: _make_levels(Path(root), Path(folder)), folder=Path(folder),
              timeout=timeout)
    except _Refused as refused:
        note_left_alone(refused.path, refused.kind)
        raise ShareTargetNotAFile(file=refused.path.name) from None
    except OSError as exc:
        raise ShareWriteFailed(folder=str(folder)) from exc
    return Path(folder)

"""Look for a marker text in clear in every file under a folder (the self-check's leak test).

The marker is searched as UTF-8 and as UTF-16 in both byte orders (SQLite can store text as
UTF-16, Windows tools write it), in chunks, so big files are not read into memory at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1 << 20


def encodings_of(marker: str) -> tuple[bytes, ...]:
    """The byte strings that would show `marker` in clear."""
    return (
        marker.encode("utf-8"),
        marker.encode("utf-16-le"),
        marker.encode("utf-16-be"),
    )


def _files(folder: Path) -> Iterator[Path]:
    for base, _dirs, names in os.walk(folder, followlinks=False):
        for name in names:
            path = Path(base) / name
            if path.is_file() and not path.is_symlink():
                yield path


def file_holds(path: Path, patterns: tuple[bytes, ...]) -> bool:
    """Whether any of `patterns` occurs in the file (also across chunk borders)."""
    overlap = max(len(p) for p in patterns) - 1
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            window = tail + chunk
            if any(p in window for p in patterns):
                return True
            tail = window[-overlap:] if overlap else b""
    return False


def files_holding(folder: Path, marker: str) -> tuple[list[Path], int]:
    """(files under `folder` that hold `marker` in clear, relative; number of files scanned)."""
    patterns = encodings_of(marker)
    found: list[Path] = []
    scanned = 0
    for path in _files(folder):
        scanned += 1
        if file_holds(path, patterns):
            found.append(path.relative_to(folder))
    return sorted(found), scanned

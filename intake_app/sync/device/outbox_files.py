"""The outbox's bundle files: each stored bundle is one file in `<vault>/outbox/`.

A bundle is signed and age-encrypted to the centre before a byte of it is written, so keeping
it as a file in the vault folder shows nothing the share does not see, and spares writing every
byte through SQLCipher and reading it back for each copy (the database would encrypt an
already encrypted file a second time). The database stays the authority: a file counts only
while its `device_outbox` row is `ready` or `held` with the same name and size. Everything else
in the folder (a crash's partial file, a bundle whose row was never stored, a delivered or
refused bundle whose file outlived its commit) is swept away under the export lock.

A file is written under a new temporary dot-name, synced, renamed and the folder synced, like
every other file this application writes (`intake_app.storage.atomic_writer`); a failure
other than a full disk is `ShareWriteFailed` naming the folder. Exports hold `.export.lock` in the
folder (`exclusive`), so the application and `intake-app sync` on the same vault take turns
instead of sweeping each other's half-written bundle away.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from intake_app.storage import atomic_writer
from intake_app.sync.errors import ShareWriteFailed

OUTBOX_FOLDER = "outbox"
LOCK_FILE = ".export.lock"
READ_BYTES = 1 << 20


class OutboxFiles:
    """The folder of one vault's stored bundles."""

    def __init__(self, vault_folder: Path) -> None:
        self.folder = Path(vault_folder) / OUTBOX_FOLDER

    def path(self, name: str) -> Path:
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise ValueError("not a bundle file name")
        return self.folder / name

    @contextlib.contextmanager
    def writing(self, name: str) -> Iterator[BinaryIO]:
        """A seekable file that appears as `name` only when the block ends without error."""
        self.folder.mkdir(mode=0o700, exist_ok=True)
        try:
            with atomic_writer(self.path(name)) as handle:
                yield handle
        except OSError as exc:
            raise ShareWriteFailed(folder=str(self.folder)) from exc

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the outbox's lock file (waiting for another process that holds it)."""
        self.folder.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
            yield
        finally:
            os.close(fd)  # closing the file releases the lock

    def size(self, name: str) -> int | None:
        """The stored file's size, or None when it is missing."""
        try:
            return self.path(name).stat().st_size
        except OSError:
            return None

    def chunks(self, name: str) -> Iterator[bytes]:
        """The file's bytes, a piece at a time (`OSError` if it is missing)."""
        with open(self.path(name), "rb") as handle:
            while piece := handle.read(READ_BYTES):
                yield piece

    def remove(self, name: str) -> None:
        """Drop a bundle's file (done after the commit that made it unwanted)."""
        with contextlib.suppress(FileNotFoundError):
            self.path(name).unlink()

    def sweep(self, keep: Iterable[str]) -> list[str]:
        """Remove every entry not in `keep` (call under the export lock); return their names."""
        wanted = set(keep)
        removed: list[str] = []
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return removed
        for entry in entries:
            if (entry.name in wanted or entry.name == LOCK_FILE
                    or not entry.is_file(follow_symlinks=False)):
                continue
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed.append(entry.name)
        return removed


def _lock(fd: int) -> None:
    """Take an exclusive lock on the open file `fd`, waiting as long as it takes."""
    if sys.platform == "win32":
        import msvcrt

        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                continue  # LK_LOCK gives up after ten seconds; an export can take longer
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)

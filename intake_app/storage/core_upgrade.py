"""What follows a core migration at unlock, resumably: move, compact, check, drop the backups.

A core migration (after the usual backup) leaves a `core_upgrade` row whose `stage` says what
is left; schema 3 starts it at 'moving'. Each unlock finishes what a kill cut short:

1. moving: one blob per transaction. Its file is written and synced first; the transaction
   then names it in `attachment_file` and deletes the blob's chunks. Killed before the commit,
   the blob is still there and its file has no row (the sweep removes it); after, it is gone.
   The last transaction drops `blob` and `blob_chunk`. (Schema 3 only: attachments leave
   the database for encrypted files, see attachment_files.py.)
2. compacting: VACUUM gives the freed pages back to the disk (a full disk postpones it).
3. checking: the vault's own check; once it passes the stage table goes, and the vault removes
   the migration backups of the core schema without checking again (`finish_upgrade` says it
   checked; `migration_backups.remove_landed_backups`). They hold the database only: attachment
   files never change. A failed check keeps them and says so (`check-failed`): `vault check`
   tells. Killed between the two, the backups are landed ones, and go as every other does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from intake_app.errors import DiskFull
from intake_app.storage.attachment_files import AttachmentFiles
from intake_app.storage.database import Connection, Database

_NO_LIMIT = 1 << 62


def upgrade_stage(conn: Connection) -> str | None:
    """What is left after a core migration, or None when nothing is."""
    if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'core_upgrade'"
    ).fetchone():
        return None
    row = conn.execute("SELECT stage FROM core_upgrade").fetchone()
    return None if row is None else str(row[0])


def finish_upgrade(db: Database, files: AttachmentFiles, check: Callable[[], bool]) -> bool:
    """Take the upgrade as far as it goes (the module's steps); `check` is the vault check.
    True when it ran and passed just now: the upgrade is over and the database checks."""
    with db.reading() as conn:
        stage = upgrade_stage(conn)
    if stage == "moving":
        while (num := _next_blob(db)) is not None:
            _move_blob(db, files, num)
        with db.transaction() as conn:
            if not conn.execute("SELECT 1 FROM blob LIMIT 1").fetchone():
                conn.execute("DROP TABLE blob_chunk")
                conn.execute("DROP TABLE blob")
                _set_stage(conn, "compacting")
        stage = "compacting"
    if stage == "compacting":
        try:
            with db.reading() as conn:
                conn.execute("VACUUM")
                # In WAL mode the compacted pages sit in the WAL until a checkpoint.
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except DiskFull:
            return False  # the vault works uncompacted; the next unlock tries again
        with db.transaction() as conn:
            _set_stage(conn, "checking")
        stage = "checking"
    if stage == "checking":
        if not check():
            with db.transaction() as conn:
                _set_stage(conn, "check-failed")
            return False
        with db.transaction() as conn:
            conn.execute("DROP TABLE core_upgrade")
        return True
    return False


def _set_stage(conn: Connection, stage: str) -> None:
    conn.execute("UPDATE core_upgrade SET stage = ? WHERE id = 1", (stage,))


def _next_blob(db: Database) -> int | None:
    with db.reading() as conn:
        row = conn.execute("SELECT num FROM blob ORDER BY num LIMIT 1").fetchone()
    return None if row is None else int(row[0])


def _move_blob(db: Database, files: AttachmentFiles, num: int) -> None:
    with db.reading() as conn:
        sha256 = conn.execute("SELECT sha256 FROM blob WHERE num = ?", (num,)).fetchone()[0]
    written = files.write(_BlobReader(db, num), limit=_NO_LIMIT)  # type: ignore[arg-type]
    # Content that no longer matches its recorded hash keeps that hash: nothing is dropped,
    # and the check after the move reports the file.
    written = dataclasses.replace(written, sha256=str(sha256))
    named = False
    try:
        with db.transaction() as conn:
            if conn.execute("SELECT 1 FROM blob WHERE num = ?", (num,)).fetchone():
                conn.execute(
                    "INSERT INTO attachment_file (sha256, size, file, identity) "
                    "VALUES (?, ?, ?, ?)",
                    (written.sha256, written.size, written.name, written.identity),
                )
                conn.execute("DELETE FROM blob_chunk WHERE blob = ?", (num,))
                conn.execute("DELETE FROM blob WHERE num = ?", (num,))
                named = True
    finally:
        if not named:
            files.remove(written.name)  # another process moved it, or the commit failed
        written.release()


class _BlobReader:
    """`read(n)` over one blob's chunks, one chunk in memory at a time."""

    def __init__(self, db: Database, num: int) -> None:
        self._db = db
        self._num = num
        self._seq = 0
        self._chunk = memoryview(b"")

    def read(self, size: int = -1, /) -> bytes:
        if not self._chunk:
            with self._db.reading() as conn:
                row = conn.execute(
                    "SELECT data FROM blob_chunk WHERE blob = ? AND seq = ?", (self._num, self._seq)
                ).fetchone()
            if row is None:
                return b""
            self._chunk = memoryview(bytes(row[0]))
            self._seq += 1
        count = len(self._chunk) if size < 0 else min(size, len(self._chunk))
        piece = bytes(self._chunk[:count])
        self._chunk = self._chunk[count:]
        return piece

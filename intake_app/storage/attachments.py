"""Attachment rows: which record holds which content, and where each content's age file is.

Content is addressed by SHA-256: `attachment_file` has one row per content (size, file name,
the file's X25519 identity); `attachment` links records to it with a media type and a name.
Identical content attached twice is stored once. The files themselves are `attachment_files`'
business; the order of the two is what keeps them consistent:

- adding writes and syncs the file first, then inserts the rows; if the transaction is undone,
  the file goes again (and a crash in between leaves a file the unlock sweep removes);
- removing deletes the rows (secure_delete shreds the key) and the file only after COMMIT.

The functions taking `conn` run inside the caller's transaction (the worker's store, the
centre's import); the file actions wait for that transaction's end (`VaultConnection`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from intake_app.errors import NotFound
from intake_app.storage.attachment_files import AttachmentFiles, Progress, WrittenFile
from intake_app.storage.attachment_reader import AttachmentReader
from intake_app.storage.database import Connection, Database
from intake_app.storage.documents import utc_now
from intake_app.storage.models import AttachmentInfo

CHUNK_BYTES = 1024 * 1024  # schema 1's chunks inside the database (read by core_upgrade)
DEFAULT_LIMIT_BYTES = 2 * 1024 * 1024 * 1024


def files_of(conn: Connection) -> AttachmentFiles:
    """The attachment files of the vault this connection belongs to."""
    folder: Path | None = getattr(conn, "vault_folder", None)
    if folder is None:
        raise RuntimeError("not a vault connection")
    return AttachmentFiles(folder)


def add_attachment(
    conn: Connection,
    record_id: str,
    source: BinaryIO,
    media_type: str,
    name: str,
    limit: int = DEFAULT_LIMIT_BYTES,
    progress: Progress | None = None,
) -> AttachmentInfo:
    """Stream `source` into a new file and link it to the record, inside the caller's
    transaction (the file goes again if that transaction is undone)."""
    files = files_of(conn)
    written = files.write(source, limit=limit, progress=progress)
    return link_written(conn, files, record_id, written, media_type, name)


def link_written(
    conn: Connection,
    files: AttachmentFiles,
    record_id: str,
    written: WrittenFile,
    media_type: str,
    name: str,
) -> AttachmentInfo:
    """Name a file just written in the rows (or drop it if its content is held already);
    inside the caller's transaction, which owns the file from here on."""
    try:
        held = conn.execute(
            "SELECT 1 FROM attachment_file WHERE sha256 = ?", (written.sha256,)
        ).fetchone()
        if held is None:
            conn.execute(
                "INSERT INTO attachment_file (sha256, size, file, identity) VALUES (?, ?, ?, ?)",
                (written.sha256, written.size, written.name, written.identity),
            )
        conn.execute(
            "INSERT INTO attachment (interview_id, sha256, media_type, name, added) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (interview_id, sha256) "
            "DO UPDATE SET media_type = excluded.media_type, name = excluded.name",
            (record_id, written.sha256, media_type, name, utc_now()),
        )
    except BaseException:
        _discard(files, written)
        raise
    if held is not None:
        _discard(files, written)  # the same content has a file already
    else:
        _after(conn, commit=written.release, rollback=lambda: _discard(files, written))
    return AttachmentInfo(sha256=written.sha256, size=written.size, media_type=media_type,
                          name=name)


def link_held(conn: Connection, record_id: str, sha256: str, media_type: str, name: str
              ) -> bool:
    """Link content the vault holds already (its row exists) to a record, inside the caller's
    transaction; False when no row holds that content."""
    if conn.execute("SELECT 1 FROM attachment_file WHERE sha256 = ?", (sha256,)).fetchone() is None:
        return False
    conn.execute(
        "INSERT INTO attachment (interview_id, sha256, media_type, name, added) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (interview_id, sha256) "
        "DO UPDATE SET media_type = excluded.media_type, name = excluded.name",
        (record_id, sha256, media_type, name, utc_now()),
    )
    return True


def list_attachments(conn: Connection, record_id: str) -> list[AttachmentInfo]:
    """The record's attachments in the order they were added."""
    rows = conn.execute(
        "SELECT a.sha256, f.size, a.media_type, a.name FROM attachment AS a "
        "JOIN attachment_file AS f ON f.sha256 = a.sha256 WHERE a.interview_id = ? "
        "ORDER BY a.added, a.name",
        (record_id,),
    )
    return [AttachmentInfo(sha256=r[0], size=r[1], media_type=r[2], name=r[3]) for r in rows]


def list_all_attachments(conn: Connection) -> dict[str, list[AttachmentInfo]]:
    """Every record's attachments, by record id, each list in the order they were added."""
    rows = conn.execute(
        "SELECT a.interview_id, a.sha256, f.size, a.media_type, a.name FROM attachment AS a "
        "JOIN attachment_file AS f ON f.sha256 = a.sha256 ORDER BY a.interview_id, a.added, a.name"
    )
    found: dict[str, list[AttachmentInfo]] = {}
    for r in rows:
        found.setdefault(r[0], []).append(
            AttachmentInfo(sha256=r[1], size=r[2], media_type=r[3], name=r[4]))
    return found


def remove_attachment(conn: Connection, record_id: str, sha256: str) -> None:
    """Unlink one attachment; its content goes when no record refers to it any more."""
    cursor = conn.execute(
        "DELETE FROM attachment WHERE interview_id = ? AND sha256 = ?", (record_id, sha256)
    )
    if cursor.rowcount == 0:
        raise NotFound()
    _drop_if_unused(conn, sha256)


def remove_all_attachments(conn: Connection, record_id: str) -> None:
    """Unlink every attachment of a record (delete, purge, discarded new draft)."""
    hashes = [
        row[0]
        for row in conn.execute(
            "SELECT sha256 FROM attachment WHERE interview_id = ?", (record_id,)
        )
    ]
    conn.execute("DELETE FROM attachment WHERE interview_id = ?", (record_id,))
    for sha in hashes:
        _drop_if_unused(conn, sha)


def open_attachment(db: Database, files: AttachmentFiles, sha256: str) -> AttachmentReader:
    """A forward-only reader over one attachment's content (NotFound if none has it)."""
    with db.read_transaction() as conn:
        row = conn.execute(
            "SELECT file, identity, size FROM attachment_file WHERE sha256 = ?", (sha256,)
        ).fetchone()
    if row is None:
        raise NotFound()
    return files.open(row[0], row[1], sha256, row[2], lambda: db.is_open)


def is_named(conn: Connection, file_name: str) -> bool:
    """Whether a row names this file (asked by the sweep, file by file)."""
    row = conn.execute("SELECT 1 FROM attachment_file WHERE file = ?", (file_name,)).fetchone()
    return row is not None


def file_names(conn: Connection) -> set[str]:
    """Every file name the rows hold."""
    return {row[0] for row in conn.execute("SELECT file FROM attachment_file")}


def file_rows(conn: Connection) -> list[tuple[str, str, str, int]]:
    """Every content's (file name, identity, sha256, size), for `check_files`."""
    rows = conn.execute("SELECT file, identity, sha256, size FROM attachment_file").fetchall()
    return [(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]


def links_without_content(conn: Connection) -> int:
    """How many attachment links name content that has no file row."""
    return int(conn.execute(
        "SELECT count(*) FROM attachment AS a WHERE NOT EXISTS "
        "(SELECT 1 FROM attachment_file AS f WHERE f.sha256 = a.sha256)"
    ).fetchone()[0])


def check_files(rows: list[tuple[str, str, str, int]], files: AttachmentFiles) -> list[str]:
    """Problems found by decrypting and hashing every file (`vault check`), without holding
    the database; file names are random and shown, the content's hashes are not."""
    problems = []
    for file, identity, sha256, size in rows:
        problem = files.verify(file, identity, sha256, size)
        if problem is not None:
            problems.append(f"attachment file {file}: {problem}")
    return problems


def _drop_if_unused(conn: Connection, sha256: str) -> None:
    if conn.execute("SELECT 1 FROM attachment WHERE sha256 = ? LIMIT 1", (sha256,)).fetchone():
        return
    row = conn.execute("SELECT file FROM attachment_file WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        return
    conn.execute("DELETE FROM attachment_file WHERE sha256 = ?", (sha256,))
    if hasattr(conn, "after_commit"):
        files, file_name = files_of(conn), str(row[0])
        conn.after_commit.append(lambda: files.remove(file_name))
    # else: the file has no row any more; the next unlock's sweep removes it


def _discard(files: AttachmentFiles, written: WrittenFile) -> None:
    files.remove(written.name)
    written.release()


def _after(conn: Connection, *, commit: Callable[[], None],
           rollback: Callable[[], None]) -> None:
    """Run `commit` after the caller's COMMIT, `rollback` if its transaction is undone."""
    if not hasattr(conn, "after_commit"):
        commit()  # not a transaction of ours: nothing will say when it ends
        return
    conn.after_commit.append(commit)
    conn.after_rollback.append(rollback)

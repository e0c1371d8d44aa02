"""Attachments inside the vault: content-addressed by SHA-256, stored and read in chunks.

A file is read from its source one chunk at a time while its hash is computed, so neither
writing nor reading ever holds more than one chunk in memory, whatever the file's size.
Identical content attached twice is stored once.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from typing import BinaryIO

from intake_app.errors import AttachmentTooLarge, NotFound, VaultLocked
from intake_app.storage.database import Connection, Database
from intake_app.storage.documents import utc_now
from intake_app.storage.models import AttachmentInfo

CHUNK_BYTES = 1024 * 1024
DEFAULT_LIMIT_BYTES = 2 * 1024 * 1024 * 1024


def add_attachment(
    conn: Connection,
    record_id: str,
    source: BinaryIO,
    media_type: str,
    name: str,
    limit: int = DEFAULT_LIMIT_BYTES,
) -> AttachmentInfo:
    """Store `source` (streamed) and link it to the record; call inside one transaction."""
    sha, size = _store_blob(conn, source, limit)
    conn.execute(
        "INSERT INTO attachment (interview_id, sha256, media_type, name, added) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (interview_id, sha256) "
        "DO UPDATE SET media_type = excluded.media_type, name = excluded.name",
        (record_id, sha, media_type, name, utc_now()),
    )
    return AttachmentInfo(sha256=sha, size=size, media_type=media_type, name=name)


def list_attachments(conn: Connection, record_id: str) -> list[AttachmentInfo]:
    """The record's attachments in the order they were added."""
    rows = conn.execute(
        "SELECT a.sha256, b.size, a.media_type, a.name FROM attachment AS a "
        "JOIN blob AS b ON b.sha256 = a.sha256 WHERE a.interview_id = ? ORDER BY a.added, a.name",
        (record_id,),
    )
    return [AttachmentInfo(sha256=r[0], size=r[1], media_type=r[2], name=r[3]) for r in rows]


def list_all_attachments(conn: Connection) -> dict[str, list[AttachmentInfo]]:
    """Every record's attachments, by record id, each list in the order they were added."""
    rows = conn.execute(
        "SELECT a.interview_id, a.sha256, b.size, a.media_type, a.name FROM attachment AS a "
        "JOIN blob AS b ON b.sha256 = a.sha256 ORDER BY a.interview_id, a.added, a.name"
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


def _store_blob(conn: Connection, source: BinaryIO, limit: int) -> tuple[str, int]:
    # The blob row gets a placeholder name until the hash is known; only this small row is
    # renamed afterwards, never the chunks.
    placeholder = "pending-" + secrets.token_hex(16)
    blob = conn.execute(
        "INSERT INTO blob (sha256, size, chunk_size) VALUES (?, 0, ?)", (placeholder, CHUNK_BYTES)
    ).lastrowid
    digest = hashlib.sha256()
    size = seq = 0
    while chunk := _read_chunk(source):
        size += len(chunk)
        if size > limit:
            raise AttachmentTooLarge(limit=f"{limit // 1_000_000} MB")
        digest.update(chunk)
        conn.execute(
            "INSERT INTO blob_chunk (blob, seq, data) VALUES (?, ?, ?)", (blob, seq, chunk)
        )
        seq += 1
        del chunk
    sha = digest.hexdigest()
    if conn.execute("SELECT 1 FROM blob WHERE sha256 = ?", (sha,)).fetchone():
        conn.execute("DELETE FROM blob_chunk WHERE blob = ?", (blob,))
        conn.execute("DELETE FROM blob WHERE num = ?", (blob,))
    else:
        conn.execute("UPDATE blob SET sha256 = ?, size = ? WHERE num = ?", (sha, size, blob))
    return sha, size


def _read_chunk(source: BinaryIO) -> bytes:
    """Up to CHUNK_BYTES from `source`, full-sized unless the source ends."""
    first = source.read(CHUNK_BYTES)
    if not first or len(first) == CHUNK_BYTES:
        return first or b""
    buffer = bytearray(first)
    while len(buffer) < CHUNK_BYTES:
        more = source.read(CHUNK_BYTES - len(buffer))
        if not more:
            break
        buffer += more
    return bytes(buffer)


def _drop_if_unused(conn: Connection, sha256: str) -> None:
    if conn.execute("SELECT 1 FROM attachment WHERE sha256 = ? LIMIT 1", (sha256,)).fetchone():
        return
    row = conn.execute("SELECT num FROM blob WHERE sha256 = ?", (sha256,)).fetchone()
    if row:
        conn.execute("DELETE FROM blob_chunk WHERE blob = ?", (row[0],))
        conn.execute("DELETE FROM blob WHERE num = ?", (row[0],))


class AttachmentReader(io.RawIOBase):
    """A seekable binary reader over one stored attachment, holding one chunk at a time."""

    def __init__(self, db: Database, sha256: str) -> None:
        super().__init__()
        with db.reading() as conn:
            row = conn.execute(
                "SELECT num, size, chunk_size FROM blob WHERE sha256 = ?", (sha256,)
            ).fetchone()
        if row is None:
            raise NotFound()
        self._db = db
        self._blob, self.size, self._chunk_size = row
        self.sha256 = sha256
        self._pos = 0
        self._chunk_seq = -1
        self._chunk = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self.closed:
            raise ValueError("I/O operation on closed attachment")
        if not self._db.is_open:
            self._chunk = b""  # a locked vault shows nothing, not even what was read already
            raise VaultLocked()
        if self._pos >= self.size:
            return 0
        seq, offset = divmod(self._pos, self._chunk_size)
        chunk = memoryview(self._load(seq))[offset:]
        count = min(len(buffer), len(chunk))
        buffer[:count] = chunk[:count]
        self._pos += count
        return count

    def close(self) -> None:
        self._chunk = b""
        super().close()

    def _load(self, seq: int) -> bytes:
        if seq != self._chunk_seq:
            self._chunk = b""  # let the previous chunk go before the next one arrives
            with self._db.reading() as conn:
                row = conn.execute(
                    "SELECT data FROM blob_chunk WHERE blob = ? AND seq = ?", (self._blob, seq)
                ).fetchone()
            if row is None:
                raise NotFound()
            self._chunk, self._chunk_seq = bytes(row[0]), seq
        return self._chunk

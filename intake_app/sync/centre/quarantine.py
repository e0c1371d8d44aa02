"""Quarantine: bundles held inside the centre vault until an approval or an administrator
frees them.

The whole bundle file is kept, still encrypted and signed, in chunks in the vault (never as a
loose copy on disk). It is read through the handle the checks read (never by its name again),
and `payload.age`'s bytes are hashed as they are stored: only the bytes whose hash was verified
are held (`ShareFileChanged` otherwise, and nothing is held). Releasing a held bundle runs the
complete import on those bytes again, so every check is made afresh. The same bundle held
twice is stored once.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from intake_app.domain.utc_time import utc_now
from intake_app.storage import Connection, Vault
from intake_app.sync.centre.errors import HeldBundleNotFound
from intake_app.sync.errors import Reason, ShareFileChanged
from intake_app.sync.format.reader import SignedBundle

CHUNK = 1024 * 1024
_SELECT = ("SELECT num, device_id, seq, payload_sha256, reason, file_name, size, held "
           "FROM centre_held")


@dataclass(frozen=True)
class HeldBundle:
    """A bundle waiting in quarantine."""

    num: int
    device_id: str
    seq: int
    payload_sha256: str
    reason: Reason
    file_name: str
    size: int
    held: str


def _held(row: Sequence[object]) -> HeldBundle:
    num, device, seq, payload, reason, name, size, held = row
    return HeldBundle(int(str(num)), str(device), int(str(seq)), str(payload),
                      Reason(str(reason)), str(name), int(str(size)), str(held))


def _chunks(source: bytes | BinaryIO, signed: SignedBundle, file_name: str) -> Iterator[bytes]:
    """The bundle's bytes in pieces: hold what was hashed. From a handle, exactly the bytes
    the checks saw (its size at opening), `payload.age`'s span hashed again on the way."""
    if isinstance(source, bytes):
        handle: BinaryIO = io.BytesIO(source)
    else:
        handle = source
    size = handle.seek(0, io.SEEK_END)
    handle.seek(0)
    start, length = signed.payload_span or (0, -1)
    digest = hashlib.sha256()
    position = 0
    while position < size:
        chunk = handle.read(min(CHUNK, size - position))
        if not chunk:
            break  # shorter than when it was checked
        low, high = max(start, position), min(start + length, position + len(chunk))
        if high > low:
            digest.update(chunk[low - position : high - position])
        position += len(chunk)
        yield chunk
    if position != size or length < 0 or digest.hexdigest() != signed.payload_sha256:
        raise ShareFileChanged(file=file_name)


def hold(conn: Connection, signed: SignedBundle, reason: Reason, file_name: str,
         source: bytes | BinaryIO) -> int:
    """Keep a bundle in quarantine (inside the caller's transaction); returns its number.

    `source` is the bundle's bytes or the handle its checks read. A bundle already held keeps
    its copy and takes the new reason. Raises `ShareFileChanged` (nothing held) when the
    bytes read are not those verified.
    """
    row = conn.execute(
        "SELECT num FROM centre_held WHERE device_id = ? AND seq = ? AND payload_sha256 = ?",
        (signed.device_id, signed.seq, signed.payload_sha256),
    ).fetchone()
    if row is not None:
        conn.execute("UPDATE centre_held SET reason = ? WHERE num = ?", (reason.value, row[0]))
        return int(row[0])
    conn.execute("SAVEPOINT centre_hold")
    try:
        num = _store(conn, signed, reason, file_name, source)
    except BaseException:
        conn.execute("ROLLBACK TO centre_hold")
        conn.execute("RELEASE centre_hold")
        raise
    conn.execute("RELEASE centre_hold")
    return num


def _store(conn: Connection, signed: SignedBundle, reason: Reason, file_name: str,
           source: bytes | BinaryIO) -> int:
    num = int(conn.execute(
        "INSERT INTO centre_held (device_id, seq, payload_sha256, reason, file_name, size, held) "
        "VALUES (?, ?, ?, ?, ?, 0, ?)",
        (signed.device_id, signed.seq, signed.payload_sha256, reason.value, file_name,
         utc_now()),
    ).lastrowid)
    size = 0
    for index, chunk in enumerate(_chunks(source, signed, file_name)):
        conn.execute("INSERT INTO centre_held_chunk (held, seq, data) VALUES (?, ?, ?)",
                     (num, index, chunk))
        size += len(chunk)
    conn.execute("UPDATE centre_held SET size = ? WHERE num = ?", (size, num))
    return num


def held_bundles(vault: Vault, *, device_id: str | None = None,
                 reason: Reason | None = None) -> list[HeldBundle]:
    """Bundles in quarantine, by device and sequence number."""
    clauses: list[str] = []
    params: list[str] = []
    if device_id is not None:
        clauses.append("device_id = ?")
        params.append(device_id)
    if reason is not None:
        clauses.append("reason = ?")
        params.append(reason.value)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    with vault.reading() as conn:
        rows = conn.execute(_SELECT + where + " ORDER BY device_id, seq, num", params).fetchall()
    return [_held(row) for row in rows]


def get_held(vault: Vault, num: int) -> HeldBundle:
    """One held bundle; raises `HeldBundleNotFound`."""
    with vault.reading() as conn:
        row = conn.execute(_SELECT + " WHERE num = ?",
                           (num,)).fetchone()
    if row is None:
        raise HeldBundleNotFound(number=num)
    return _held(row)


def held_bytes(vault: Vault, num: int) -> bytes:
    """The held bundle file's bytes, for importing it again."""
    with vault.reading() as conn:
        rows = conn.execute("SELECT data FROM centre_held_chunk WHERE held = ? ORDER BY seq",
                            (num,)).fetchall()
    return b"".join(bytes(row[0]) for row in rows)


def drop_held(conn: Connection, num: int) -> None:
    """Forget a held bundle once it has been imported or refused (caller's transaction)."""
    conn.execute("DELETE FROM centre_held_chunk WHERE held = ?", (num,))
    conn.execute("DELETE FROM centre_held WHERE num = ?", (num,))

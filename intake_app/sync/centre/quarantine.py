"""Quarantine: bundles held by the centre until an approval or an administrator frees them.

The whole bundle file is kept, still encrypted and signed, as an encrypted file of the vault's
`held/` folder (`storage.AttachmentFiles`: a key of its own in the row, so removing the row and
the file leaves nothing readable), never as a loose copy. It is read through the handle the
checks read (never by its name again), and `payload.age`'s bytes are hashed as they are stored:
only the bytes whose hash was verified are held (`ShareFileChanged` otherwise, and nothing is
held). Releasing a held bundle runs the complete import on those bytes again, so every check is
made afresh. The same bundle held twice is stored once. Forgetting a held bundle removes its
file after the commit, which gives the space back to the file system at once. (Vaults made
before held files kept them as chunks in `centre_held_chunk`; those are still read, and
deleted with their row.)

Held bundles are capped (`CAPS`, bundle-format.md "Enrolment request"), because anyone who can
write to the share can make a key and a request: a bundle over a cap is not held
(`HeldCapReached`): the inbox leaves it where it is, unanswered, and the administrator gets one
alert per laptop and cap (`note_cap_alert`).
"""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from intake_app.domain.utc_time import utc_now
from intake_app.storage import AttachmentDamaged, AttachmentFiles, Connection, Vault, WrittenFile
from intake_app.sync.centre.apply import Choice, Kept
from intake_app.sync.centre.errors import HeldBundleNotFound, HeldCapReached
from intake_app.sync.errors import Reason, ShareFileChanged
from intake_app.sync.format.reader import SignedBundle

HELD_FOLDER = "held"
GIB = 1024 ** 3


@dataclass(frozen=True)
class HeldCaps:
    """The quarantine's caps (tests shrink them by replacing `CAPS`)."""

    device_count: int = 20  # bundles held per laptop waiting for approval
    device_bytes: int = GIB  # bytes held per laptop waiting for approval
    total_bytes: int = 4 * GIB  # bytes held for all laptops together ...
    free_fraction: float = 0.5  # ... and at most this part of the vault disk's free space


CAPS = HeldCaps()


def disk_free(folder: Path) -> int:
    """Free bytes on the disk that holds `folder`."""
    return shutil.disk_usage(folder).free


def held_files(vault: Vault) -> AttachmentFiles:
    """The vault's folder of held bundle files."""
    return AttachmentFiles(vault.folder, HELD_FOLDER)


CHUNK = 1024 * 1024
_SELECT = ("SELECT num, device_id, seq, payload_sha256, reason, file_name, size, held "
           "FROM centre_held")
_FILE_SELECT = "SELECT file, identity, file_sha256, size FROM centre_held WHERE num = ?"


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


class _ChunkReader:
    """`read(n)` over `_chunks`, for the encrypting writer."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._rest = b""

    def read(self, size: int = -1, /) -> bytes:
        while not self._rest:
            piece = next(self._chunks, None)
            if piece is None:
                return b""
            self._rest = piece
        if size < 0:
            size = len(self._rest)
        piece, self._rest = self._rest[:size], self._rest[size:]
        return piece


def _size_of(source: bytes | BinaryIO) -> int:
    if isinstance(source, bytes):
        return len(source)
    return source.seek(0, io.SEEK_END)


def check_caps(conn: Connection, device_id: str, reason: Reason, size: int, folder: Path,
               caps: HeldCaps | None = None) -> None:
    """Raise `HeldCapReached` when holding `size` more bytes for `device_id` would go over a
    cap: the per-laptop caps for a laptop waiting for approval, the total cap for any."""
    caps = caps or CAPS
    count, device_bytes = conn.execute(
        "SELECT count(*), coalesce(sum(size), 0) FROM centre_held WHERE device_id = ?",
        (device_id,)).fetchone()
    if reason is Reason.DEVICE_PENDING:
        if int(count) + 1 > caps.device_count:
            raise HeldCapReached(device_id, "count")
        if int(device_bytes) + size > caps.device_bytes:
            raise HeldCapReached(device_id, "device-size")
    total = int(conn.execute("SELECT coalesce(sum(size), 0) FROM centre_held").fetchone()[0])
    allowed = min(caps.total_bytes, int(disk_free(folder) * caps.free_fraction))
    if total + size > allowed:
        raise HeldCapReached(device_id, "total-size")


def hold(conn: Connection, vault: Vault, signed: SignedBundle, reason: Reason, file_name: str,
         source: bytes | BinaryIO, written: list[WrittenFile]) -> int:
    """Keep a bundle in quarantine (inside the caller's transaction); returns its number.

    `source` is the bundle's bytes or the handle its checks read. A bundle already held keeps
    its copy and takes the new reason. The new file is appended to `written`: the caller
    releases it after the commit, or removes it after a rollback. Raises `HeldCapReached`
    (nothing held) when a cap would be passed, `ShareFileChanged` (nothing held) when the
    bytes read are not those verified.
    """
    row = conn.execute(
        "SELECT num FROM centre_held WHERE device_id = ? AND seq = ? AND payload_sha256 = ?",
        (signed.device_id, signed.seq, signed.payload_sha256),
    ).fetchone()
    if row is not None:
        conn.execute("UPDATE centre_held SET reason = ? WHERE num = ?", (reason.value, row[0]))
        return int(row[0])
    size = _size_of(source)
    check_caps(conn, signed.device_id, reason, size, vault.folder)
    files = held_files(vault)
    stored = files.write(_ChunkReader(_chunks(source, signed, file_name)),  # type: ignore[arg-type]
                         limit=size)
    written.append(stored)
    return int(conn.execute(
        "INSERT INTO centre_held (device_id, seq, payload_sha256, reason, file_name, size, held, "
        "file, identity, file_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (signed.device_id, signed.seq, signed.payload_sha256, reason.value, file_name,
         stored.size, utc_now(), stored.name, stored.identity, stored.sha256),
    ).lastrowid)


def settle_files(vault: Vault, written: Iterable[WrittenFile], dropped: Iterable[str], *,
                 committed: bool) -> None:
    """After the transaction that held or forgot bundles: release (committed) or remove
    (rolled back) the files it wrote; remove the files of the rows it deleted (committed)."""
    files = held_files(vault)
    for stored in written:
        if not committed:
            files.remove(stored.name)
        stored.release()
    if committed:
        for name in dropped:
            files.remove(name)


def sweep_held(vault: Vault) -> int:
    """Remove held files no row names (left by a crash); returns how many went."""
    def is_named(name: str) -> bool:
        with vault.reading() as conn:
            return conn.execute("SELECT 1 FROM centre_held WHERE file = ?",
                                (name,)).fetchone() is not None

    return held_files(vault).sweep(is_named)


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
    """The held bundle file's bytes, for importing it again (raises `AttachmentDamaged` when
    its file is missing or not what was stored)."""
    with vault.reading() as conn:
        row = conn.execute(_FILE_SELECT, (num,)).fetchone()
        if row is None or row[0] is None:  # held before held files: chunks in the database
            rows = conn.execute("SELECT data FROM centre_held_chunk WHERE held = ? ORDER BY seq",
                                (num,)).fetchall()
            return b"".join(bytes(chunk[0]) for chunk in rows)
    name, identity, sha256, size = (str(row[0]), str(row[1]), str(row[2]), int(row[3]))
    with held_files(vault).open(name, identity, sha256, size,
                                lambda: not vault.is_locked) as reader:
        data = reader.read()
    if len(data) != size:
        raise AttachmentDamaged()
    return data


def drop_held(conn: Connection, num: int) -> str | None:
    """Forget a held bundle (caller's transaction); returns the name of its file, to remove
    once the transaction committed (`settle_files`)."""
    row = conn.execute("SELECT file FROM centre_held WHERE num = ?", (num,)).fetchone()
    conn.execute("DELETE FROM centre_held_chunk WHERE held = ?", (num,))
    conn.execute("DELETE FROM centre_conflict_choice WHERE held = ?", (num,))
    conn.execute("DELETE FROM centre_held WHERE num = ?", (num,))
    return None if row is None or row[0] is None else str(row[0])


def keep_choices(conn: Connection, signed: SignedBundle, choices: Iterable[Choice]) -> None:
    """Keep the administrator's choices with the held bundle they were made for, while its
    other record conflicts wait (inside the transaction that held it again)."""
    row = conn.execute(
        "SELECT num FROM centre_held WHERE device_id = ? AND seq = ? AND payload_sha256 = ?",
        (signed.device_id, signed.seq, signed.payload_sha256)).fetchone()
    for choice in choices:
        conn.execute(
            "INSERT OR REPLACE INTO centre_conflict_choice (held, record_id, revision, "
            "laptop_sha256, kept, chosen_by, chosen) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (row[0], choice.record_id, choice.revision, choice.laptop_sha256,
             choice.kept.value, choice.by, choice.chosen))


def held_choices(conn: Connection, num: int) -> list[Choice]:
    """The choices kept with held bundle `num`."""
    rows = conn.execute(
        "SELECT record_id, revision, laptop_sha256, kept, chosen_by, chosen FROM "
        "centre_conflict_choice WHERE held = ? ORDER BY record_id, revision", (num,)).fetchall()
    return [Choice(str(r[0]), int(r[1]), str(r[2]), Kept(str(r[3])), str(r[4]), str(r[5]))
            for r in rows]


def drop_device_held(vault: Vault, device_id: str) -> int:
    """Forget every bundle held for a laptop and remove their files (a revocation or a
    dismissal); returns how many went."""
    with vault.transaction() as conn:
        nums = [int(row[0]) for row in conn.execute(
            "SELECT num FROM centre_held WHERE device_id = ?", (device_id,)).fetchall()]
        names = [name for num in nums if (name := drop_held(conn, num)) is not None]
        conn.execute("DELETE FROM centre_cap_alert WHERE device_id = ?", (device_id,))
    settle_files(vault, (), names, committed=True)
    return len(nums)


# --- alerts for the caps ------------------------------------------------------------------


@dataclass(frozen=True)
class CapAlert:
    """A laptop whose bundle was left in the inbox because of a cap (`HeldCapReached.cap`)."""

    num: int
    device_id: str
    cap: str
    at: str
    acknowledged: str | None


def note_cap_alert(vault: Vault, reached: HeldCapReached) -> bool:
    """Record the alert for this laptop and cap, once (True when it is new)."""
    with vault.transaction() as conn:
        return bool(conn.execute(
            "INSERT OR IGNORE INTO centre_cap_alert (device_id, cap, at) VALUES (?, ?, ?)",
            (reached.device, reached.cap, utc_now())).rowcount)


def cap_alerts(vault: Vault, *, include_acknowledged: bool = False) -> list[CapAlert]:
    """The caps' alerts, newest first."""
    sql = "SELECT num, device_id, cap, at, acknowledged FROM centre_cap_alert"
    if not include_acknowledged:
        sql += " WHERE acknowledged IS NULL"
    with vault.reading() as conn:
        rows = conn.execute(sql + " ORDER BY num DESC").fetchall()
    return [CapAlert(int(r[0]), str(r[1]), str(r[2]), str(r[3]),
                     None if r[4] is None else str(r[4])) for r in rows]


def acknowledge_cap_alert(vault: Vault, num: int) -> bool:
    """Mark a cap's alert as seen (it is not raised again for that laptop and cap)."""
    with vault.transaction() as conn:
        return bool(conn.execute(
            "UPDATE centre_cap_alert SET acknowledged = ? WHERE num = ? AND acknowledged IS NULL",
            (utc_now(), num)).rowcount)


def clear_cap_alerts(vault: Vault, device_id: str) -> None:
    """Forget a laptop's caps' alerts (its held bundles were released: it may be told again)."""
    with vault.transaction() as conn:
        conn.execute("DELETE FROM centre_cap_alert WHERE device_id = ?", (device_id,))


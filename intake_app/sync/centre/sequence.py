"""Sequence numbers per device: duplicates, conflicts, far-ahead bundles, gaps.

`seq-far-ahead`: a bundle whose sequence number is more than `SEQ_FAR_AHEAD` (100, defined by
the format core) beyond the highest number this centre has *accepted or seen abandoned* from the
device is held for an administrator. Held bundles do not count as seen, so each far jump is
held until someone looks at it (or until the bundles in between arrive). A device's first
bundle counts from 0, so a new laptop starting at 101 or later is held too.

A gap is a number below the highest accepted one that was neither accepted nor listed in a
later bundle's `abandoned_seqs`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from intake_app.storage import Connection, Vault
from intake_app.sync.errors import Outcome
from intake_app.sync.format.manifest import Manifest
from intake_app.sync.format.reader import SEQ_FAR_AHEAD, SignedBundle, check_sequence

__all__ = ["SEQ_FAR_AHEAD", "Gap", "gaps", "sequence_verdict"]


@dataclass(frozen=True)
class Gap:
    """Sequence numbers `first` to `last` (inclusive) from a device that have not arrived."""

    first: int
    last: int

    @property
    def count(self) -> int:
        return self.last - self.first + 1


def imported_payload(conn: Connection, device_id: str, seq: int) -> str | None:
    """The `payload.age` hash accepted under (device, seq), if any."""
    row = conn.execute("SELECT payload_sha256 FROM centre_bundle WHERE device_id = ? AND seq = ?",
                       (device_id, seq)).fetchone()
    return None if row is None else str(row[0])


def highest_seen(conn: Connection, device_id: str) -> int | None:
    """The highest sequence number accepted or declared abandoned by the device."""
    row = conn.execute(
        "SELECT max(seq) FROM (SELECT seq FROM centre_bundle WHERE device_id = ?1 "
        "UNION ALL SELECT seq FROM centre_abandoned WHERE device_id = ?1)", (device_id,)
    ).fetchone()
    return None if row[0] is None else int(row[0])


def sequence_verdict(conn: Connection, signed: SignedBundle, *, waive_far_ahead: bool = False
                     ) -> Outcome | None:
    """Check 3: `None` to go on, `duplicate`, or raise `BundleRefused` (conflict, far ahead)."""
    highest = signed.seq if waive_far_ahead else highest_seen(conn, signed.device_id)
    return check_sequence(signed, imported_sha256=imported_payload(conn, signed.device_id,
                                                                   signed.seq),
                          highest_seen=highest)


def record_bundle(conn: Connection, signed: SignedBundle, manifest: Manifest,
                  import_num: int) -> None:
    """Remember an accepted bundle's (device, seq, payload hash) and its abandoned numbers."""
    conn.execute(
        "INSERT INTO centre_bundle (device_id, seq, payload_sha256, manifest_sha256, created, "
        "import_num) VALUES (?, ?, ?, ?, ?, ?)",
        (signed.device_id, signed.seq, signed.payload_sha256, signed.comment.manifest_sha256,
         signed.comment.created, import_num),
    )
    for seq in manifest.abandoned_seqs:
        conn.execute("INSERT OR IGNORE INTO centre_abandoned (device_id, seq, import_num) "
                     "VALUES (?, ?, ?)", (signed.device_id, seq, import_num))


def _ranges(known: Iterable[int]) -> list[Gap]:
    found: list[Gap] = []
    expected = 1
    for seq in known:
        if seq > expected:
            found.append(Gap(expected, seq - 1))
        expected = max(expected, seq + 1)
    return found


def gaps(vault: Vault, device_id: str) -> list[Gap]:
    """The missing ranges of a device's sequence numbers, lowest first."""
    with vault.transaction() as conn:
        accepted = conn.execute(
            "SELECT max(seq) FROM centre_bundle WHERE device_id = ?", (device_id,)
        ).fetchone()[0]
        if accepted is None:
            return []
        rows = conn.execute(
            "SELECT seq FROM centre_bundle WHERE device_id = ?1 UNION SELECT seq FROM "
            "centre_abandoned WHERE device_id = ?1 AND seq <= ?2 ORDER BY seq",
            (device_id, accepted),
        ).fetchall()
    return _ranges(int(row[0]) for row in rows)

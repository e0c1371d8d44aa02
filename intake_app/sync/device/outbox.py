"""The outbox inside the vault: every sequence number ever reserved, and each bundle's bytes.

A bundle goes through: `reserve` (its seq committed before anything is written) ->
`store` (its file complete in `<vault>/outbox/`, what it carried recorded; one transaction)
-> a receipt closes it. A seq whose bundle never reached `store` is `abandoned` and listed in
a later bundle's `abandoned_seqs`. A stored bundle is sent byte for byte from its file until
its receipt arrives (`sync.outbox_files` says why the bytes are a file and not rows).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from intake_app.storage import Vault
from intake_app.sync.device.errors import OutboxCopyDamaged
from intake_app.sync.device.outbox_files import OutboxFiles
from intake_app.sync.errors import Reason
from intake_app.sync.format.receipt import SentBundle
from intake_app.sync.format.writer import BundleFacts

Connection = Any  # sqlcipher3 ships no type information


class OutboxState(StrEnum):
    BUILDING = "building"
    READY = "ready"
    HELD = "held"
    DELIVERED = "delivered"
    REFUSED = "refused"
    ABANDONED = "abandoned"


# Bundles whose contents count as on their way (not to be put into another bundle).
WAITING = (OutboxState.READY, OutboxState.HELD)
_SELECT_BUNDLE = (
    "SELECT seq, state, name, created, size, payload_sha256, manifest_sha256, uploaded, "
    "exported, outcome, reason, closed FROM device_outbox"
)
_WHERE_STATES = " WHERE state IN (SELECT value FROM json_each(?)) ORDER BY seq"


@dataclass(frozen=True, slots=True)
class OutboxBundle:
    """One outbox row as the status and the transports need it."""

    seq: int
    state: OutboxState
    name: str | None
    created: str | None
    size: int | None
    payload_sha256: str | None
    manifest_sha256: str | None
    uploaded: str | None
    exported: str | None
    outcome: str | None
    reason: str | None
    closed: str | None


@dataclass(frozen=True, slots=True)
class CarriedItem:
    """Something a bundle carried: a record revision, an attachment, or a tombstone.

    `sha256` is the record file's hash (what receipts list), the attachment's content hash,
    or for a tombstone the store's revision hash; `revision_sha256` is the store's revision
    hash of a record or tombstone (what `mark_delivered` takes).
    """

    kind: str  # "record" | "attachment" | "tombstone"
    record_id: str
    revision: int | None
    sha256: str
    revision_sha256: str | None


_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


@contextmanager
def export_lock(vault: Vault) -> Iterator[None]:
    """One export at a time per vault, across threads and processes, so a `building` row or a
    partial file seen under the lock is a crash's and may be cleared away."""
    key = str(vault.folder.resolve())
    with _LOCKS_GUARD:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock, OutboxFiles(vault.folder).exclusive():
        yield


class Outbox:
    """The vault's outbox. Every method is one short transaction."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self.files = OutboxFiles(vault.folder)

    def reserve(self, now: str) -> int:
        """Take the next sequence number and commit it before any byte is written."""
        with self._vault.transaction() as conn:
            row = conn.execute(
                "SELECT next_seq FROM device_identity WHERE singleton = 1"
            ).fetchone()
            if row is None:
                raise RuntimeError("reserve() before enrolment")
            seq = int(row[0])
            conn.execute("UPDATE device_identity SET next_seq = ? WHERE singleton = 1",
                         (seq + 1,))
            conn.execute(
                "INSERT INTO device_outbox (seq, state, reserved) VALUES (?, ?, ?)",
                (seq, OutboxState.BUILDING.value, now),
            )
        return seq

    def store(self, facts: BundleFacts, items: Sequence[CarriedItem],
              reported: Sequence[int]) -> OutboxBundle:
        """Mark a fully written bundle ready, with what it carried (one transaction).

        Refuses (nothing changed) if its row is no longer `building`: another export
        abandoned it meanwhile, and the bundle must not be sent.
        """
        with self._vault.transaction() as conn:
            changed = conn.execute(
                "UPDATE device_outbox SET state = ?, name = ?, created = ?, size = ?, "
                "payload_sha256 = ?, manifest_sha256 = ? WHERE seq = ? AND state = ?",
                (OutboxState.READY.value, facts.name, facts.created, facts.size,
                 facts.payload_sha256, facts.manifest_sha256, facts.seq,
                 OutboxState.BUILDING.value),
            ).rowcount
            if changed != 1:
                raise OutboxCopyDamaged()
            if self.files.size(facts.name) != facts.size:
                raise OutboxCopyDamaged()
            conn.executemany(
                "INSERT INTO device_outbox_item (seq, kind, record_id, revision, sha256, "
                "revision_sha256) VALUES (?, ?, ?, ?, ?, ?)",
                [(facts.seq, i.kind, i.record_id, i.revision, i.sha256, i.revision_sha256)
                 for i in items],
            )
            conn.executemany(
                "UPDATE device_outbox SET reported_in = ? WHERE seq = ? AND state = ?",
                [(facts.seq, seq, OutboxState.ABANDONED.value) for seq in reported],
            )
            return _bundle(conn, facts.seq)

    def abandon(self, seq: int, now: str) -> None:
        """Give up a bundle that will never be sent; its seq is listed in a later bundle."""
        with self._vault.transaction() as conn:
            _abandon(conn, seq, now)
            row = conn.execute("SELECT name FROM device_outbox WHERE seq = ?", (seq,)).fetchone()
        if row is not None and row[0]:
            self.files.remove(str(row[0]))

    def recover_interrupted(self, now: str) -> list[int]:
        """Abandon bundles a crash left `building`; sweep stray files (under `export_lock`)."""
        with self._vault.transaction() as conn:
            seqs = [int(row[0]) for row in conn.execute(
                "SELECT seq FROM device_outbox WHERE state = ? ORDER BY seq",
                (OutboxState.BUILDING.value,),
            )]
            for seq in seqs:
                _abandon(conn, seq, now)
        self.sweep()
        return seqs

    def sweep(self) -> list[str]:
        """Remove outbox files no waiting bundle owns (call under `export_lock`)."""
        return self.files.sweep(b.name for b in self.bundles() if b.name)

    def unreported_abandoned(self) -> list[int]:
        """Abandoned seqs no waiting or delivered bundle has told the centre about yet."""
        with self._vault.transaction() as conn:
            rows = conn.execute(
                "SELECT a.seq FROM device_outbox AS a LEFT JOIN device_outbox AS r "
                "ON r.seq = a.reported_in WHERE a.state = ? AND (r.seq IS NULL OR r.state "
                "NOT IN (?, ?, ?)) ORDER BY a.seq",
                (OutboxState.ABANDONED.value, OutboxState.READY.value,
                 OutboxState.HELD.value, OutboxState.DELIVERED.value),
            ).fetchall()
        return [int(row[0]) for row in rows]

    def bundles(self, states: Sequence[OutboxState] = WAITING) -> list[OutboxBundle]:
        """Outbox rows in the given states, oldest first."""
        with self._vault.transaction() as conn:
            rows = conn.execute(
                _SELECT_BUNDLE + _WHERE_STATES,
                (json.dumps([state.value for state in states]),),
            ).fetchall()
        return [_from_row(row) for row in rows]

    def get(self, seq: int) -> OutboxBundle | None:
        """One outbox row, or None."""
        with self._vault.transaction() as conn:
            row = conn.execute(_SELECT_BUNDLE + " WHERE seq = ?", (seq,)).fetchone()
        return _from_row(row) if row else None

    def carried(self, seq: int) -> list[CarriedItem]:
        """What bundle `seq` carried."""
        with self._vault.transaction() as conn:
            return carried_items(conn, seq)

    def sent_bundle(self, device_id: str, seq: int) -> SentBundle:
        """The facts a receipt for bundle `seq` is checked against."""
        bundle = self.get(seq)
        if bundle is None or bundle.payload_sha256 is None:
            raise KeyError(seq)
        carried = frozenset(
            (item.record_id, int(item.revision or 0), item.sha256)
            for item in self.carried(seq) if item.kind == "record"
        )
        return SentBundle(device_id, seq, bundle.payload_sha256, carried)

    def chunks(self, bundle: OutboxBundle) -> Iterator[bytes]:
        """The stored bytes of a waiting bundle, piece by piece (`OutboxCopyDamaged` if the
        file is missing or not the size that was stored)."""
        if bundle.name is None or self.files.size(bundle.name) != bundle.size:
            raise OutboxCopyDamaged()
        try:
            yield from self.files.chunks(bundle.name)
        except OSError as exc:
            raise OutboxCopyDamaged() from exc

    def mark_sent(self, seq: int, now: str, *, to_share: bool) -> None:
        """Note when a bundle was last copied to the share (or to a folder)."""
        with self._vault.transaction() as conn:
            if to_share:
                conn.execute("UPDATE device_outbox SET uploaded = ? WHERE seq = ?", (now, seq))
            else:
                conn.execute("UPDATE device_outbox SET exported = ? WHERE seq = ?", (now, seq))

    def approved(self) -> bool:
        """Whether the centre has delivered a bundle of this laptop's: only an approved laptop's
        bundles are imported (a pending one's are held)."""
        with self._vault.transaction() as conn:
            row = conn.execute(
                "SELECT 1 FROM device_outbox WHERE state = ? LIMIT 1",
                (OutboxState.DELIVERED.value,),
            ).fetchone()
        return row is not None

    def revoked(self) -> bool:
        """Whether the centre answered a bundle with a verified `device-revoked` receipt: then
        this laptop sends nothing more (the centre never un-revokes a laptop)."""
        with self._vault.transaction() as conn:
            row = conn.execute(
                "SELECT 1 FROM device_receipt WHERE reason = ? LIMIT 1",
                (Reason.DEVICE_REVOKED.value,),
            ).fetchone()
        return row is not None

    def last_receipt(self) -> str | None:
        """When the last receipt was accepted, or None."""
        with self._vault.transaction() as conn:
            row = conn.execute("SELECT max(received) FROM device_receipt").fetchone()
        return str(row[0]) if row and row[0] else None


def _abandon(conn: Connection, seq: int, now: str) -> None:
    conn.execute(
        "UPDATE device_outbox SET state = ?, closed = ? WHERE seq = ? AND state IN (?, ?, ?)",
        (OutboxState.ABANDONED.value, now, seq, OutboxState.BUILDING.value,
         OutboxState.READY.value, OutboxState.HELD.value),
    )


def carried_items(conn: Connection, seq: int) -> list[CarriedItem]:
    """What bundle `seq` carried (inside a caller's transaction)."""
    rows = conn.execute(
        "SELECT kind, record_id, revision, sha256, revision_sha256 FROM device_outbox_item "
        "WHERE seq = ? ORDER BY num", (seq,)
    ).fetchall()
    return [CarriedItem(*row) for row in rows]


def _bundle(conn: Connection, seq: int) -> OutboxBundle:
    row = conn.execute(_SELECT_BUNDLE + " WHERE seq = ?", (seq,)).fetchone()
    return _from_row(row)


def _from_row(row: tuple[Any, ...]) -> OutboxBundle:
    return OutboxBundle(int(row[0]), OutboxState(row[1]), *row[2:])

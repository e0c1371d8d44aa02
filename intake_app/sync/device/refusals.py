"""Interviews the centre refused for what they contain, so that one bad interview does not
keep the others from ever being delivered.

A bundle the centre rejects for a content reason (`CONTENT_REASONS`) would be refused again
if its contents simply went into a new bundle. Instead:

- several interviews in it: each is marked `alone` and travels in a bundle of its own, so the
  good ones get through and the bad one is found;
- one interview in it: that interview is marked `refused` at the revision the bundle carried
  and is not exported again until a newer revision of it is saved (it then travels alone);
- a delivered revision clears the mark (`clear_delivered`).

The marks live in the vault's `device_refusal` table (`sync.device_schema`, version 3). The
functions taking a connection run inside the caller's vault transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from intake_app.storage import InterviewSummary, Vault
from intake_app.sync.device.outbox import carried_items
from intake_app.sync.errors import Reason

Connection = Any  # sqlcipher3 ships no type information

# Step 6 of the importer: something in the records themselves. Other reasons concern the
# bundle as a whole (damage, keys, sequence), where sending the same contents again is right.
CONTENT_REASONS = frozenset({Reason.UNKNOWN_FORM, Reason.INVALID_RECORD, Reason.FOREIGN_RECORD})


class RefusalState(StrEnum):
    ALONE = "alone"  # travels one per bundle
    REFUSED = "refused"  # refused alone: held back until a newer revision is saved


class RefusalEffect(StrEnum):
    """What a refusal led to on this laptop (chooses the message the worker sees)."""

    RESENT = "resent"  # not about the contents: they go again in a new bundle
    SPLIT = "split"  # several interviews: each goes alone now
    KEPT = "kept"  # one interview: held back until corrected


@dataclass(frozen=True, slots=True)
class RefusedInterview:
    """An interview the centre refused on its own, at its current revision."""

    record_id: str
    revision: int
    reason: Reason
    seq: int
    noted: str


@dataclass(frozen=True, slots=True)
class Refusals:
    """What an export must respect: who travels alone, which revisions stay behind."""

    alone: frozenset[str] = frozenset()
    refused: frozenset[tuple[str, int]] = field(default_factory=frozenset)


def read_refusals(conn: Connection) -> Refusals:
    """The marks as the export needs them. A refused record whose newer revision was saved
    meanwhile travels alone (its refused revision no longer matches)."""
    rows = conn.execute("SELECT record_id, state, revision FROM device_refusal").fetchall()
    refused = frozenset(
        (str(row[0]), int(row[2])) for row in rows
        if row[1] == RefusalState.REFUSED.value and row[2] is not None
    )
    return Refusals(frozenset(str(row[0]) for row in rows), refused)


def note_refusal(conn: Connection, seq: int, reason: Reason, now: str) -> RefusalEffect:
    """Mark what bundle `seq` carried after the centre refused it for `reason`."""
    if reason not in CONTENT_REASONS:
        return RefusalEffect.RESENT
    revisions: dict[str, int | None] = {}
    for item in carried_items(conn, seq):
        known = revisions.get(item.record_id)
        if item.revision is not None and (known is None or item.revision > known):
            revisions[item.record_id] = int(item.revision)
        else:
            revisions.setdefault(item.record_id, known)
    if not revisions:
        return RefusalEffect.RESENT
    if len(revisions) == 1:
        [(record_id, revision)] = revisions.items()
        if revision is None:  # attachments only: the revision the centre was last sent
            revision = _last_sent_revision(conn, record_id)
        conn.execute(
            "INSERT INTO device_refusal (record_id, state, revision, reason, seq, noted) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET "
            "state = excluded.state, revision = excluded.revision, reason = excluded.reason, "
            "seq = excluded.seq, noted = excluded.noted",
            (record_id, RefusalState.REFUSED.value, revision, reason.value, seq, now),
        )
        return RefusalEffect.KEPT
    # An existing mark stays as it is: it already makes the record travel alone.
    conn.executemany(
        "INSERT INTO device_refusal (record_id, state, revision, reason, seq, noted) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record_id) DO NOTHING",
        [(record_id, RefusalState.ALONE.value, revision, reason.value, seq, now)
         for record_id, revision in sorted(revisions.items())],
    )
    return RefusalEffect.SPLIT


def clear_delivered(conn: Connection, delivered: Iterable[tuple[str, int | None]]) -> None:
    """Drop the marks a delivery settles: (record id, revision delivered, or None when only
    attachments of the record were). A mark for a newer revision stays."""
    for record_id, revision in delivered:
        if revision is None:
            conn.execute("DELETE FROM device_refusal WHERE record_id = ? AND revision IS NULL",
                         (record_id,))
        else:
            conn.execute("DELETE FROM device_refusal WHERE record_id = ? AND "
                         "(revision IS NULL OR revision <= ?)", (record_id, revision))


def refused_interviews(vault: Vault, undelivered: Sequence[InterviewSummary] | None = None
                       ) -> list[RefusedInterview]:
    """The interviews held back now: refused at the revision that is still their newest.

    `undelivered`: the store's undelivered summaries, if the caller has them already.
    """
    with vault.transaction() as conn:
        rows = conn.execute(
            "SELECT record_id, revision, reason, seq, noted FROM device_refusal "
            "WHERE state = ? AND revision IS NOT NULL ORDER BY noted, record_id",
            (RefusalState.REFUSED.value,),
        ).fetchall()
    if not rows:
        return []
    if undelivered is None:
        undelivered = vault.interviews.list(delivered=False)
    current = {(s.id, s.revision) for s in undelivered}
    return [
        RefusedInterview(str(row[0]), int(row[1]), Reason(row[2]), int(row[3]), str(row[4]))
        for row in rows if (str(row[0]), int(row[1])) in current
    ]


def _last_sent_revision(conn: Connection, record_id: str) -> int | None:
    row = conn.execute(
        "SELECT max(revision) FROM device_outbox_item WHERE record_id = ? AND "
        "(kind = 'record' OR kind = 'tombstone')", (record_id,)
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])

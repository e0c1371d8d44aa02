"""What the next bundle must carry: everything not yet delivered and not already on its way.

- a record's newest revision when it is not delivered and no waiting bundle carries it;
- a deleted record's tombstone under the same rule;
- each attachment of a saved record that no waiting or delivered bundle carried for it;
- except a record the centre refused for its contents, at the revision it refused (and its
  attachments); records the centre's refusals marked to travel alone are listed in `alone`
  (`sync.device_refusals`).

Read through the interview store, in one vault transaction, so the picture is consistent.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, replace
from typing import Any

from intake_app.storage import InterviewStore, RevisionInfo, Vault
from intake_app.sync.device.outbox import WAITING, OutboxState
from intake_app.sync.device.refusals import read_refusals
from intake_app.sync.format.bundle_file import AttachmentSource, PreparedRecord, prepare_record
from intake_app.sync.format.manifest import Tombstone
from intake_app.sync.format.payload_stream import Readable
from intake_app.sync.format.strict_json import CODE_RE, MEDIA_TYPE_RE

Connection = Any  # sqlcipher3 ships no type information
DELETED = "deleted"  # the store's status of a tombstone revision
FALLBACK_REASON = "deleted"
FALLBACK_MEDIA_TYPE = "application/octet-stream"
_BATCH = 500  # records read at a time


@dataclass
class PendingChanges:
    """The export's input, and the store's revision hash of each record and tombstone."""

    records: list[PreparedRecord] = field(default_factory=list)
    attachments: list[AttachmentSource] = field(default_factory=list)
    tombstones: list[Tombstone] = field(default_factory=list)
    revision_hashes: dict[str, str] = field(default_factory=dict)  # record id -> hash of head
    incomplete: list[str] = field(default_factory=list)  # record ids lacking required fields
    too_large: list[str] = field(default_factory=list)  # record ids too large for any bundle
    alone: frozenset[str] = frozenset()  # record ids that travel one per bundle

    @property
    def empty(self) -> bool:
        return not (self.records or self.attachments or self.tombstones)

    def record_ids(self) -> set[str]:
        """Every record id with something to carry."""
        return ({r.entry.id for r in self.records} | {a.record_id for a in self.attachments}
                | {t.id for t in self.tombstones})

    def only(self, record_ids: set[str]) -> PendingChanges:
        """The same changes restricted to some records (their revisions, files, tombstones)."""
        return replace(
            self,
            records=[r for r in self.records if r.entry.id in record_ids],
            attachments=[a for a in self.attachments if a.record_id in record_ids],
            tombstones=[t for t in self.tombstones if t.id in record_ids],
        )

    def too_large_left_out(self, record_ids: set[str]) -> PendingChanges:
        """The same changes minus records too large for any bundle (and their attachments)."""
        return replace(
            self,
            records=[r for r in self.records if r.entry.id not in record_ids],
            attachments=[a for a in self.attachments if a.record_id not in record_ids],
            too_large=self.too_large + sorted(record_ids),
        )


def pending_changes(vault: Vault) -> PendingChanges:
    """Collect what is new or changed since the last receipt (see the module docstring).

    The store is read in a few short reads (records in batches), so autosave is never held up
    for long. A record saved again meanwhile is still described consistently: its document
    and its revision hash come from the same row of the append-only revision table.
    """
    store = vault.interviews
    with vault.transaction() as conn:
        waiting = _carried(conn, ("record", "tombstone"), "revision", WAITING)
        sent = _carried(conn, ("attachment",), "sha256", (*WAITING, OutboxState.DELIVERED))
        refusals = read_refusals(conn)
    changes = PendingChanges(alone=refusals.alone)
    saved = store.list()  # one listing serves the records and their attachments
    held_back = {s.id for s in saved if (s.id, s.revision) in refusals.refused}
    todo = [s.id for s in saved if not s.delivered and (s.id, s.revision) not in waiting
            and s.id not in held_back]
    for first in range(0, len(todo), _BATCH):
        heads = store.heads(todo[first : first + _BATCH])
        for record_id in todo[first : first + _BATCH]:
            if record_id in heads:  # else purged meanwhile
                _add_record(record_id, *heads[record_id], changes)
    skipped = set(changes.incomplete) | held_back
    attached = store.all_attachments()
    for summary in saved:
        if summary.deleted or summary.id in skipped:
            continue
        for info in attached.get(summary.id, ()):
            if (summary.id, info.sha256) not in sent:
                changes.attachments.append(AttachmentSource(
                    info.sha256, summary.id, info.size, _media_type(info.media_type),
                    functools.partial(_open, store, info.sha256),
                ))
    return changes


def _add_record(record_id: str, document: dict[str, Any], head: RevisionInfo,
                changes: PendingChanges) -> None:
    changes.revision_hashes[record_id] = head.sha256
    if head.status == DELETED:
        changes.tombstones.append(
            Tombstone(record_id, head.revision, _reason(document.get("reason")))
        )
        return
    try:
        changes.records.append(prepare_record(document))
    except ValueError:
        changes.incomplete.append(record_id)


def _carried(conn: Connection, kinds: tuple[str, ...], column: str,
             states: tuple[OutboxState, ...]) -> set[tuple[str, Any]]:
    """(record id, revision or sha256) of items of these kinds in bundles in these states."""
    rows = conn.execute(
        "SELECT i.record_id, i.revision, i.sha256 FROM device_outbox_item AS i "
        "JOIN device_outbox AS o ON o.seq = i.seq "
        "WHERE i.kind IN (SELECT value FROM json_each(?)) "
        "AND o.state IN (SELECT value FROM json_each(?))",
        (json.dumps(kinds), json.dumps([state.value for state in states])),
    ).fetchall()
    return {(row[0], row[1] if column == "revision" else row[2]) for row in rows}


def _open(store: InterviewStore, sha256: str) -> Readable:
    return store.open_attachment(sha256)


def _reason(value: object) -> str:
    """The tombstone's reason as a code the manifest accepts."""
    if isinstance(value, str) and CODE_RE.fullmatch(value):
        return value
    return FALLBACK_REASON


def _media_type(value: str) -> str:
    """The media type as the manifest accepts it (lower case, `type/subtype`)."""
    lowered = value.strip().lower()
    return lowered if MEDIA_TYPE_RE.fullmatch(lowered) else FALLBACK_MEDIA_TYPE

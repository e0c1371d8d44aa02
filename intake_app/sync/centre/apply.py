"""Check 7's writes: a verified payload's revisions, attachments and tombstones into the vault.

Everything here runs inside the import's one transaction. Rules:
- A revision already held with the same hash is skipped; with another hash it is a conflict,
  found by `conflicting_records` before anything is written. A conflict the administrator
  settled (`Choice`, bundle-format.md "Record conflicts") is stored by `settle_conflicts` in the
  same transaction: the version kept is current, the other stays in the history with
  `set_aside` naming the `centre_conflict` row (who chose, when, which was kept). A version
  set aside is never current again, and the same version arriving again is skipped.
- `centre_record` is each record's head: its highest revision (or its tombstone).
- A tombstone removes the content of every revision up to its own, keeps the tombstone and the
  hashes, drops the record from the search index and unlinks its attachments. A revision that
  arrives after its tombstone (bundles imported out of order) is recorded without content.
- New revisions are not indexed here: the index catches up before the next search
  (`centre_search`), which keeps an import to what it must do before its receipt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, BinaryIO, cast

from intake_app.domain.utc_time import utc_now
from intake_app.storage import (
    DELETED,
    AttachmentFiles,
    Connection,
    WrittenFile,
    link_held,
    link_written,
    remove_all_attachments,
)
from intake_app.sync.centre.follow_up import forget_notes
from intake_app.sync.format.manifest import AttachmentEntry, Tombstone
from intake_app.sync.format.payload_reader import (
    PayloadRecord,
    Readable,
    StoredAttachment,
    VerifiedPayload,
)
from intake_app.sync.format.reader import SignedBundle
from intake_app.sync.format.receipt import ReceiptConflict, ReceiptRecord
from intake_app.sync.format.spec import MAX_PAYLOAD_UNCOMPRESSED


class AttachmentsGone(Exception):
    """A checked attachment's file is gone (an earlier try of the transaction was undone and
    took its files with it): the bundle is checked again from the start."""


class FileSink:
    """The centre's attachment files as the payload check's sink: each attachment is
    encrypted into a file of its own while it is checked (no plaintext reaches the disk),
    and only check 7's transaction names it in a row; a file no row names is discarded when
    the import ends, or swept at the next unlock after a crash."""

    def __init__(self, files: AttachmentFiles) -> None:
        self.files = files

    def store(self, source: Readable) -> WrittenFile:
        return self.files.write(cast(BinaryIO, source), limit=MAX_PAYLOAD_UNCOMPRESSED)

    def discard(self, stored: StoredAttachment) -> None:
        assert isinstance(stored, WrittenFile)
        self.files.remove(stored.name)
        stored.release()


class Kept(StrEnum):
    """Which version of a record conflict the administrator made current (the receipt's
    `kept`)."""

    CENTRE = "centre"
    LAPTOP = "laptop"


@dataclass(frozen=True)
class Choice:
    """The administrator's choice for one conflicting revision: which version, who, when."""

    record_id: str
    revision: int
    laptop_sha256: str  # the version the choice was made about (a third one needs another)
    kept: Kept
    by: str
    chosen: str


@dataclass(frozen=True)
class RecordConflict:
    """A carried revision held here as another version (both hashes are of the record file)."""

    record_id: str
    revision: int
    centre_sha256: str
    laptop_sha256: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.record_id, self.revision)


def conflicting_records(conn: Connection, payload: VerifiedPayload) -> list[RecordConflict]:
    """Carried revisions whose number is held here with another hash (and not the carried
    version set aside by an earlier choice)."""
    found: list[RecordConflict] = []
    for record in payload.records:
        entry = record.entry
        row = conn.execute("SELECT sha256 FROM centre_revision WHERE record_id = ? AND "
                           "revision = ? AND set_aside IS NULL",
                           (entry.id, entry.revision)).fetchone()
        if row is None or row[0] == entry.sha256:
            continue
        if conn.execute("SELECT 1 FROM centre_revision WHERE record_id = ? AND revision = ? "
                        "AND sha256 = ?", (entry.id, entry.revision, entry.sha256)).fetchone():
            continue  # this version is held already, set aside
        found.append(RecordConflict(entry.id, entry.revision, str(row[0]), entry.sha256))
    return found


def undecided(conflicts: list[RecordConflict], choices: Mapping[tuple[str, int], Choice]
              ) -> list[RecordConflict]:
    """The conflicts no choice settles (a choice about another version settles nothing)."""
    return [c for c in conflicts
            if (choice := choices.get(c.key)) is None or choice.laptop_sha256 != c.laptop_sha256]


def settle_conflicts(conn: Connection, payload: VerifiedPayload, signed: SignedBundle,
                     import_num: int, conflicts: list[RecordConflict],
                     choices: Mapping[tuple[str, int], Choice]) -> tuple[ReceiptConflict, ...]:
    """Store each conflict's two versions as chosen (inside check 7's transaction, before
    `apply_payload`, which then skips them); returns the receipt's `conflicts`."""
    now = utc_now()
    carried = {(r.entry.id, r.entry.revision): r for r in payload.records}
    settled: list[ReceiptConflict] = []
    for conflict in conflicts:
        choice = choices[conflict.key]
        num = int(conn.execute(
            "INSERT INTO centre_conflict (record_id, revision, centre_sha256, laptop_sha256, kept,"
            " chosen_by, chosen, device_id, seq, payload_sha256, import_num) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (conflict.record_id, conflict.revision, conflict.centre_sha256,
             conflict.laptop_sha256, choice.kept.value, choice.by, choice.chosen,
             signed.device_id, signed.seq, signed.payload_sha256, import_num)).lastrowid)
        record = carried[conflict.key]
        if choice.kept is Kept.LAPTOP:
            conn.execute("UPDATE centre_revision SET set_aside = ? WHERE record_id = ? AND "
                         "revision = ? AND set_aside IS NULL",
                         (num, conflict.record_id, conflict.revision))
            _add_revision(conn, record, signed, import_num, now, replace_head=True)
        else:
            _add_revision(conn, record, signed, import_num, now, set_aside=num)
        settled.append(ReceiptConflict(conflict.record_id, conflict.revision, choice.kept.value))
    return tuple(settled)


def foreign_records(conn: Connection, payload: VerifiedPayload, device_id: str) -> bool:
    """Whether any record the payload names belongs to another device (checked again here)."""
    manifest = payload.manifest
    ids = {entry.id for entry in manifest.records}
    ids |= {entry.record_id for entry in manifest.attachments}
    ids |= {entry.id for entry in manifest.deleted}
    for record_id in sorted(ids):
        row = conn.execute("SELECT device_id FROM centre_record WHERE id = ?",
                           (record_id,)).fetchone()
        if row is not None and row[0] != device_id:
            return True
    return False


def record_owner(conn: Connection, record_id: str) -> str | None:
    """The device a record belongs to at this centre, if it is known here."""
    row = conn.execute("SELECT device_id FROM centre_record WHERE id = ?", (record_id,)).fetchone()
    return None if row is None else str(row[0])


def apply_payload(conn: Connection, files: AttachmentFiles, payload: VerifiedPayload,
                  signed: SignedBundle, import_num: int) -> tuple[ReceiptRecord, ...]:
    """Store a verified payload (its attachments already in `files`, written by `FileSink`);
    returns the record revisions the receipt lists."""
    now = utc_now()
    for record in payload.records:
        _add_revision(conn, record, signed, import_num, now)
    deleted = {entry.id for entry in payload.manifest.deleted}
    for entry in payload.manifest.attachments:
        if entry.record_id not in deleted and not _is_deleted(conn, entry.record_id):
            _add_attachment(conn, files, payload, entry)
    unindexed = [_apply_tombstone(conn, tombstone, signed, import_num, now)
                 for tombstone in payload.manifest.deleted]
    if any(unindexed):
        # Merge the index so that the removed words are gone from it, not only marked deleted.
        conn.execute("INSERT INTO centre_record_text (centre_record_text) VALUES ('optimize')")
    return tuple(ReceiptRecord(r.entry.id, r.entry.revision, r.entry.sha256)
                 for r in payload.records)


def _head_fields(document: Mapping[str, Any]) -> tuple[object, ...]:
    answers = document.get("answers")
    alias = answers.get("alias") if isinstance(answers, dict) else None
    return (document.get("status"), alias if isinstance(alias, str) else None,
            document.get("form"), document.get("form_version"), document.get("created"),
            document.get("modified"))


def _add_revision(conn: Connection, record: PayloadRecord, signed: SignedBundle,
                  import_num: int, now: str, *, set_aside: int | None = None,
                  replace_head: bool = False) -> None:
    """Add a revision (skipped when this version is held); `set_aside`: it goes into the
    history only; `replace_head`: it becomes current even at the head's own revision number."""
    entry = record.entry
    tombstone = conn.execute("SELECT max(revision) FROM centre_tombstone WHERE record_id = ?",
                             (entry.id,)).fetchone()[0]
    removed = tombstone is not None and tombstone >= entry.revision
    cursor = conn.execute(
        "INSERT OR IGNORE INTO centre_revision (record_id, revision, sha256, document, "
        "device_id, seq, import_num, imported, set_aside) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (entry.id, entry.revision, entry.sha256, None if removed else record.data.decode("utf-8"),
         signed.device_id, signed.seq, import_num, now, set_aside),
    )
    if cursor.rowcount == 0 or set_aside is not None:
        return  # this version is held already (conflicts were settled before), or set aside
    head = conn.execute("SELECT num, revision FROM centre_record WHERE id = ?",
                        (entry.id,)).fetchone()
    if removed or (head is not None and head[1] > entry.revision):
        return
    if head is not None and head[1] == entry.revision and not replace_head:
        return
    fields = _head_fields(record.document)
    if head is None:
        conn.execute(
            "INSERT INTO centre_record (id, device_id, revision, status, alias, form, "
            "form_version, created, modified, deleted, imported) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
            (entry.id, signed.device_id, entry.revision, *fields, now),
        )
    else:
        conn.execute(
            "UPDATE centre_record SET revision = ?, status = ?, alias = ?, form = ?, "
            "form_version = ?, created = ?, modified = ?, deleted = 0, imported = ? "
            "WHERE num = ?", (entry.revision, *fields, now, head[0]))


def _is_deleted(conn: Connection, record_id: str) -> bool:
    row = conn.execute("SELECT deleted FROM centre_record WHERE id = ?", (record_id,)).fetchone()
    return bool(row and row[0])


def _add_attachment(conn: Connection, files: AttachmentFiles, payload: VerifiedPayload,
                    entry: AttachmentEntry) -> None:
    if conn.execute("SELECT 1 FROM attachment WHERE interview_id = ? AND sha256 = ?",
                    (entry.record_id, entry.sha256)).fetchone():
        return
    written = payload.take(entry.sha256)
    if written is None:  # taken by an earlier entry of this bundle: its row holds it now
        if not link_held(conn, entry.record_id, entry.sha256, entry.media_type, ""):
            raise AttachmentsGone()
        return
    assert isinstance(written, WrittenFile)
    # The transaction owns the file from here: released after COMMIT, removed if undone (and
    # dropped at once when the vault holds the same content already).
    link_written(conn, files, entry.record_id, written, entry.media_type, "")


def _apply_tombstone(conn: Connection, tombstone: Tombstone, signed: SignedBundle,
                     import_num: int, now: str) -> bool:
    """Apply a tombstone; returns whether a record left the search index."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO centre_tombstone (record_id, revision, reason, device_id, seq, "
        "import_num, applied) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (tombstone.id, tombstone.revision, tombstone.reason, signed.device_id, signed.seq,
         import_num, now),
    )
    if cursor.rowcount == 0:
        return False  # already applied by an earlier bundle
    conn.execute("UPDATE centre_revision SET document = NULL WHERE record_id = ? AND "
                 "revision <= ? AND document IS NOT NULL", (tombstone.id, tombstone.revision))
    head = conn.execute("SELECT num, revision FROM centre_record WHERE id = ?",
                        (tombstone.id,)).fetchone()
    if head is None:
        conn.execute(
            "INSERT INTO centre_record (id, device_id, revision, status, deleted, imported) "
            "VALUES (?, ?, ?, ?, 1, ?)",
            (tombstone.id, signed.device_id, tombstone.revision, DELETED, now),
        )
        return False
    if head[1] > tombstone.revision:
        return False  # a later revision is held: only the older content goes
    conn.execute(
        "UPDATE centre_record SET revision = ?, status = ?, alias = NULL, deleted = 1, "
        "imported = ? WHERE num = ?", (tombstone.revision, DELETED, now, head[0]))
    conn.execute("DELETE FROM centre_record_text WHERE rowid = ?", (head[0],))
    remove_all_attachments(conn, tombstone.id)
    forget_notes(conn, [tombstone.id])  # the centre's notes about the person go too
    return True


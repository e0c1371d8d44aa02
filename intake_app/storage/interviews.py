"""The interview store: drafts, chained revisions, tombstones, delivery marks, purge.

Every call that changes data is one SQLite transaction. Documents are stored as the canonical
JSON their revision hash is computed over, so what is read back is exactly what was hashed.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any, BinaryIO

from intake_app.errors import NotFound
from intake_app.storage import attachments, search
from intake_app.storage.attachment_files import AttachmentFiles, Progress
from intake_app.storage.attachment_reader import AttachmentReader
from intake_app.storage.database import Connection, Database
from intake_app.storage.documents import (
    DELETED,
    Head,
    check_revision,
    record_id_of,
    to_canonical,
    utc_now,
)
from intake_app.storage.models import (
    AttachmentInfo,
    DraftInfo,
    InterviewSummary,
    RevisionInfo,
)
from intake_app.storage.revision_rows import (
    MAX_REVISION,
    revision_row,
)
from intake_app.storage.revisions import append_revision, read_current, refuse_closed

_REVISION_INFO = (
    "SELECT r.interview_id, r.revision, r.sha256, r.prev_sha256, r.saved, r.status "
    "FROM interview AS i JOIN revision AS r "
    "ON r.num BETWEEN (i.num << 24) + 1 AND (i.num << 24) + 16777215"
)


class InterviewStore:
    """Interviews in one vault. Obtain it as `vault.interviews`."""

    def __init__(
        self,
        db: Database,
        files: AttachmentFiles,
        *,
        max_attachment_bytes: int = attachments.DEFAULT_LIMIT_BYTES,
    ) -> None:
        self._db = db
        self._files = files
        self._max_attachment_bytes = max_attachment_bytes
        # When the search index was last found current (`Database.change_mark`): looking for
        # stale entries scans every record's head row, so it is skipped while nothing changed.
        self._index_current_at: tuple[int, int] | None = None

    # Drafts -------------------------------------------------------------------------------

    def save_draft(self, document: dict[str, Any]) -> None:
        """Autosave: upsert the record's draft in one small transaction."""
        record_id = record_id_of(document)
        text, _data = to_canonical(document)
        base = document.get("revision")
        with self._db.transaction() as conn:
            current = read_current(conn, record_id)
            refuse_closed(current)
            if not isinstance(base, int) or isinstance(base, bool):
                base = current.revision
            conn.execute(
                "INSERT INTO draft (interview_id, base_revision, modified, document) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (interview_id) DO UPDATE SET "
                "base_revision = excluded.base_revision, modified = excluded.modified, "
                "document = excluded.document",
                (record_id, base, utc_now(), text),
            )

    def get_draft(self, record_id: str) -> dict[str, Any] | None:
        """The record's autosaved draft, or None."""
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT document FROM draft WHERE interview_id = ?", (record_id,)
            ).fetchone()
        return _loads(row[0]) if row else None

    def drafts(self) -> builtins.list[DraftInfo]:
        """Every draft, newest first (including records never saved as a revision)."""
        with self._db.reading() as conn:
            rows = conn.execute(
                "SELECT interview_id, modified, base_revision FROM draft "
                "ORDER BY modified DESC, interview_id"
            ).fetchall()
        return [DraftInfo(id=r[0], modified=r[1], base_revision=r[2]) for r in rows]

    def discard_draft(self, record_id: str) -> None:
        """Drop the draft; attachments of a record that was never saved go with it."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM draft WHERE interview_id = ?", (record_id,))
            if not conn.execute("SELECT 1 FROM interview WHERE id = ?", (record_id,)).fetchone():
                attachments.remove_all_attachments(conn, record_id)

    # Revisions ----------------------------------------------------------------------------

    def save_revision(self, document: dict[str, Any]) -> RevisionInfo:
        """Append revision n+1 (chained to revision n) and discard the record's draft."""
        head = check_revision(document)
        with self._db.transaction() as conn:
            return self._append(conn, head, document, utc_now())

    def save_revisions(self, documents: Iterable[dict[str, Any]]) -> builtins.list[RevisionInfo]:
        """Save many revisions in one transaction (imports): all of them, or none."""
        checked = [(check_revision(document), document) for document in documents]
        saved = utc_now()
        with self._db.transaction() as conn:
            return [self._append(conn, head, document, saved) for head, document in checked]

    def get(self, record_id: str) -> dict[str, Any]:
        """The newest revision's document (raises NotFound, also after purge)."""
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT r.document FROM interview AS i JOIN revision AS r "
                "ON r.num = (i.num << 24) + i.revision WHERE i.id = ?",
                (record_id,),
            ).fetchone()
        if row is None or row[0] is None:
            raise NotFound()
        return _loads(row[0])

    def heads(self, record_ids: Iterable[str]) -> dict[str, tuple[dict[str, Any], RevisionInfo]]:
        """Each record's newest revision, its document and its facts, in one read (exports).

        Records that do not exist or were purged are left out.
        """
        with self._db.reading() as conn:
            rows = conn.execute(
                "SELECT r.interview_id, r.revision, r.sha256, r.prev_sha256, r.saved, r.status, "
                "r.document FROM interview AS i JOIN revision AS r "
                "ON r.num = (i.num << 24) + i.revision "
                "WHERE i.id IN (SELECT value FROM json_each(?)) "
                "AND r.document IS NOT NULL",
                (json.dumps(builtins.list(record_ids)),),
            ).fetchall()
        return {row[0]: (_loads(row[6]), _revision_info(row)) for row in rows}

    def get_revision(self, record_id: str, revision: int) -> dict[str, Any]:
        """One revision's document (raises NotFound, also after purge)."""
        if not 1 <= revision <= MAX_REVISION:
            raise NotFound()
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT r.document FROM interview AS i JOIN revision AS r "
                "ON r.num = (i.num << 24) + ? WHERE i.id = ?",
                (revision, record_id),
            ).fetchone()
        if row is None or row[0] is None:
            raise NotFound()
        return _loads(row[0])

    def history(self, record_id: str) -> builtins.list[RevisionInfo]:
        """Every revision of the record, oldest first; hashes survive a purge."""
        with self._db.reading() as conn:
            rows = conn.execute(
                f"{_REVISION_INFO} WHERE i.id = ? ORDER BY r.num", (record_id,)
            ).fetchall()
        if not rows:
            raise NotFound()
        return [_revision_info(row) for row in rows]

    def delete(self, record_id: str, reason: str) -> RevisionInfo:
        """Append a tombstone (answers removed, status "deleted", `reason` kept).

        The search index entry, the draft and the attachments go too. Earlier revisions stay
        in the chain until `purge`, so the centre can still receive the deletion.
        """
        with self._db.transaction() as conn:
            current = read_current(conn, record_id)
            if current.num is None or current.purged:
                raise NotFound()
            if current.status == DELETED:
                return _revision_info(_newest_revision(conn, record_id))
            saved = utc_now()
            previous = _loads(_newest_revision(conn, record_id)[6])
            tombstone = {
                **{k: v for k, v in previous.items() if k not in ("answers", "revision")},
                "status": DELETED,
                "modified": saved,
                "answers": {},
                "reason": reason,
            }
            head = Head(
                id=record_id,
                status=DELETED,
                alias=None,
                form=previous["form"],
                form_version=previous["form_version"],
                created=current.created,
                modified=saved,
            )
            info = append_revision(conn, current, head, tombstone, saved)
            attachments.remove_all_attachments(conn, record_id)
            return info

    def mark_delivered(self, revisions: builtins.list[tuple[str, int, str]]) -> int:
        """Mark revisions the centre confirmed (id, revision, sha256); returns how many were new.

        A triple whose hash does not match the stored revision is ignored.
        """
        now = utc_now()
        with self._db.transaction() as conn:
            marked = 0
            for record_id, revision, sha in revisions:
                changed = conn.execute(
                    "UPDATE revision SET delivered = ? "
                    "WHERE num = ((SELECT num FROM interview WHERE id = ?) << 24) "
                    "+ ? AND revision = ? AND sha256 = ? AND delivered IS NULL",
                    (now, record_id, revision, revision, sha),
                ).rowcount
                if changed:
                    conn.execute(
                        "UPDATE interview SET delivered = 1 WHERE id = ? AND revision = ?",
                        (record_id, revision),
                    )
                marked += changed
            return marked

    def purge(self, record_id: str) -> None:
        """Remove the record's content from this computer, keeping only its chain of hashes.

        Every revision's document is cleared (SQLite's secure_delete overwrites the freed
        pages); revision numbers, hashes, times and statuses stay, so `verify_chain` still
        proves the record's history up to its last revision. The draft, the search entry and
        the attachments are removed, and the alias is cleared.
        """
        with self._db.transaction() as conn:
            row = conn.execute("SELECT num FROM interview WHERE id = ?", (record_id,)).fetchone()
            if row is None:
                raise NotFound()
            search.unindex_record(conn, row[0])  # needs the indexed text: before clearing it
            conn.execute(
                "UPDATE revision SET document = NULL "
                "WHERE num BETWEEN ? AND ? AND document IS NOT NULL",
                (revision_row(row[0], 1), revision_row(row[0], MAX_REVISION)),
            )
            conn.execute("UPDATE interview SET purged = 1, alias = NULL WHERE num = ?", (row[0],))
            conn.execute("DELETE FROM draft WHERE interview_id = ?", (record_id,))
            attachments.remove_all_attachments(conn, record_id)

    # Finding ------------------------------------------------------------------------------

    def list(
        self,
        status: str | None = None,
        modified_since: datetime | str | None = None,
        delivered: bool | None = None,
    ) -> builtins.list[InterviewSummary]:
        """Saved records (not purged), newest change first, with optional filters."""
        with self._db.read_transaction() as conn:
            return search.list_interviews(conn, status, modified_since, delivered)

    def search(self, query: str, limit: int | None = None) -> builtins.list[InterviewSummary]:
        """Records whose alias or tagged free texts contain every term of `query`, best first
        (at most `limit` of them when given)."""
        self.refresh_search_index()
        with self._db.read_transaction() as conn:
            return search.search_interviews(conn, query, limit)

    def refresh_search_index(self, limit: int | None = None) -> int:
        """Index the records saved since the last search, or `limit` of them (one
        transaction); returns how many.

        `search` does this itself; call it when idle, e.g. after unlocking or a large import.
        """
        mark = self._db.change_mark()
        if mark == self._index_current_at:
            return 0  # nothing was committed since the index was last found current
        with self._db.reading() as conn:
            if not search.has_stale(conn):
                self._index_current_at = mark
                return 0
        with self._db.transaction() as conn:
            return search.catch_up(conn, limit)

    # Attachments --------------------------------------------------------------------------

    def add_attachment(
        self,
        record_id: str,
        source: BinaryIO,
        media_type: str,
        name: str,
        *,
        progress: Progress | None = None,
    ) -> AttachmentInfo:
        """Stream `source` into an encrypted file and attach it to a saved record or a draft.

        The file is written and synced before the transaction that names it, which stays
        short: saving goes on while a large file is read. `progress(bytes read)` is called as
        it goes.
        """
        with self._db.reading() as conn:
            _require_open_record(conn, record_id)
        written = self._files.write(source, limit=self._max_attachment_bytes, progress=progress)
        try:
            with self._db.transaction() as conn:
                _require_open_record(conn, record_id)
                return attachments.link_written(
                    conn, self._files, record_id, written, media_type, name
                )
        finally:
            written.release()  # named by a committed row, or already removed again

    def attachments(self, record_id: str) -> builtins.list[AttachmentInfo]:
        """The record's attachments (sha256, size, media type, name)."""
        with self._db.reading() as conn:
            return attachments.list_attachments(conn, record_id)

    def all_attachments(self) -> dict[str, builtins.list[AttachmentInfo]]:
        """Every record's attachments, by record id, in one read (exports)."""
        with self._db.reading() as conn:
            return attachments.list_all_attachments(conn)

    def open_attachment(self, sha256: str) -> AttachmentReader:
        """A forward-only reader that decrypts an attachment as it is read (AttachmentDamaged
        at the end if the content differs from its SHA-256)."""
        return attachments.open_attachment(self._db, self._files, sha256)

    def remove_attachment(self, record_id: str, sha256: str) -> None:
        """Detach one file from the record (its content goes once nothing refers to it)."""
        with self._db.transaction() as conn:
            attachments.remove_attachment(conn, record_id, sha256)

    # Inside -------------------------------------------------------------------------------

    @staticmethod
    def _append(conn: Connection, head: Head, document: dict[str, Any], saved: str) -> RevisionInfo:
        current = read_current(conn, head.id)
        refuse_closed(current)
        return append_revision(conn, current, head, document, saved)


def _require_open_record(conn: Connection, record_id: str) -> None:
    """Attachments go to a saved record or a draft, not to a deleted or purged one."""
    current = read_current(conn, record_id)
    if current.num is None and not current.has_draft:
        raise NotFound()
    if current.purged or current.status == DELETED:
        raise NotFound()


def _newest_revision(conn: Connection, record_id: str) -> tuple[Any, ...]:
    row: tuple[Any, ...] = conn.execute(
        "SELECT r.interview_id, r.revision, r.sha256, r.prev_sha256, r.saved, r.status, "
        "r.document FROM interview AS i JOIN revision AS r "
        "ON r.num = (i.num << 24) + i.revision WHERE i.id = ?",
        (record_id,),
    ).fetchone()
    return row


def _revision_info(row: tuple[Any, ...]) -> RevisionInfo:
    return RevisionInfo(
        id=row[0], revision=row[1], sha256=row[2], prev_sha256=row[3], saved=row[4], status=row[5]
    )


def _loads(text: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(text)
    return body

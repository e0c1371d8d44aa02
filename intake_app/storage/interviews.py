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

from intake_app.errors import InvalidDocument, NotFound
from intake_app.i18n.core import N_
from intake_app.storage import attachments, search
from intake_app.storage.attachments import AttachmentReader
from intake_app.storage.chain import GENESIS, revision_hash
from intake_app.storage.database import Connection, Database
from intake_app.storage.documents import (
    DELETED,
    check_revision,
    record_id_of,
    searchable_texts,
    to_canonical,
    utc_now,
)
from intake_app.storage.models import (
    AttachmentInfo,
    DraftInfo,
    InterviewSummary,
    RevisionInfo,
)

_REVISION_INFO = "SELECT interview_id, revision, sha256, prev_sha256, saved, status FROM revision"


class InterviewStore:
    """Interviews in one vault. Obtain it as `vault.interviews`."""

    def __init__(
        self, db: Database, *, max_attachment_bytes: int = attachments.DEFAULT_LIMIT_BYTES
    ) -> None:
        self._db = db
        self._max_attachment_bytes = max_attachment_bytes

    # Drafts -------------------------------------------------------------------------------

    def save_draft(self, document: dict[str, Any]) -> None:
        """Autosave: upsert the record's draft in one small transaction."""
        record_id = record_id_of(document)
        text = to_canonical(document)
        base = document.get("revision")
        with self._db.transaction() as conn:
            head = conn.execute(
                "SELECT revision, status, purged FROM interview WHERE id = ?", (record_id,)
            ).fetchone()
            if head:
                _refuse_closed(head[1], head[2])
            if not isinstance(base, int) or isinstance(base, bool):
                base = head[0] if head else 0
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

    def drafts(self) -> list[DraftInfo]:
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
        with self._db.transaction() as conn:
            return self._append(conn, document)

    def save_revisions(self, documents: Iterable[dict[str, Any]]) -> builtins.list[RevisionInfo]:
        """Save many revisions in one transaction (imports): all of them, or none."""
        with self._db.transaction() as conn:
            return [self._append(conn, document) for document in documents]

    def get(self, record_id: str) -> dict[str, Any]:
        """The newest revision's document (raises NotFound, also after purge)."""
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT r.document FROM interview AS i JOIN revision AS r "
                "ON r.interview_id = i.id AND r.revision = i.revision WHERE i.id = ?",
                (record_id,),
            ).fetchone()
        if row is None or row[0] is None:
            raise NotFound()
        return _loads(row[0])

    def get_revision(self, record_id: str, revision: int) -> dict[str, Any]:
        """One revision's document (raises NotFound, also after purge)."""
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT document FROM revision WHERE interview_id = ? AND revision = ?",
                (record_id, revision),
            ).fetchone()
        if row is None or row[0] is None:
            raise NotFound()
        return _loads(row[0])

    def history(self, record_id: str) -> builtins.list[RevisionInfo]:
        """Every revision of the record, oldest first; hashes survive a purge."""
        with self._db.reading() as conn:
            rows = conn.execute(
                f"{_REVISION_INFO} WHERE interview_id = ? ORDER BY revision", (record_id,)
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
            head = conn.execute(
                "SELECT status, purged FROM interview WHERE id = ?", (record_id,)
            ).fetchone()
            if head is None or head[1]:
                raise NotFound()
            if head[0] == DELETED:
                return _revision_info(_newest_revision(conn, record_id))
            tombstone = self._tombstone(conn, record_id, reason)
            info = self._append(conn, tombstone, allow_deleted=True)
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
                marked += conn.execute(
                    "UPDATE revision SET delivered = ? WHERE interview_id = ? AND revision = ? "
                    "AND sha256 = ? AND delivered IS NULL",
                    (now, record_id, revision, sha),
                ).rowcount
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
            conn.execute(
                "UPDATE revision SET document = NULL "
                "WHERE interview_id = ? AND document IS NOT NULL",
                (record_id,),
            )
            conn.execute("UPDATE interview SET purged = 1, alias = NULL WHERE num = ?", (row[0],))
            conn.execute("DELETE FROM draft WHERE interview_id = ?", (record_id,))
            search.unindex_record(conn, row[0])
            attachments.remove_all_attachments(conn, record_id)

    # Finding ------------------------------------------------------------------------------

    def list(
        self,
        status: str | None = None,
        modified_since: datetime | str | None = None,
        delivered: bool | None = None,
    ) -> builtins.list[InterviewSummary]:
        """Saved records (not purged), newest change first, with optional filters."""
        with self._db.reading() as conn:
            return search.list_interviews(conn, status, modified_since, delivered)

    def search(self, query: str) -> builtins.list[InterviewSummary]:
        """Records whose alias or tagged free texts contain every term of `query`."""
        with self._db.reading() as conn:
            return search.search_interviews(conn, query)

    # Attachments --------------------------------------------------------------------------

    def add_attachment(
        self, record_id: str, source: BinaryIO, media_type: str, name: str
    ) -> AttachmentInfo:
        """Stream `source` into the vault and attach it to a saved record or a draft."""
        with self._db.transaction() as conn:
            head = conn.execute(
                "SELECT status, purged FROM interview WHERE id = ?", (record_id,)
            ).fetchone()
            has_draft = conn.execute(
                "SELECT 1 FROM draft WHERE interview_id = ?", (record_id,)
            ).fetchone()
            if (head is None and not has_draft) or (head and (head[1] or head[0] == DELETED)):
                raise NotFound()
            return attachments.add_attachment(
                conn, record_id, source, media_type, name, self._max_attachment_bytes
            )

    def attachments(self, record_id: str) -> builtins.list[AttachmentInfo]:
        """The record's attachments (sha256, size, media type, name)."""
        with self._db.reading() as conn:
            return attachments.list_attachments(conn, record_id)

    def open_attachment(self, sha256: str) -> AttachmentReader:
        """A chunked, seekable reader over an attachment's content."""
        return AttachmentReader(self._db, sha256)

    def remove_attachment(self, record_id: str, sha256: str) -> None:
        """Detach one file from the record (its content goes once nothing refers to it)."""
        with self._db.transaction() as conn:
            attachments.remove_attachment(conn, record_id, sha256)

    # Inside -------------------------------------------------------------------------------

    def _append(
        self, conn: Connection, document: dict[str, Any], *, allow_deleted: bool = False
    ) -> RevisionInfo:
        head_fields = check_revision(document) if not allow_deleted else None
        record_id = record_id_of(document)
        head = conn.execute(
            "SELECT num, revision, head_sha256, status, purged, created "
            "FROM interview WHERE id = ?",
            (record_id,),
        ).fetchone()
        if head and not allow_deleted:
            _refuse_closed(head[3], head[4])
        number = head[1] + 1 if head else 1
        prev = head[2] if head else GENESIS
        body = {**document, "revision": number}
        text = to_canonical(body)
        sha = revision_hash(prev, text)
        saved = utc_now()
        status = body["status"]
        conn.execute(
            "INSERT INTO revision (interview_id, revision, sha256, prev_sha256, saved, status, "
            "document) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (record_id, number, sha, prev, saved, status, text),
        )
        alias = head_fields.alias if head_fields else None
        created = (head_fields.created if head_fields else None) or (head[5] if head else saved)
        modified = (head_fields.modified if head_fields else None) or saved
        num = self._upsert_head(conn, head, body, number, sha, status, alias, created, modified)
        if status == DELETED:
            search.unindex_record(conn, num)
        else:
            search.index_record(conn, num, alias, searchable_texts(body["answers"]))
        conn.execute("DELETE FROM draft WHERE interview_id = ?", (record_id,))
        return RevisionInfo(record_id, number, sha, prev, saved, status)

    @staticmethod
    def _upsert_head(
        conn: Connection,
        head: tuple[Any, ...] | None,
        body: dict[str, Any],
        number: int,
        sha: str,
        status: str,
        alias: str | None,
        created: str,
        modified: str,
    ) -> int:
        if head is not None:
            conn.execute(
                "UPDATE interview SET revision = ?, head_sha256 = ?, status = ?, alias = ?, "
                "form = ?, form_version = ?, created = ?, modified = ? WHERE num = ?",
                (
                    number,
                    sha,
                    status,
                    alias,
                    body["form"],
                    body["form_version"],
                    created,
                    modified,
                    head[0],
                ),
            )
            return int(head[0])
        cursor = conn.execute(
            "INSERT INTO interview (id, revision, head_sha256, status, alias, form, form_version, "
            "created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                body["id"],
                number,
                sha,
                status,
                alias,
                body["form"],
                body["form_version"],
                created,
                modified,
            ),
        )
        return int(cursor.lastrowid)

    @staticmethod
    def _tombstone(conn: Connection, record_id: str, reason: str) -> dict[str, Any]:
        previous = _loads(_newest_revision(conn, record_id)[6])
        now = utc_now()
        return {
            **{k: v for k, v in previous.items() if k not in ("answers", "revision")},
            "status": DELETED,
            "modified": now,
            "answers": {},
            "reason": reason,
        }


def _refuse_closed(status: str, purged: int) -> None:
    """Refuse changes to a deleted or purged record."""
    if purged:
        raise InvalidDocument(problem=N_("the interview was removed from this computer"))
    if status == DELETED:
        raise InvalidDocument(problem=N_("the interview was deleted"))


def _newest_revision(conn: Connection, record_id: str) -> tuple[Any, ...]:
    row: tuple[Any, ...] = conn.execute(
        "SELECT interview_id, revision, sha256, prev_sha256, saved, status, document FROM revision "
        "WHERE interview_id = ? ORDER BY revision DESC LIMIT 1",
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

"""Appending one revision: number it, chain it, store it, move the record's head.

This is the hot path of every save and import, so it reads the head and the draft flag in one
query and touches only what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake_app.errors import InvalidDocument
from intake_app.i18n.core import N_
from intake_app.storage import search
from intake_app.storage.chain import GENESIS, revision_hash
from intake_app.storage.database import Connection
from intake_app.storage.documents import DELETED, Head, to_canonical
from intake_app.storage.models import RevisionInfo
from intake_app.storage.revision_rows import revision_row


@dataclass(frozen=True)
class Current:
    """A record's head row as it is before the append (num is None for a new record)."""

    num: int | None
    revision: int
    sha256: str
    status: str | None
    purged: bool
    created: str | None
    has_draft: bool


def read_current(conn: Connection, record_id: str) -> Current:
    """The record's head and whether it has a draft, in one query."""
    row = conn.execute(
        "SELECT i.num, i.revision, i.head_sha256, i.status, i.purged, i.created, "
        "EXISTS (SELECT 1 FROM draft WHERE interview_id = ?1) "
        "FROM (SELECT 1) LEFT JOIN interview AS i ON i.id = ?1",
        (record_id,),
    ).fetchone()
    num, revision, sha, status, purged, created, has_draft = row
    if num is None:
        return Current(None, 0, GENESIS, None, False, None, bool(has_draft))
    return Current(num, revision, sha, status, bool(purged), created, bool(has_draft))


def refuse_closed(current: Current) -> None:
    """A deleted or purged record takes no more revisions or drafts."""
    if current.purged:
        raise InvalidDocument(problem=N_("the interview was removed from this computer"))
    if current.status == DELETED:
        raise InvalidDocument(problem=N_("the interview was deleted"))


def append_revision(
    conn: Connection, current: Current, head: Head, document: dict[str, Any], saved: str
) -> RevisionInfo:
    """Store `document` as the record's next revision (inside the caller's transaction)."""
    number = current.revision + 1
    body = {**document, "revision": number}
    text, data = to_canonical(body)
    sha = revision_hash(current.sha256, data)
    created = head.created or current.created or saved
    modified = head.modified or saved
    deleted = head.status == DELETED
    values = (
        number,
        sha,
        head.status,
        head.alias,
        head.form,
        head.form_version,
        created,
        modified,
    )
    if current.num is None:
        num = conn.execute(
            "INSERT INTO interview (revision, head_sha256, status, alias, form, form_version, "
            "created, modified, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, head.id),
        ).lastrowid
    else:
        num = current.num
        conn.execute(
            "UPDATE interview SET revision = ?, head_sha256 = ?, status = ?, alias = ?, "
            "form = ?, form_version = ?, created = ?, modified = ?, delivered = 0 "
            "WHERE num = ?",
            (*values, num),
        )
    conn.execute(
        "INSERT INTO revision (num, interview_num, interview_id, revision, sha256, prev_sha256, "
        "saved, status, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (revision_row(num, number), num, head.id, number, sha, current.sha256, saved,
         head.status, text),
    )
    if deleted:  # a tombstone leaves the index at once; other saves wait for the next search
        search.unindex_record(conn, num)
    if current.has_draft:
        conn.execute("DELETE FROM draft WHERE interview_id = ?", (head.id,))
    return RevisionInfo(head.id, number, sha, current.sha256, saved, head.status)

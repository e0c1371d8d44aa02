"""Finding interviews: keeping the full-text index current, search, and filtered lists.

The index is a contentless FTS5 table holding each record's alias and tagged free texts (as
prepared by search_text). Saving a revision writes nothing for search: before the next search,
in one transaction, the index catches up with every record whose indexed revision is not its
newest one, so saves stay cheap and indexing runs in batches.

An entry's rowid is the row number of the revision whose text it holds (so `rowid >> 24` is
the record's row number, see revisions.py). It leaves the index
through FTS5's 'delete' command with exactly that text (rebuilt from that revision); with the
index's secure-delete option this removes its words from the index itself.

A person's query is never FTS syntax: every term is quoted, so `"`, `*`, `AND`, `NEAR(` and
the like are just text. Terms shorter than three characters match the alias (LIKE, with `%`
and `_` escaped); longer ones match the start of words in the alias and the free texts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from intake_app.storage.database import Connection
from intake_app.storage.documents import DELETED, format_time
from intake_app.storage.models import InterviewSummary
from intake_app.storage.search_text import (
    fts_phrase as fts_phrase,  # re-exported: the centre's own index (sync layer) uses these
)
from intake_app.storage.search_text import (
    fts_prefix,
    index_values,
    is_short,
    like_pattern,
    query_terms,
)

# For the centre's trigram index (sync.centre_records): trigrams need terms this long.
TRIGRAM = 3

_COLUMNS = """
SELECT i.id, i.revision, i.status, i.alias, i.form, i.form_version, i.created, i.modified,
       i.delivered, d.interview_id IS NOT NULL
"""
_DRAFT = "LEFT JOIN draft AS d ON d.interview_id = i.id"
_SUMMARY = f"{_COLUMNS} FROM interview AS i {_DRAFT}"
# From the index's matches to their records by primary keys only.
_MATCHES = (
    f"{_COLUMNS} FROM interview_text AS t JOIN interview AS i "
    f"ON i.num = t.rowid >> 24 {_DRAFT}"
)
# Records whose index entry is not what it should be: their head revision's text, or nothing
# once deleted or purged. A scan of the small head rows; saving writes nothing for search.
_STALE = (
    "FROM interview WHERE indexed_rowid != CASE WHEN purged = 0 AND status != ? "
    "THEN (num << 24) + revision ELSE 0 END"
)


def unindex_record(conn: Connection, num: int) -> None:
    """Take a record out of the index now (deleted or purged; call before purging content)."""
    row = conn.execute("SELECT indexed_rowid FROM interview WHERE num = ?", (num,)).fetchone()
    if row and row[0]:
        _remove_entry(conn, row[0])
        conn.execute("UPDATE interview SET indexed_rowid = 0 WHERE num = ?", (num,))


def has_stale(conn: Connection) -> bool:
    """Whether revisions were saved since the index last caught up."""
    row = conn.execute(f"SELECT EXISTS (SELECT 1 {_STALE})", (DELETED,)).fetchone()
    return bool(row and row[0])


def catch_up(conn: Connection, limit: int | None = None) -> int:
    """Index the newest revision of every record saved since the last catch-up, or of the
    first `limit` of them (inside the caller's transaction); returns how many were looked at."""
    touched = [
        row[0]
        for row in conn.execute(
            f"SELECT num {_STALE} ORDER BY num LIMIT ?", (DELETED, -1 if limit is None else limit)
        )
    ]
    for first in range(0, len(touched), _BATCH):
        _reindex(conn, touched[first : first + _BATCH])
    return len(touched)


_BATCH = 500  # records read at a time (their documents are held meanwhile)


def _reindex(conn: Connection, nums: list[int]) -> None:
    """Replace these records' index entries with their head revisions' text.

    Removals first, then additions in ascending rowid: FTS5 flushes what it holds whenever a
    rowid goes backwards or a delete comes between inserts, which made a catch-up after 1,000
    scattered edits take half a minute.
    """
    heads = []
    for num in nums:
        head_rowid, indexed, status, purged, document = conn.execute(
            "SELECT r.num, i.indexed_rowid, i.status, i.purged, r.document FROM interview AS i "
            "JOIN revision AS r ON r.num = (i.num << 24) + i.revision WHERE i.num = ?",
            (num,),
        ).fetchone()
        if indexed != head_rowid:
            heads.append((num, head_rowid, indexed, status, purged, document))
    for indexed in sorted(head[2] for head in heads if head[2]):
        _remove_entry(conn, indexed)
    for num, head_rowid, _indexed, status, purged, document in sorted(heads,
                                                                       key=lambda h: h[1]):
        entry = 0
        if document is not None and not purged and status != DELETED:
            conn.execute(
                "INSERT INTO interview_text (rowid, alias, texts) VALUES (?, ?, ?)",
                (head_rowid, *index_values(document)),
            )
            entry = head_rowid
        conn.execute("UPDATE interview SET indexed_rowid = ? WHERE num = ?", (entry, num))


def _remove_entry(conn: Connection, rowid: int) -> None:
    row = conn.execute("SELECT document FROM revision WHERE num = ?", (rowid,)).fetchone()
    if row is None or row[0] is None:
        # Purge always unindexes first, so this is a bug, and the index must be rebuilt.
        raise RuntimeError("the indexed revision of a record has no content")
    conn.execute(
        "INSERT INTO interview_text (interview_text, rowid, alias, texts) "
        "VALUES ('delete', ?, ?, ?)",
        (rowid, *index_values(row[0])),
    )


def search_interviews(
    conn: Connection, query: str, limit: int | None = None
) -> list[InterviewSummary]:
    """Records matching every term of `query`, best match first (call `catch_up` before)."""
    words: list[str] = []
    clauses = ["i.purged = 0"]
    params: list[Any] = []
    for term in query_terms(query):
        if is_short(term):
            clauses.append("i.alias LIKE ? ESCAPE '\\'")
            params.append(like_pattern(term))
        elif (expression := fts_prefix(term)) is not None:
            words.append(expression)
    if not words and len(clauses) == 1:
        return []
    if words:
        sql = (
            f"{_MATCHES} WHERE interview_text MATCH ? AND {' AND '.join(clauses)} "
            "ORDER BY t.rank, i.modified DESC"
        )
        params.insert(0, " ".join(words))
    else:
        sql = f"{_SUMMARY} WHERE {' AND '.join(clauses)} ORDER BY i.modified DESC, i.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(max(0, int(limit)))
    return [_summary(row) for row in conn.execute(sql, params)]


def list_interviews(
    conn: Connection,
    status: str | None = None,
    modified_since: datetime | str | None = None,
    delivered: bool | None = None,
) -> list[InterviewSummary]:
    """Records (newest change first), optionally only one status, recent ones, or (un)delivered."""
    clauses = ["i.purged = 0"]
    params: list[Any] = []
    if status is not None:
        clauses.append("i.status = ?")
        params.append(status)
    if modified_since is not None:
        if isinstance(modified_since, str):
            modified_since = datetime.fromisoformat(modified_since)
        clauses.append("i.modified >= ?")
        params.append(format_time(modified_since))
    if delivered is not None:
        clauses.append("i.delivered = ?")
        params.append(int(delivered))
    sql = f"{_SUMMARY} WHERE {' AND '.join(clauses)} ORDER BY i.modified DESC, i.id"
    return [_summary(row) for row in conn.execute(sql, params)]


def _summary(row: tuple[Any, ...]) -> InterviewSummary:
    record_id, revision, status, alias, form, form_version, created, modified, sent, draft = row
    return InterviewSummary(
        id=record_id,
        revision=revision,
        status=status,
        alias=alias,
        form=form,
        form_version=form_version,
        created=created,
        modified=modified,
        delivered=bool(sent),
        deleted=status == DELETED,
        has_draft=bool(draft),
    )

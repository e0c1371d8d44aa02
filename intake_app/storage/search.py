"""Finding interviews: the full-text index, search with escaped queries, and filtered lists.

The index (FTS5, trigram tokenizer) holds each record's alias and its tagged free texts.
Saving a revision only marks the record stale; the index catches up in one transaction
before the next search, so saves stay cheap and indexing happens in batches.

A person's query is never FTS syntax: every term is quoted, so `"`, `*`, `AND`, `NEAR(` and
the like are just text. Terms shorter than three characters, which trigrams cannot index, are
matched with LIKE (with `%` and `_` escaped) over the same indexed text.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from intake_app.storage.database import Connection
from intake_app.storage.documents import DELETED, format_time, searchable_texts
from intake_app.storage.models import InterviewSummary

TRIGRAM = 3
_SUMMARY = """
SELECT i.id, i.revision, i.status, i.alias, i.form, i.form_version, i.created, i.modified,
       r.delivered IS NOT NULL, d.interview_id IS NOT NULL
FROM interview AS i
JOIN revision AS r ON r.interview_num = i.num AND r.revision = i.revision
LEFT JOIN draft AS d ON d.interview_id = i.id
"""


def unindex_record(conn: Connection, num: int) -> None:
    """Remove a record from the index now (deleted or purged); secure-delete leaves no trace."""
    conn.execute("DELETE FROM interview_text WHERE rowid = ?", (num,))
    conn.execute("UPDATE interview SET indexed = 1 WHERE num = ?", (num,))


def has_stale(conn: Connection) -> bool:
    """Whether any record waits to be (re)indexed."""
    return conn.execute("SELECT 1 FROM interview WHERE indexed = 0").fetchone() is not None


def catch_up(conn: Connection, batch: int = 500) -> int:
    """Rebuild the index entries of every stale record (inside the caller's transaction)."""
    done = 0
    while True:
        rows = conn.execute(
            "SELECT i.num, i.alias, i.status, i.purged, r.document FROM interview AS i "
            "LEFT JOIN revision AS r ON r.interview_num = i.num AND r.revision = i.revision "
            "WHERE i.indexed = 0 ORDER BY i.num LIMIT ?",
            (batch,),
        ).fetchall()
        if not rows:
            return done
        for num, alias, status, purged, document in rows:
            conn.execute("DELETE FROM interview_text WHERE rowid = ?", (num,))
            if document is not None and not purged and status != DELETED:
                texts = searchable_texts(json.loads(document).get("answers", {}))
                conn.execute(
                    "INSERT INTO interview_text (rowid, alias, texts) VALUES (?, ?, ?)",
                    (num, alias or "", texts),
                )
        conn.executemany(
            "UPDATE interview SET indexed = 1 WHERE num = ?", [(row[0],) for row in rows]
        )
        done += len(rows)


def query_terms(query: str) -> list[str]:
    """The distinct terms of a typed query, with characters SQLite cannot take removed."""
    cleaned = "".join(" " if ch == "\0" else ch for ch in query if not 0xD800 <= ord(ch) <= 0xDFFF)
    return list(dict.fromkeys(cleaned.split()))


def fts_phrase(term: str) -> str:
    """`term` as an FTS5 string: quoted, inner quotes doubled, so it is never syntax."""
    return '"' + term.replace('"', '""') + '"'


def like_pattern(term: str) -> str:
    """`term` as a LIKE pattern matching it anywhere, with `\\`, `%` and `_` escaped."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_interviews(conn: Connection, query: str) -> list[InterviewSummary]:
    """Records whose alias or free texts contain every term of `query`, best match first."""
    terms = query_terms(query)
    if not terms:
        return []
    long_terms = [t for t in terms if len(t) >= TRIGRAM]
    clauses: list[str] = []
    params: list[Any] = []
    if long_terms:
        clauses.append("interview_text MATCH ?")
        params.append(" ".join(fts_phrase(t) for t in long_terms))
    for term in terms:
        if len(term) < TRIGRAM:
            clauses.append("(t.alias LIKE ? ESCAPE '\\' OR t.texts LIKE ? ESCAPE '\\')")
            params.extend([like_pattern(term)] * 2)
    order = "t.rank, i.modified DESC" if long_terms else "i.modified DESC"
    sql = (
        f"{_SUMMARY} JOIN interview_text AS t ON t.rowid = i.num "
        f"WHERE i.purged = 0 AND {' AND '.join(clauses)} ORDER BY {order}"
    )
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
        clauses.append("i.modified >= ?")
        if isinstance(modified_since, str):
            modified_since = datetime.fromisoformat(modified_since)
        params.append(format_time(modified_since))
    if delivered is not None:
        clauses.append("(r.delivered IS NOT NULL) = ?")
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

"""Reading what the centre imported: interviews, their revision history, search. Read-only.

Every revision says which device and which bundle (sequence number, import log row, file name)
brought it. A revision number may hold two versions after a record conflict: the current one,
and the one set aside by the administrator's choice (`set_aside`: who chose, when, and which
side was kept); documents and exports read only current versions. A deleted interview shows
its tombstone and its revisions' hashes, never content.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from intake_app.errors import NotFound
from intake_app.storage import (
    TRIGRAM,
    AttachmentInfo,
    Vault,
    VaultBusy,
    fts_phrase,
    like_pattern,
    list_attachments,
    query_terms,
)
from intake_app.sync.centre.search import catch_up

_INTERVIEW = ("SELECT r.id, r.device_id, r.revision, r.status, r.alias, r.form, r.form_version, "
              "r.created, r.modified, r.deleted, r.imported FROM centre_record AS r")


@dataclass(frozen=True)
class ImportedInterview:
    """The head of one imported interview (its newest revision, or its tombstone)."""

    id: str
    device_id: str
    revision: int
    status: str
    alias: str | None
    form: str | None
    form_version: str | None
    created: str | None
    modified: str | None
    deleted: bool
    imported: str


@dataclass(frozen=True)
class SetAside:
    """Why a version is in the history but not current: the administrator's choice."""

    kept: str  # "centre" or "laptop": the side whose version was made current
    by: str
    chosen: str  # UTC time of the choice


@dataclass(frozen=True)
class ImportedRevision:
    """One revision as the centre received it, and which bundle brought it."""

    record_id: str
    revision: int
    sha256: str
    device_id: str
    seq: int
    import_num: int
    file_name: str | None
    imported: str
    has_content: bool
    set_aside: SetAside | None = None


@dataclass(frozen=True)
class ImportedTombstone:
    """A deletion the centre applied: the record's content is gone, this stays."""

    record_id: str
    revision: int
    reason: str
    device_id: str
    seq: int
    applied: str


def _interview(row: Sequence[Any]) -> ImportedInterview:
    (record_id, device, revision, status, alias, form, version, created, modified, deleted,
     imported) = row
    return ImportedInterview(record_id, device, int(revision), status, alias, form, version,
                             created, modified, bool(deleted), imported)


def list_interviews(vault: Vault, *, include_deleted: bool = True) -> list[ImportedInterview]:
    """Imported interviews, most recently changed first."""
    where = "" if include_deleted else " WHERE r.deleted = 0"
    with vault.reading() as conn:
        rows = conn.execute(_INTERVIEW + where + " ORDER BY r.modified DESC, r.id").fetchall()
    return [_interview(row) for row in rows]


def search_interviews(vault: Vault, query: str) -> list[ImportedInterview]:
    """Interviews whose alias or tagged free texts contain every term of `query`."""
    terms = query_terms(query)
    if not terms:
        return []
    clauses: list[str] = []
    params: list[str] = []
    long_terms = [term for term in terms if len(term) >= TRIGRAM]
    if long_terms:
        clauses.append("centre_record_text MATCH ?")
        params.append(" ".join(fts_phrase(term) for term in long_terms))
    for term in terms:
        if len(term) < TRIGRAM:
            clauses.append("(t.alias LIKE ? ESCAPE '\\' OR t.texts LIKE ? ESCAPE '\\')")
            params += [like_pattern(term)] * 2
    sql = (_INTERVIEW + " JOIN centre_record_text AS t ON t.rowid = r.num WHERE r.deleted = 0 "
           "AND " + " AND ".join(clauses) + " ORDER BY r.modified DESC, r.id")
    # The index catches up first, unless an import is writing: then this searches what is
    # indexed (the round of imports catches up after it) rather than wait for the import.
    with contextlib.suppress(VaultBusy), vault.transaction(wait=False) as conn:
        catch_up(conn)
    with vault.reading() as conn:
        return [_interview(row) for row in conn.execute(sql, params).fetchall()]


def get_interview(vault: Vault, record_id: str) -> ImportedInterview:
    """One interview's head; raises `NotFound`."""
    with vault.reading() as conn:
        row = conn.execute(_INTERVIEW + " WHERE r.id = ?", (record_id,)).fetchone()
    if row is None:
        raise NotFound()
    return _interview(row)


def history(vault: Vault, record_id: str) -> list[ImportedRevision]:
    """Every revision the centre holds of an interview, oldest first, with its bundle."""
    with vault.reading() as conn:
        rows = conn.execute(
            "SELECT v.record_id, v.revision, v.sha256, v.device_id, v.seq, v.import_num, "
            "i.file_name, v.imported, v.document IS NOT NULL, c.kept, c.chosen_by, c.chosen "
            "FROM centre_revision AS v LEFT JOIN centre_import AS i ON i.num = v.import_num "
            "LEFT JOIN centre_conflict AS c ON c.num = v.set_aside WHERE v.record_id = ? "
            "ORDER BY v.revision, v.num", (record_id,)).fetchall()
    return [ImportedRevision(r[0], int(r[1]), r[2], r[3], int(r[4]), int(r[5]), r[6], r[7],
                             bool(r[8]), None if r[9] is None else SetAside(r[9], r[10], r[11]))
            for r in rows]


def tombstones(vault: Vault, record_id: str) -> list[ImportedTombstone]:
    """The deletions applied to an interview, oldest first."""
    with vault.reading() as conn:
        rows = conn.execute(
            "SELECT record_id, revision, reason, device_id, seq, applied FROM centre_tombstone "
            "WHERE record_id = ? ORDER BY revision", (record_id,)).fetchall()
    return [ImportedTombstone(r[0], int(r[1]), r[2], r[3], int(r[4]), r[5]) for r in rows]


def get_document(vault: Vault, record_id: str, revision: int | None = None
                 ) -> dict[str, Any] | None:
    """A revision's document (the newest by default); None once a tombstone removed it."""
    with vault.reading() as conn:
        if revision is None:
            row = conn.execute("SELECT document FROM centre_revision WHERE record_id = ? "
                               "AND set_aside IS NULL ORDER BY revision DESC LIMIT 1",
                               (record_id,)).fetchone()
        else:
            row = conn.execute("SELECT document FROM centre_revision WHERE record_id = ? AND "
                               "revision = ? AND set_aside IS NULL",
                               (record_id, revision)).fetchone()
    if row is None:
        raise NotFound()
    if row[0] is None:
        return None
    document = json.loads(row[0])
    assert isinstance(document, dict)
    return document


def attachments(vault: Vault, record_id: str) -> list[AttachmentInfo]:
    """The attachments the centre holds for an interview (read them with
    `vault.interviews.open_attachment`)."""
    with vault.reading() as conn:
        return list_attachments(conn, record_id)


def current_documents(vault: Vault) -> list[dict[str, Any]]:
    """The newest document of every interview that still has content (for exports)."""
    with vault.reading() as conn:
        rows = conn.execute(
            "SELECT v.document FROM centre_record AS r JOIN centre_revision AS v "
            "ON v.record_id = r.id AND v.revision = r.revision AND v.set_aside IS NULL "
            "WHERE r.deleted = 0 AND v.document IS NOT NULL ORDER BY r.created, r.id").fetchall()
    documents = [json.loads(row[0]) for row in rows]
    return [document for document in documents if isinstance(document, dict)]

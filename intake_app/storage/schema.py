"""The core schema: one SQL script per `user_version` step. Append steps; never edit old ones."""

from __future__ import annotations

# Version 1. Notes on the design:
# - `revision` is append-only (triggers refuse deletes and edits); only `document` may be
#   cleared, by purge, and `delivered` set, by a receipt. Hashes stay, so the chain still checks.
# - `interview` is the head of each record: its newest revision, for cheap listing and chaining.
# - `interview_text` is FTS5 with the trigram tokenizer, which finds words inside Thai text
#   (no spaces between words) and parts of names in every script. Its secure-delete option
#   removes a deleted record's entries from the index itself, not just from the results.
# - `interview.indexed = 0` marks a record whose index entry is out of date. Saving only sets
#   the flag; the index catches up in one transaction before the next search (or when asked),
#   so saving stays close to a plain insert and indexing is done in batches.
# - Revisions are keyed by the record's row number, which grows with each new record, so the
#   revision index is appended to instead of updated at random places (UUIDs are random).
# - Attachments are content-addressed blobs split into chunks, so none is ever whole in memory.
CORE_V1 = """
CREATE TABLE interview (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    revision INTEGER NOT NULL,
    head_sha256 TEXT NOT NULL,
    status TEXT NOT NULL,
    alias TEXT,
    form TEXT NOT NULL,
    form_version TEXT NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    purged INTEGER NOT NULL DEFAULT 0,
    indexed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX interview_unindexed ON interview (num) WHERE indexed = 0;

CREATE TABLE revision (
    num INTEGER PRIMARY KEY,
    interview_num INTEGER NOT NULL,
    interview_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    prev_sha256 TEXT NOT NULL,
    saved TEXT NOT NULL,
    status TEXT NOT NULL,
    document TEXT,
    delivered TEXT,
    UNIQUE (interview_num, revision)
);

CREATE TRIGGER revision_no_delete BEFORE DELETE ON revision
BEGIN
    SELECT RAISE(ABORT, 'revisions are append-only');
END;

CREATE TRIGGER revision_no_rewrite
BEFORE UPDATE OF num, interview_num, interview_id, revision, sha256, prev_sha256, saved, status
ON revision
BEGIN
    SELECT RAISE(ABORT, 'revisions are append-only');
END;

CREATE TRIGGER revision_document_only_purged BEFORE UPDATE OF document ON revision
WHEN NEW.document IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a revision document can only be purged');
END;

CREATE TABLE draft (
    interview_id TEXT NOT NULL PRIMARY KEY,
    base_revision INTEGER NOT NULL,
    modified TEXT NOT NULL,
    document TEXT NOT NULL
);

CREATE VIRTUAL TABLE interview_text USING fts5 (
    alias, texts, tokenize = 'trigram remove_diacritics 1'
);
INSERT INTO interview_text (interview_text, rank) VALUES ('secure-delete', 1);

CREATE TABLE blob (
    num INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    chunk_size INTEGER NOT NULL
);

CREATE TABLE blob_chunk (
    num INTEGER PRIMARY KEY,
    blob INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (blob, seq)
);

CREATE TABLE attachment (
    interview_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    name TEXT NOT NULL,
    added TEXT NOT NULL,
    PRIMARY KEY (interview_id, sha256)
) WITHOUT ROWID;
CREATE INDEX attachment_blob ON attachment (sha256);

CREATE TABLE schema_component (
    name TEXT NOT NULL PRIMARY KEY,
    version INTEGER NOT NULL
) WITHOUT ROWID;
"""

CORE_MIGRATIONS: list[str] = [CORE_V1]

"""The core schema: one SQL script per `user_version` step. Append steps; never edit old ones."""

from __future__ import annotations

# Version 1. Notes on the design:
# - `revision` is append-only (triggers refuse deletes and edits); only `document` may be
#   cleared, by purge, and `delivered` set, by a receipt. Hashes stay, so the chain still checks.
# - `interview` is the head of each record: its newest revision (and whether that one was
#   delivered), for cheap listing and chaining. `document` is the last column of `revision`
#   so that reading the others never walks a document's overflow pages.
# - `interview_text` is a contentless FTS5 index (see search.py and search_text.py); its
#   secure-delete option removes a record's words from the index itself when it leaves.
#   `interview.indexed_rowid` is the revision row whose text is in the index, and the index
#   entry's rowid (0: none). Each entry gets a fresh rowid because FTS5 (3.53) corrupts a
#   secure-delete index when one transaction deletes and re-inserts the same rowid.
#   `search_state.indexed_through` is the last revision row the index has seen: saving writes
#   nothing for search, and the index catches up from there before the next search.
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
    delivered INTEGER NOT NULL DEFAULT 0,
    indexed_rowid INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE revision (
    num INTEGER PRIMARY KEY,
    interview_num INTEGER NOT NULL,
    interview_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    prev_sha256 TEXT NOT NULL,
    saved TEXT NOT NULL,
    status TEXT NOT NULL,
    delivered TEXT,
    document TEXT,
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
    alias, texts, content = '', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO interview_text (interview_text, rank) VALUES ('secure-delete', 1);

CREATE TABLE search_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_through INTEGER NOT NULL
);
INSERT INTO search_state (id, indexed_through) VALUES (1, 0);

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

# Version 2: a revision's row number is `(record row number << 24) + revision number`.
# - The row number alone finds a revision, keeps (record, revision) unique and orders a record's
#   revisions together, so the separate UNIQUE (interview_num, revision) index is gone: it was
#   one more page written and synced with every save (about a sixth of a save's cost).
# - A record can take 16,777,215 revisions; record row numbers go up to 2^39.
# - The search index no longer follows a global save order (`search_state` is gone): it catches
#   up with every record whose `indexed_rowid` is not its head revision's row. Entries keep the
#   row number of the revision whose text they hold, so each entry still gets a fresh rowid.
#   The old entries were keyed by the old row numbers: the index is emptied and rebuilt.
CORE_V2 = """
DROP TRIGGER revision_no_delete;
DROP TRIGGER revision_no_rewrite;
DROP TRIGGER revision_document_only_purged;

CREATE TABLE revision_v2 (
    num INTEGER PRIMARY KEY,
    interview_num INTEGER NOT NULL,
    interview_id TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision BETWEEN 1 AND 16777215),
    sha256 TEXT NOT NULL,
    prev_sha256 TEXT NOT NULL,
    saved TEXT NOT NULL,
    status TEXT NOT NULL,
    delivered TEXT,
    document TEXT,
    CHECK (num = (interview_num << 24) + revision)
);
INSERT INTO revision_v2 (num, interview_num, interview_id, revision, sha256, prev_sha256, saved,
                         status, delivered, document)
SELECT (interview_num << 24) + revision, interview_num, interview_id, revision, sha256,
       prev_sha256, saved, status, delivered, document
FROM revision ORDER BY interview_num, revision;
DROP TABLE revision;
ALTER TABLE revision_v2 RENAME TO revision;

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

INSERT INTO interview_text (interview_text) VALUES ('delete-all');
UPDATE interview SET indexed_rowid = 0 WHERE indexed_rowid != 0;
DROP TABLE search_state;
"""

# Version 3: attachments leave the database (see attachment_files.py and core_upgrade.py).
# - `attachment_file` is one row per content: its SHA-256, its size, the random name of its age
#   file in `<vault>/attachments/` and the X25519 identity that file is encrypted to. Deleting
#   the row (secure_delete) shreds the file's key. `attachment` still links records to content
#   and carries each link's media type and name.
# - `blob` and `blob_chunk` stay until every blob has moved into a file, one blob per
#   transaction, at unlock (`core_upgrade`, stage 'moving'); the last move drops them.
CORE_V3 = """
CREATE TABLE attachment_file (
    sha256 TEXT NOT NULL PRIMARY KEY,
    size INTEGER NOT NULL CHECK (size >= 0),
    file TEXT NOT NULL UNIQUE,
    identity TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO core_upgrade (id, stage) VALUES (1, 'moving')
ON CONFLICT (id) DO UPDATE SET stage = excluded.stage;
"""

CORE_MIGRATIONS: list[str] = [CORE_V1, CORE_V2, CORE_V3]

# What is left to do after a core migration, while anything is (`core_upgrade.py`): created
# before each migration's scripts run, dropped once the upgraded vault passed its check.
# moving (schema 3's attachments), compacting (VACUUM), checking (then the backups go), or
# check-failed (the backups stay).
CORE_UPGRADE_TABLE = """
CREATE TABLE IF NOT EXISTS core_upgrade (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    stage TEXT NOT NULL CHECK (stage IN ('moving', 'compacting', 'checking', 'check-failed'))
);
"""

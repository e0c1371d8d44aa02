"""The centre's own tables, as schema component "centre" of a centre vault.

Append migrations; never edit one that has shipped. Notes on the design:
- Secrets (the primary age identity, the receipt signing key) live in `centre_key`, inside the
  encrypted vault and nowhere else. The offline backup identity is never stored here.
- `centre_import` is the audit log: one row per import attempt, whatever its outcome. Alerts
  are the log rows whose reason needs an administrator (see `centre_log.ALERT_REASONS`), until
  acknowledged.
- `centre_bundle` holds `(device, seq, payload hash)` of every accepted bundle; it decides
  duplicates and sequence conflicts. `centre_abandoned` closes gaps the device declared.
- `centre_revision` is append-only like the core `revision` table: only `document` may be
  cleared, by a tombstone (and, from version 4, `set_aside` set once, by an administrator's
  choice in a record conflict). `centre_record` is the head of each record (its newest
  revision).
- Bundles held in quarantine are kept whole as encrypted files in `<vault>/held/` (version 3;
  before, in `centre_held_chunk`).
- A tombstone removes a record's words from the search index itself, not only from the
  results: `centre_apply` merges the index ('optimize') after removing rows, and the vault's
  `secure_delete` zeroes the freed pages. (FTS5's own secure-delete option does the same per
  row but made every insert three to five times slower.)
- Attachments go to the core `attachment`/`attachment_file` tables and the vault's encrypted
  attachment files through `storage.attachments`.
"""

from __future__ import annotations

COMPONENT = "centre"

CENTRE_V1 = """
CREATE TABLE centre_key (
    name TEXT NOT NULL PRIMARY KEY,
    secret BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE centre_profile (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    data BLOB NOT NULL,
    created TEXT NOT NULL
);

CREATE TABLE centre_device (
    device_id TEXT NOT NULL PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,
    public_key TEXT NOT NULL,
    device_name TEXT NOT NULL,
    worker TEXT NOT NULL,
    requested TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'active', 'retired', 'revoked')),
    last_seq INTEGER,
    registered TEXT NOT NULL,
    changed TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE centre_import (
    num INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    device_id TEXT,
    seq INTEGER,
    payload_sha256 TEXT,
    outcome TEXT NOT NULL,
    reason TEXT,
    records INTEGER NOT NULL DEFAULT 0,
    acknowledged TEXT
);
CREATE INDEX centre_import_device ON centre_import (device_id, seq);
CREATE INDEX centre_import_reason ON centre_import (reason);

CREATE TABLE centre_bundle (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    payload_sha256 TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    created TEXT NOT NULL,
    import_num INTEGER NOT NULL,
    PRIMARY KEY (device_id, seq)
) WITHOUT ROWID;

CREATE TABLE centre_abandoned (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    import_num INTEGER NOT NULL,
    PRIMARY KEY (device_id, seq)
) WITHOUT ROWID;

CREATE TABLE centre_receipt (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    payload_sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    signature BLOB NOT NULL,
    issued TEXT NOT NULL,
    PRIMARY KEY (device_id, seq, payload_sha256)
) WITHOUT ROWID;

CREATE TABLE centre_record (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    status TEXT NOT NULL,
    alias TEXT,
    form TEXT,
    form_version TEXT,
    created TEXT,
    modified TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    imported TEXT NOT NULL
);
CREATE INDEX centre_record_device ON centre_record (device_id);

CREATE TABLE centre_revision (
    num INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    document TEXT,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    import_num INTEGER NOT NULL,
    imported TEXT NOT NULL,
    UNIQUE (record_id, revision)
);

CREATE TRIGGER centre_revision_no_delete BEFORE DELETE ON centre_revision
BEGIN
    SELECT RAISE(ABORT, 'imported revisions are append-only');
END;

CREATE TRIGGER centre_revision_no_rewrite
BEFORE UPDATE OF num, record_id, revision, sha256, device_id, seq, import_num, imported
ON centre_revision
BEGIN
    SELECT RAISE(ABORT, 'imported revisions are append-only');
END;

CREATE TRIGGER centre_revision_document_only_removed BEFORE UPDATE OF document ON centre_revision
WHEN NEW.document IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'an imported document can only be removed');
END;

CREATE TABLE centre_tombstone (
    record_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    reason TEXT NOT NULL,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    import_num INTEGER NOT NULL,
    applied TEXT NOT NULL,
    PRIMARY KEY (record_id, revision)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE centre_record_text USING fts5 (
    alias, texts, tokenize = 'trigram remove_diacritics 1'
);

CREATE TABLE centre_held (
    num INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    payload_sha256 TEXT NOT NULL,
    reason TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    held TEXT NOT NULL,
    UNIQUE (device_id, seq, payload_sha256)
);

CREATE TABLE centre_held_chunk (
    held INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (held, seq)
) WITHOUT ROWID;
"""

# Version 2: imports no longer index; the search index catches up from the last revision row
# it has seen before the next search (`centre_search.refresh_search_index`). Tombstones still
# take a record out of the index at once. Everything imported so far was indexed on import.
CENTRE_V2 = """
CREATE TABLE centre_search_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_through INTEGER NOT NULL
);
INSERT INTO centre_search_state (id, indexed_through)
SELECT 1, coalesce(max(num), 0) FROM centre_revision;
"""

# Version 3: held bundles are encrypted files of the vault's `held/` folder (the row names the
# file and holds its key), so forgetting one gives its space back at once; rows held before
# keep their chunks. Alerts for the quarantine's caps, one per laptop and cap.
CENTRE_V3 = """
ALTER TABLE centre_held ADD COLUMN file TEXT;
ALTER TABLE centre_held ADD COLUMN identity TEXT;
ALTER TABLE centre_held ADD COLUMN file_sha256 TEXT;
CREATE TABLE centre_cap_alert (
    num INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL,
    cap TEXT NOT NULL,
    at TEXT NOT NULL,
    acknowledged TEXT,
    UNIQUE (device_id, cap)
);
"""

# Version 4: record conflicts (bundle-format.md "Record conflicts"). The same (record, revision)
# may now be held in two versions: the current one (`set_aside` NULL, at most one, the partial
# unique index) and any set aside by an administrator's choice (`set_aside` names the
# `centre_conflict` row that says who chose, when, and which was kept). `centre_revision` is
# rebuilt for that (SQLite cannot drop a UNIQUE constraint); its rows keep their numbers, so the
# search index's `indexed_through` stays right. Still append-only: rows are never deleted or
# rewritten, only `document` removed by a tombstone and `set_aside` set once.
# `centre_conflict_choice` keeps a choice for a held bundle whose other conflicts still wait.
CENTRE_V4 = """
CREATE TABLE centre_conflict (
    num INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    centre_sha256 TEXT NOT NULL,
    laptop_sha256 TEXT NOT NULL,
    kept TEXT NOT NULL CHECK (kept IN ('centre', 'laptop')),
    chosen_by TEXT NOT NULL,
    chosen TEXT NOT NULL,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    payload_sha256 TEXT NOT NULL,
    import_num INTEGER NOT NULL,
    UNIQUE (record_id, revision, laptop_sha256)
);

CREATE TABLE centre_conflict_choice (
    held INTEGER NOT NULL,
    record_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    laptop_sha256 TEXT NOT NULL,
    kept TEXT NOT NULL CHECK (kept IN ('centre', 'laptop')),
    chosen_by TEXT NOT NULL,
    chosen TEXT NOT NULL,
    PRIMARY KEY (held, record_id, revision)
) WITHOUT ROWID;

CREATE TABLE centre_revision_v4 (
    num INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    document TEXT,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    import_num INTEGER NOT NULL,
    imported TEXT NOT NULL,
    set_aside INTEGER
);

INSERT INTO centre_revision_v4 (num, record_id, revision, sha256, document, device_id, seq,
                                import_num, imported)
SELECT num, record_id, revision, sha256, document, device_id, seq, import_num, imported
FROM centre_revision;

DROP TABLE centre_revision;

ALTER TABLE centre_revision_v4 RENAME TO centre_revision;

CREATE UNIQUE INDEX centre_revision_current ON centre_revision (record_id, revision)
WHERE set_aside IS NULL;

CREATE UNIQUE INDEX centre_revision_version ON centre_revision (record_id, revision, sha256);

CREATE TRIGGER centre_revision_no_delete BEFORE DELETE ON centre_revision
BEGIN
    SELECT RAISE(ABORT, 'imported revisions are append-only');
END;

CREATE TRIGGER centre_revision_no_rewrite
BEFORE UPDATE OF num, record_id, revision, sha256, device_id, seq, import_num, imported
ON centre_revision
BEGIN
    SELECT RAISE(ABORT, 'imported revisions are append-only');
END;

CREATE TRIGGER centre_revision_document_only_removed BEFORE UPDATE OF document ON centre_revision
WHEN NEW.document IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'an imported document can only be removed');
END;

CREATE TRIGGER centre_revision_set_aside_once BEFORE UPDATE OF set_aside ON centre_revision
WHEN OLD.set_aside IS NOT NULL OR NEW.set_aside IS NULL
BEGIN
    SELECT RAISE(ABORT, 'a revision is set aside once, for good');
END;
"""

# Version 5: the centre's own follow-up of each interview (intake_app.sync.centre.follow_up)
# and the pairs an administrator said are not the same person (.duplicates). Centre-side data:
# never in a receipt nor a bundle, keyed by record id so that newer revisions of a record leave
# it alone. `centre_follow_up` is the current status and note (no row: "new");
# `centre_follow_up_change` keeps every change with when and who (the note's text only when it
# changed; a tombstone clears the notes, keeping statuses, times and names).
CENTRE_V5 = """
CREATE TABLE centre_follow_up (
    record_id TEXT NOT NULL PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('new', 'in_review', 'referred', 'closed')),
    note TEXT NOT NULL DEFAULT '',
    changed TEXT NOT NULL,
    changed_by TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE centre_follow_up_change (
    num INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'in_review', 'referred', 'closed')),
    note TEXT,
    at TEXT NOT NULL,
    by TEXT NOT NULL
);
CREATE INDEX centre_follow_up_change_record ON centre_follow_up_change (record_id, num);

CREATE TABLE centre_not_duplicate (
    first_id TEXT NOT NULL,
    second_id TEXT NOT NULL,
    marked TEXT NOT NULL,
    marked_by TEXT NOT NULL,
    PRIMARY KEY (first_id, second_id),
    CHECK (first_id < second_id)
) WITHOUT ROWID;
"""

# Version 6: interview forms the centre publishes (issue 18, sync.centre.form_versions).
# `centre_form_version` holds every version ever published, its exact package bytes (canonical
# JSON) and who published it when; it is never changed or deleted, except that a version is
# retired once, for good (`retired`, `retired_by`). `centre_form_draft` holds at most one checked
# definition per form id, staged from a workbook and waiting to be published. `centre_form_index`
# counts the share's form index (`serial`), which grows at every rewrite.
CENTRE_V6 = """
CREATE TABLE centre_form_version (
    form_id TEXT NOT NULL,
    version TEXT NOT NULL,
    definition BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    published TEXT NOT NULL,
    published_by TEXT NOT NULL,
    retired TEXT,
    retired_by TEXT,
    PRIMARY KEY (form_id, version),
    CHECK ((retired IS NULL) = (retired_by IS NULL))
) WITHOUT ROWID;

CREATE TRIGGER centre_form_version_no_delete BEFORE DELETE ON centre_form_version
BEGIN
    SELECT RAISE(ABORT, 'a published form version is kept for good');
END;

CREATE TRIGGER centre_form_version_no_rewrite
BEFORE UPDATE OF form_id, version, definition, sha256, published, published_by
ON centre_form_version
BEGIN
    SELECT RAISE(ABORT, 'a published form version is never changed');
END;

CREATE TRIGGER centre_form_version_retired_once
BEFORE UPDATE OF retired, retired_by ON centre_form_version
WHEN OLD.retired IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a form version is retired once, for good');
END;

CREATE TABLE centre_form_draft (
    form_id TEXT NOT NULL PRIMARY KEY,
    version TEXT NOT NULL,
    definition BLOB NOT NULL,
    source TEXT NOT NULL,
    staged TEXT NOT NULL,
    staged_by TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE centre_form_index (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    serial INTEGER NOT NULL CHECK (serial >= 1)
);
"""

MIGRATIONS: list[str] = [CENTRE_V1, CENTRE_V2, CENTRE_V3, CENTRE_V4, CENTRE_V5, CENTRE_V6]

RECORD_TABLES: tuple[str, ...] = (
    "centre_record",
    "centre_revision",
    "centre_tombstone",
    "centre_bundle",
    "centre_abandoned",
    "centre_receipt",
    "centre_held",
    "centre_held_chunk",
    "centre_conflict",
    "centre_conflict_choice",
    "attachment",
    "attachment_file",
)
"""Tables that hold what bundles brought; a refused bundle must leave all of them unchanged."""

"""The device side's own tables in the worker's vault (component "device"). Append; never edit.

- `device_identity`: this laptop's id, its minisign key pair (the secret half only ever lives
  here, inside the encrypted database) and the next sequence number. Triggers keep the key and
  id fixed and let the counter only grow, so a sequence number can never be handed out twice.
- `device_profile`: the exact bytes of the centre profile the worker accepted.
- `device_outbox`: one row per sequence number ever reserved, with its state:
  `building` (reserved, bundle being written), `ready` (bytes stored, waiting for a receipt),
  `held` (the centre quarantined it), `delivered` (accepted; bytes dropped), `refused` (the
  centre rejected it; bytes dropped, contents released for a new bundle), `abandoned` (never
  finished; listed in a later bundle's `abandoned_seqs`, recorded in `reported_in`).
- `device_outbox_chunk` (version 1 only): a bundle's bytes in 1 MiB pieces. Version 2 keeps
  each bundle as a file in `<vault>/outbox/` instead (`sync.outbox_files`); upgrading writes
  the waiting bundles' pieces out as files before the table is dropped.
- `device_outbox_item`: what each bundle carried (records, attachments, tombstones), with the
  store's revision hash so a receipt's file hashes can be turned into delivery marks.
- `device_receipt`: the verified receipts, byte for byte.
- `device_setting`: the retention period and other device settings.
- `device_refusal` (version 3): records the centre refused for their contents
  (`sync.device_refusals`): `alone` ones travel one per bundle so that the others get through;
  a `refused` one (the centre refused it alone) is not sent again until a newer revision of it
  is saved.
- `device_form` (version 4): the interview form versions picked up from the centre's share
  (`sync.device.form_pickup`), each with its exact package bytes and signature, its SHA-256
  and when it came; `state` follows the latest verified index (`current`: new interviews may
  start with it; `retired`: only those there are are finished). A row of source `shipped` holds
  no bytes: the centre listed a version this application ships, with the same bytes, and the
  row carries its state. A version, its bytes and its hash never change and are never removed.
  When the share's forms were last checked, and the index then seen, are `device_setting`s.
"""

from __future__ import annotations

from intake_app.storage import Vault
from intake_app.sync.device.outbox_files import OutboxFiles

COMPONENT = "device"

DEVICE_V1 = """
CREATE TABLE device_identity (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    device_id TEXT NOT NULL,
    device_name TEXT NOT NULL,
    worker TEXT NOT NULL,
    public_key TEXT NOT NULL,
    secret_key TEXT NOT NULL,
    created TEXT NOT NULL,
    next_seq INTEGER NOT NULL DEFAULT 1 CHECK (next_seq >= 1)
);

CREATE TRIGGER device_identity_fixed
BEFORE UPDATE OF singleton, device_id, public_key, secret_key, created ON device_identity
BEGIN
    SELECT RAISE(ABORT, 'the device identity cannot change');
END;

CREATE TRIGGER device_identity_no_delete BEFORE DELETE ON device_identity
BEGIN
    SELECT RAISE(ABORT, 'the device identity cannot be removed');
END;

CREATE TRIGGER device_seq_only_grows BEFORE UPDATE OF next_seq ON device_identity
WHEN NEW.next_seq <= OLD.next_seq
BEGIN
    SELECT RAISE(ABORT, 'sequence numbers are never reused');
END;

CREATE TABLE device_profile (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    centre_id TEXT NOT NULL,
    data BLOB NOT NULL,
    fingerprint TEXT NOT NULL,
    loaded TEXT NOT NULL
);

CREATE TABLE device_setting (
    name TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE device_outbox (
    seq INTEGER PRIMARY KEY,
    state TEXT NOT NULL CHECK (
        state IN ('building', 'ready', 'held', 'delivered', 'refused', 'abandoned')
    ),
    reserved TEXT NOT NULL,
    name TEXT,
    created TEXT,
    size INTEGER,
    payload_sha256 TEXT,
    manifest_sha256 TEXT,
    reported_in INTEGER,
    uploaded TEXT,
    exported TEXT,
    outcome TEXT,
    reason TEXT,
    closed TEXT
);
CREATE INDEX device_outbox_state ON device_outbox (state);

CREATE TRIGGER device_outbox_no_delete BEFORE DELETE ON device_outbox
BEGIN
    SELECT RAISE(ABORT, 'outbox rows record every sequence number and stay');
END;

CREATE TABLE device_outbox_chunk (
    num INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    n INTEGER NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (seq, n)
);

CREATE TABLE device_outbox_item (
    num INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('record', 'attachment', 'tombstone')),
    record_id TEXT NOT NULL,
    revision INTEGER,
    sha256 TEXT NOT NULL,
    revision_sha256 TEXT
);
CREATE INDEX device_outbox_item_seq ON device_outbox_item (seq);
CREATE INDEX device_outbox_item_record ON device_outbox_item (record_id, kind);

CREATE TABLE device_receipt (
    seq INTEGER PRIMARY KEY,
    outcome TEXT NOT NULL,
    reason TEXT,
    imported TEXT NOT NULL,
    received TEXT NOT NULL,
    data BLOB NOT NULL,
    signature BLOB NOT NULL
);
"""

# Version 2: bundles become files; `device_outbox_item` is rebuilt with its kind check
# spelled out, because with `cipher_memory_security` on, an `IN (...)` list in a CHECK costs
# about 0.1 ms per inserted row (SQLite builds a temporary table for it each time), and without
# the (record_id, kind) index, which no query searched by (it only ever gave a scan order).
DEVICE_V2 = """
DROP TABLE device_outbox_chunk;

CREATE TABLE device_outbox_item_v2 (
    num INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind = 'record' OR kind = 'attachment' OR kind = 'tombstone'),
    record_id TEXT NOT NULL,
    revision INTEGER,
    sha256 TEXT NOT NULL,
    revision_sha256 TEXT
);
INSERT INTO device_outbox_item_v2 (num, seq, kind, record_id, revision, sha256,
    revision_sha256)
SELECT num, seq, kind, record_id, revision, sha256, revision_sha256 FROM device_outbox_item;
DROP TABLE device_outbox_item;
ALTER TABLE device_outbox_item_v2 RENAME TO device_outbox_item;
CREATE INDEX device_outbox_item_seq ON device_outbox_item (seq);
"""

# Version 3: what the centre refused for its contents (see the module docstring). `revision`
# is the newest revision of the record the refused bundle carried (NULL: attachments only).
DEVICE_V3 = """
CREATE TABLE device_refusal (
    record_id TEXT NOT NULL PRIMARY KEY,
    state TEXT NOT NULL CHECK (state = 'alone' OR state = 'refused'),
    revision INTEGER,
    reason TEXT NOT NULL,
    seq INTEGER NOT NULL,
    noted TEXT NOT NULL
) WITHOUT ROWID;
"""

# Version 4: the form versions picked up from the share (see the module docstring).
DEVICE_V4 = """
CREATE TABLE device_form (
    num INTEGER PRIMARY KEY,
    form_id TEXT NOT NULL,
    version TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state = 'current' OR state = 'retired'),
    source TEXT NOT NULL CHECK (
        (source = 'share' AND data IS NOT NULL AND signature IS NOT NULL)
        OR (source = 'shipped' AND data IS NULL AND signature IS NULL)
    ),
    sha256 TEXT NOT NULL,
    received TEXT NOT NULL,
    data BLOB,
    signature BLOB,
    UNIQUE (form_id, version)
);

CREATE TRIGGER device_form_fixed
BEFORE UPDATE OF num, form_id, version, source, sha256, received, data, signature
ON device_form
BEGIN
    SELECT RAISE(ABORT, 'a form version never changes');
END;

CREATE TRIGGER device_form_no_delete BEFORE DELETE ON device_form
BEGIN
    SELECT RAISE(ABORT, 'every form version stays');
END;
"""

DEVICE_MIGRATIONS: list[str] = [DEVICE_V1, DEVICE_V2, DEVICE_V3, DEVICE_V4]


def ensure_device_schema(vault: Vault) -> None:
    """Create or upgrade the device tables (backed up first by the vault)."""
    _move_chunks_to_files(vault)
    vault.ensure_schema(COMPONENT, DEVICE_MIGRATIONS)


def _move_chunks_to_files(vault: Vault) -> None:
    """Before version 2: write each waiting bundle's stored pieces out as its outbox file.

    Safe to repeat: a crash before the table is dropped just writes the same files again.
    """
    files = OutboxFiles(vault.folder)
    with vault.transaction() as conn:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                        "name = 'device_outbox_chunk'").fetchone() is None:
            return
        waiting = conn.execute(
            "SELECT seq, name FROM device_outbox WHERE state IN ('ready', 'held') "
            "AND name IS NOT NULL ORDER BY seq"
        ).fetchall()
    for seq, name in waiting:
        with files.writing(str(name)) as handle:
            index = 0
            while True:
                with vault.transaction() as conn:
                    row = conn.execute("SELECT data FROM device_outbox_chunk WHERE seq = ? "
                                       "AND n = ?", (seq, index)).fetchone()
                if row is None:
                    break
                handle.write(row[0])
                index += 1

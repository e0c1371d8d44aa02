"""The centre's search index catching up with what was imported.

An import stores revisions and leaves the index alone; before a search (and after each round of
imports, off the administrator's screen) the index catches up from `indexed_through`, the last
`centre_revision` row it has seen: each record with a newer row gets its entry replaced by the
text of its head revision, or dropped when the record is deleted or its content was removed.
Tombstones drop a record's entry when they are applied, so deleted words never wait for this.
"""

from __future__ import annotations

import json

from intake_app.storage import Connection, Vault, searchable_texts


def refresh_search_index(vault: Vault) -> int:
    """Index what was imported since the last catch-up (one transaction); returns how many
    records it touched."""
    with vault.transaction() as conn:
        return catch_up(conn)


def catch_up(conn: Connection) -> int:
    """The catch-up inside the caller's write transaction."""
    through = int(conn.execute(
        "SELECT indexed_through FROM centre_search_state WHERE id = 1").fetchone()[0])
    newest = conn.execute("SELECT max(num) FROM centre_revision").fetchone()[0]
    if newest is None or newest <= through:
        return 0
    # In the records' row order: FTS5 flushes what it holds whenever a rowid goes backwards,
    # which made a catch-up over 1,000 records three times slower.
    touched = [row[0] for row in conn.execute(
        "SELECT id FROM centre_record WHERE id IN (SELECT record_id FROM centre_revision "
        "WHERE num > ?) ORDER BY num", (through,))]
    for record_id in touched:
        _reindex(conn, record_id)
    conn.execute("UPDATE centre_search_state SET indexed_through = ? WHERE id = 1", (newest,))
    return len(touched)


def _reindex(conn: Connection, record_id: str) -> None:
    row = conn.execute(
        "SELECT r.num, r.deleted, r.alias, v.document FROM centre_record AS r "
        "LEFT JOIN centre_revision AS v ON v.record_id = r.id AND v.revision = r.revision "
        "AND v.set_aside IS NULL WHERE r.id = ?", (record_id,)).fetchone()
    if row is None:
        return
    num, deleted, alias, document = row
    # A delete, even of a missing row, makes FTS5 flush what it holds: only when there is one.
    if conn.execute("SELECT 1 FROM centre_record_text WHERE rowid = ?", (num,)).fetchone():
        conn.execute("DELETE FROM centre_record_text WHERE rowid = ?", (num,))
    if deleted or document is None:
        return
    answers = json.loads(document).get("answers")  # validated when it was imported
    texts = searchable_texts(answers) if isinstance(answers, dict) else ""
    conn.execute("INSERT INTO centre_record_text (rowid, alias, texts) VALUES (?, ?, ?)",
                 (num, alias if isinstance(alias, str) else "", texts))

"""Schema migrations: the core schema by `PRAGMA user_version`, other components by name.

Before any migration of a database that already holds data, the whole database is copied
through SQLite's backup API into `intake.db.bak-<component>-<from>-<to>`. The copy is keyed with
the same key and the same file salt, so it stays encrypted and can replace intake.db under the
same vault.json; it is removed once the migrated vault has been opened and checked
(`migration_backups`). Each migration run is one transaction: it lands completely or not at
all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import sqlcipher3

from intake_app.errors import VaultTooNew
from intake_app.storage.database import Connection, Database
from intake_app.storage.migration_backups import CORE, backup_database, backup_name
from intake_app.storage.schema import CORE_MIGRATIONS, CORE_UPGRADE_TABLE


def split_statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (triggers and quoted `;` stay whole)."""
    statements: list[str] = []
    pending = ""
    pieces = script.split(";")
    for index, piece in enumerate(pieces):
        pending += piece if index == len(pieces) - 1 else piece + ";"
        if not pending.strip(" \t\r\n;"):
            pending = ""  # empty statements between semicolons
        elif sqlcipher3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip(" \t\r\n;"):
        if not sqlcipher3.complete_statement(pending + ";"):
            raise ValueError("the migration script ends with an incomplete statement")
        statements.append(pending.strip() + ";")
    return statements


def newest_core_version() -> int:
    """The core schema version this code knows."""
    return len(CORE_MIGRATIONS)


def migrate_core(db: Database, backup_to: Path | None, key_hex: str, salt: bytes) -> None:
    """Bring the core schema up to date; `backup_to` is the database file's folder (None: new)."""

    def current(conn: Connection) -> int:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def apply(conn: Connection, start: int, target: int) -> None:
        # What follows the scripts at unlock (core_upgrade.py) lands in the same transaction.
        _run(conn, [CORE_UPGRADE_TABLE, *CORE_MIGRATIONS[start:target]])
        conn.execute("INSERT OR IGNORE INTO core_upgrade (id, stage) VALUES (1, 'checking')")
        conn.execute(f"PRAGMA user_version = {int(target)}")

    backup = None if backup_to is None else (backup_to, CORE)
    _migrate(db, key_hex, salt, len(CORE_MIGRATIONS), current, apply, backup, empty_ok=True)


def ensure_component(
    db: Database,
    folder: Path,
    key_hex: str,
    salt: bytes,
    component: str,
    migrations: Sequence[str],
) -> None:
    """Run the migrations of `component` that this database has not seen, after a backup."""
    if component == CORE or not component.isidentifier():
        raise ValueError(f"not a component name: {component!r}")

    def current(conn: Connection) -> int:
        row = conn.execute(
            "SELECT version FROM schema_component WHERE name = ?", (component,)
        ).fetchone()
        return int(row[0]) if row else 0

    def apply(conn: Connection, start: int, target: int) -> None:
        _run(conn, migrations[start:target])
        conn.execute(
            "INSERT INTO schema_component (name, version) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET version = excluded.version",
            (component, target),
        )

    _migrate(db, key_hex, salt, len(migrations), current, apply, (folder, component))


def _migrate(
    db: Database,
    key_hex: str,
    salt: bytes,
    target: int,
    current: Callable[[Connection], int],
    apply: Callable[[Connection, int, int], None],
    backup: tuple[Path, str] | None,
    *,
    empty_ok: bool = False,
) -> None:
    """Back up (outside any transaction: SQLite's backup cannot copy from a writing
    connection), then re-read the version and migrate in one transaction."""
    with db.reading() as conn:
        start = current(conn)
        if start > target:
            raise VaultTooNew()
        if start == target:
            return
        # A brand-new core schema (version 0) has nothing worth a backup.
        if backup is not None and not (empty_ok and start == 0):
            folder, name = backup
            backup_database(conn, key_hex, salt, folder / backup_name(name, start, target))
    with db.transaction() as conn:
        start = current(conn)
        if start > target:
            raise VaultTooNew()
        if start < target:
            apply(conn, start, target)


def _run(conn: Connection, scripts: Sequence[str]) -> None:
    # Not executescript(): it would COMMIT the enclosing transaction first.
    for script in scripts:
        for statement in split_statements(script):
            conn.execute(statement)


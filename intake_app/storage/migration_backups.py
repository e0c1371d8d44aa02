"""Migration backups: a copy of the database made before each schema migration, kept only
until the migrated vault has been opened and checked.

Before a migration of a database that already holds data, `migrations` copies it through
SQLite's backup API into `intake.db.bak-<component>-<from>-<to>`, keyed with the same key and
file salt, so it stays encrypted and can replace intake.db under the same vault.json. The copy
holds every interview as it was, including those deleted or purged since, so it must not
outlive its use (ARCHITECTURE.md, "Retention"): once its migration has landed and the vault,
opened again, passes the database's checks, the copy is removed, as the vault removes the
other files it no longer needs. The core schema's copies go at the end of the upgrade at unlock
(`core_upgrade`); every other component's at the next unlock (`remove_landed_backups`). A
migration that failed left the database as it was and keeps its copy, until a later migration
of that component lands.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from intake_app.errors import DiskFull
from intake_app.paths import DATABASE_FILE
from intake_app.storage.atomic import fsync_directory, temp_path_for
from intake_app.storage.core_upgrade import upgrade_stage
from intake_app.storage.database import COMPANION_SUFFIXES, Connection, Database

CORE = "core"
BACKUP_PREFIX = f"{DATABASE_FILE}.bak-"
_NAME = re.compile(r"(\w+)-([0-9]+)-([0-9]+)")


@dataclass(frozen=True)
class MigrationBackup:
    """A backup file in the vault's folder: made before `component` went from `start` to
    `target`."""

    path: Path
    component: str
    start: int
    target: int


def backup_name(component: str, start: int, target: int) -> str:
    """The file name of the backup made before `component` goes from `start` to `target`."""
    return f"{BACKUP_PREFIX}{component}-{start}-{target}"


def migration_backups(folder: Path) -> list[MigrationBackup]:
    """The backups in `folder`, by name (anything else is left alone)."""
    found: list[MigrationBackup] = []
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    for name in names:
        backup = _parse(folder, name)
        if backup is not None:
            found.append(backup)
    return found


def backup_database(conn: Connection, key_hex: str, salt: bytes, target: Path) -> None:
    """Copy the database, still encrypted under the same key and salt, to `target` atomically."""
    if conn.in_transaction:
        # sqlite3_backup_step() would wait forever for our own write lock.
        raise RuntimeError("a database backup cannot be made inside a transaction")
    temp = temp_path_for(target)
    copy = sqlcipher3.connect(str(temp), isolation_level=None)
    try:
        copy.execute("PRAGMA cipher_log_level = NONE").fetchall()
        copy.execute(f"PRAGMA key = \"x'{key_hex}{salt.hex()}'\"").fetchall()
        conn.backup(copy)
        copy.close()
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
        fsync_directory(target.parent)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull() from exc
        raise
    finally:
        copy.close()
        for path in (temp, *(temp.with_name(temp.name + s) for s in COMPANION_SUFFIXES)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def remove_landed_backups(db: Database, folder: Path, intact: Callable[[], bool]) -> int:
    """Remove the backups whose migration has landed in the open database, once `intact()`
    (the database's checks) passes; returns how many went.

    A core backup counts only when no core upgrade is left (`core_upgrade` removes its own at
    the end of the upgrade, or keeps them after a failed check). A backup whose migration did
    not land (it failed) is kept; so are all of them when the check fails, and the next unlock
    tries again. A file that cannot be removed now stays until then.
    """
    backups = migration_backups(folder)
    if not backups:
        return 0
    with db.reading() as conn:
        landed = [backup for backup in backups if _landed(conn, backup)]
    if not landed or not intact():
        return 0
    removed = 0
    for backup in landed:
        try:
            backup.path.unlink()
        except (FileNotFoundError, PermissionError):
            continue
        removed += 1
    if removed:
        fsync_directory(folder)
    return removed


def _parse(folder: Path, name: str) -> MigrationBackup | None:
    if not name.startswith(BACKUP_PREFIX):
        return None
    found = _NAME.fullmatch(name[len(BACKUP_PREFIX):])
    if found is None or not found.group(1).isidentifier() or not (folder / name).is_file():
        return None  # not ours
    component, start, target = found.groups()
    return MigrationBackup(folder / name, component, int(start), int(target))


def _landed(conn: Connection, backup: MigrationBackup) -> bool:
    """Whether the database has reached the version the backup's migration went to."""
    if backup.component == CORE:
        if upgrade_stage(conn) is not None:
            return False
        return int(conn.execute("PRAGMA user_version").fetchone()[0]) >= backup.target
    row = conn.execute(
        "SELECT version FROM schema_component WHERE name = ?", (backup.component,)
    ).fetchone()
    return row is not None and int(row[0]) >= backup.target

"""Migration backups: a copy of the database made before each schema migration, kept only
until the migrated vault has been opened and checked.

Before a migration of a database that already holds data, `migrations` copies it through
SQLite's backup API into `intake.db.bak-<component>-<from>-<to>`, keyed with the same key and
file salt, so it stays encrypted and can replace intake.db under the same vault.json. The copy
holds every interview as it was, including those deleted or purged since, so it must not
outlive its use (ARCHITECTURE.md, "Retention"): once its migration has landed and the vault,
opened again, passes the database's checks, the copy is removed, as the vault removes the
other files it no longer needs (`remove_landed_backups`). The core schema's copies go at the
end of the upgrade at unlock, which has just checked the whole vault (`core_upgrade`); every
other component's at the next unlock, or, for a vault too large to check at unlock, after the
page check that follows it (`Vault.pages_intact`). A migration that failed left the database
as it was and keeps its copy, until a later migration of that component lands.

The check runs once per landed backup: one that passed it and still cannot be removed (another
program holds it open, say) is only tried again at the next unlocks of this process, not
checked again (`_checked`). A new process checks it once more.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from intake_app.errors import DiskFull
from intake_app.paths import MIGRATION_BACKUP_PREFIX
from intake_app.storage.atomic import fsync_directory, temp_path_for
from intake_app.storage.core_upgrade import upgrade_stage
from intake_app.storage.database import COMPANION_SUFFIXES, Connection

CORE = "core"
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
    return f"{MIGRATION_BACKUP_PREFIX}{component}-{start}-{target}"


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


def landed_backups(conn: Connection, folder: Path) -> list[MigrationBackup]:
    """The backups in `folder` whose migration has landed in the database of `conn`. A core
    backup counts only once no core upgrade is left; a failed migration's never does."""
    backups = migration_backups(folder)
    return [backup for backup in backups if _landed(conn, backup)] if backups else []


def remove_landed_backups(
    landed: Sequence[MigrationBackup],
    intact: Callable[[], bool] | None,
    *,
    unlink: Callable[[Path], None] = Path.unlink,
) -> list[MigrationBackup]:
    """Remove `landed` (from `landed_backups`) once `intact()`, the database's checks, passed;
    returns those still unchecked. `intact` runs at most once, and only when one of them has
    not passed it before in this process. `intact` None: not now (a large vault, until its
    page check): only those that passed before go.

    A failed check keeps them all, and forgets that any passed before: the next unlock checks
    again. A file that cannot be removed now (`unlink` fails) stays, known as checked.
    """
    unchecked = [backup for backup in landed if not _was_checked(backup)]
    if unchecked and intact is not None:
        if not intact():
            with _checked_guard:
                for backup in landed:
                    _checked.discard(_identity(backup))
            return list(landed)
        with _checked_guard:
            _checked.update(key for key in map(_identity, unchecked) if key is not None)
        unchecked = []
    removed = 0
    for backup in landed:
        if backup in unchecked:
            continue
        key = _identity(backup)
        try:
            unlink(backup.path)
        except FileNotFoundError:
            pass
        except OSError:
            continue  # tried again at the next unlock, without another check
        else:
            removed += 1
        with _checked_guard:
            _checked.discard(key)
    if removed:
        fsync_directory(landed[0].path.parent)
    return unchecked


# The landed backups that passed the database's checks, by file (see the module's docstring).
_checked: set[tuple[str, int, int, int, int]] = set()
_checked_guard = threading.Lock()


def _identity(backup: MigrationBackup) -> tuple[str, int, int, int, int] | None:
    """The backup's file as it is now (a new backup under the same name is another file)."""
    try:
        info = backup.path.stat()
    except OSError:
        return None
    return str(backup.path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def _was_checked(backup: MigrationBackup) -> bool:
    key = _identity(backup)
    with _checked_guard:
        return key is not None and key in _checked


def _parse(folder: Path, name: str) -> MigrationBackup | None:
    if not name.startswith(MIGRATION_BACKUP_PREFIX):
        return None
    found = _NAME.fullmatch(name[len(MIGRATION_BACKUP_PREFIX):])
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

"""Migration backups are removed once the migrated vault has been opened and checked.

A backup holds every interview as it was before the migration, including those deleted or
purged since (ARCHITECTURE.md, "Retention"), so it goes at the next unlock after its migration
landed and the database passed its checks; a failed migration keeps it, and the old vault opens.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from intake_app.storage import Vault
from intake_app.storage import migrations as migrations_module
from intake_app.storage import vault as vault_module
from intake_app.storage.database_check import database_intact
from intake_app.storage.migration_backups import (
    MigrationBackup,
    backup_name,
    landed_backups,
    migration_backups,
    remove_landed_backups,
)
from intake_app.sync.centre import vault as centre_vault
from intake_app.sync.centre.schema import COMPONENT as CENTRE
from intake_app.sync.centre.schema import MIGRATIONS as CENTRE_MIGRATIONS
from tests.helpers.centre import make_centre, open_centre
from tests.helpers.documents import make_document
from tests.helpers.storage import PASSPHRASE, new_vault

DEVICE = [
    "CREATE TABLE device (id TEXT PRIMARY KEY, name TEXT);",
    "ALTER TABLE device ADD COLUMN enrolled TEXT;",
]
BROKEN = [*DEVICE[:1], "CREATE TABLE ok_one (a TEXT); CREATE TABLE device (again TEXT);"]


def _backups(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir() if path.name.startswith("intake.db.bak-")}


def _version(vault: Vault, component: str) -> int | None:
    row = vault.connection.execute(
        "SELECT version FROM schema_component WHERE name = ?", (component,)
    ).fetchone()
    return None if row is None else int(row[0])


def test_a_component_backup_goes_at_the_next_unlock(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    kept, purged = make_document(), make_document()
    restored = tmp_path / "restored"
    restored.mkdir()
    with new_vault(folder) as vault:
        vault.interviews.save_revision(kept)
        vault.interviews.save_revision(purged)
        vault.ensure_schema("device", DEVICE[:1])
        vault.interviews.purge(purged["id"])
        # The copy stays while this session lasts, with the purged interview in it.
        assert _backups(folder) == {"intake.db.bak-device-0-1"}
        shutil.copyfile(folder / "vault.json", restored / "vault.json")
        shutil.copyfile(folder / "intake.db.bak-device-0-1", restored / "intake.db")
    with Vault.unlock(restored, PASSPHRASE) as old:
        assert old.interviews.get(purged["id"])["answers"] == purged["answers"]
    with Vault.unlock(folder, PASSPHRASE) as vault:
        assert _backups(folder) == set()
        assert _version(vault, "device") == 1
        assert vault.interviews.get(kept["id"])["id"] == kept["id"]
        vault.ensure_schema("device", DEVICE)
        assert _backups(folder) == {"intake.db.bak-device-1-2"}
    with Vault.unlock(folder, PASSPHRASE) as vault:
        assert _backups(folder) == set()
        assert _version(vault, "device") == 2


def test_an_old_centre_vault_upgrades_and_its_backup_goes_at_the_next_unlock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(centre_vault, "MIGRATIONS", CENTRE_MIGRATIONS[:5])
    make_centre(tmp_path).close()
    folder = tmp_path / "centre-data" / "centre"
    monkeypatch.setattr(centre_vault, "MIGRATIONS", CENTRE_MIGRATIONS)
    centre = open_centre(tmp_path)  # schema 5 -> the newest, after a backup
    try:
        assert folder == centre.vault.folder
        assert _backups(folder) == {backup_name(CENTRE, 5, len(CENTRE_MIGRATIONS))}
    finally:
        centre.close()
    centre = open_centre(tmp_path)
    try:
        assert _backups(folder) == set()
        assert _version(centre.vault, CENTRE) == len(CENTRE_MIGRATIONS)
    finally:
        centre.close()


def test_a_failed_component_migration_keeps_its_backup_and_the_old_vault_opens(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "vault"
    document = make_document()
    with new_vault(folder) as vault:
        vault.interviews.save_revision(document)
        vault.ensure_schema("device", DEVICE[:1])
        with pytest.raises(sqlcipher3.OperationalError, match="already exists"):
            vault.ensure_schema("device", BROKEN)
        assert "intake.db.bak-device-1-2" in _backups(folder)
    with Vault.unlock(folder, PASSPHRASE) as vault:
        # The landed migration's copy went; the failed one's stays, the vault as it was.
        assert _backups(folder) == {"intake.db.bak-device-1-2"}
        assert _version(vault, "device") == 1
        assert vault.interviews.get(document["id"])["id"] == document["id"]
        vault.ensure_schema("device", DEVICE)  # the fixed migration lands
    with Vault.unlock(folder, PASSPHRASE) as vault:
        assert _backups(folder) == set()
        assert _version(vault, "device") == 2


def test_a_failed_core_migration_keeps_its_backup_and_the_old_vault_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "vault"
    document = make_document()
    with new_vault(folder) as vault:
        vault.interviews.save_revision(document)
    known = migrations_module.newest_core_version()
    backup = backup_name("core", known, known + 1)
    broken = "CREATE TABLE core_extra (a TEXT); CREATE TABLE core_extra (b TEXT);"
    with monkeypatch.context() as patch:
        patch.setattr(migrations_module, "CORE_MIGRATIONS",
                      [*migrations_module.CORE_MIGRATIONS, broken])
        with pytest.raises(sqlcipher3.OperationalError, match="already exists"):
            Vault.unlock(folder, PASSPHRASE)
    assert _backups(folder) == {backup}
    with Vault.unlock(folder, PASSPHRASE) as vault:  # the code that made it opens it as it was
        assert vault.connection.execute("PRAGMA user_version").fetchone()[0] == known
        assert vault.interviews.get(document["id"])["id"] == document["id"]
    assert _backups(folder) == {backup}  # its migration never landed
    fixed = "CREATE TABLE core_extra (a TEXT);"
    with monkeypatch.context() as patch:
        patch.setattr(migrations_module, "CORE_MIGRATIONS",
                      [*migrations_module.CORE_MIGRATIONS, fixed])
        with Vault.unlock(folder, PASSPHRASE) as vault:
            assert vault.connection.execute("PRAGMA user_version").fetchone()[0] == known + 1
        assert _backups(folder) == set()


def test_a_core_backup_left_by_an_earlier_release_goes(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    new_vault(folder).lock()
    known = migrations_module.newest_core_version()
    shutil.copyfile(folder / "intake.db", folder / backup_name("core", known - 1, known))
    with Vault.unlock(folder, PASSPHRASE):
        assert _backups(folder) == set()


def test_a_vault_that_fails_its_check_keeps_the_backups(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    with new_vault(folder) as vault:
        vault.interviews.save_revision(make_document())
        vault.ensure_schema("device", DEVICE[:1])
        conn = vault.connection  # edited as anyone editing the file would
        conn.execute("DROP TRIGGER revision_no_rewrite")
        conn.execute("UPDATE interview SET head_sha256 = '00'")
    for _ in range(2):  # checked again at each unlock until it passes
        with Vault.unlock(folder, PASSPHRASE) as vault:
            assert not vault.check().ok
        assert _backups(folder) == {"intake.db.bak-device-0-1"}


def test_only_backup_names_count(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    for name in ("intake.db.bak-device-0-1", "intake.db.bak-core-2-3", "intake.db.bak-x",
                 "intake.db.bak-two words-1-2", ".intake.db.bak-device-0-1.tmp", "intake.db"):
        (folder / name).write_bytes(b"")
    (folder / "intake.db.bak-centre-1-2").mkdir()
    found = {(b.component, b.start, b.target) for b in migration_backups(folder)}
    assert found == {("device", 0, 1), ("core", 2, 3)}
    assert migration_backups(tmp_path / "missing") == []


# Checked once per landed backup -------------------------------------------------------------

PAGE = 4096


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The results of the database checks the vault runs for its backups, in order."""
    results: list[bool] = []

    def counted(*args: Any, **kwargs: Any) -> bool:
        results.append(database_intact(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(vault_module, "database_intact", counted)
    return results


def _landed_device_backup(folder: Path, *, damaged: bool = False) -> Path:
    """A vault in `folder` whose device component went 0 -> 1: its backup, landed.
    `damaged`: its revision chain, as anyone editing the file could."""
    with new_vault(folder) as vault:
        vault.interviews.save_revision(make_document())
        vault.ensure_schema("device", DEVICE[:1])
        if damaged:
            vault.connection.execute("DROP TRIGGER revision_no_rewrite")
            vault.connection.execute("UPDATE interview SET head_sha256 = '00'")
    return folder / backup_name("device", 0, 1)


@contextlib.contextmanager
def _immutable(path: Path) -> Iterator[None]:
    """`path` cannot be removed, not even by root (Linux, ext4 and the like, privileged)."""
    try:
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
    except FileNotFoundError:
        made = False
    if not made:
        pytest.skip("no immutable files here (chattr +i)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_backup_that_cannot_be_removed_is_checked_once(
    tmp_path: Path, checks: list[bool]
) -> None:
    folder = tmp_path / "vault"
    backup = _landed_device_backup(folder)
    with _immutable(backup):
        for _ in range(2):
            with pytest.raises(PermissionError):
                backup.unlink()
            Vault.unlock(folder, PASSPHRASE).lock()  # the removal fails: the unlock does not
            assert backup.exists()
        assert checks == [True]
    with Vault.unlock(folder, PASSPHRASE):
        assert _backups(folder) == set()
    assert checks == [True]  # only tried again


def test_an_unlink_that_fails_twice_runs_the_check_once(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    backup = folder / backup_name("device", 0, 1)
    unlinks: list[Path] = []

    def unlink(path: Path) -> None:
        unlinks.append(path)
        if len(unlinks) <= 2:
            raise PermissionError(13, "held by another program", str(path))
        path.unlink()

    intact: list[bool] = []
    with new_vault(folder) as vault:
        vault.ensure_schema("device", DEVICE[:1])  # landed, in this session
        with vault.reading() as conn:

            def check() -> bool:
                intact.append(database_intact(conn))
                return intact[-1]

            landed = landed_backups(conn, folder)
            assert [b.path for b in landed] == [backup]
            for _ in range(3):
                assert remove_landed_backups(landed, check, unlink=unlink) == []
        assert intact == [True] and unlinks == [backup] * 3
        assert not backup.exists()


def test_a_failed_check_is_run_again_and_keeps_the_backup(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    backup = _landed_device_backup(folder)
    landed = [MigrationBackup(backup, "device", 0, 1)]
    failed: list[bool] = []

    def fails() -> bool:
        failed.append(False)
        return False

    def unexpected(path: Path) -> None:
        raise AssertionError(f"{path} removed")

    for _ in range(2):
        assert remove_landed_backups(landed, fails, unlink=unexpected) == landed
        assert remove_landed_backups(landed, None, unlink=unexpected) == landed
    assert failed == [False, False] and backup.exists()


def test_a_large_vault_removes_its_backups_after_the_page_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checks: list[bool]
) -> None:
    folder = tmp_path / "vault"
    backup = _landed_device_backup(folder)
    monkeypatch.setattr(vault_module, "FULL_CHECK_BYTES", PAGE)  # the vault counts as large
    with Vault.unlock(folder, PASSPHRASE) as vault:
        assert not vault.pages_checked
        assert backup.exists() and checks == []  # nothing checked at unlock
        vault.ensure_schema("device", DEVICE)  # a new backup, of this session
        assert vault.pages_intact() is True
        assert checks == [True]
        # The one the unlock found went; this session's stays until the next unlock.
        assert _backups(folder) == {backup_name("device", 1, 2)}
        assert vault.pages_intact() is True and checks == [True]


def test_a_large_vault_that_fails_its_check_keeps_the_backups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checks: list[bool]
) -> None:
    folder = tmp_path / "vault"
    backup = _landed_device_backup(folder, damaged=True)
    monkeypatch.setattr(vault_module, "FULL_CHECK_BYTES", PAGE)
    for _ in range(2):  # checked again at each unlock until it passes
        with Vault.unlock(folder, PASSPHRASE) as vault:
            assert backup.exists() and vault.pages_intact() is True  # the pages are
        assert backup.exists()
    assert checks == [False, False]

"""Schema migrations: a backup before each, all-or-nothing, and newer vaults left untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlcipher3

from intake_app.errors import VaultTooNew
from intake_app.storage import Vault
from intake_app.storage import migrations as migrations_module
from intake_app.storage.migrations import split_statements
from tests.helpers.documents import make_document
from tests.helpers.storage import PASSPHRASE, new_vault, snapshot

DEVICE = [
    "CREATE TABLE device (id TEXT PRIMARY KEY, name TEXT);",
    """
    ALTER TABLE device ADD COLUMN enrolled TEXT;
    CREATE TRIGGER device_named AFTER INSERT ON device
    BEGIN
        UPDATE device SET name = coalesce(NEW.name, 'unnamed; really') WHERE id = NEW.id;
    END;
    """,
]


def _component_version(vault: Vault, name: str) -> int | None:
    row = vault.connection.execute(
        "SELECT version FROM schema_component WHERE name = ?", (name,)
    ).fetchone()
    return None if row is None else int(row[0])


def test_split_statements_keeps_triggers_and_quoted_semicolons_whole() -> None:
    statements = split_statements(DEVICE[1])
    assert len(statements) == 2
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    assert split_statements("CREATE TABLE x (a TEXT); ;; CREATE TABLE y (b)") == [
        "CREATE TABLE x (a TEXT);",
        "CREATE TABLE y (b);",
    ]
    with pytest.raises(ValueError):
        split_statements("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;")
    with pytest.raises(ValueError):
        split_statements("INSERT INTO x VALUES ('unterminated;")


def test_component_migrations_back_up_first_and_run_once(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    vault = new_vault(folder)
    document = make_document()
    vault.interviews.save_revision(document)
    vault.ensure_schema("device", DEVICE[:1])
    assert _component_version(vault, "device") == 1
    assert (folder / "intake.db.bak-device-0-1").exists()
    vault.ensure_schema("device", DEVICE)
    assert _component_version(vault, "device") == 2
    backup = folder / "intake.db.bak-device-1-2"
    assert backup.exists()
    vault.connection.execute("INSERT INTO device (id) VALUES ('d1')")
    assert vault.connection.execute("SELECT name FROM device").fetchone()[0] == "unnamed; really"
    before = snapshot(folder)
    vault.ensure_schema("device", DEVICE)  # nothing to do: no new backup
    assert set(snapshot(folder)) == set(before)
    vault.lock()

    # The backup is encrypted, and it can replace intake.db under the same vault.json.
    assert b"SQLite format 3" not in backup.read_bytes()[:16]
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copyfile(folder / "vault.json", restored / "vault.json")
    shutil.copyfile(backup, restored / "intake.db")
    with Vault.unlock(restored, PASSPHRASE) as old:
        assert _component_version(old, "device") == 1
        assert old.interviews.get(document["id"])["id"] == document["id"]


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    with new_vault(tmp_path / "vault") as vault:
        broken = [*DEVICE, "CREATE TABLE ok_one (a TEXT); CREATE TABLE device (again TEXT);"]
        vault.ensure_schema("device", DEVICE[:1])
        with pytest.raises(sqlcipher3.OperationalError, match="already exists"):
            vault.ensure_schema("device", broken)
        assert _component_version(vault, "device") == 1
        tables = {r[0] for r in vault.connection.execute("SELECT name FROM sqlite_master")}
        assert "ok_one" not in tables
        columns = {r[1] for r in vault.connection.execute("PRAGMA table_info(device)")}
        assert "enrolled" not in columns


def test_component_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    with new_vault(folder) as vault:
        vault.ensure_schema("device", DEVICE)
        files = set(snapshot(folder))
        with pytest.raises(VaultTooNew):
            vault.ensure_schema("device", DEVICE[:1])
        assert _component_version(vault, "device") == 2
        assert set(snapshot(folder)) == files  # no backup was made


def test_core_migration_backs_up_and_a_newer_core_is_refused_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "vault"
    vault = new_vault(folder)
    document = make_document()
    vault.interviews.save_revision(document)
    vault.lock()
    known = migrations_module.newest_core_version()
    extra = "CREATE TABLE core_extra (a TEXT); CREATE INDEX core_extra_a ON core_extra (a);"
    newer = [*migrations_module.CORE_MIGRATIONS, extra]
    monkeypatch.setattr(migrations_module, "CORE_MIGRATIONS", newer)
    with Vault.unlock(folder, PASSPHRASE) as upgraded:
        assert upgraded.connection.execute("PRAGMA user_version").fetchone()[0] == known + 1
        assert upgraded.interviews.get(document["id"])["id"] == document["id"]
    # The backup was made, and went once the migrated vault passed its check.
    assert not (folder / f"intake.db.bak-core-{known}-{known + 1}").exists()
    monkeypatch.undo()

    # The code now knows one version less: the vault is too new and must not be touched.
    assert migrations_module.newest_core_version() == known
    before = snapshot(folder)
    with pytest.raises(VaultTooNew):
        Vault.unlock(folder, PASSPHRASE)
    assert snapshot(folder) == before


def test_component_name_must_be_an_identifier(tmp_path: Path) -> None:
    with new_vault(tmp_path / "vault") as vault:
        for bad in ("core", "", "two words", "x;DROP"):
            with pytest.raises(ValueError):
                vault.ensure_schema(bad, DEVICE)


def test_ensure_schema_inside_a_transaction_is_refused_not_hung(tmp_path: Path) -> None:
    with new_vault(tmp_path / "vault") as vault:
        with pytest.raises(RuntimeError, match="inside a transaction"), vault.transaction():
            vault.ensure_schema("device", DEVICE)
        assert _component_version(vault, "device") is None

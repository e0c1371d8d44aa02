"""Errors that say what happened (issue 14, finding 8): a full disk, a read-only folder and an
I/O error at unlock are said as such, never as damage, and change nothing; the minimum
passphrase length is counted after NFC normalisation."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from intake_app.errors import DiskFull, VaultDamaged, WeakPassphrase
from intake_app.storage import MIN_PASSPHRASE_LENGTH, Vault, VaultReadOnly
from intake_app.storage import database_open as database_module
from intake_app.storage.errors import (
    DiskFullAtUnlock,
    VaultIOError,
    VaultIOErrorAtUnlock,
    VaultReadOnlyAtUnlock,
)
from tests.helpers.mounts import fill, read_only, small_disk
from tests.helpers.storage import FAST, PASSPHRASE, new_vault, snapshot


def locked_vault(folder: Path) -> Path:
    new_vault(folder).lock()
    return folder


def test_unlocking_on_a_full_disk_says_the_disk_is_full_and_changes_nothing(
        tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        folder = locked_vault(disk / "vault")
        before = snapshot(folder)
        filler = fill(disk)
        with pytest.raises(DiskFull) as raised:
            Vault.unlock(folder, PASSPHRASE)
        assert type(raised.value) is DiskFullAtUnlock
        assert raised.value.translated().startswith("The disk is full")
        assert "damaged" not in raised.value.translated()
        assert snapshot(folder) == before
        assert sorted(p.name for p in folder.iterdir()) == sorted(before)
        # Space again: the vault opens, nothing about it was damaged.
        filler.unlink()
        Vault.unlock(folder, PASSPHRASE).lock()


def test_a_read_only_vault_folder_is_said_as_such(tmp_path: Path) -> None:
    folder = locked_vault(tmp_path / "vault")
    before = snapshot(folder)
    with read_only(folder), pytest.raises(VaultReadOnly) as raised:
        Vault.unlock(folder, PASSPHRASE)
    assert type(raised.value) is VaultReadOnlyAtUnlock
    assert "cannot be written to" in raised.value.translated()
    assert snapshot(folder) == before


def test_an_io_error_while_opening_is_not_damage(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = locked_vault(tmp_path / "vault")
    before = snapshot(folder)

    def failing_disk(conn: Any, key_hex: str) -> None:
        error = sqlcipher3.OperationalError("disk I/O error")
        error.sqlite_errorcode = sqlcipher3.SQLITE_IOERR
        raise error

    monkeypatch.setattr(database_module, "_key", failing_disk)
    with pytest.raises(VaultIOError) as raised:
        Vault.unlock(folder, PASSPHRASE)
    assert type(raised.value) is VaultIOErrorAtUnlock
    assert not isinstance(raised.value, VaultDamaged)
    assert snapshot(folder) == before


def test_damage_is_still_said_when_a_page_check_fails(tmp_path: Path) -> None:
    folder = locked_vault(tmp_path / "vault")
    database = folder / "intake.db"
    data = bytearray(database.read_bytes())
    data[4096 + 200] ^= 0x01  # inside the second page: its HMAC no longer checks
    database.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged):
        Vault.unlock(folder, PASSPHRASE)


def test_a_passphrase_shorter_than_the_minimum_once_normalised_is_refused(
        tmp_path: Path) -> None:
    decomposed = "e\u0301" * (MIN_PASSPHRASE_LENGTH - 1)  # twice as many code points
    assert len(decomposed) >= MIN_PASSPHRASE_LENGTH
    assert len(unicodedata.normalize("NFC", decomposed)) < MIN_PASSPHRASE_LENGTH
    with pytest.raises(WeakPassphrase):
        Vault.create(tmp_path / "vault", decomposed, kdf=FAST)
    assert not Vault.exists(tmp_path / "vault")
    long_enough = "e\u0301" * MIN_PASSPHRASE_LENGTH
    Vault.create(tmp_path / "vault", long_enough, kdf=FAST)[0].lock()

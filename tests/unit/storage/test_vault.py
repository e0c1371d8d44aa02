"""Creating, unlocking, locking, passphrase change and recovery of a real SQLCipher vault."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from intake_app.errors import (
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryCode,
)
from intake_app.storage import KdfParams, Vault
from intake_app.storage.atomic import (
    atomic_write_bytes,
    atomic_writer,
    is_temp_for,
    temp_path_for,
)
from intake_app.storage.recovery import ALPHABET, normalize_recovery_code
from tests.helpers.documents import make_document
from tests.helpers.storage import FAST, PASSPHRASE, new_vault


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "vault"


def test_create_makes_a_sqlcipher_vault_with_the_safety_pragmas(vault: Vault) -> None:
    conn = vault.connection
    assert conn.execute("PRAGMA cipher_version").fetchone()[0]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert conn.execute("PRAGMA cipher_memory_security").fetchone()[0] in ("1", 1)
    header = (vault.folder / "intake.db").read_bytes()[:16]
    assert header != b"SQLite format 3\0"


def test_vault_json_holds_format_params_and_no_key_in_clear(folder: Path) -> None:
    vault, code = Vault.create(folder, PASSPHRASE, kdf=FAST, kind="centre")
    key_hex = vault._key_hex
    vault.lock()
    text = (folder / "vault.json").read_text("utf-8")
    body = json.loads(text)
    assert body["format"] == "intake-vault"
    assert body["version"] == 1
    assert body["kind"] == "centre"
    slot = body["passphrase_slot"]
    assert slot["kdf"]["algorithm"] == "argon2id"
    assert slot["kdf"]["memory_kib"] >= 64 * 1024
    assert slot["kdf"]["iterations"] >= 3
    assert "recovery_slot" in body
    assert key_hex not in text
    assert normalize_recovery_code(code) not in text
    assert Vault.unlock(folder, PASSPHRASE).kind == "centre"


def test_unlock_reopens_saved_interviews(folder: Path) -> None:
    vault = new_vault(folder)
    document = make_document()
    vault.interviews.save_revision(document)
    vault.lock()
    with Vault.unlock(folder, PASSPHRASE) as again:
        assert again.interviews.get(document["id"])["answers"] == document["answers"]
        assert again.check().ok


def test_lock_makes_every_use_raise_vault_locked(vault: Vault) -> None:
    store = vault.interviews
    vault.lock()
    vault.lock()  # twice is fine
    assert vault.is_locked
    with pytest.raises(VaultLocked):
        _ = vault.interviews
    with pytest.raises(VaultLocked):
        store.list()
    with pytest.raises(VaultLocked):
        store.save_draft(make_document(revision=0))
    with pytest.raises(VaultLocked):
        _ = vault.connection
    with pytest.raises(VaultLocked), vault.transaction():
        pass


def test_exists_and_create_refuses_an_existing_vault(folder: Path) -> None:
    assert not Vault.exists(folder)
    new_vault(folder).lock()
    assert Vault.exists(folder)
    before = (folder / "vault.json").read_bytes()
    with pytest.raises(VaultExists):
        Vault.create(folder, PASSPHRASE, kdf=FAST)
    assert (folder / "vault.json").read_bytes() == before


def test_create_refuses_a_lone_database(folder: Path) -> None:
    folder.mkdir()
    (folder / "intake.db").write_bytes(b"\1" * 4096)
    with pytest.raises(VaultExists):
        Vault.create(folder, PASSPHRASE, kdf=FAST)
    assert (folder / "intake.db").read_bytes() == b"\1" * 4096


def test_unlock_of_an_empty_folder_is_vault_not_found(folder: Path) -> None:
    with pytest.raises(VaultNotFound):
        Vault.unlock(folder, PASSPHRASE)
    assert not folder.exists()


def test_interrupted_creation_can_be_redone(folder: Path) -> None:
    # A crash after vault.json was written but before the database got its final name.
    new_vault(folder).lock()
    (folder / "intake.db").rename(folder / "intake.db.creating")
    assert not Vault.exists(folder)
    with pytest.raises(VaultNotFound):
        Vault.unlock(folder, PASSPHRASE)
    vault = new_vault(folder, "another passphrase")
    vault.lock()
    assert sorted(p.name for p in folder.iterdir()) == ["intake.db", "vault.json"]
    Vault.unlock(folder, "another passphrase").lock()


@pytest.mark.parametrize("passphrase", ["", "short", "123456789"])
def test_weak_passphrases_are_refused(folder: Path, passphrase: str) -> None:
    with pytest.raises(WeakPassphrase) as caught:
        Vault.create(folder, passphrase, kdf=FAST)
    assert caught.value.fields == {"minimum": 10}
    assert not folder.exists()


def test_kdf_below_minimum_is_a_bug(folder: Path) -> None:
    with pytest.raises(ValueError):
        Vault.create(folder, PASSPHRASE, kdf=KdfParams(memory_kib=8 * 1024, iterations=3, lanes=1))


def test_calibration_never_goes_below_the_minimum() -> None:
    params = KdfParams.calibrate(target_seconds=0.01)
    assert params.memory_kib >= 64 * 1024 and params.iterations >= 3
    assert params.is_within_bounds()


def test_passphrase_is_unicode_normalized(folder: Path) -> None:
    composed = "Hyvää päivää kaikille"  # NFC
    decomposed = "Hyva\u0308a\u0308 pa\u0308iva\u0308a\u0308 kaikille"  # NFD
    new_vault(folder, composed).lock()
    Vault.unlock(folder, decomposed).lock()


def test_change_passphrase(vault: Vault, folder: Path) -> None:
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase("not the passphrase", "a new passphrase")
    with pytest.raises(WeakPassphrase):
        vault.change_passphrase(PASSPHRASE, "tiny")
    vault.change_passphrase(PASSPHRASE, "a new passphrase")
    vault.lock()
    with pytest.raises(WrongPassphrase):
        Vault.unlock(folder, PASSPHRASE)
    Vault.unlock(folder, "a new passphrase").lock()
    assert sorted(p.name for p in folder.iterdir()) == ["intake.db", "vault.json"]


def test_recovery_code_opens_and_sets_a_new_passphrase(folder: Path) -> None:
    vault, code = Vault.create(folder, PASSPHRASE, kdf=FAST)
    document = make_document()
    vault.interviews.save_revision(document)
    vault.lock()
    groups = code.split("-")
    assert len(groups) == 8 and all(len(g) == 4 and set(g) <= set(ALPHABET) for g in groups)
    typed = " ".join(groups).lower()  # spaces instead of dashes, lower case
    with Vault.unlock_with_recovery(folder, typed, "chosen after loss") as recovered:
        assert recovered.interviews.get(document["id"])["id"] == document["id"]
    with pytest.raises(WrongPassphrase):
        Vault.unlock(folder, PASSPHRASE)
    Vault.unlock(folder, "chosen after loss").lock()
    # the recovery code keeps working
    Vault.unlock_with_recovery(folder, code, "and once more").lock()


def test_wrong_recovery_code_changes_nothing(folder: Path) -> None:
    _vault, code = Vault.create(folder, PASSPHRASE, kdf=FAST)
    _vault.lock()
    before = (folder / "vault.json").read_bytes()
    wrong = ("0000" if not code.startswith("0000") else "1111") + code[4:]
    for typed in (wrong, "not a code at all", code[:-1]):
        with pytest.raises(WrongRecoveryCode):
            Vault.unlock_with_recovery(folder, typed, "whatever passphrase")
    assert (folder / "vault.json").read_bytes() == before
    Vault.unlock(folder, PASSPHRASE).lock()


def test_transactions_nest_and_roll_back_as_one(vault: Vault) -> None:
    vault.connection.execute("CREATE TABLE note (text TEXT)")
    with pytest.raises(RuntimeError), vault.transaction() as conn:
        conn.execute("INSERT INTO note VALUES ('outer')")
        with vault.transaction() as inner:
            inner.execute("INSERT INTO note VALUES ('inner')")
        raise RuntimeError("boom")
    assert vault.connection.execute("SELECT count(*) FROM note").fetchone()[0] == 0
    with vault.transaction() as conn:
        conn.execute("INSERT INTO note VALUES ('kept')")
        with pytest.raises(RuntimeError), vault.transaction() as inner:
            inner.execute("INSERT INTO note VALUES ('undone')")
            raise RuntimeError("inner only")
    rows = vault.connection.execute("SELECT text FROM note").fetchall()
    assert rows == [("kept",)]


def test_the_vault_can_be_used_from_another_thread(vault: Vault) -> None:
    errors: list[BaseException] = []
    document = make_document(revision=0)

    def work() -> None:
        try:
            vault.interviews.save_draft(document)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert not errors
    assert vault.interviews.get_draft(document["id"]) == document


def test_atomic_write_replaces_whole_or_not_at_all(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    target = folder / "state.json"
    atomic_write_bytes(target, b"old")
    with pytest.raises(RuntimeError), atomic_writer(target) as handle:
        handle.write(b"half of the new")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["state.json"]
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert is_temp_for(temp_path_for(target), target)
    assert not is_temp_for(tmp_path / "state.json", target)

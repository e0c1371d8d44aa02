"""Every way unlocking can fail gives its known error and leaves every file byte-identical."""

from __future__ import annotations

import io
import json
import shutil
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from intake_app.errors import (
    KnownError,
    VaultDamaged,
    VaultNotFound,
    VaultTooNew,
    WrongPassphrase,
)
from intake_app.storage import Vault
from tests.helpers.documents import make_document
from tests.helpers.storage import PASSPHRASE, child_command, child_env, new_vault, snapshot

PAGE = 4096


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cleanly locked vault holding a few interviews and an attachment (made once)."""
    folder = tmp_path_factory.mktemp("template") / "vault"
    vault = new_vault(folder)
    for n in range(30):
        document = make_document(alias=f"Person {n}", account="Long account text. " * 40)
        vault.interviews.save_revision(document)
    vault.interviews.add_attachment(document["id"], io.BytesIO(b"x" * 100_000), "text/plain", "x")
    vault.lock()
    return folder


@pytest.fixture
def folder(template: Path, tmp_path: Path) -> Path:
    """A private copy of the template vault."""
    return Path(shutil.copytree(template, tmp_path / "vault"))


def _assert_refused(
    folder: Path, error: type[KnownError], unlock: Callable[[], object] | None = None
) -> None:
    before = snapshot(folder)
    with pytest.raises(error):
        (unlock or (lambda: Vault.unlock(folder, PASSPHRASE)))()
    assert snapshot(folder) == before  # same files, same bytes, nothing new


def _edit_vault_json(folder: Path, edit: Callable[[dict[str, object]], None]) -> None:
    body = json.loads((folder / "vault.json").read_text("utf-8"))
    edit(body)
    (folder / "vault.json").write_text(json.dumps(body), "utf-8")


def test_wrong_passphrase(folder: Path) -> None:
    _assert_refused(folder, WrongPassphrase, lambda: Vault.unlock(folder, "not the passphrase"))


def test_wrong_passphrase_on_a_vault_left_open_by_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    new_vault(folder).lock()
    # A child saves and is killed, leaving a hot WAL and its index behind.
    child = subprocess.run(
        child_command("save-then-die", str(folder), PASSPHRASE), env=child_env(), check=False
    )
    assert child.returncode == -signal.SIGKILL
    assert (folder / "intake.db-wal").exists()
    _assert_refused(folder, WrongPassphrase, lambda: Vault.unlock(folder, "not the passphrase"))


@pytest.mark.parametrize(
    ("field", "value"),
    [("memory_kib", 65 * 1024), ("iterations", 4), ("lanes", 1)],
)
def test_edited_kdf_parameters_do_not_unlock(folder: Path, field: str, value: int) -> None:
    # AEAD failure cannot tell an edited file from a typo, so the message is WrongPassphrase;
    # either way the key stays wrapped and nothing is written.
    _edit_vault_json(folder, lambda body: body["passphrase_slot"]["kdf"].__setitem__(field, value))
    _assert_refused(folder, WrongPassphrase)


def test_edited_kdf_salt_does_not_unlock(folder: Path) -> None:
    def edit(body: dict[str, object]) -> None:
        kdf = body["passphrase_slot"]["kdf"]  # type: ignore[index]
        kdf["salt"] = "00" * 16

    _edit_vault_json(folder, edit)
    _assert_refused(folder, WrongPassphrase)


@pytest.mark.parametrize(
    "edit",
    [
        lambda b: b["passphrase_slot"]["kdf"].__setitem__("memory_kib", 8 * 1024),  # too weak
        lambda b: b["passphrase_slot"]["kdf"].__setitem__("memory_kib", 2**40),  # absurd
        lambda b: b["passphrase_slot"]["kdf"].__setitem__("algorithm", "pbkdf2"),
        lambda b: b.__setitem__("kind", "robot"),
        lambda b: b.pop("recovery_slot"),
        lambda b: b.__setitem__("database_salt", "zz"),
    ],
)
def test_out_of_bounds_vault_json_is_damaged(folder: Path, edit: Callable[..., None]) -> None:
    _edit_vault_json(folder, edit)
    _assert_refused(folder, VaultDamaged)


def test_edited_vault_id_or_kind_does_not_unlock(folder: Path) -> None:
    _edit_vault_json(folder, lambda body: body.__setitem__("kind", "centre"))
    _assert_refused(folder, WrongPassphrase)
    _edit_vault_json(folder, lambda body: body.__setitem__("kind", "worker"))
    _edit_vault_json(folder, lambda body: body.__setitem__("vault_id", "another"))
    _assert_refused(folder, WrongPassphrase)


def test_newer_vault_json_format_is_too_new(folder: Path) -> None:
    _edit_vault_json(folder, lambda body: body.__setitem__("version", 2))
    _assert_refused(folder, VaultTooNew)


@pytest.mark.parametrize("content", [b"", b"{", b"\xff\xfe", b"[]", b'{"format": "other"}'])
def test_unparseable_vault_json_is_damaged(folder: Path, content: bytes) -> None:
    (folder / "vault.json").write_bytes(content)
    _assert_refused(folder, VaultDamaged)


def test_foreign_vault_json_is_damaged_whatever_the_passphrase(
    folder: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    new_vault(other, "the other passphrase").lock()
    shutil.copyfile(other / "vault.json", folder / "vault.json")
    _assert_refused(folder, VaultDamaged)
    _assert_refused(folder, VaultDamaged, lambda: Vault.unlock(folder, "the other passphrase"))


def test_missing_database_is_damaged_and_not_recreated(folder: Path) -> None:
    (folder / "intake.db").unlink()
    _assert_refused(folder, VaultDamaged)
    assert not (folder / "intake.db").exists()


def test_missing_vault_json_is_not_found(folder: Path) -> None:
    (folder / "vault.json").unlink()
    _assert_refused(folder, VaultNotFound)


def _size(folder: Path) -> int:
    return (folder / "intake.db").stat().st_size


@pytest.mark.parametrize(
    "keep",
    [
        lambda size: 0,
        lambda size: 100,
        lambda size: PAGE,
        lambda size: 2 * PAGE,
        lambda size: (size // PAGE // 2) * PAGE,
        lambda size: size - PAGE,
        lambda size: size - 1,
    ],
    ids=["empty", "100-bytes", "one-page", "two-pages", "half", "minus-one-page", "minus-1"],
)
def test_truncated_database_is_damaged(folder: Path, keep: Callable[[int], int]) -> None:
    path = folder / "intake.db"
    data = path.read_bytes()
    path.write_bytes(data[: keep(len(data))])
    _assert_refused(folder, VaultDamaged)


@pytest.mark.parametrize(
    "where",
    [
        lambda size: 0,  # the salt
        lambda size: 20,  # page 1, encrypted
        lambda size: PAGE - 1,  # page 1's HMAC
        lambda size: 3 * PAGE + 1000,
        lambda size: size // 2,
        lambda size: size - 1,  # the last byte of the last page
    ],
    ids=["salt", "page-1", "page-1-hmac", "page-4", "middle", "last-byte"],
)
def test_bit_flipped_database_is_damaged(folder: Path, where: Callable[[int], int]) -> None:
    path = folder / "intake.db"
    data = bytearray(path.read_bytes())
    data[where(len(data))] ^= 0x10
    path.write_bytes(bytes(data))
    _assert_refused(folder, VaultDamaged)


def test_database_swapped_for_another_vaults_is_damaged(folder: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    new_vault(other, fresh=True).lock()  # same passphrase, different key
    shutil.copyfile(other / "intake.db", folder / "intake.db")
    _assert_refused(folder, VaultDamaged)


def test_damage_with_the_right_passphrase_reaches_no_further(folder: Path) -> None:
    """After a refused unlock, repairing the file makes the vault open again: nothing was lost."""
    path = folder / "intake.db"
    good = path.read_bytes()
    damaged = bytearray(good)
    damaged[len(good) // 2] ^= 1
    path.write_bytes(bytes(damaged))
    _assert_refused(folder, VaultDamaged)
    path.write_bytes(good)
    with Vault.unlock(folder, PASSPHRASE) as vault:
        assert len(vault.interviews.list()) == 30
        assert vault.check().ok


def test_a_large_vault_opens_quickly_and_its_pages_are_checked_after(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.storage import vault as vault_module

    # Pretend the template is large: unlocking then checks the header and schema only.
    monkeypatch.setattr(vault_module, "FULL_CHECK_BYTES", PAGE)
    path = folder / "intake.db"
    good = path.read_bytes()
    with Vault.unlock(folder, PASSPHRASE) as vault:
        assert not vault.pages_checked and vault.pages_intact() is True
    # Damage in the attachment's pages: the unlock does not see it, the page check does, and
    # reading the damaged pages is refused as damage, never overwritten.
    damaged = bytearray(good)
    damaged[len(good) - 10 * PAGE + 100] ^= 0x10
    path.write_bytes(bytes(damaged))
    vault = Vault.unlock(folder, PASSPHRASE)
    try:
        assert vault.pages_intact() is False
        with pytest.raises(VaultDamaged):
            vault.check()
    finally:
        vault.lock()
    assert vault.pages_intact() is None  # locked: nothing to check with
    monkeypatch.setattr(vault_module, "FULL_CHECK_BYTES", 64 * 1024 * 1024)
    _assert_refused(folder, VaultDamaged)  # a small vault's unlock checks every page

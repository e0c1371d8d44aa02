"""A real vault of core schema 2 (tests/data/vault_core_v2) moves its attachments into files.

Schema 3 keeps each content in an age file of its own; the upgrade moves blob by blob at
unlock, compacts the database, checks the vault and only then removes the backup.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import pytest

from intake_app.storage import CheckReport, Vault, disk_usage
from intake_app.storage import attachment_files as attachment_files_module
from intake_app.storage.migrations import newest_core_version

FIXTURE = Path(__file__).resolve().parents[2] / "data" / "vault_core_v2" / "vault"
PASSPHRASE = "fixture passphrase for core v2"
IDS = {key: f"00000000-0000-4000-8000-00000000001{n}" for n, key in enumerate("abcde", 1)}
BACKUP = "intake.db.bak-core-2-3"


def _content(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


EXPECTED = {  # record -> {name: (media type, content)}
    "a": {"passport.jpg": ("image/jpeg", _content(1, 1_300_000)),
          "talk.ogg": ("audio/ogg", _content(2, 40_000)),
          "empty.txt": ("text/plain", b"")},
    "b": {"same-talk.ogg": ("audio/ogg", _content(2, 40_000))},
    "c": {},
    "d": {"contract.pdf": ("application/pdf", _content(4, 70_000))},
    "e": {},
}


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURE, folder)
    return folder


def _tables(vault: Vault) -> set[str]:
    rows = vault.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in rows}


def assert_moved_whole(vault: Vault) -> None:
    """Every attachment reads back as it was, each content once, and the vault checks."""
    store = vault.interviews
    for key, expected in EXPECTED.items():
        found = {info.name: info for info in store.attachments(IDS[key])}
        assert set(found) == set(expected)
        for name, (media_type, content) in expected.items():
            info = found[name]
            assert (info.media_type, info.size) == (media_type, len(content))
            assert info.sha256 == hashlib.sha256(content).hexdigest()
            with store.open_attachment(info.sha256) as reader:
                assert reader.read() == content
    files = sorted((vault.folder / "attachments").iterdir())
    assert len(files) == 4  # talk.ogg once for two records; removed and deleted ones gone
    assert vault.connection.execute("SELECT count(*) FROM attachment_file").fetchone()[0] == 4
    report = vault.check()
    assert report.ok, report


def test_the_upgrade_moves_every_attachment_out_and_compacts(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    before = (folder / "intake.db").stat().st_size
    with Vault.unlock(folder, PASSPHRASE) as vault:
        assert vault.connection.execute("PRAGMA user_version").fetchone()[0] == 3
        assert newest_core_version() == 3
        assert not _tables(vault) & {"blob", "blob_chunk", "core_upgrade"}
        assert_moved_whole(vault)
        # The backup went once the check passed; the database no longer holds the content.
        assert not (folder / BACKUP).exists()
        usage = disk_usage(folder)
        assert usage.backups == 0
        assert usage.database < before / 4, (usage.database, before)
        assert usage.attachments > 1_400_000
    with Vault.unlock(folder, PASSPHRASE) as again:  # a second unlock has nothing left to do
        assert_moved_whole(again)


def test_a_failed_check_keeps_the_backup_and_is_not_repeated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy(tmp_path)
    checks: list[int] = []

    def failing(self: Vault) -> CheckReport:
        checks.append(1)
        return CheckReport(integrity=["made to fail"])

    with monkeypatch.context() as patch:
        patch.setattr(Vault, "check", failing)
        Vault.unlock(folder, PASSPHRASE).lock()
        assert checks == [1] and (folder / BACKUP).exists()
        Vault.unlock(folder, PASSPHRASE).lock()
        assert checks == [1]  # not checked at every unlock: `vault check` tells
    with Vault.unlock(folder, PASSPHRASE) as vault:
        stage = vault.connection.execute("SELECT stage FROM core_upgrade").fetchone()[0]
        assert stage == "check-failed"
        assert_moved_whole(vault)
    assert (folder / BACKUP).exists()


def test_an_interrupted_move_resumes_without_loss_or_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy(tmp_path)
    written: list[str] = []
    real_write = attachment_files_module.AttachmentFiles.write

    def write_two_then_fail(self: attachment_files_module.AttachmentFiles, *args: object,
                            **kwargs: object) -> attachment_files_module.WrittenFile:
        if len(written) == 2:
            raise OSError("the disk went away")
        result = real_write(self, *args, **kwargs)  # type: ignore[arg-type]
        written.append(result.name)
        return result

    with monkeypatch.context() as patch:
        patch.setattr(attachment_files_module.AttachmentFiles, "write", write_two_then_fail)
        with pytest.raises(OSError, match="went away"):
            Vault.unlock(folder, PASSPHRASE)
    assert (folder / BACKUP).exists()
    assert len(list((folder / "attachments").iterdir())) == 2
    with Vault.unlock(folder, PASSPHRASE) as vault:
        assert_moved_whole(vault)
        assert set(written) <= {p.name for p in (folder / "attachments").iterdir()}
    assert not (folder / BACKUP).exists()

"""The one atomic writer for local files: new temporary file, fsync, rename, fsync the folder."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from intake_app.errors import DiskFull
from intake_app.storage import atomic, atomic_write_bytes, atomic_writer


def test_bytes_are_written_as_they_are_and_the_folder_is_synced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[Path] = []
    monkeypatch.setattr(atomic, "fsync_directory", synced.append)
    target = tmp_path / "settings.json"
    atomic_write_bytes(target, b"line one\nline two\r\n")
    assert target.read_bytes() == b"line one\nline two\r\n"
    assert synced == [tmp_path]


def test_on_windows_the_folder_is_never_opened(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real_open = os.open

    def spy(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        opened.append(os.fspath(path))
        return real_open(path, flags, mode)

    monkeypatch.setattr(atomic, "_FSYNC_FOLDERS", False)
    monkeypatch.setattr(atomic.os, "open", spy)
    atomic_write_bytes(tmp_path / "vault.json", b"{}")
    assert str(tmp_path) not in opened and len(opened) == 1


def test_a_failure_leaves_the_old_content_and_no_temporary_file(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    target = folder / "vault.json"
    atomic_write_bytes(target, b"old")
    with pytest.raises(DiskFull), atomic_writer(target) as handle:
        handle.write(b"new")
        raise OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(PermissionError), atomic_writer(target) as handle:
        raise PermissionError(errno.EACCES, "denied")  # other errors stay what they are
    assert target.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["vault.json"]


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_a_link_at_the_temporary_name_is_not_followed(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"kept")
    monkeypatch.setattr(atomic.secrets, "token_hex", lambda _n: "0123456789ab")
    (tmp_path / ".vault.json.0123456789ab.tmp").symlink_to(victim)
    with pytest.raises(FileExistsError):
        atomic_write_bytes(tmp_path / "vault.json", b"x")
    assert victim.read_bytes() == b"kept"

"""Writing on the share (bundle-format.md, "Writing and reading files on a share").

A new `.<name>.<random>.partial` file, created exclusively and without following links (0600),
synced, then renamed after the target name was looked at without following it: a link or
anything but an ordinary file there is a known error. Nothing that exists is opened to write.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from pathlib import Path

import pytest

from intake_app.storage import atomic
from intake_app.sync.errors import ShareFull, ShareReadOnly, ShareTargetNotAFile, ShareWriteFailed
from intake_app.sync.share import share_writer, write_share_file, write_signed_file

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs")
VICTIM = b"a file elsewhere that a planted link points at\n"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "share" / "inbox"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim.txt"
    path.write_bytes(VICTIM)
    return path


def test_a_write_leaves_only_the_final_file_private_to_its_owner(out: Path) -> None:
    target = out / "file.bin"
    write_share_file(target, b"one")
    write_share_file(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in out.iterdir()] == ["file.bin"]
    if sys.platform != "win32":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_partial_file_has_a_new_random_dot_name(out: Path) -> None:
    target = out / "file.bin"
    with pytest.raises(RuntimeError), share_writer(target) as handle:
        handle.write(b"half")
        [partial] = list(out.iterdir())
        assert re.fullmatch(r"\.file\.bin\.[0-9a-f]{12}\.partial", partial.name)
        raise RuntimeError("crash")
    assert list(out.iterdir()) == []


def test_an_existing_file_is_replaced_never_opened(out: Path) -> None:
    target = out / "file.bin"
    target.write_bytes(b"old")
    other_name = out / "hard-link.bin"
    os.link(target, other_name)  # the same file under a second name
    write_share_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert other_name.read_bytes() == b"old"


def test_the_signature_is_written_before_the_file(out: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []
    real_replace = os.replace

    def replace(source: Path, target: Path) -> None:
        order.append(Path(target).name)
        real_replace(source, target)

    monkeypatch.setattr(atomic.os, "replace", replace)
    write_signed_file(out / "r.json", b"{}", b"signature\n")
    assert order == ["r.json.minisig", "r.json"]


@posix_only
def test_a_link_planted_at_the_temporary_name_is_not_followed(
        out: Path, victim: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic.secrets, "token_hex", lambda _n: "0123456789ab")
    planted = out / ".file.bin.0123456789ab.partial"
    planted.symlink_to(victim)
    with pytest.raises(ShareWriteFailed):
        write_share_file(out / "file.bin", b"attacker-chosen bytes")
    assert victim.read_bytes() == VICTIM
    assert planted.is_symlink()  # not ours: left alone
    assert not (out / "file.bin").exists()


@posix_only
def test_a_link_at_the_target_name_is_a_known_error_and_stays(out: Path, victim: Path) -> None:
    target = out / "file.bin"
    target.symlink_to(victim)
    with pytest.raises(ShareTargetNotAFile):
        write_share_file(target, b"new bytes")
    assert victim.read_bytes() == VICTIM
    assert target.is_symlink() and os.readlink(target) == str(victim)
    assert [p.name for p in out.iterdir()] == ["file.bin"]  # no partial file left


@posix_only
@pytest.mark.parametrize("kind", ["folder", "fifo", "dangling link"])
def test_something_other_than_a_file_at_the_target_is_a_known_error(out: Path,
                                                                     kind: str) -> None:
    target = out / "file.bin"
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)  # opening it to write would block: it must not be opened
    else:
        target.symlink_to(out / "nowhere")
    with pytest.raises(ShareTargetNotAFile) as raised:
        write_share_file(target, b"x")
    assert raised.value.fields == {"file": "file.bin"}
    assert [p.name for p in out.iterdir()] == ["file.bin"]
    assert not target.is_file() or target.is_symlink()


def test_disk_full_read_only_and_other_failures_are_known_errors(out: Path) -> None:
    target = out / "file.bin"
    for number, expected in [(errno.ENOSPC, ShareFull), (errno.EDQUOT, ShareFull),
                             (errno.EROFS, ShareReadOnly), (errno.EIO, ShareWriteFailed)]:
        with pytest.raises(expected), share_writer(target) as handle:
            handle.write(b"x")
            raise OSError(number, os.strerror(number))
        assert list(out.iterdir()) == []
    with pytest.raises(ShareWriteFailed) as gone:
        write_share_file(out.parent / "gone" / "file.bin", b"x")
    assert gone.value.fields == {"folder": str(out.parent / "gone")}

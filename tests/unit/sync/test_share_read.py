"""Reading the share (bundle-format.md, "Writing and reading files on a share").

Opened without following a link and without blocking, the handle `fstat`-ed: only an ordinary
file is read. Listings leave out dot-names, links (files and folder levels) and special files,
logged once. Every call has a time limit. A file is complete only after two looks at least
`settle` seconds apart found it unchanged, and it is older than that.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from intake_app.sync import share_file
from intake_app.sync.errors import ShareFileChanged, ShareNotAFile, ShareNotAnswering
from intake_app.sync.share import (
    Looks,
    ShareEntry,
    move_share_file,
    open_share_file,
    read_share_file,
    share_files,
    share_folders,
    timed,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    (folder / "inbox" / "dev").mkdir(parents=True)
    return folder


def _within(seconds: float, action) -> object:  # type: ignore[no-untyped-def]
    """Run `action` on a thread; fail unless it returns within `seconds`."""
    box: list[object] = []

    def run() -> None:
        try:
            box.append(action())
        except BaseException as exc:  # handed back to the test
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "hung"
    return box[0]


def test_an_ordinary_file_is_read_through_one_handle(root: Path) -> None:
    path = root / "inbox" / "dev" / "a.ibundle"
    path.write_bytes(b"0123456789")
    with open_share_file(path, root=root) as handle:
        os.replace(root / "inbox" / "dev" / "a.ibundle", root / "elsewhere")
        path.write_bytes(b"swapped in")  # a new file under the name: not what is open
        assert handle.read(4) == b"0123"
        handle.seek(0)
        assert handle.read() == b"0123456789"
    assert read_share_file(path, 4) == b"swapp"  # max + 1: shows as too large


@pytest.mark.parametrize("kind", ["fifo", "link", "folder", "link to fifo"])
def test_anything_but_an_ordinary_file_is_refused_at_once(root: Path, tmp_path: Path,
                                                          kind: str) -> None:
    path = root / "inbox" / "dev" / "a.ibundle"
    target = tmp_path / "victim"
    target.write_bytes(b"not for the share")
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link":
        path.symlink_to(target)
    elif kind == "folder":
        path.mkdir()
    else:
        os.mkfifo(tmp_path / "pipe")
        path.symlink_to(tmp_path / "pipe")
    result = _within(5, lambda: read_share_file(path, 100, root=root))
    assert isinstance(result, ShareNotAFile)
    assert result.fields == {"file": "a.ibundle"}


def test_a_folder_level_that_is_a_link_is_not_followed(root: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "admin-folder"
    elsewhere.mkdir()
    (elsewhere / "x.ibundle").write_bytes(b"someone else's file")
    (root / "inbox" / "evil").symlink_to(elsewhere)
    with pytest.raises(ShareNotAFile):
        open_share_file(root / "inbox" / "evil" / "x.ibundle", root=root)
    assert share_files(root, root / "inbox" / "evil") == []
    assert share_folders(root, root / "inbox") == [root / "inbox" / "dev"]


def test_listings_leave_out_dot_names_links_and_special_files_logged_once(
        root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = root / "inbox" / "dev"
    (folder / "b.ibundle").write_bytes(b"b")
    (folder / "a.ibundle").write_bytes(b"aa")
    (folder / ".c.ibundle.0123.partial").write_bytes(b"half")
    (folder / "notes.txt").write_bytes(b"other suffix")
    (folder / "link.ibundle").symlink_to(folder / "a.ibundle")
    os.mkfifo(folder / "pipe.ibundle")
    (folder / "sub.ibundle").mkdir()
    with caplog.at_level(logging.WARNING, logger="intake"):
        for _ in range(3):  # three rounds
            found = share_files(root, folder, suffix=".ibundle")
            assert [(e.path.name, e.size) for e in found] == [("a.ibundle", 2), ("b.ibundle", 1)]
    left_alone = [r.getMessage() for r in caplog.records if "left alone" in r.getMessage()]
    assert len(left_alone) == 2  # the link and the pipe, once each (not per round)
    assert share_files(root, root / "inbox" / "missing") == []


def test_a_call_that_does_not_return_is_a_known_error_within_its_limit(root: Path) -> None:
    never = threading.Event()
    started = time.monotonic()
    with pytest.raises(ShareNotAnswering) as stuck:
        timed(lambda: never.wait(30), folder=root, timeout=0.3)
    assert time.monotonic() - started < 5
    assert stuck.value.fields == {"folder": str(root), "seconds": "0.3"}
    never.set()


def test_a_read_that_hangs_makes_the_handle_give_up(root: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = root / "inbox" / "dev" / "a.ibundle"
    path.write_bytes(b"data")
    handle = open_share_file(path, timeout=0.3)
    release = threading.Event()
    monkeypatch.setattr(share_file, "_pread", lambda *_a: release.wait(30) and b"")
    with pytest.raises(ShareNotAnswering):
        handle.read(4)
    with pytest.raises(ShareNotAnswering):  # at once: the descriptor is never touched again
        handle.read(4)
    handle.close()
    release.set()


def test_the_five_second_rule() -> None:
    now = [1000.0]
    looks = Looks(settle=5, clock=lambda: now[0])
    path = Path("/share/inbox/dev/a.ibundle")

    def look(size: int, mtime: float) -> ShareEntry:
        return ShareEntry(path, size, int(mtime * 1e9))

    assert not looks.complete(look(10, 999))  # first look
    now[0] += 5
    assert not looks.complete(look(20, 1004))  # still growing: a new first look
    assert looks.wait_for([look(20, 1004)]) == 5
    now[0] += 5
    assert not looks.complete(look(20, 1004.5))  # touched: a new first look
    now[0] += 4.9
    assert not looks.complete(look(20, 1004.5))  # not 5 seconds apart yet
    now[0] += 0.1
    assert looks.complete(look(20, 1004.5))
    ahead = Looks(settle=5, clock=lambda: now[0])
    stamp = now[0] + 1  # modified "in the future" (another computer's clock)
    assert not ahead.complete(look(20, stamp))
    now[0] += 5
    assert not ahead.complete(look(20, stamp))  # unchanged 5 seconds, but not 5 seconds old
    now[0] += 1
    assert ahead.complete(look(20, stamp))


def test_a_move_follows_no_link_and_takes_only_the_file_that_was_read(
        root: Path, tmp_path: Path) -> None:
    folder = root / "inbox" / "dev"
    path = folder / "a.ibundle"
    path.write_bytes(b"read")
    with open_share_file(path, root=root) as handle:
        read = handle.info
    (root / "processed").mkdir()
    (root / "processed" / "dev").mkdir()
    (root / "processed" / "dev" / "a.ibundle").write_bytes(b"an earlier one")
    moved = move_share_file(root, path, root / "processed" / "dev", same_as=read)
    assert moved.name == "a.1.ibundle" and moved.read_bytes() == b"read"
    assert (root / "processed" / "dev" / "a.ibundle").read_bytes() == b"an earlier one"
    path.write_bytes(b"another file under the name")
    with pytest.raises(ShareFileChanged):
        move_share_file(root, path, root / "processed" / "dev", same_as=read)
    assert path.read_bytes() == b"another file under the name"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with pytest.raises(ShareNotAFile):
        (root / "processed" / "other").symlink_to(elsewhere)
        move_share_file(root, path, root / "processed" / "other", same_as=os.stat(path))
    assert list(elsewhere.iterdir()) == [] and path.exists()

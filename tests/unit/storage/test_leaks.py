"""No interview content reaches the disk in clear text: not in the vault folder, not in temp.

A child process runs a whole session (create, autosave, edit, attach, search, delete, purge,
migrate) with a unique marker in every kind of data. While it is paused with the vault open,
and again after it has locked, every file in the vault folder and in its private temp folder,
and every file the process holds open (including deleted temp files), is searched for the
marker as UTF-8, UTF-16-LE and UTF-16-BE.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

from tests.helpers.storage import PASSPHRASE, child_command, child_env


def _encodings(marker: str) -> list[bytes]:
    return [marker.encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def _leaks_in(data: bytes, needles: list[bytes]) -> bool:
    return any(needle in data for needle in needles)


def _files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()]


def _open_files_of(pid: int) -> list[Path]:
    """Regular files the process has open, readable through /proc even if already deleted."""
    found = []
    for fd in (Path(f"/proc/{pid}/fd")).iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("/") and not target.startswith(("/dev/", "/proc/")):
            found.append(fd)
    return found


def test_marker_never_reaches_the_disk_in_clear_text(tmp_path: Path) -> None:
    marker = "MRK" + uuid.uuid4().hex[:12].upper()
    needles = _encodings(marker)
    folder = tmp_path / "vault"
    temp = tmp_path / "session-tmp"
    temp.mkdir()
    env = child_env(TMPDIR=str(temp), SQLITE_TMPDIR=str(temp))
    child = subprocess.Popen(
        child_command("leak-session", str(folder), PASSPHRASE, marker),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert child.stdout is not None and child.stdin is not None
    try:
        paused = child.stdout.readline()
        assert paused == b"paused\n", child.stderr.read() if child.stderr else b""
        open_now = _files(folder, temp)
        assert {p.name for p in open_now} >= {"vault.json", "intake.db", "intake.db-wal"}
        # Attachment files are searched too: six were added, one removed, one purged, one
        # deleted with its record (each content is a different photo).
        assert len([p for p in open_now if p.parent.name == "attachments"]) == 3
        # The migration's backup is searched too; it goes at the next unlock (below).
        assert any(p.name.startswith("intake.db.bak-device") for p in open_now)
        held = _open_files_of(child.pid)
        assert held, "the child must hold the database open"
        for path in [*open_now, *held]:
            assert not _leaks_in(path.read_bytes(), needles), f"marker found in {path}"
        child.stdin.write(b"continue\n")
        child.stdin.flush()
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err.decode(errors="replace")
    assert out == b"done\n"
    after = _files(folder, temp)
    assert not any(p.name.startswith("intake.db.bak-") for p in after)
    for path in after:
        assert not _leaks_in(path.read_bytes(), needles), f"marker found in {path}"


def test_the_leak_check_can_see_a_leak(tmp_path: Path) -> None:
    """The same search finds the marker when it is there (so the test above can fail)."""
    marker = "MRK" + uuid.uuid4().hex[:12].upper()
    for codec in ("utf-8", "utf-16-le", "utf-16-be"):
        path = tmp_path / f"plain-{codec}"
        path.write_bytes(b"\0" * 100 + f"x {marker} y".encode(codec))
        assert _leaks_in(path.read_bytes(), _encodings(marker))

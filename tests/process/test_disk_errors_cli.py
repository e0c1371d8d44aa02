"""The command line says what happened (issue 14, finding 8): a full disk, a read-only vault
folder and a passphrase that is not UTF-8 are known errors (exit code 2), never "damaged" and
never "something went wrong" (70); nothing in the vault changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.mounts import fill, read_only, small_disk
from tests.helpers.storage import snapshot

ROOT = Path(__file__).resolve().parents[2]
PASS = b"correct horse battery staple\n"


def run(data: Path, *args: str, stdin: bytes = PASS) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, INTAKE_KDF="minimum", PYTHONPATH=str(ROOT), LC_ALL="C.UTF-8")
    done = subprocess.run(
        [sys.executable, "-m", "intake_app", "--data-dir", str(data), *args],
        input=stdin, capture_output=True, env=env, cwd=ROOT, timeout=120,
    )
    return subprocess.CompletedProcess(done.args, done.returncode,
                                       done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


def made(data: Path) -> Path:
    done = run(data, "init")
    assert done.returncode == 0, done.stderr
    return data / "vault"


def test_a_full_disk_at_unlock_is_said_as_such(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        vault = made(disk / "data")
        before = snapshot(vault)
        fill(disk)
        done = run(disk / "data", "record", "list")
        assert done.returncode == 2, done.stderr
        assert "The disk is full, so the vault cannot be opened" in done.stderr
        assert "damaged" not in done.stderr
        assert snapshot(vault) == before


def test_a_read_only_vault_folder_is_said_as_such(tmp_path: Path) -> None:
    vault = made(tmp_path / "data")
    before = snapshot(vault)
    with read_only(vault):
        done = run(tmp_path / "data", "record", "list")
    assert done.returncode == 2, done.stderr
    assert "cannot be written to" in done.stderr and "went wrong" not in done.stderr
    assert snapshot(vault) == before


def test_a_passphrase_that_is_not_utf8_is_a_known_error(tmp_path: Path) -> None:
    vault = made(tmp_path / "data")
    before = snapshot(vault)
    done = run(tmp_path / "data", "record", "list", stdin=b"correct horse \xff\xfe staple\n")
    assert done.returncode == 2, done.stderr
    assert "not text in UTF-8" in done.stderr
    assert snapshot(vault) == before

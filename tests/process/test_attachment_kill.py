"""SIGKILL while attachments are added, deleted and moved out of the database.

After every kill the next unlock must leave a vault that passes `vault check` (every file
decrypts to its SHA-256), with no file that no row names (the sweep) and no row without its
file, and holding every change the child reported as committed.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from intake_app.storage import Vault
from tests.helpers.documents import make_document
from tests.helpers.storage import PASSPHRASE, child_env, new_vault
from tests.unit.storage.test_core_v3 import FIXTURE, assert_moved_whole

KILLS = 50
CHILD = Path(__file__).resolve().parents[1] / "helpers" / "attachment_child.py"
V2_PASSPHRASE = "fixture passphrase for core v2"


class Child:
    """A child started ahead of time (imports done); it begins its work on `go()`."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=child_env())

    def run_and_kill(self, delay: float) -> list[str]:
        """Start, kill `delay` seconds after "ready", return the complete lines it printed."""
        process = self.process
        assert process.stdin and process.stdout and process.stderr
        process.stdin.write(b"go\n")
        process.stdin.flush()
        ready = process.stdout.readline()
        if not ready.startswith(b"ready "):
            pytest.fail(f"child did not start: {ready!r} {process.stderr.read()!r}")
        time.sleep(max(0.0, float(ready.split()[1]) + delay - time.monotonic()))
        process.send_signal(signal.SIGKILL)
        out = process.stdout.read()
        err = process.stderr.read()
        process.wait()
        for pipe in (process.stdin, process.stdout, process.stderr):
            pipe.close()
        assert process.returncode in (0, -signal.SIGKILL), err.decode(errors="replace")
        # A last line without its newline was cut by the kill: it does not count.
        return out.decode().split("\n")[:-1]


def _verify(folder: Path) -> tuple[Vault, set[str]]:
    """Unlock (the sweep runs), check, and compare the files with the rows."""
    vault = Vault.unlock(folder, PASSPHRASE)
    report = vault.check()
    assert report.ok, report
    named = {row[0] for row in vault.connection.execute("SELECT file FROM attachment_file")}
    on_disk = {p.name for p in (folder / "attachments").iterdir()} if (
        folder / "attachments").exists() else set()
    assert on_disk == named  # no orphan survived the unlock, no row lacks its file
    shas = {row[0] for row in vault.connection.execute("SELECT sha256 FROM attachment_file")}
    return vault, shas


@pytest.mark.slow
def test_kill_while_adding_50_mb_attachments(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    document = make_document()
    with new_vault(folder) as vault:
        vault.interviews.save_revision(document)
    rng = random.Random(15)
    committed: list[str] = []
    child = Child("add", str(folder), PASSPHRASE, document["id"], "0")
    for round_number in range(1, KILLS + 1):
        lines = child.run_and_kill(rng.uniform(0.0, 1.5))
        committed += [line.split()[1] for line in lines]
        vault, shas = _verify(folder)
        assert set(committed) <= shas
        # Keep the folder small: the committed files go again (and their keys with them).
        for sha in shas:
            vault.interviews.remove_attachment(document["id"], sha)
        assert not list((folder / "attachments").iterdir())
        vault.lock()
        committed.clear()
        if round_number < KILLS:
            child = Child("add", str(folder), PASSPHRASE, document["id"], str(round_number * 100))


@pytest.mark.slow
def test_kill_while_adding_and_deleting(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    document = make_document()
    with new_vault(folder) as vault:
        vault.interviews.save_revision(document)
    rng = random.Random(16)
    present: set[str] = set()
    gone: set[str] = set()
    deletions = 0
    child = Child("churn", str(folder), PASSPHRASE, document["id"], "1")
    for round_number in range(1, KILLS + 1):
        lines = child.run_and_kill(rng.uniform(0.0, 0.4))
        for line in lines:
            kind, *values = line.split()
            if kind == "A":
                present.add(values[0])
            elif kind == "X":
                present.discard(values[0])
                gone.add(values[0])
            else:  # a deleted record: its files went with it
                deletions += 1
                gone.update(values[1:])
        if lines and lines[-1].startswith("A "):
            # Its removal may have committed just before the kill, unreported: either is fine.
            present.discard(lines[-1].split()[1])
        vault, shas = _verify(folder)
        attached = {a.sha256 for a in vault.interviews.attachments(document["id"])}
        assert present <= attached and not gone & shas
        present = attached  # what the next child starts from
        vault.lock()
        if round_number < KILLS:
            # A seed of its own: a child that repeated the last one's seeds made the same files
            # again, so a file reported gone came back, rightly, and the test failed now and then.
            seed = str(round_number * 100_000 + 1)
            child = Child("churn", str(folder), PASSPHRASE, document["id"], seed)
    assert deletions > 0 and gone


@pytest.mark.slow
def test_kill_while_moving_attachments_out_of_a_schema_2_vault(tmp_path: Path) -> None:
    rng = random.Random(17)
    # How long the migration and what follows it take, from the end of the key derivation:
    # the kills are spread over that time, and a little beyond it.
    took = min(_calibrate(tmp_path / f"calibrate-{n}") for n in range(2))
    landed_inside = 0
    for round_number in range(1, KILLS + 1):
        folder = tmp_path / f"vault-{round_number}"
        shutil.copytree(FIXTURE, folder)
        Child("unlock", str(folder), V2_PASSPHRASE).run_and_kill(rng.uniform(0.0, took * 1.1))
        if (folder / "intake.db.bak-core-2-3").exists():
            landed_inside += 1  # killed after the backup, before the upgrade had finished
        with Vault.unlock(folder, V2_PASSPHRASE) as vault:
            assert_moved_whole(vault)  # nothing lost, nothing twice, the vault checks
            named = {r[0] for r in vault.connection.execute("SELECT file FROM attachment_file")}
            assert {p.name for p in (folder / "attachments").iterdir()} == named
            tables = {r[0] for r in vault.connection.execute("SELECT name FROM sqlite_master")}
            assert not tables & {"blob", "blob_chunk", "core_upgrade"}
        assert not (folder / "intake.db.bak-core-2-3").exists()
        shutil.rmtree(folder)
    # The backup is there after a kill only if the upgrade had started and not finished.
    assert landed_inside >= KILLS // 4, landed_inside


def _calibrate(folder: Path) -> float:
    """Seconds from the start of the migration to the end of the unlock, killed nowhere."""
    shutil.copytree(FIXTURE, folder)
    lines = Child("unlock", str(folder), V2_PASSPHRASE).run_and_kill(30.0)
    shutil.rmtree(folder)
    return float(lines[-1].split()[1])

"""Kill a process that is writing to the vault, again and again: nothing committed is lost.

The child (tests/storage_child.py) prints a line only after each save has committed. After
every SIGKILL the vault must unlock, pass integrity_check and the revision chain, and hold
every save the child reported.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from intake_app.errors import WrongPassphrase
from intake_app.storage import Vault
from tests.helpers.storage import PASSPHRASE, child_command, child_env, new_vault

KILLS = 50


@dataclass
class Reported:
    """What the children said they committed, across all rounds."""

    revisions: set[tuple[str, int, str]] = field(default_factory=set)
    revision_count: dict[str, int] = field(default_factory=dict)
    drafts: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (counter, revs)
    attachments: set[tuple[str, str]] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    lines: int = 0

    def take(self, output: bytes) -> None:
        # A last line without its newline was cut by the kill: it does not count.
        for line in output.decode("utf-8").split("\n")[:-1]:
            kind, record_id, *rest = line.split()
            self.lines += 1
            if kind == "D":
                self.drafts[record_id] = (int(rest[0]), self.revision_count.get(record_id, 0))
            elif kind in ("R", "X"):
                number = int(rest[0])
                if kind == "R":
                    self.revisions.add((record_id, number, rest[1]))
                else:
                    self.deleted.add(record_id)
                    self.attachments = {a for a in self.attachments if a[0] != record_id}
                self.revision_count[record_id] = number
                self.drafts.pop(record_id, None)
            elif kind == "A":
                self.attachments.add((record_id, rest[0]))


def _verify(folder: Path, reported: Reported) -> None:
    with Vault.unlock(folder, PASSPHRASE) as vault:
        report = vault.check()
        assert report.ok, (report.integrity, report.chain.problems)
        store = vault.interviews
        histories = {s.id: store.history(s.id) for s in store.list()}
        for record_id, number, sha in reported.revisions:
            assert histories[record_id][number - 1].sha256 == sha
        for record_id in reported.deleted:
            assert histories[record_id][-1].status == "deleted"
        for record_id, (counter, revisions) in reported.drafts.items():
            draft = store.get_draft(record_id)
            if draft is not None:
                assert draft["answers"]["counter"] >= counter
            else:  # a later save committed but was not reported before the kill
                assert len(histories[record_id]) > revisions
        for record_id, sha in reported.attachments:
            present = {a.sha256 for a in store.attachments(record_id)}
            assert sha in present or histories[record_id][-1].status == "deleted"


class Child:
    """A child process started ahead of time; it begins its work on `go()`."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(),
        )

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(b"go\n")
        self.process.stdin.flush()

    def kill_after_ready(self, delay: float, *, may_finish: bool = False) -> bytes:
        """Wait for "ready <monotonic time>", kill `delay` seconds after it, return stdout.

        With `may_finish`, a child that completed its work before the kill is fine too.
        """
        assert self.process.stdout is not None
        ready = self.process.stdout.readline()
        if not ready.startswith(b"ready "):
            _out, err = self.process.communicate()
            pytest.fail(f"child did not start: {ready!r} {err.decode(errors='replace')}")
        kill_at = float(ready.split()[1]) + delay
        time.sleep(max(0.0, kill_at - time.monotonic()))
        self.process.send_signal(signal.SIGKILL)
        # Not communicate(): it would skip what readline() already buffered.
        out = self.process.stdout.read()
        assert self.process.stderr is not None
        err = self.process.stderr.read()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()
        finished = may_finish and self.process.returncode == 0
        assert finished or self.process.returncode == -signal.SIGKILL, err.decode(errors="replace")
        return out


def _run_and_kill(command: list[str], delay: float, *, may_finish: bool = False) -> bytes:
    child = Child(command)
    child.go()
    return child.kill_after_ready(delay, may_finish=may_finish)


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_committed(tmp_path: Path) -> None:
    """50 kills. To stay fast on two cores, each crashed state is copied and checked while the
    next child unlocks; the next child is started (imports done) before it is needed."""
    folder = tmp_path / "vault"
    new_vault(folder).lock()
    rng = random.Random(20261128)
    reported = Reported()
    pending: Path | None = None

    def spawn(round_number: int) -> Child:
        return Child(child_command("save-loop", str(folder), PASSPHRASE, str(round_number)))

    child = spawn(1)
    for round_number in range(1, KILLS + 1):
        child.go()
        if pending is not None:
            _verify(pending, reported)
            shutil.rmtree(pending)
        output = child.kill_after_ready(rng.uniform(0.0, 0.25))
        reported.take(output)
        pending = Path(shutil.copytree(folder, tmp_path / f"crashed-{round_number}"))
        if round_number < KILLS:
            child = spawn(round_number + 1)
    assert pending is not None
    _verify(pending, reported)
    _verify(folder, reported)  # the original too, after all the kills
    # The kills must have landed among real work, not only before it started.
    assert reported.lines > 5 * KILLS
    assert reported.revisions and reported.drafts and reported.attachments


def _works(folder: Path, passphrase: str) -> bool:
    try:
        Vault.unlock(folder, passphrase).lock()
    except WrongPassphrase:
        return False
    return True


@pytest.mark.parametrize(
    ("when", "survivor"), [("before-replace", "old"), ("after-replace", "new")]
)
def test_kill_inside_a_passphrase_change_leaves_exactly_one(
    tmp_path: Path, when: str, survivor: str
) -> None:
    folder = tmp_path / "vault"
    new_vault(folder, "old passphrase").lock()
    child = subprocess.run(
        child_command("change-passphrase", str(folder), "old passphrase", "new passphrase", when),
        env=child_env(),
        capture_output=True,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert b"changed" not in child.stdout
    if when == "before-replace":  # the temporary file was written and synced, not renamed
        assert any(p.name.startswith(".vault.json.") for p in folder.iterdir())
    works = {name: _works(folder, f"{name} passphrase") for name in ("old", "new")}
    assert works == {"old": survivor == "old", "new": survivor == "new"}
    assert sorted(p.name for p in folder.iterdir()) == ["intake.db", "vault.json"]


@pytest.mark.slow
def test_kill_at_random_moments_of_a_passphrase_change_leaves_exactly_one(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "vault"
    new_vault(folder, "passphrase number 0").lock()
    rng = random.Random(7)
    # The change costs two key derivations (~0.5 s with the minimum parameters): spread the
    # kills over it and a little beyond.
    delays = [0.02, 0.15, 0.3, 0.45, 0.6, 0.9]
    rng.shuffle(delays)
    current = 0
    for attempt, delay in enumerate(delays, start=1):
        old, new = f"passphrase number {current}", f"passphrase number {attempt}"
        command = child_command("change-passphrase", str(folder), old, new)
        output = _run_and_kill(command, delay + rng.uniform(0.0, 0.1), may_finish=True)
        old_works, new_works = _works(folder, old), _works(folder, new)
        assert old_works != new_works
        if b"changed" in output:
            assert new_works
        current = attempt if new_works else current

"""SIGKILL at random points of export: no bundle under a real name is ever partial or wrong,
and no sequence number is ever used twice. Also runs as the child process that gets killed.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake_app.storage import Vault
from intake_app.sync.device.export import export_changes
from intake_app.sync.device.outbox import Outbox, OutboxState
from intake_app.sync.device.transport import copy_bundle
from intake_app.sync.format.strict_json import format_timestamp
from tests.helpers.device import enrolled, manifest_of, random_bytes, save_interview
from tests.helpers.storage import PASSPHRASE, child_env

pytestmark = pytest.mark.slow
ROUNDS = 20
MAX_SIZE = 600_000
_NAME = re.compile(r"[0-9a-f-]{36}-(\d{8})\.ibundle")


def child(folder: Path, usb: Path, max_size: int) -> None:
    """Save, export and copy to the stick, round after round, until killed."""
    sys.stdin.readline()  # imports done; unlock when the parent says so
    vault = Vault.unlock(folder, PASSPHRASE)
    outbox = Outbox(vault)
    print("ready", flush=True)
    while True:
        save_interview(vault, attachment=random_bytes(250_000))
        export_changes(vault, max_size=max_size)
        for bundle in outbox.bundles((OutboxState.READY,)):
            if bundle.exported is None:
                copy_bundle(vault, bundle, usb)
                outbox.mark_sent(bundle.seq, format_timestamp(datetime.now(UTC)),
                                 to_share=False)
        print("round", flush=True)


def _spawn(folder: Path, usb: Path) -> subprocess.Popen[bytes]:
    """Start a child; it imports everything, then waits for the word to unlock."""
    return subprocess.Popen(
        [sys.executable, __file__, str(folder), str(usb), str(MAX_SIZE)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=child_env(), cwd=Path(__file__).parent,
    )


def _kill_after(process: subprocess.Popen[bytes], delay: float) -> None:
    """Let the child unlock and work for `delay` seconds, then SIGKILL it."""
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"go\n")
    process.stdin.flush()
    line = process.stdout.readline()
    assert line == b"ready\n", process.stderr.read() if process.stderr else line
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, err.decode(errors="replace")


def _check_after_kill(folder: Path, usb: Path, seen: dict[int, str]) -> None:
    vault = Vault.unlock(folder, PASSPHRASE)
    try:
        assert vault.check().ok
        with vault.transaction() as conn:
            next_seq = conn.execute("SELECT next_seq FROM device_identity").fetchone()[0]
            rows = conn.execute(
                "SELECT seq, state, payload_sha256 FROM device_outbox ORDER BY seq").fetchall()
        # Every reserved seq has its row; none was handed out twice.
        assert [row[0] for row in rows] == list(range(1, next_seq))
        outbox = Outbox(vault)
        for seq, state, payload in rows:
            if state == OutboxState.READY:
                assert seen.setdefault(seq, payload) == payload  # a seq keeps its bundle
            else:
                assert seq not in seen, "a stored bundle was abandoned or reused"
        states = {row[0]: row[1] for row in rows}
        for path in usb.iterdir():
            if path.name.startswith("."):
                continue  # an interrupted copy: readers ignore dot names
            match = _NAME.fullmatch(path.name)
            assert match, path.name
            seq = int(match[1])
            assert states[seq] == OutboxState.READY
            assert path.read_bytes() == b"".join(outbox.chunks(outbox.get(seq)))  # type: ignore[arg-type]
    finally:
        vault.lock()


def test_sigkill_during_export_never_leaves_a_partial_bundle_or_reuses_a_seq(
    tmp_path: Path,
) -> None:
    vault, centre, _identity = enrolled(tmp_path)
    save_interview(vault)
    vault.lock()
    folder, usb = tmp_path / "vault", tmp_path / "usb"
    usb.mkdir()
    rng = random.Random(os.environ.get("INTAKE_KILL_SEED", "6"))
    seen: dict[int, str] = {}
    process = _spawn(folder, usb)
    for index in range(ROUNDS):
        _kill_after(process, rng.uniform(0.0, 1.2))
        if index + 1 < ROUNDS:
            process = _spawn(folder, usb)  # imports while the vault is checked
        _check_after_kill(folder, usb, seen)

    # A last, clean export reports every abandoned seq, so the centre can close every gap.
    vault = Vault.unlock(folder, PASSPHRASE)
    export_changes(vault, max_size=MAX_SIZE)
    outbox = Outbox(vault)
    final = tmp_path / "final"
    final.mkdir()
    reported: set[int] = set()
    for bundle in outbox.bundles():
        reported |= set(manifest_of(copy_bundle(vault, bundle, final), centre).abandoned_seqs)
    abandoned = {b.seq for b in outbox.bundles((OutboxState.ABANDONED,))}
    stored = {b.seq for b in outbox.bundles()}
    assert abandoned <= reported
    assert abandoned | stored == set(range(1, max(abandoned | stored) + 1))
    assert len(seen) >= 3, "the children should have finished some bundles"
    vault.lock()



if __name__ == "__main__":
    child(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))

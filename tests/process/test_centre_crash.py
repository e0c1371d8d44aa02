"""A killed import leaves the bundle fully imported or not at all; two processes importing one
bundle at once end with one import and one duplicate.

The children are real processes with their own SQLCipher connections to the same centre vault.
Some kill themselves at chosen points of the import (the real code runs; only the moment of
death is chosen), others are killed from outside at varying moments.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.records import history
from intake_app.sync.share import receipt_path
from tests.helpers.bundles import Laptop, attachment
from tests.helpers.centre import (
    PASSPHRASE,
    make_centre,
    open_centre,
    record_digest,
    register,
    table_count,
    write_forms_folder,
)
from tests.helpers.documents import make_document

REPO = Path(__file__).resolve().parents[2]

# The child: use the test form, optionally arrange its own death, then run the real command.
CHILD = """
import os, signal, sys
from pathlib import Path
from intake_app.domain import registry
forms = Path(sys.argv[1])
registry.forms_dir = lambda: forms
mode = sys.argv[2]

def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def after(original):
    def wrapped(*args, **kwargs):
        result = original(*args, **kwargs)
        die()
        return result
    return wrapped

from intake_app.sync.centre import apply as centre_apply

from intake_app.sync.centre import importer as centre_import
if mode == "during-attachment":
    centre_apply.link_written = die
elif mode == "while-storing":
    centre_apply.FileSink.store = after(centre_apply.FileSink.store)
elif mode == "before-commit":
    centre_import.record_bundle = after(centre_import.record_bundle)
elif mode == "after-commit":
    centre_import.receipts.write_receipt_files = die
elif mode == "announce":  # say when the import itself starts (the kills aim at it)
    checking = centre_import.check_bundle
    def announced(*args, **kwargs):
        os.write(2, b"importing\\n")
        return checking(*args, **kwargs)
    centre_import.check_bundle = announced
from intake_app.cli import main
sys.exit(main(sys.argv[3:]))
"""

RACER = """
import json, sys
from pathlib import Path
from intake_app.domain import registry
forms = Path(sys.argv[1])
registry.forms_dir = lambda: forms
from intake_app.sync.centre.vault import Centre
from intake_app.sync.centre.importer import import_bundle
passphrase = sys.stdin.readline().rstrip("\\n")
centre = Centre.open(Path(sys.argv[2]), passphrase)
print("ready", flush=True)
sys.stdin.readline()
result = import_bundle(centre, Path(sys.argv[3]))
print(json.dumps(result.to_json()), flush=True)
centre.close()
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return env


def _child(tmp_path: Path, mode: str, bundle: Path) -> subprocess.Popen[bytes]:
    forms = write_forms_folder(tmp_path / "forms")
    command = [sys.executable, "-c", CHILD, str(forms), mode, "--data-dir",
               str(tmp_path / "centre-data"), "centre", "import", str(bundle), "--json"]
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n")
    with open(passphrase, "rb") as stdin:
        return subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=_env())


@pytest.fixture
def prepared(tmp_path: Path) -> tuple[Path, Laptop, dict[str, object], Path]:
    """A centre (closed again), a registered laptop and its bundle with a 4 MB attachment."""
    centre = make_centre(tmp_path)
    laptop = Laptop()
    register(centre, laptop)
    doc = make_document()
    written = laptop.bundle(tmp_path / "out", centre, records=[doc],
                            attachments=[attachment(os.urandom(4_000_000), doc["id"])])
    centre.close()
    return tmp_path, laptop, doc, written.path


def _imported(tmp_path: Path, laptop: Laptop, doc: dict[str, object], *, baseline: str,
              files: int = 1) -> bool:
    """Whether the bundle is fully in the vault; fails if it is there only in part."""
    centre = open_centre(tmp_path)
    try:
        counts = {table: table_count(centre.vault, table)
                  for table in ("centre_bundle", "centre_revision", "centre_record",
                                "centre_receipt", "attachment", "attachment_file")}
        # Unlocking swept the files no row names: each file left has its row, and each row
        # its file.
        folder = centre.vault.folder / "attachments"
        on_disk = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
        with centre.vault.transaction() as conn:
            named = {row[0] for row in conn.execute("SELECT file FROM attachment_file")}
        assert on_disk == named
        if counts["centre_bundle"] == 0:
            assert set(counts.values()) == {0}, counts
            assert record_digest(centre.vault) == baseline
            return False
        attached = counts.pop("attachment"), counts.pop("attachment_file")
        assert set(counts.values()) == {1} and attached == (files, files), (counts, attached)
        assert [r.seq for r in history(centre.vault, str(doc["id"]))] == [1]
        return True
    finally:
        centre.close()


@pytest.mark.parametrize(("mode", "expected"), [
    ("while-storing", False), ("during-attachment", False), ("before-commit", False),
    ("after-commit", True),
])
def test_killed_import_is_all_or_nothing(prepared: tuple[Path, Laptop, dict[str, object], Path],
                                         mode: str, expected: bool) -> None:
    tmp_path, laptop, doc, bundle = prepared
    centre = open_centre(tmp_path)
    baseline = record_digest(centre.vault)
    centre.close()
    child = _child(tmp_path, mode, bundle)
    _out, err = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL, err
    assert _imported(tmp_path, laptop, doc, baseline=baseline) is expected
    centre = open_centre(tmp_path)
    try:
        again = import_bundle(centre, bundle)
        assert again.outcome.value == ("duplicate" if expected else "accepted")
        assert again.receipt == receipt_path(centre.share, laptop.device_id, 1)
        assert again.receipt.is_file()
    finally:
        centre.close()
    assert _imported(tmp_path, laptop, doc, baseline=baseline)


@pytest.mark.slow
def test_import_killed_at_random_moments(prepared: tuple[Path, Laptop, dict[str, object], Path]
                                         ) -> None:
    tmp_path, laptop, doc, bundle = prepared
    centre = open_centre(tmp_path)
    baseline = record_digest(centre.vault)
    centre.close()
    measure = tmp_path / "measure"
    shutil.copytree(tmp_path / "centre-data", measure / "centre-data")
    started = time.monotonic()
    measured = _child(measure, "none", bundle)
    measured.communicate(timeout=120)
    assert measured.returncode == 0
    whole = time.monotonic() - started
    outcomes: list[bool] = []
    for fraction in (0.4, 0.55, 0.7, 0.8, 0.9, 0.95):
        round_dir = tmp_path / f"round-{fraction}"
        shutil.copytree(tmp_path / "centre-data", round_dir / "centre-data")
        child = _child(round_dir, "none", bundle)
        time.sleep(whole * fraction)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        outcomes.append(_imported(round_dir, laptop, doc, baseline=baseline))
        centre = open_centre(round_dir)
        try:
            assert import_bundle(centre, bundle).delivered
        finally:
            centre.close()
        assert _imported(round_dir, laptop, doc, baseline=baseline)
    assert len(outcomes) == 6  # each round was whole or nothing; which, depends on timing


def _announced(child: subprocess.Popen[bytes]) -> float:
    """Wait for the child to start importing; the moment it did."""
    assert child.stderr is not None
    line = child.stderr.readline()
    assert line == b"importing\n", line + child.stderr.read()
    return time.monotonic()


@pytest.mark.slow
def test_import_killed_fifty_times_leaves_no_row_without_file(tmp_path: Path) -> None:
    """SIGKILL at random moments of importing a bundle with several attachments: after each,
    the vault opens, its check passes, no file without a row survives the unlock, no row
    lacks its file, and the bundle is there whole or not at all."""
    import random

    centre = make_centre(tmp_path)
    laptop = Laptop()
    register(centre, laptop)
    doc = make_document()
    carried = [attachment(os.urandom(6_000_000), doc["id"]) for _ in range(5)]
    bundle = laptop.bundle(tmp_path / "out", centre, records=[doc], attachments=carried).path
    baseline = record_digest(centre.vault)
    centre.close()
    calibrate = tmp_path / "calibrate"
    shutil.copytree(tmp_path / "centre-data", calibrate / "centre-data")
    child = _child(calibrate, "announce", bundle)
    started = _announced(child)
    child.communicate(timeout=120)
    assert child.returncode == 0
    whole = time.monotonic() - started
    chance = random.Random(15)
    outcomes = []
    for kill in range(50):
        round_dir = tmp_path / f"round-{kill}"
        shutil.copytree(tmp_path / "centre-data", round_dir / "centre-data")
        child = _child(round_dir, "announce", bundle)
        _announced(child)
        time.sleep(whole * chance.uniform(0.0, 1.0))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        outcomes.append(_imported(round_dir, laptop, doc, baseline=baseline, files=5))
        centre = open_centre(round_dir)
        try:
            assert centre.vault.check().ok
            if kill % 10 == 0:
                assert import_bundle(centre, bundle).delivered
        finally:
            centre.close()
        if kill % 10 == 0:
            assert _imported(round_dir, laptop, doc, baseline=baseline, files=5)
        shutil.rmtree(round_dir)
    assert len(outcomes) == 50


def test_two_processes_importing_one_bundle(prepared: tuple[Path, Laptop, dict[str, object],
                                                        Path]) -> None:
    tmp_path, _laptop, _doc, bundle = prepared
    forms = write_forms_folder(tmp_path / "forms")
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(forms),
                                str(tmp_path / "centre-data"), str(bundle)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=_env()) for _ in range(2)]
    for racer in racers:
        assert racer.stdin is not None and racer.stdout is not None
        racer.stdin.write(PASSPHRASE.encode() + b"\n")
        racer.stdin.flush()
    for racer in racers:
        assert racer.stdout is not None
        assert racer.stdout.readline().strip() == b"ready", racer.stderr.read()  # type: ignore[union-attr]
    for racer in racers:  # both go at once
        assert racer.stdin is not None
        racer.stdin.write(b"go\n")
        racer.stdin.flush()
    outcomes = []
    for racer in racers:
        out, err = racer.communicate(timeout=120)
        assert racer.returncode == 0, err
        outcomes.append(json.loads(out.splitlines()[-1])["outcome"])
    assert sorted(outcomes) == ["accepted", "duplicate"]
    centre = open_centre(tmp_path)
    try:
        assert table_count(centre.vault, "centre_bundle") == 1
        assert table_count(centre.vault, "centre_revision") == 1
        assert table_count(centre.vault, "centre_import") == 2
    finally:
        centre.close()

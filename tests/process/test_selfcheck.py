"""`intake-app --self-check`: passes on a working installation, names the failed step, never
prints the marker, finds interview text left in clear, and always removes its folder."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from intake_app import selfcheck
from intake_app.selfcheck import scan as selfcheck_scan
from intake_app.selfcheck import steps as selfcheck_steps
from intake_app.selfcheck.steps import Context

ROOT = Path(__file__).resolve().parents[2]


def _run() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = selfcheck.run(out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _leftovers() -> list[str]:
    return os.listdir(tempfile.gettempdir())


def test_the_command_line_self_check_passes_and_cleans_up(tmp_path: Path, data_dir: Path) -> None:
    temp = tmp_path / "child-tmp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "intake_app", "--self-check"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    steps = [line for line in lines if line.startswith("[")]
    assert len(steps) == len(selfcheck_steps.STEPS)
    assert all(": ok (" in line for line in steps)
    assert lines[-1].startswith("self-check passed in ")
    # Only Qt's offscreen note may appear on stderr (see scripts/build_frozen.sh).
    stray = [line for line in done.stderr.splitlines()
             if "propagateSizeHints" not in line]
    assert not stray
    assert not list(temp.iterdir())
    assert not list(data_dir.iterdir())  # INTAKE_DATA_DIR (set by conftest) is never used


def _steps_until_recorded() -> list[selfcheck_steps.Step]:
    return [
        ("start Qt", selfcheck_steps.start_qt),
        ("create a worker vault", selfcheck_steps.create_worker_vault),
        ("record interviews with photos", selfcheck_steps.record_interviews),
    ]


def test_interview_text_left_in_clear_fails_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    def leak(ctx: Context) -> str:
        # What a careless temp file would hold: the account text, as Windows tools write it.
        (ctx.root / "notes.txt").write_bytes(f"account {ctx.marker}".encode("utf-16-le"))
        return "leaked"

    steps = [*_steps_until_recorded(), ("leak", leak),
             ("look for interview text in clear on disk", selfcheck_steps.scan_for_marker)]
    monkeypatch.setattr(selfcheck_steps, "STEPS", steps)
    code, out, err = _run()
    assert code == selfcheck.EXIT_FAILED
    assert "step 5, look for interview text in clear on disk" in err
    assert "notes.txt" in err
    assert "Selfcheck" not in out + err  # the marker itself is never printed
    assert not _leftovers()


def test_the_scan_passes_when_nothing_leaked(monkeypatch: pytest.MonkeyPatch) -> None:
    steps = [*_steps_until_recorded(),
             ("look for interview text in clear on disk", selfcheck_steps.scan_for_marker)]
    monkeypatch.setattr(selfcheck_steps, "STEPS", steps)
    code, out, err = _run()
    assert code == selfcheck.EXIT_OK, err
    assert "none holds the marker in clear" in out


def test_a_bug_in_a_step_names_the_step_hides_the_marker_and_cleans_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(ctx: Context) -> str:
        raise RuntimeError(f"could not handle {ctx.marker}")

    monkeypatch.setattr(selfcheck_steps, "STEPS", [
        ("create a worker vault", selfcheck_steps.create_worker_vault),
        ("broken step", broken),
        ("never reached", broken),
    ])
    code, out, err = _run()
    assert code == selfcheck.EXIT_FAILED
    assert "[ 2/3] broken step: FAILED" in out
    assert "never reached" not in out
    failure = "self-check FAILED at step 2, broken step: RuntimeError: could not handle <marker>"
    assert failure in err
    assert "Selfcheck" not in out + err
    assert not _leftovers()


# -- the scan ---------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_the_scan_finds_the_marker_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "file.bin").write_bytes(b"\x00head" + "Mårker".encode(encoding))
    (tmp_path / "clean.bin").write_bytes(b"nothing here")
    found, scanned = selfcheck_scan.files_holding(tmp_path, "Mårker")
    assert found == [Path("deep/er/file.bin")]
    assert scanned == 2


def test_the_scan_finds_a_marker_across_a_chunk_border(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selfcheck_scan, "CHUNK", 8)
    (tmp_path / "big.bin").write_bytes(b"x" * 13 + b"Marker123" + b"y" * 20)
    assert selfcheck_scan.files_holding(tmp_path, "Marker123")[0] == [Path("big.bin")]
    (tmp_path / "big.bin").write_bytes(b"x" * 13 + b"Marker12" + b"y" * 20)
    assert selfcheck_scan.files_holding(tmp_path, "Marker123")[0] == []


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_the_scan_does_not_follow_links_out_of_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    inside = tmp_path / "inside"
    outside.mkdir()
    inside.mkdir()
    (outside / "data.txt").write_text("Marker123", encoding="utf-8")
    (inside / "link").symlink_to(outside, target_is_directory=True)
    (inside / "file-link.txt").symlink_to(outside / "data.txt")
    assert selfcheck_scan.files_holding(inside, "Marker123") == ([], 0)

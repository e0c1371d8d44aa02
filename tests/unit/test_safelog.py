"""Bugs are reported without their messages: no personal data in logs or crash output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from intake_app import safelog

MARKER = "Fictional-Marker-7f3a"
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.expects_bug
def test_logged_bug_names_the_place_not_the_message(tmp_path: Path) -> None:
    safelog.configure(tmp_path)
    try:
        raise ValueError(f"could not parse {MARKER}")
    except ValueError as bug:
        safelog.log_bug(bug, "test")
    safelog.configure(None)
    logged = (tmp_path / safelog.LOG_NAME).read_text(encoding="utf-8")
    assert "ValueError" in logged and "test_safelog.py" in logged
    assert MARKER not in logged


def test_unhandled_exception_in_a_qt_slot_prints_no_message(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from intake_app import safelog\n"
        "from intake_app.ui.application import make_application\n"
        "from PySide6.QtCore import QTimer\n"
        f"safelog.configure(Path({str(tmp_path)!r}))\n"
        "app = make_application()\n"
        "def slot():\n"
        f"    raise RuntimeError('alias is {MARKER}')\n"
        "QTimer.singleShot(0, slot)\n"
        "QTimer.singleShot(200, app.quit)\n"
        "app.exec()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
             "HOME": str(tmp_path)},
    )
    assert "RuntimeError" in done.stderr, done.stderr
    assert MARKER not in done.stdout + done.stderr
    assert MARKER not in (tmp_path / safelog.LOG_NAME).read_text(encoding="utf-8")


@pytest.mark.expects_bug
def test_a_test_marked_expects_bug_sees_the_bugs_it_provoked(logged_bugs: list[str]) -> None:
    try:
        raise KeyError(MARKER)
    except KeyError as bug:
        safelog.log_bug(bug, "on purpose")
    assert len(logged_bugs) == 1 and "on purpose" in logged_bugs[0]
    assert MARKER not in logged_bugs[0]


def test_a_bug_logged_in_an_unmarked_test_fails_it(tmp_path: Path) -> None:
    (tmp_path / "test_provoked.py").write_text(
        "from intake_app import safelog\n"
        "def test_slot_bug():\n"
        "    try:\n"
        "        raise ValueError('x')\n"
        "    except ValueError as bug:\n"
        "        safelog.log_bug(bug, 'a slot')\n",
        encoding="utf-8",
    )
    (tmp_path / "none.ini").write_text("[pytest]\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest", "-p", "no:cacheprovider",
         "-c", str(tmp_path / "none.ini"), "--rootdir", str(tmp_path),
         str(tmp_path / "test_provoked.py")],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "the application logged a bug: bug in a slot" in done.stdout

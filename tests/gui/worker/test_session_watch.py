"""On Linux the session's screen saver locking reaches the application over D-Bus (a private
session bus from dbus-run-session; skipped where the D-Bus tools are missing)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[2]  # tests/

CHECK = """
import os, subprocess, sys
sys.path.insert(0, {root!r})
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import intake_app.ui
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from intake_app.ui.session_watch import SessionWatch
watch = SessionWatch()
print("WATCHING", watch.watching, flush=True)
got = []
watch.session_locked.connect(lambda: (got.append(1), app.quit()))
child = []
QTimer.singleShot(100, lambda: child.append(subprocess.Popen([sys.executable, {emit!r}])))
QTimer.singleShot(15000, app.quit)
app.exec()
child[0].wait(timeout=30)
print("LOCKED", bool(got), flush=True)
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("dbus-run-session") is None,
    reason="needs dbus-run-session",
)
def test_screen_saver_activation_asks_for_a_lock() -> None:
    code = CHECK.format(root=str(HERE.parent), emit=str(HERE / "helpers" / "dbus_emit.py"))
    result = subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "org.freedesktop.ScreenSaver" in result.stdout, result.stdout + result.stderr[-1000:]
    assert "LOCKED True" in result.stdout, result.stdout + result.stderr[-1000:]

"""`run_worker()` end to end in a child process: the demo opens on a throwaway vault that is
gone after exit; a normal start on an empty data folder shows first start."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

CHILD = """
import os, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import intake_app.ui.worker.shell as shell_module
from intake_app.ui.application import make_application
from intake_app.app import run_worker

make_application()  # run_worker() uses this one; the timers below need it to exist

def watch():
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, shell_module.Shell) and widget.isVisible():
            page = widget.pages.currentWidget()
            ready = widget.workspace is not None or widget.first_start is not None
            if widget.workspace is not None and widget.workspace.list.is_reading():
                ready = False  # the list is read in the background
            if ready:
                print("PAGE", type(page).__name__, flush=True)
                if widget.workspace is not None:
                    print("ROWS", widget.workspace.list.model.rowCount(), flush=True)
                    print("BANNER", widget.workspace.demo_banner.isVisibleTo(widget), flush=True)
                temp = Path(os.environ["TMPDIR"])
                print("TEMP", sorted(p.name for p in temp.iterdir()), flush=True)
                print("TITLE", widget.windowTitle(), flush=True)
                widget.close()
                return
    QTimer.singleShot(50, watch)

QTimer.singleShot(50, watch)
sys.exit(run_worker(Path({data!r}), demo={demo}))
"""


def _run(tmp_path: Path, demo: bool) -> tuple[str, Path]:
    temp = tmp_path / "child-tmp"
    temp.mkdir()
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        TMPDIR=str(temp),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    code = CHILD.format(root=str(ROOT), data=str(tmp_path / "data"), demo=demo)
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, temp


def test_demo_runs_on_a_throwaway_vault_removed_at_exit(tmp_path: Path) -> None:
    out, temp = _run(tmp_path, demo=True)
    assert "PAGE Workspace" in out
    assert "ROWS 20" in out
    assert "BANNER True" in out
    assert "intake-demo-" in out  # the throwaway vault existed while running
    assert "TITLE Intake" in out
    assert [p.name for p in temp.iterdir()] == []  # and is gone
    assert not (tmp_path / "data" / "vault").exists()


def test_first_run_shows_first_start(tmp_path: Path) -> None:
    out, _temp = _run(tmp_path, demo=False)
    assert "PAGE FirstStart" in out

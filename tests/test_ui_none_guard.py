"""The None guard keeps PySide6 6.12.0's None leak on Python 3.11 from aborting the app."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from intake_app.ui.pyside_none_guard import needed


def _run(guard: bool) -> subprocess.CompletedProcess[str]:
    code = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication, QLineEdit
        app = QApplication([])
        edit = QLineEdit()
        calls = sys.getrefcount(None) + 1000  # more than None's references now
        if {guard}:
            import intake_app.ui
        for _ in range(calls):
            edit.setText("x")
        print("survived")
        """
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not needed(), reason="None is immortal on this Python")
def test_guard_keeps_the_application_alive() -> None:
    result = _run(guard=True)
    assert result.returncode == 0, result.stderr[-500:]
    assert "survived" in result.stdout


@pytest.mark.skipif(not needed(), reason="None is immortal on this Python")
def test_without_the_guard_the_leak_is_still_there() -> None:
    # When this starts failing, PySide6 was fixed: the guard (and this test) can go.
    assert _run(guard=False).returncode != 0

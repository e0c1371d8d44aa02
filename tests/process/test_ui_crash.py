"""A process killed after an autosave loses nothing: the draft is offered on the next unlock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import (
    OFFSCREEN_NOISE,
    PASSPHRASE,
    editor_opened,
    make_preferences,
    make_service,
)

pytestmark = OFFSCREEN_NOISE
CHILD = Path(__file__).resolve().parents[1] / "helpers" / "ui_kill_child.py"


def test_killed_after_autosave_gets_the_draft_back(qtbot, tmp_path: Path) -> None:
    service = make_service(tmp_path)
    service.create_vault(PASSPHRASE).result()
    service.lock()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("SAVED"), child.stderr.read() if child.poll() is not None else line
        record_id = line.split()[1]
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL

    shell = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(shell)
    shell.start()
    shell.show()
    unlock = shell.unlock_screen
    qtbot.keyClicks(unlock.passphrase, PASSPHRASE)
    unlock.unlock_button.click()
    qtbot.waitUntil(lambda: shell.workspace is not None, timeout=20000)
    # The drafts are read in the background; the offer follows.
    qtbot.waitUntil(lambda: shell.workspace.findChild(QMessageBox, "offer_draft") is not None,
                    timeout=5000)
    offer = shell.workspace.findChild(QMessageBox, "offer_draft")
    assert offer is not None and offer.isVisible()
    assert "Continue the interview" in offer.text()
    offer.button(QMessageBox.StandardButton.Yes).click()
    editor = editor_opened(qtbot, shell.workspace)
    assert editor is not None and editor.interview.id == record_id
    assert editor.block("alias", None).input.value() == "Fictional Survivor of a Kill"
    shell.lock()
    service.shutdown()

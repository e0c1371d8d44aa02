"""Issue 16, defect 16: Ctrl+Q and a Quit action lock the vault (saving the draft) and close."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton

from tests.helpers.ui import OFFSCREEN_NOISE, editor_opened, workspace_shell

pytestmark = OFFSCREEN_NOISE


def test_ctrl_q_saves_the_draft_locks_and_closes(qtbot, tmp_path: Path) -> None:
    with workspace_shell(qtbot, tmp_path) as window:
        window.workspace.new_action.trigger()
        editor_opened(qtbot, window.workspace)
        editor = window.workspace.editor
        editor.block("consent_interview").input.buttons["yes"].click()
        service = window.service
        locks: list[str] = []
        window.locked.connect(locks.append)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        qtbot.keyClick(
            editor.block("consent_interview").input.buttons["yes"],
            Qt.Key.Key_Q,
            Qt.KeyboardModifier.ControlModifier,
        )
        assert locks == ["quit"]
        assert not window.isVisible()
        assert not service.unlocked
        service.unlock("correct horse battery staple").result()
        assert service.read_drafts().result(timeout=30)  # the answer given was kept as a draft


def test_the_quit_action_is_on_the_toolbar_and_named(qtbot, tmp_path: Path) -> None:
    with workspace_shell(qtbot, tmp_path) as window:
        button = window.workspace.toolbar.widgetForAction(window.quit_action)
        assert isinstance(button, QToolButton) and button.isVisible()
        assert window.quit_action.text() == "&Quit"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert not window.isVisible() and not window.service.unlocked


def test_ctrl_q_on_the_unlock_screen_closes(qtbot, tmp_path: Path) -> None:
    with workspace_shell(qtbot, tmp_path) as window:
        window.lock("button")
        assert window.isVisible()
        qtbot.keyClick(
            window.unlock_screen.passphrase, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier
        )
        assert not window.isVisible()

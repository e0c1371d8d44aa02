"""Issue 16, friction: a quick exit (F12, a toolbar button) hides every window at once, locks
the vault with the draft saved and clears the text Intake put on the clipboard; no question."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QToolButton

from intake_app.ui.editor.question_row import QuestionRow
from intake_app.ui.worker.settings_dialog import SettingsDialog
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, editor_opened, workspace_shell

pytestmark = OFFSCREEN_NOISE
MARKER = "Quentin-Fictional-4410"


def visible_windows() -> list[str]:
    return [w.objectName() or type(w).__name__ for w in QApplication.topLevelWidgets()
            if w.isVisible()]


def test_f12_over_a_dialog_hides_everything_locks_and_clears_the_clipboard(
    qtbot, tmp_path: Path
) -> None:
    with workspace_shell(qtbot, tmp_path) as window:
        window.workspace.new_action.trigger()
        editor_opened(qtbot, window.workspace)
        editor = window.workspace.editor
        for name in ("consent_interview", "consent_data"):
            editor.block(name).input.buttons["yes"].click()
        editor.show_section("person")
        alias = editor.block("alias")
        assert isinstance(alias, QuestionRow)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        alias.input.edit.setFocus()
        qtbot.keyClicks(alias.input.edit, MARKER)
        alias.input.edit.selectAll()
        alias.input.edit.copy()
        clipboard = QGuiApplication.clipboard()
        assert clipboard.text() == MARKER
        assert window.clipboard.holds_our_text()
        window.open_settings()  # window-modal: it blocks the main window's shortcuts
        dialog = window.findChild(SettingsDialog)
        assert dialog is not None and dialog.isVisible()
        qtbot.waitExposed(dialog)
        qtbot.keyClick(dialog.findChildren(QComboBox)[0], Qt.Key.Key_F12)
        assert visible_windows() == []
        assert not window.service.unlocked
        assert window.workspace is None
        assert clipboard.text() == ""
        # The draft was saved before the vault closed.
        window.service.unlock(PASSPHRASE).result()
        assert window.service.open_interview(editor.interview.id)["answers"]["alias"] == MARKER


def test_the_quick_exit_button_is_on_the_toolbar(qtbot, tmp_path: Path) -> None:
    with workspace_shell(qtbot, tmp_path) as window:
        button = window.workspace.toolbar.widgetForAction(window.quick_exit_action)
        assert isinstance(button, QToolButton) and button.isVisible()
        assert button.accessibleName() == "Quick exit"
        assert "F12" in window.quick_exit_action.toolTip()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert visible_windows() == []
        assert not window.service.unlocked


def test_f12_on_the_unlock_screen_hides_it(qtbot, tmp_path: Path) -> None:
    with workspace_shell(qtbot, tmp_path) as window:
        window.lock("button")
        assert window.isVisible()
        qtbot.keyClick(window.unlock_screen.passphrase, Qt.Key.Key_F12)
        assert visible_windows() == []

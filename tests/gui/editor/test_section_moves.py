"""Issue 16, friction: Next section / Previous section buttons and Ctrl+PgDn / Ctrl+PgUp move
through the form in order and stop at the ends; F6 goes to the list of sections."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from intake_app.ui.editor.section_nav import SECTION_ROLE
from tests.helpers.ui import OFFSCREEN_NOISE, editor_opened, workspace_shell

pytestmark = OFFSCREEN_NOISE
CTRL = Qt.KeyboardModifier.ControlModifier


def _current(editor) -> str:
    return str(editor.nav.currentIndex().data(SECTION_ROLE))


def test_ctrl_page_keys_move_through_the_sections_and_stop_at_the_ends(
    qtbot, tmp_path: Path
) -> None:
    with workspace_shell(qtbot, tmp_path) as window:
        window.workspace.new_action.trigger()
        editor_opened(qtbot, window.workspace)
        editor = window.workspace.editor
        for name in ("consent_interview", "consent_data"):
            editor.block(name).input.buttons["yes"].click()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        model = editor.nav_model
        rows = [model.section_at(row) for row in range(model.rowCount())]
        assert all(model.is_open(name) for name in rows)  # consent given: every one is open
        assert _current(editor) == rows[0]
        assert not editor.moves.previous_button.isEnabled()
        seen = [_current(editor)]
        for _ in range(len(rows) + 1):  # two presses more than it takes to reach the end
            qtbot.keyClick(QApplication.focusWidget() or editor, Qt.Key.Key_PageDown, CTRL)
            seen.append(_current(editor))
        assert seen == rows + [rows[-1]] * 2  # in order, then stays on the last
        assert editor.pages.currentWidget() is editor.attachments
        assert not editor.moves.next_button.isEnabled()
        back = []
        for _ in range(len(rows) + 1):
            qtbot.keyClick(QApplication.focusWidget() or editor, Qt.Key.Key_PageUp, CTRL)
            back.append(_current(editor))
        assert back == rows[-2::-1] + [rows[0]] * 2
        # After a move with the keys the cursor is in the section shown.
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, CTRL)
        assert editor.pages.currentWidget().isAncestorOf(QApplication.focusWidget())
        # F6: the list of sections, from anywhere in the editor.
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
        assert QApplication.focusWidget() is editor.nav


def test_the_buttons_move_and_skip_closed_sections(qtbot, tmp_path: Path) -> None:
    with workspace_shell(qtbot, tmp_path) as window:
        window.workspace.new_action.trigger()
        editor_opened(qtbot, window.workspace)
        editor = window.workspace.editor
        model = editor.nav_model
        rows = [model.section_at(row) for row in range(model.rowCount())]
        open_rows = [name for name in rows if model.is_open(name)]
        assert open_rows != rows  # without consent some sections are closed
        seen = [_current(editor)]
        while editor.moves.next_button.isEnabled():
            editor.moves.next_button.click()
            seen.append(_current(editor))
        assert seen == open_rows
        while editor.moves.previous_button.isEnabled():
            editor.moves.previous_button.click()
            seen.append(_current(editor))
        assert seen == open_rows + open_rows[-2::-1]
        assert editor.moves.previous_button.text() == "← Pre&vious section"
        assert editor.moves.next_button.toolTip().endswith("(Ctrl+Page Down)")


def test_tab_reaches_the_buttons_after_the_last_question(qtbot, tmp_path: Path) -> None:
    with workspace_shell(qtbot, tmp_path) as window:
        window.workspace.new_action.trigger()
        editor_opened(qtbot, window.workspace)
        editor = window.workspace.editor
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        page = editor.pages.currentWidget()
        editor.nav.setFocus(Qt.FocusReason.TabFocusReason)
        seen = []
        for _ in range(60):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            seen.append(QApplication.focusWidget())
            if seen[-1] is editor.moves.next_button:
                break
        assert seen[-1] is editor.moves.next_button
        assert page.isAncestorOf(seen[-2])  # right after the page's last control

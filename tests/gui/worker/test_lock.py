"""Locking: idle time, Ctrl+L; the draft is saved, the vault closed, personal widgets destroyed,
our clipboard text cleared; the interview is offered back after unlocking."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from intake_app.ui.editor.question_row import QuestionRow
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import (
    OFFSCREEN_NOISE,
    PASSPHRASE,
    editor_opened,
    make_preferences,
    make_service,
    visible_texts,
)

pytestmark = OFFSCREEN_NOISE
MARKER = "Zebulon-Fictional-7731"


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    service = make_service(tmp_path)
    service.create_vault(PASSPHRASE).result()
    window = Shell(service, make_preferences(tmp_path), idle_seconds=0.6)
    qtbot.addWidget(window)
    window.show_workspace()
    window.show()
    yield window
    service.shutdown()


def open_editor_with_marker(qtbot, shell: Shell) -> str:
    assert shell.workspace is not None
    shell.workspace.new_action.trigger()
    editor_opened(qtbot, shell.workspace)
    editor = shell.workspace.editor
    assert editor is not None
    for name in ("consent_interview", "consent_data"):
        block = editor.block(name)
        assert isinstance(block, QuestionRow)
        block.input.buttons["yes"].click()
    alias = editor.block("alias", None)
    assert isinstance(alias, QuestionRow)
    editor.show_section("person")
    qtbot.keyClicks(alias.input.edit, MARKER)
    return editor.interview.id


def texts_of_all_widgets() -> list[str]:
    return [text for widget in QApplication.topLevelWidgets() for text in visible_texts(widget)]


def test_idle_lock_saves_closes_and_clears_every_widget(qtbot, shell) -> None:
    record_id = open_editor_with_marker(qtbot, shell)
    assert any(MARKER in text for text in texts_of_all_widgets())
    # No input for the idle time: the vault locks by itself.
    with qtbot.waitSignal(shell.locked, timeout=5000) as blocker:
        pass
    assert blocker.args == ["idle"]
    assert not shell.service.unlocked
    assert shell.workspace is None
    assert shell.pages.currentWidget() is shell.unlock_screen
    qtbot.waitUntil(lambda: not any(MARKER in t for t in texts_of_all_widgets()), timeout=2000)
    assert shell.windowTitle() == "Intake"
    # The pending change was saved before the vault closed, and is offered back after unlock.
    shell.service.unlock(PASSPHRASE).result()
    assert shell.service.open_interview(record_id)["answers"]["alias"] == MARKER
    shell.service.lock()
    unlock = shell.unlock_screen
    assert unlock is not None
    qtbot.keyClicks(unlock.passphrase, PASSPHRASE)
    unlock.unlock_button.click()
    qtbot.waitUntil(lambda: shell.workspace is not None, timeout=20000)
    # The drafts are read in the background; the offer follows.
    qtbot.waitUntil(lambda: shell.workspace.findChild(QMessageBox, "offer_draft") is not None,
                    timeout=5000)
    offer = shell.workspace.findChild(QMessageBox, "offer_draft")
    assert offer is not None and offer.isVisible()
    offer.button(QMessageBox.StandardButton.Yes).click()
    assert editor_opened(qtbot, shell.workspace) is not None
    assert shell.workspace.editor.interview.id == record_id


def test_ctrl_l_locks_and_clears_our_clipboard_text(qtbot, shell) -> None:
    open_editor_with_marker(qtbot, shell)
    shell.idle.set_timeout(600)
    editor = shell.workspace.editor
    alias = editor.block("alias", None).input.edit
    alias.selectAll()
    alias.copy()
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == MARKER
    qtbot.keyClick(alias, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not shell.service.unlocked
    assert clipboard.text() == ""


def test_other_clipboard_text_is_left_alone(qtbot, shell) -> None:
    # Text that arrives while none of our widgets has the focus came from another program.
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()
    assert QApplication.focusWidget() is None
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("copied in another program")
    shell.lock("button")
    assert clipboard.text() == "copied in another program"
    clipboard.clear()


def test_session_lock_and_suspend_lock_the_vault(qtbot, shell) -> None:
    open_editor_with_marker(qtbot, shell)
    shell.idle.set_timeout(600)
    with qtbot.waitSignal(shell.locked, timeout=2000) as blocker:
        shell.session_watch._locked()  # what logind's Session.Lock delivers
    assert blocker.args == ["session"]
    assert not shell.service.unlocked
    shell.service.unlock(PASSPHRASE).result()
    shell.show_workspace()
    with qtbot.waitSignal(shell.locked, timeout=2000) as blocker:
        shell.idle._state_changed(Qt.ApplicationState.ApplicationSuspended)
    assert blocker.args == ["suspended"]
    assert shell.workspace is None

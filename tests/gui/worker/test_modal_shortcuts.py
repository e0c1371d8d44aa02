"""Issue 20, item 4: while a modal dialog is open, nothing behind it acts on a shortcut (Ctrl+N
must not start an interview behind the Settings, Ctrl+Q must not quit behind a question); the
dialog's own keys work (Escape, Enter). The one exception, on purpose: F12 quick exit acts over
any dialog, since it is pressed when someone comes in (ui/worker/quick_exit.py).

Qt keeps this rule itself (a modal dialog blocks its window's shortcuts, application-wide ones
included); these tests hold it there, with the real key presses, for every shortcut the
windows have."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from intake_app.ui.worker.settings_dialog import SettingsDialog
from intake_app.ui.worker.shell import Shell
from tests.gui.editor.test_editor import give_consent, new_editor
from tests.gui.worker.test_keyboard_paths import shell
from tests.helpers.ui import OFFSCREEN_NOISE, editor_opened

pytestmark = OFFSCREEN_NOISE
__all__ = ["shell"]  # the fixture

KEYS = (
    "Ctrl+N",
    "Ctrl+W",
    "Ctrl+R",
    "Ctrl+E",
    "Ctrl+,",
    "Ctrl+L",
    "Ctrl+Q",
    "Alt+Home",
    "Ctrl+PgDown",
    "Ctrl+PgUp",
    "F6",
)


@pytest.fixture
def fired(shell: Shell) -> Iterator[list[str]]:
    """What every action and shortcut of the window did (their `triggered`/`activated`)."""
    seen: list[str] = []
    for action in shell.findChildren(QAction):
        action.triggered.connect(lambda *_a, a=action: seen.append(a.text() or a.objectName()))
    yield seen


def watch_shortcuts(window: QWidget, seen: list[str]) -> None:
    for shortcut in window.findChildren(QShortcut):
        shortcut.activated.connect(lambda s=shortcut: seen.append(s.key().toString()))


def press_all(qtbot, target: QWidget) -> None:
    for keys in KEYS:
        sequence = QKeySequence(keys)
        combination = sequence[0]
        qtbot.keyClick(target, combination.key(), combination.keyboardModifiers())


def open_settings(qtbot, shell: Shell) -> SettingsDialog:
    shell.open_settings()
    dialog = shell.findChild(SettingsDialog)
    assert dialog is not None and dialog.isModal()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_nothing_behind_the_settings_acts_on_a_shortcut(qtbot, shell, fired) -> None:
    watch_shortcuts(shell, fired)
    dialog = open_settings(qtbot, shell)
    press_all(qtbot, QApplication.focusWidget() or dialog)
    assert fired == []
    assert shell.workspace is not None and shell.workspace.editor is None  # no Ctrl+N, no lock
    assert not shell.workspace.is_opening()
    assert shell.isVisible() and shell.service.unlocked  # no Ctrl+Q, no Ctrl+L
    assert dialog.isVisible()
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)  # its own key
    qtbot.waitUntil(lambda: not dialog.isVisible())
    # Behind no dialog the same keys act again.
    shell.activateWindow()  # offscreen, no window manager gives it back its activation
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shell)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert editor_opened(qtbot, shell.workspace) is not None
    assert fired == [shell.workspace.new_action.text()]  # and the watch does see them


def test_nothing_behind_a_question_in_the_editor_acts_and_its_keys_answer_it(
    qtbot, shell, fired
) -> None:
    editor = new_editor(qtbot, shell)
    give_consent(editor)
    fired.clear()  # Ctrl+N's own
    watch_shortcuts(shell, fired)
    section = editor.pages.currentWidget()
    box = editor.actions_bar.ask_withdraw()
    qtbot.waitExposed(box)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    press_all(qtbot, QApplication.focusWidget() or box)
    assert fired == []
    assert editor.pages.currentWidget() is section  # Ctrl+PgDown did not move behind it
    assert shell.workspace.editor is editor and box.isVisible()
    qtbot.keyClick(QApplication.focusWidget() or box, Qt.Key.Key_Return)  # the default: keep
    qtbot.waitUntil(lambda: not box.isVisible())
    assert box.clickedButton() is None or box.clickedButton().objectName() == "keep"
    assert editor.interview.status != "withdrawn"


def test_f12_still_acts_over_a_modal_dialog(qtbot, shell, fired) -> None:
    exits: list[bool] = []
    shell._quick_exit_key._exit_now = lambda: exits.append(True)  # the real one ends the app
    dialog = open_settings(qtbot, shell)
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_F12)
    assert exits == [True]
    assert fired == []
    dialog.reject()


def test_nothing_behind_a_question_in_the_centres_window_acts(qtbot, tmp_path: Path) -> None:
    from intake_app.services.centre import CentreService
    from tests.gui.admin.test_window import shown_window, unlock
    from tests.helpers.centre import REGISTRY, make_centre

    make_centre(tmp_path).close()
    service = CentreService(tmp_path / "centre-data", registry=REGISTRY)
    with shown_window(service, qtbot, QApplication.instance()) as window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        unlock(window, qtbot)
        seen: list[str] = []
        watch_shortcuts(window, seen)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Intake",
            "?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            window,
        )
        box.open()
        qtbot.waitExposed(box)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
        press_all(qtbot, QApplication.focusWidget() or box)
        qtbot.keyClick(
            QApplication.focusWidget() or box, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
        )
        assert seen == []
        assert window.pages.currentWidget() is window.workspace  # Ctrl+L did not lock
        qtbot.keyClick(QApplication.focusWidget() or box, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not box.isVisible())
        assert box.result() == QMessageBox.StandardButton.No or box.result() == QDialog.Rejected

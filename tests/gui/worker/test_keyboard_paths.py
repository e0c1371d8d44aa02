"""Issue 20, defect 1: the keyboard leaves the interview list's table, reaches every toolbar
button by Tab, and every toolbar action has a Ctrl shortcut that works in every UI language
(Alt+letter mnemonics follow the translation: Arabic letters in Arabic)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.ui.worker.shell import Shell
from tests.gui.worker.test_list import saved
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, make_preferences, make_service, speaking

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    service = make_service(tmp_path)
    service.create_vault(PASSPHRASE).result()
    for alias in ("Fictional Lily", "Fictional Omar", "Fictional Mai"):
        saved(service, alias, "Fictional account.")
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.show_workspace()
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    yield window
    service.shutdown()


def _press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> QWidget:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def tab_ring(qtbot, start: QWidget, limit: int = 40) -> list[QWidget]:
    """The widgets Tab visits from `start` until it comes back (at most `limit`)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    ring = [start]
    for _ in range(limit):
        focus = _press(qtbot, Qt.Key.Key_Tab)
        if focus is start:
            break
        ring.append(focus)
    return ring


def test_tab_and_shift_tab_leave_the_table_arrows_move_in_it(qtbot, shell) -> None:
    table = shell.workspace.list.table
    table.setFocus(Qt.FocusReason.TabFocusReason)
    table.setCurrentIndex(table.model().index(0, 0))
    assert _press(qtbot, Qt.Key.Key_Tab) is not table
    table.setFocus(Qt.FocusReason.TabFocusReason)
    assert _press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier) is not table
    table.setFocus(Qt.FocusReason.TabFocusReason)
    table.setCurrentIndex(table.model().index(0, 0))
    _press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert table.currentIndex().column() == 0  # Ctrl+Tab no longer walks the cells
    table.setFocus(Qt.FocusReason.TabFocusReason)
    _press(qtbot, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1


def test_tab_reaches_every_toolbar_button(qtbot, shell) -> None:
    workspace = shell.workspace
    ring = tab_ring(qtbot, workspace.list.table)
    for action in _toolbar_actions(workspace):
        if action.isVisible():
            assert workspace.toolbar.widgetForAction(action) in ring, action.objectName()
    assert workspace.language in ring
    assert workspace.list.search in ring


def _toolbar_actions(workspace) -> list:
    return [a for a in workspace.toolbar.actions() if a.text()]


def _language_free(key: QKeySequence) -> bool:
    """Ctrl with a key, or a function key: the same in every UI language."""
    first = key[0]
    return bool(first.keyboardModifiers() & Qt.KeyboardModifier.ControlModifier) or (
        Qt.Key.Key_F1.value <= first.key().value <= Qt.Key.Key_F35.value
    )


def test_every_toolbar_action_has_a_ctrl_shortcut_named_in_its_tooltip(shell) -> None:
    workspace = shell.workspace
    for lang in ("fi", "ar"):
        with speaking(lang):
            for action in _toolbar_actions(workspace):
                ctrl = [k for k in action.shortcuts() if _language_free(k)]
                assert ctrl, action.text()
                native = ctrl[0].toString(QKeySequence.SequenceFormat.NativeText)
                assert native in action.toolTip(), (lang, action.toolTip())


@pytest.mark.parametrize("lang", ["ar", "fi"])
def test_sync_and_copy_shortcuts_work_from_the_search_field_in_any_language(
    qtbot, shell, lang: str
) -> None:
    workspace = shell.workspace
    with speaking(lang):
        for action, key in ((workspace.sync_action, Qt.Key.Key_R),
                            (workspace.usb_action, Qt.Key.Key_E)):
            fired: list[bool] = []
            action.triggered.disconnect()
            action.triggered.connect(lambda _checked=False, f=fired: f.append(True))
            workspace.list.search.setFocus()
            qtbot.keyClick(workspace.list.search, key, Qt.KeyboardModifier.ControlModifier)
            assert fired, action.objectName()

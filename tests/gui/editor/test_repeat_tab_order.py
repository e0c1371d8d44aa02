"""Issue 16, defect 3: Tab goes through an added entry's fields where the entry is on
screen ("Other languages"), not after the page's last question."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.services.interviews import FormCatalogue
from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, editor_opened, make_preferences

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def editor(qtbot, tmp_path: Path):
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM, forms=FormCatalogue())
    service.create_vault(PASSPHRASE).result()
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.show_workspace()
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.workspace.new_action.trigger()
    editor_opened(qtbot, window.workspace)
    editor = window.workspace.editor
    editor.block("consent_interview").input.buttons["yes"].click()
    editor.block("consent_data").input.buttons["yes"].click()
    editor.show_section("languages")
    yield editor
    service.shutdown()


def _focus_after(qtbot, start: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier):
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def _first_outside(qtbot, entry: QWidget) -> QWidget:
    """Where Tab goes when it leaves `entry`, starting at its first field."""
    focus = _focus_after(qtbot, _picker(entry), Qt.Key.Key_Tab)
    for _ in range(10):
        if not entry.isAncestorOf(focus):
            return focus
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
    return focus


def _picker(entry) -> QWidget:
    row = next(entry.rows())
    return row.input.focusProxy() or row.input


def test_tab_goes_from_an_added_entry_to_add_and_back(qtbot, editor) -> None:
    repeat = editor.block("other_languages").input
    repeat.add_button.click()
    entry = repeat.entries[0]
    qtbot.waitUntil(entry.isVisible)
    assert QApplication.focusWidget() is _picker(entry)
    assert _first_outside(qtbot, entry) is repeat.add_button
    back = _focus_after(
        qtbot, repeat.add_button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier
    )
    assert entry.isAncestorOf(back)


def test_tab_goes_from_one_entry_to_the_next(qtbot, editor) -> None:
    repeat = editor.block("other_languages").input
    repeat.add_button.click()
    repeat.add_button.click()
    first, second = repeat.entries
    qtbot.waitUntil(second.isVisible)
    assert _first_outside(qtbot, first) is second.remove_button
    assert _first_outside(qtbot, second) is repeat.add_button

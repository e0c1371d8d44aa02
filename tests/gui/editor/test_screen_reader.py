"""Issue 20, defects 2, 3, 4 and 6: what a screen reader is told in the editor (names, hints,
required questions, problems) and where Tab goes, checked through Qt's accessibility
interfaces and real key presses."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.services.interviews import FormCatalogue
from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, make_preferences

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM, forms=FormCatalogue())
    service.create_vault(PASSPHRASE).result()
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show_workspace()
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.workspace.new_action.trigger()
    yield window
    service.shutdown()


@pytest.fixture
def editor(shell):
    return shell.workspace.editor


def _press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> QWidget:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def accessible(widget: QWidget) -> QAccessible:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface


def labels_of(widget: QWidget) -> list[str]:
    return [
        other.text(QAccessible.Text.Name)
        for other, _r in accessible(widget).relations(QAccessible.RelationFlag.Label)
    ]


# -- defect 3: a radio group is entered on its checked button ---------------------------------


def test_tab_and_shift_tab_enter_a_radio_group_on_its_checked_button(qtbot, editor) -> None:
    group = editor.block("consent_interview").input
    group.buttons["no"].click()
    page = editor.pages.currentWidget()
    page.consent_button.setFocus(Qt.FocusReason.TabFocusReason)
    assert _press(qtbot, Qt.Key.Key_Tab) is group.buttons["no"]
    after = _press(qtbot, Qt.Key.Key_Tab)
    assert after is group.clear_button
    assert _press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier) is (
        group.buttons["no"]
    )
    group.buttons["yes"].setFocus()  # focused but not chosen (a program, not the person)
    group.clear_button.setFocus(Qt.FocusReason.TabFocusReason)
    assert _press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier) is (
        group.buttons["no"]
    )


def test_going_to_a_question_lands_on_its_chosen_answer(qtbot, editor) -> None:
    group = editor.block("consent_data").input
    group.buttons["no"].click()
    editor.nav.setFocus()
    editor.reveal(("consent_data", None))
    assert QApplication.focusWidget() is group.buttons["no"]

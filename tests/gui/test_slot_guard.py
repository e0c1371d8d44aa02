"""Issue 16, defect 1: Print… on the recovery-code page works, and a bug inside any slot is
logged and shown ("Something went wrong. Nothing was lost."), never silent."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from intake_app.ui import tasks
from intake_app.ui.recovery_view import RecoveryCodeView
from tests.helpers.ui import OFFSCREEN_NOISE, speaking

pytestmark = OFFSCREEN_NOISE


def _bug_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "bug_message" and w.isVisible()
    ]


@pytest.mark.parametrize("lang", ["en", "fi", "ar"])
def test_print_opens_the_print_dialog_in_every_language(qtbot, lang: str) -> None:
    with speaking(lang):
        view = RecoveryCodeView()
        qtbot.addWidget(view)
        view.show_code("ABCD-EFGH")
        view.show()
        qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
        dialog = view.print_dialog
        assert isinstance(dialog, QPrintDialog)
        assert dialog.isVisible()
        assert not _bug_boxes()
        dialog.reject()


@pytest.mark.expects_bug
def test_a_bug_in_a_guarded_slot_is_logged_and_shown(qtbot, logged_bugs) -> None:
    class Broken(QWidget):
        @tasks.guarded("a test slot")
        def press(self) -> None:
            raise TypeError("personal words that must not be logged")

    widget = Broken()
    qtbot.addWidget(widget)
    button = QPushButton("x", widget)
    button.clicked.connect(widget.press)
    widget.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    boxes = _bug_boxes()
    assert len(boxes) == 1
    assert boxes[0].text() == "Something went wrong. Nothing was lost."
    assert len(logged_bugs) == 1 and "personal" not in logged_bugs[0]
    boxes[0].close()


@pytest.mark.expects_bug
def test_the_application_wide_guard_shows_an_unhandled_slot_bug(qtbot, logged_bugs,
                                                                 capsys) -> None:
    try:
        raise ValueError("secret alias")
    except ValueError as error:
        tasks._report_unhandled(ValueError, error, error.__traceback__)
    boxes = _bug_boxes()
    assert len(boxes) == 1 and "Nothing was lost" in boxes[0].text()
    assert logged_bugs and "secret" not in logged_bugs[0]
    assert "secret" not in capsys.readouterr().err
    boxes[0].close()


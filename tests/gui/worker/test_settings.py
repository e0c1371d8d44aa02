"""Settings apply at once; a language switch re-translates in place, keeps what was typed,
and turns the layout right to left for Arabic and Dari."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from intake_app.i18n import set_language
from intake_app.i18n.qt import bind_application
from intake_app.ui.worker.settings_dialog import SettingsDialog
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, make_preferences, make_service

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    app = QApplication.instance()
    stop = bind_application(app)
    font = app.font()
    service = make_service(tmp_path)
    service.create_vault(PASSPHRASE).result()
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.show_workspace()
    window.show()
    yield window
    set_language("en")
    stop()
    app.setFont(font)
    app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    service.shutdown()


def test_settings_change_idle_time_text_size_and_language(qtbot, shell) -> None:
    shell.open_settings()
    dialog = shell.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Settings"
    dialog.idle.setValue(9)
    assert shell.prefs.idle_minutes == 9
    assert shell.idle._timeout == 9 * 60
    dialog.text_size.setCurrentIndex(dialog.text_size.findData("larger"))
    assert QApplication.font().pointSize() == 17
    dialog.language.chosen.emit("fi")
    assert shell.prefs.language == "fi"
    dialog.reject()


def test_language_switch_keeps_typed_text_and_flips_direction(qtbot, shell) -> None:
    shell.workspace.new_action.trigger()
    editor = shell.workspace.editor
    for name in ("consent_interview", "consent_data"):
        editor.block(name).input.buttons["yes"].click()
    editor.show_section("person")
    alias = editor.block("alias", None).input.edit
    qtbot.keyClicks(alias, "Fictional Amal")
    consent = editor.block("consent_interview", None)
    assert consent.label.text().startswith("Consent to the interview")
    set_language("fi")
    # The form's own Finnish label is used where the form has one.
    assert consent.label.text().startswith("Suostumus haastatteluun")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    set_language("ar")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert editor.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert alias.text() == "Fictional Amal"
    assert editor.answers["alias"] == "Fictional Amal"
    assert "Fictional" not in shell.windowTitle()
    set_language("fa-AF")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    set_language("th")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert alias.text() == "Fictional Amal"

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
from tests.helpers.ui import (
    OFFSCREEN_NOISE,
    PASSPHRASE,
    editor_opened,
    make_preferences,
    make_service,
)

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
    editor_opened(qtbot, shell.workspace)
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


def test_settings_say_what_the_vault_takes_on_disk(qtbot, shell) -> None:
    import io

    from intake_app.i18n.formatting import format_size
    from tests.helpers.documents import make_document

    service = shell.service
    document = make_document()

    def fill(vault) -> None:
        vault.interviews.save_revision(document)
        vault.interviews.add_attachment(document["id"], io.BytesIO(b"photo" * 300_000),
                                        "image/jpeg", "p.jpg")

    service.run(fill).result()
    usage = service.disk_usage().result()
    assert usage.attachments >= 1_500_000 and usage.database > 0
    dialog = SettingsDialog(shell.prefs, shell, service=service)
    qtbot.addWidget(dialog)
    values = dict(zip(("total", "database", "attachments", "backups"), dialog.disk_values,
                      strict=True))
    qtbot.waitUntil(lambda: values["total"].text() != "…", timeout=5_000)
    assert values["attachments"].text() == format_size(usage.attachments)
    assert values["total"].text() == format_size(usage.total)
    set_language("fi")
    assert values["total"].text() == format_size(usage.total, in_lang="fi")
    assert dialog.disk_labels[0].text() != "The vault on this computer:"

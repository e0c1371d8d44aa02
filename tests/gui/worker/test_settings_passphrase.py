"""Issue 16, friction: the passphrase can be changed in Settings (not only on the command
line): the current one, a new one with the strength meter, the work off the GUI thread."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_app.errors import WrongPassphrase
from intake_app.i18n import LANGUAGE_CODES
from intake_app.ui.worker.passphrase_section import PassphraseDialog, PassphraseSection
from intake_app.ui.worker.settings_dialog import SettingsDialog
from tests.gui.worker.test_accelerators import accelerator_clashes
from tests.helpers.ui import (
    OFFSCREEN_NOISE,
    PASSPHRASE,
    make_preferences,
    opened_service,
    speaking,
)

pytestmark = OFFSCREEN_NOISE
NEW = "lantern orchard velvet ninety kettle"


def _open(qtbot, tmp_path: Path, service) -> tuple[SettingsDialog, PassphraseSection]:
    settings = SettingsDialog(make_preferences(tmp_path), None, service=service)
    qtbot.addWidget(settings)
    settings.show()
    assert settings.passphrase_button is not None and settings.passphrase_button.isVisible()
    settings.passphrase_button.click()
    dialog = settings.findChild(PassphraseDialog)
    assert dialog is not None and dialog.isVisible()
    return settings, dialog.section  # the section lives as long as the settings are kept


def _type(qtbot, section: PassphraseSection, current: str, new: str) -> None:
    section.current.clear()
    qtbot.keyClicks(section.current, current)
    qtbot.keyClicks(section.fields.passphrase, new)
    qtbot.keyClicks(section.fields.confirmation, new)


def test_changing_the_passphrase_in_settings(qtbot, tmp_path: Path) -> None:
    with opened_service(tmp_path) as service:
        _dialog, section = _open(qtbot, tmp_path, service)
        _type(qtbot, section, PASSPHRASE, NEW)
        assert section.change_button.isEnabled()
        section.change_button.click()
        assert not section.change_button.isEnabled()  # busy meanwhile
        qtbot.waitUntil(lambda: "was changed" in section.result.text(), timeout=20000)
        assert section.result.isVisible()
        assert not section.current_error.isVisible()
        assert section.current.text() == "" and section.fields.value() == ""
        service.lock()
        with pytest.raises(WrongPassphrase):
            service.unlock(PASSPHRASE).result()
        service.unlock(NEW).result()
        assert service.unlocked


def test_a_wrong_current_passphrase_is_said_next_to_its_field(qtbot, tmp_path: Path) -> None:
    with opened_service(tmp_path) as service:
        _dialog, section = _open(qtbot, tmp_path, service)
        _type(qtbot, section, "not the passphrase at all", NEW)
        section.change_button.click()
        qtbot.waitUntil(section.current_error.isVisible, timeout=20000)
        assert "not correct" in section.current_error.text()
        assert section.current.accessibleDescription() == section.current_error.text()
        assert section.current.hasFocus() or not section.window().isActiveWindow()
        assert not section.result.isVisible()
        service.lock()
        service.unlock(PASSPHRASE).result()  # unchanged


def test_a_weak_new_passphrase_cannot_be_used(qtbot, tmp_path: Path) -> None:
    with opened_service(tmp_path) as service:
        _dialog, section = _open(qtbot, tmp_path, service)
        _type(qtbot, section, PASSPHRASE, "password123")
        assert not section.change_button.isEnabled()
        section.change()  # Enter in the confirmation field: nothing happens
        assert not section.result.isVisible()
        assert section.fields.strength_label.text()


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_no_accelerator_is_shared_in_the_dialog(qtbot, tmp_path: Path, lang: str) -> None:
    with speaking(lang), opened_service(tmp_path) as service:
        settings, section = _open(qtbot, tmp_path, service)
        assert accelerator_clashes(settings) == []
        assert accelerator_clashes(section.window()) == []

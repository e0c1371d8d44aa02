"""First start creates a vault; the unlock screen refuses a wrong passphrase, then opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from intake_app.ui.worker.shell import Shell
from intake_app.ui.worker.unlock_delay import delay_after
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, make_preferences, make_service

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    service = make_service(tmp_path)
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    yield window
    service.shutdown()


def test_first_start_creates_the_vault_and_shows_the_recovery_code_once(qtbot, shell) -> None:
    shell.start()
    shell.show()
    first = shell.first_start
    assert first is not None and first.pages.currentWidget() is first.language_page
    first.languages.select("en")
    qtbot.mouseClick(first.language_next, Qt.MouseButton.LeftButton)
    assert first.pages.currentWidget() is first.passphrase_page
    assert not first.create_button.isEnabled()
    qtbot.keyClicks(first.fields.passphrase, PASSPHRASE)
    qtbot.keyClicks(first.fields.confirmation, PASSPHRASE + "x")
    assert not first.create_button.isEnabled()
    assert first.fields.match_line.text()
    first.fields.confirmation.backspace()
    assert first.create_button.isEnabled()
    qtbot.mouseClick(first.create_button, Qt.MouseButton.LeftButton)
    assert first.pages.currentWidget() is first.creating_page
    qtbot.waitUntil(lambda: first.pages.currentWidget() is first.recovery_page, timeout=20000)
    code = first.code_label.text()
    assert len(code) > 10
    assert shell.service.vault_exists() and shell.service.unlocked
    assert not first.continue_button.isEnabled()
    first.written_box.setChecked(True)
    qtbot.mouseClick(first.continue_button, Qt.MouseButton.LeftButton)
    assert first.code_label.text() == ""  # shown once
    assert first.pages.currentWidget() is first.centre_page
    qtbot.mouseClick(first.centre_page.later_button, Qt.MouseButton.LeftButton)
    assert shell.workspace is not None
    assert shell.pages.currentWidget() is shell.workspace
    assert shell.windowTitle() == "Intake"


def test_wrong_then_right_passphrase(qtbot, shell, tmp_path: Path) -> None:
    shell.service.create_vault(PASSPHRASE).result()
    shell.service.lock()
    shell.start()
    shell.show()
    unlock = shell.unlock_screen
    assert unlock is not None and shell.pages.currentWidget() is unlock
    qtbot.keyClicks(unlock.passphrase, "not the passphrase")
    qtbot.keyClick(unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: unlock.error.text() != "", timeout=20000)
    assert "not correct" in unlock.error.text()
    assert not shell.service.unlocked
    assert shell.prefs.unlock_failures == 1
    unlock.passphrase.clear()
    qtbot.keyClicks(unlock.passphrase, PASSPHRASE)
    qtbot.mouseClick(unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.workspace is not None, timeout=20000)
    assert shell.service.unlocked
    assert unlock.passphrase.text() == ""
    assert shell.prefs.unlock_failures == 0


def test_repeated_failures_make_the_person_wait(qtbot, shell) -> None:
    shell.service.create_vault(PASSPHRASE).result()
    shell.service.lock()
    shell.prefs.unlock_failures = 2
    shell.start()
    unlock = shell.unlock_screen
    assert unlock is not None
    qtbot.keyClicks(unlock.passphrase, "wrong again")
    unlock.unlock_button.click()
    qtbot.waitUntil(lambda: unlock.wait_line.text() != "", timeout=20000)
    assert "2 seconds" in unlock.wait_line.text()
    assert not unlock.views.isEnabled()
    qtbot.waitUntil(lambda: unlock.views.isEnabled(), timeout=5000)
    assert [delay_after(n) for n in range(6)] == [0, 0, 0, 2, 4, 8]


def test_recovery_code_opens_and_sets_a_new_passphrase(qtbot, shell) -> None:
    code = shell.service.create_vault(PASSPHRASE).result()
    shell.service.lock()
    shell.start()
    unlock = shell.unlock_screen
    assert unlock is not None
    unlock.recovery_link.click()
    assert unlock.views.currentWidget() is unlock.recovery_view
    qtbot.keyClicks(unlock.code, code)
    qtbot.keyClicks(unlock.new_fields.passphrase, "a brand new passphrase")
    qtbot.keyClicks(unlock.new_fields.confirmation, "a brand new passphrase")
    assert unlock.recovery_button.isEnabled()
    unlock.recovery_button.click()
    qtbot.waitUntil(lambda: shell.workspace is not None, timeout=20000)
    shell.lock()
    assert not shell.service.unlocked
    shell.service.unlock("a brand new passphrase").result()
    assert shell.service.unlocked


def test_first_start_accepts_a_centre_profile(qtbot, shell, tmp_path: Path) -> None:
    import uuid

    from intake_app.sync.centre.setup import write_profile
    from intake_app.sync.device.identity import device_status
    from intake_app.sync.format import keys
    from intake_app.sync.format.profile import CentreProfile

    centre_keys = keys.CentreKeys.generate(with_backup=False)
    profile = CentreProfile(
        str(uuid.uuid4()),
        "Fictional reception centre",
        tuple(centre_keys.recipients()),
        centre_keys.receipt_key_text(),
        str(tmp_path / "share"),
    )
    path = tmp_path / "centre-profile.json"
    fingerprint = write_profile(path, profile)
    shell.start()
    first = shell.first_start
    first.pages.setCurrentWidget(first.passphrase_page)
    first.fields.passphrase.setText(PASSPHRASE)
    first.fields.confirmation.setText(PASSPHRASE)
    first.create_button.click()
    qtbot.waitUntil(lambda: first.pages.currentWidget() is first.recovery_page, timeout=20000)
    first.written_box.setChecked(True)
    first.continue_button.click()
    step = first.centre_page
    (tmp_path / "broken.json").write_text("{}")
    step.load_file(tmp_path / "broken.json")
    assert step.error.text() and not step.accept_button.isEnabled()
    step.load_file(path)
    assert "Fictional reception centre" in step.centre.text()
    assert fingerprint in step.centre.text()
    step.worker.setText("W-042")
    step.fingerprint.setText("not the right one")
    step.accept_button.click()
    qtbot.waitUntil(lambda: bool(step.error.text()), timeout=10000)
    assert "fingerprint" in step.error.text()
    step.fingerprint.setText(fingerprint)
    step.accept_button.click()
    # Accepted: this laptop's key fingerprint and the request page (tests/test_ui_enrol_request).
    qtbot.waitUntil(lambda: step.pages.currentWidget() is step.request_page, timeout=10000)
    step.request_page.finish_button.click()
    qtbot.waitUntil(lambda: shell.workspace is not None, timeout=10000)
    identity, accepted, _fp = shell.service.run(device_status).result()
    assert identity is not None and identity.worker == "W-042"
    assert accepted is not None and accepted.name == "Fictional reception centre"

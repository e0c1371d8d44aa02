"""Setting up a new reception centre from the administrator's window, with a real centre vault
(SQLCipher, age and minisign keys) made in a temporary data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from intake_app.i18n import PSEUDO_LANGUAGE, set_language
from intake_app.services.centre import CentreService
from intake_app.storage import KdfParams, Vault
from intake_app.sync.centre.setup import SHARE_FOLDERS
from intake_app.sync.centre.vault import centre_dir, profile_file
from intake_app.sync.format.profile import load_profile
from intake_app.ui.admin.setup_page import SetupPage
from intake_app.ui.admin.window import AdminWindow
from tests.gui.admin.test_window import shown_window
from tests.gui.worker.test_accessibility import unnamed_controls
from tests.helpers.centre import REGISTRY

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")

NAME = "Example reception centre"
PASSPHRASE = "several words only the centre knows"


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot, qapp: QApplication) -> Iterator[AdminWindow]:
    service = CentreService(tmp_path / "centre-data", registry=REGISTRY, kdf=KdfParams.MINIMUM)
    with shown_window(service, qtbot, qapp) as made:
        yield made


def page_of(window: AdminWindow) -> SetupPage:
    assert window.setup_page is not None
    return window.setup_page


def fill(page: SetupPage, share: Path, *, passphrase: str = PASSPHRASE,
         again: str | None = None, backup: Path | None = None) -> None:
    page.name.setText(NAME)
    page.share.setText(str(share))
    page.fields.passphrase.setText(passphrase)
    page.fields.confirmation.setText(passphrase if again is None else again)
    page.backup_box.setChecked(backup is not None)
    if backup is not None:
        page.backup_file.setText(str(backup))


def set_up(window: AdminWindow, qtbot: QtBot, share: Path, *,
           backup: Path | None = None) -> SetupPage:
    """Fill the form, press Enter in the last passphrase field and wait for the result view."""
    page = page_of(window)
    fill(page, share, backup=backup)
    assert page.setup_button.isEnabled()
    qtbot.keyClick(page.fields.confirmation, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.views.currentWidget() is page.result, timeout=30_000)
    return page


def shown_texts(root: QWidget) -> list[str]:
    """Every text a label or a field under `root` holds, with their accessible names."""
    texts: list[str] = []
    for widget in [*root.findChildren(QLabel), *root.findChildren(QLineEdit)]:
        texts += [widget.text(), widget.accessibleName(), widget.accessibleDescription(),
                  widget.toolTip()]
    return texts


def test_empty_data_folder_shows_the_setup_page(window: AdminWindow, qtbot: QtBot) -> None:
    page = page_of(window)
    assert window.pages.currentWidget() is page
    assert page.title.text() == "Set up a reception centre"
    assert not page.setup_button.isEnabled()
    assert unnamed_controls(page) == []
    assert page.name.maxLength() == 200
    window.activateWindow()
    page.name.setFocus()
    order = [page.name]
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [page.name, page.share, page.share_button, page.fields.passphrase,
                     page.fields.confirmation, page.fields.show_box, page.backup_box]


def test_centre_with_an_existing_vault_shows_the_unlock_page(
        tmp_path: Path, qtbot: QtBot) -> None:
    data = tmp_path / "centre-data"
    CentreService(data, kdf=KdfParams.MINIMUM).set_up(
        name=NAME, share=str(tmp_path / "share"), passphrase=PASSPHRASE).result(timeout=60)
    service = CentreService(data, registry=REGISTRY)
    existing = AdminWindow(service, watch_interval_ms=3_600_000)
    qtbot.addWidget(existing)
    try:
        assert existing.setup_page is None
        assert existing.pages.currentWidget() is existing.unlock_page
    finally:
        service.shutdown()


def test_setting_up_makes_the_centre_and_shows_its_fingerprint(
        window: AdminWindow, qtbot: QtBot, tmp_path: Path) -> None:
    share = tmp_path / "share"
    page = set_up(window, qtbot, share)
    data = tmp_path / "centre-data"
    assert Vault.exists(centre_dir(data))
    profile, fingerprint = load_profile(profile_file(data))
    assert profile.name == NAME and profile.share == str(share)
    assert page.result.fingerprint.text() == fingerprint
    assert page.result.profile_path.text() == str(profile_file(data))
    assert all((share / folder).is_dir() for folder in SHARE_FOLDERS)
    assert "ready" in page.result.share_state.text()
    assert page.result.backup_path.isHidden() and page.result.backup_advice.isHidden()
    assert page.fields.passphrase.text() == page.fields.confirmation.text() == ""
    assert not page.result.continue_button.isEnabled()
    assert unnamed_controls(page) == []


def test_an_unreachable_share_is_said_and_the_centre_still_made(
        window: AdminWindow, qtbot: QtBot, tmp_path: Path) -> None:
    page = set_up(window, qtbot, tmp_path / "not-mounted" / "share")
    assert "cannot be reached" in page.result.share_state.text()
    assert window.service.exists()


def test_weak_or_different_passphrases_keep_set_up_disabled(
        window: AdminWindow, qtbot: QtBot, tmp_path: Path) -> None:
    page = page_of(window)
    fill(page, tmp_path / "share", passphrase="short")
    assert not page.setup_button.isEnabled()
    fill(page, tmp_path / "share", again=PASSPHRASE + " but different")
    assert not page.setup_button.isEnabled()
    assert page.fields.match_line.text()
    qtbot.keyClick(page.fields.confirmation, Qt.Key.Key_Return)
    assert not page.busy.isVisibleTo(page)
    fill(page, tmp_path / "share", backup=None)
    assert page.setup_button.isEnabled()
    page.backup_box.setChecked(True)  # a backup key without a file to write it to
    assert not page.setup_button.isEnabled()
    page.backup_box.setChecked(False)
    page.name.setText("   ")
    assert not page.setup_button.isEnabled()
    assert not window.service.exists()


def test_existing_backup_key_file_is_refused_and_nothing_made(
        window: AdminWindow, qtbot: QtBot, tmp_path: Path) -> None:
    page = page_of(window)
    backup = tmp_path / "backup-key.txt"
    backup.write_text("somebody else's key\n")
    fill(page, tmp_path / "share", backup=backup)
    page.setup_button.click()
    qtbot.waitUntil(lambda: page.error.isVisibleTo(page), timeout=30_000)
    assert "backup-key.txt" in page.error.text()
    assert "already exists" in page.error.text()
    assert not window.service.exists()
    assert not profile_file(tmp_path / "centre-data").exists()
    assert backup.read_text() == "somebody else's key\n"
    assert page.views.currentWidget() is page.form_view
    assert page.setup_button.isEnabled() and page.form_box.isEnabled()
    assert not page.busy.isVisibleTo(page)


def test_a_relative_share_path_is_refused(window: AdminWindow, qtbot: QtBot,
                                          tmp_path: Path) -> None:
    page = page_of(window)
    fill(page, Path("share"))
    page.setup_button.click()
    assert "full path" in page.error.text()
    assert not page.busy.isVisibleTo(page)
    assert not window.service.exists()


def test_continue_wipes_the_recovery_code_and_the_new_centre_opens(
        window: AdminWindow, qtbot: QtBot, tmp_path: Path) -> None:
    backup = tmp_path / "offline" / "backup-key.txt"
    backup.parent.mkdir()
    page = set_up(window, qtbot, tmp_path / "share", backup=backup)
    code = page.result.code_label.text()
    assert len(code) == 39 and code.count("-") == 7
    assert backup.read_text().count("AGE-SECRET-KEY-") == 1
    assert page.result.backup_path.text() == str(backup)
    assert not page.result.backup_path.isHidden()
    page.result.written_box.setChecked(True)
    qtbot.mouseClick(page.result.continue_button, Qt.MouseButton.LeftButton)
    texts = shown_texts(window)
    assert not [text for text in texts if code in text or code.replace("-", "") in text]
    assert window.pages.currentWidget() is window.unlock_page
    assert window.setup_page is None

    window.unlock_page.passphrase.setText(PASSPHRASE)
    window.unlock_page.open_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=30_000)
    assert window.centre_name.text() == NAME


def test_language_switch_and_right_to_left(window: AdminWindow, qtbot: QtBot,
                                           tmp_path: Path) -> None:
    page = page_of(window)
    english = page.setup_button.text()
    set_language(PSEUDO_LANGUAGE)
    assert page.setup_button.text() not in ("", english)
    assert page.result.continue_button.text() != "C&ontinue"
    set_language("ar")
    qtbot.waitUntil(lambda: QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft)
    qtbot.waitUntil(lambda: page.share_button.x() < page.share.x())
    assert page.name_label.x() > page.name.x()
    set_language("en")
    qtbot.waitUntil(lambda: page.share_button.x() > page.share.x())
    assert page.setup_button.text() == english

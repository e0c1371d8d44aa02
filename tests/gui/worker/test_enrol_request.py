"""Enrolment from the GUI: accept a centre profile, see this laptop's key fingerprint, write the
signed request into the share's enrol/ folder or a USB folder, and the real centre accepts it.
Also later, from the settings."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QWidget

from intake_app.services.enrolment import enrolment
from intake_app.services.worker import WorkerService
from intake_app.sync.centre.devices import enrolment_files, register_request
from intake_app.sync.centre.vault import Centre
from intake_app.sync.device.identity import device_status
from intake_app.sync.format.enrolment import read_enrolment
from intake_app.ui.application import apply_text_size
from intake_app.ui.worker.centre_profile_step import CentreProfileStep
from intake_app.ui.worker.enrol_dialog import EnrolDialog
from intake_app.ui.worker.settings_dialog import SettingsDialog
from tests.gui.worker.test_accessibility import unnamed_controls
from tests.helpers.ui import OFFSCREEN_NOISE, make_preferences, opened_service, speaking

pytestmark = OFFSCREEN_NOISE
WAIT = 20000


@pytest.fixture
def profile(tmp_path: Path, centre: Centre) -> Path:
    """The centre's profile file as the administrator hands it over."""
    path = tmp_path / "centre-profile.json"
    path.write_bytes(centre.profile_bytes)
    return path


@pytest.fixture
def service(tmp_path: Path) -> Iterator[WorkerService]:
    with opened_service(tmp_path) as made:
        yield made


@pytest.fixture
def arabic() -> Iterator[None]:
    with speaking("ar"):
        yield


def _accept(qtbot, step: CentreProfileStep, profile: Path) -> None:
    from intake_app.services.enrolment import read_centre_profile

    step.load_file(profile)
    step.worker.setText("W-042")
    step.fingerprint.setText(read_centre_profile(profile).fingerprint)
    qtbot.mouseClick(step.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: step.pages.currentWidget() is step.request_page, timeout=WAIT)


def _key_fingerprint(service: WorkerService) -> str:
    identity, _profile, _fp = service.run(device_status).result()
    assert identity is not None
    return str(identity.key_fingerprint())


def test_accepting_shows_the_key_and_writes_a_request_the_centre_registers(
    qtbot, service: WorkerService, centre: Centre, profile: Path
) -> None:
    step = CentreProfileStep(service)
    qtbot.addWidget(step)
    step.show()
    _accept(qtbot, step, profile)
    page = step.request_page
    key = _key_fingerprint(service)
    assert page.key.text() == key
    assert "Example reception centre" in page.centre.text()
    assert step.focusWidget() is page.share_button
    qtbot.mouseClick(page.share_button, Qt.MouseButton.LeftButton)
    # Busy until the writing thread is done; nothing can be pressed twice meanwhile.
    assert page.busy.isVisible() and not page.share_button.isEnabled()
    assert not page.folder_button.isEnabled() and not page.finish_button.isEnabled()
    qtbot.waitUntil(lambda: not page.busy.isVisible(), timeout=WAIT)
    assert page.error.text() == ""
    [path] = enrolment_files(centre.share)
    assert str(path.parent) in page.status.text()
    device = register_request(centre.vault, read_enrolment(path))
    # What the administrator sees is what the worker's screen shows.
    assert device.fingerprint == key == page.key.text()
    assert device.worker == "W-042"
    with qtbot.waitSignal(step.done) as done:
        qtbot.mouseClick(page.finish_button, Qt.MouseButton.LeftButton)
    assert done.args == [True]


def test_request_to_a_usb_folder_and_known_errors_change_nothing(
    qtbot, tmp_path: Path, service: WorkerService, centre: Centre, profile: Path
) -> None:
    step = CentreProfileStep(service)
    qtbot.addWidget(step)
    step.show()
    _accept(qtbot, step, profile)
    page = step.request_page
    # A folder that cannot be made (its parent is a file): the translated message, no file.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    page.write(blocker / "usb")
    qtbot.waitUntil(lambda: bool(page.error.text()), timeout=WAIT)
    assert "Could not write to" in page.error.text()
    assert page.share_button.isEnabled() and page.folder_button.isEnabled()
    assert not page.busy.isVisible() and page.status.text() == ""
    # The share is not there (away from the centre): its own message, nothing written.
    shutil.rmtree(centre.share)
    page.write(None)
    qtbot.waitUntil(lambda: bool(page.error.text()) and not page.busy.isVisible(), timeout=WAIT)
    assert "cannot be reached" in page.error.text()
    assert not centre.share.exists()
    # A USB stick works, and the centre takes the request from there.
    usb = tmp_path / "usb-stick"
    usb.mkdir()
    page.write(usb)
    qtbot.waitUntil(lambda: "written to" in page.status.text(), timeout=WAIT)
    assert page.error.text() == ""
    [path] = sorted(usb.glob("*.json"))
    assert sorted(p.name for p in usb.iterdir()) == [path.name, path.name + ".minisig"]
    device = register_request(centre.vault, read_enrolment(path))
    assert device.fingerprint == page.key.text()


def test_later_from_the_settings_then_write_again(
    qtbot, tmp_path: Path, service: WorkerService, centre: Centre, profile: Path
) -> None:
    dialog = SettingsDialog(make_preferences(tmp_path), None, service=service)
    qtbot.addWidget(dialog)
    dialog.show()
    section = dialog.centre
    assert section is not None and dialog.tabs is not None
    dialog.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "not connected" in section.status.text(), timeout=WAIT)
    assert section.connect_button.isVisible() and section.connect_button.isEnabled()
    assert not section.request_button.isVisible() and not section.key.isVisible()
    assert section.connect_button.text().replace("&", "") == "Connect to a reception centre…"
    enrol = section.open_enrolment(write_again=False)
    assert enrol.isVisible() and enrol.step.pages.currentWidget() is enrol.step.profile_page
    assert unnamed_controls(enrol) == []
    _accept(qtbot, enrol.step, profile)
    assert unnamed_controls(enrol) == []
    enrol.step.request_page.share_button.click()
    qtbot.waitUntil(lambda: "written to" in enrol.step.request_page.status.text(), timeout=WAIT)
    [first] = enrolment_files(centre.share)
    written = first.read_bytes()
    enrol.step.request_page.finish_button.click()
    assert enrol.result() == QDialog.DialogCode.Accepted
    key = _key_fingerprint(service)
    qtbot.waitUntil(lambda: section.key.text() == key, timeout=WAIT)
    assert "Example reception centre" in section.status.text()
    assert section.request_button.isVisible() and section.key.isVisible()
    # The request was lost: write it again, the same bytes (the key is made once).
    first.unlink()
    first.with_name(first.name + ".minisig").unlink()
    again = section.open_enrolment(write_again=True)
    page = again.step.request_page
    assert again.step.pages.currentWidget() is page and page.key.text() == key
    page.share_button.click()
    qtbot.waitUntil(lambda: "written to" in page.status.text(), timeout=WAIT)
    assert first.read_bytes() == written
    page.finish_button.click()
    assert not again.isVisible()


def test_cancel_in_the_dialog_accepts_nothing(
    qtbot, service: WorkerService, centre: Centre, profile: Path
) -> None:
    dialog = EnrolDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.step.load_file(profile)
    assert dialog.step.later_button.text().replace("&", "") == "Cancel"
    dialog.step.later_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert enrolment(service).result() is None
    assert enrolment_files(centre.share) == []


def test_keyboard_order_on_the_request_page(qtbot, service: WorkerService, profile: Path) -> None:
    step = CentreProfileStep(service)
    qtbot.addWidget(step)
    step.show()
    step.activateWindow()
    qtbot.waitUntil(step.isActiveWindow, timeout=WAIT)
    _accept(qtbot, step, profile)
    page = step.request_page
    page.share_button.setFocus()
    order = [page.share_button]
    for _ in range(2):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [page.share_button, page.folder_button, page.finish_button]


def _clipped(root: QWidget) -> list[str]:
    """Visible wrapped texts shorter than their lines need, and buttons narrower than their
    text."""
    found = []
    for label in root.findChildren(QLabel):
        shown = label.isVisible() and label.wordWrap() and label.text()
        if shown and label.height() + 1 < label.heightForWidth(label.width()):
            found.append(label.text()[:30])
    for button in root.findChildren(QPushButton):
        if button.isVisible() and button.width() < button.sizeHint().width():
            found.append(button.text())
    return found


def test_right_to_left_and_larger_text(
    qtbot, arabic: None, service: WorkerService, profile: Path
) -> None:
    apply_text_size(QApplication.instance(), 5)  # "larger"
    dialog = EnrolDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    _accept(qtbot, dialog.step, profile)
    page = dialog.step.request_page
    qtbot.waitUntil(lambda: page.key.isVisible(), timeout=WAIT)
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    # Mirrored: the buttons and the key sit at the right, "Done" at the left.
    assert page.share_button.mapTo(page, page.share_button.rect().topRight()).x() > (
        page.width() // 2
    )
    assert page.key.geometry().right() > page.key.parentWidget().width() // 2
    assert page.finish_button.geometry().left() < page.width() // 2
    # The fingerprint reads left to right whatever the language, in full.
    assert page.key.layoutDirection() == Qt.LayoutDirection.LeftToRight
    qtbot.waitUntil(lambda: _clipped(dialog) == [], timeout=3000)  # once laid out again
    assert page.key.width() >= page.key.sizeHint().width()

"""Issue 16, defect 11: every window and dialog fits a 1280×720 screen at 100 % and a 1366×768
screen at 125 % (about 1093×614 logical pixels), title bar and task bar included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.services.interviews import FormCatalogue
from intake_app.services.original_files import Original
from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.ui.application import apply_text_size
from intake_app.ui.common import usable_area
from intake_app.ui.editor.original_offer import ask_to_delete
from intake_app.ui.scroll_page import ScrollPage
from intake_app.ui.worker.enrol_dialog import EnrolDialog
from intake_app.ui.worker.settings_dialog import SettingsDialog
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import (
    OFFSCREEN_NOISE,
    PASSPHRASE,
    editor_opened,
    first_start_pages,
    make_preferences,
    speaking,
)

pytestmark = OFFSCREEN_NOISE

# The screens' available areas (less a task bar), in logical pixels.
SCREENS = {
    "1280x720 at 100 %": QRect(0, 0, 1280, 720 - 40),
    "1366x768 at 125 %": QRect(0, 0, 1366 * 4 // 5, 768 * 4 // 5 - 32),
}


def _fits(size: QSize, room: QSize) -> bool:
    return size.width() <= room.width() and size.height() <= room.height()


def _windows(qtbot, tmp_path: Path) -> Iterator[tuple[str, QWidget]]:
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM, forms=FormCatalogue())
    shell = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(shell)
    shell.show()
    try:
        shell.start()
        first = shell.first_start
        yield from first_start_pages(shell)
        service.create_vault(PASSPHRASE).result()
        shell._drop(first)
        shell.first_start = None
        shell.show_workspace()
        yield "list", shell
        shell.workspace.new_action.trigger()
        editor_opened(qtbot, shell.workspace)
        yield "editor", shell
        editor = shell.workspace.editor
        editor.finish_button.click()
        yield "editor review", shell
        editor.review_page.back_button.click()
        yield "editor with its problems", shell
        names = [tmp_path / f"photo-of-a-document-{n:02}-taken-in-the-car.jpg" for n in range(12)]
        box = ask_to_delete(editor, [Original(path, "0" * 64, 1) for path in names], print)
        yield "delete the originals", box
        box.done(0)
        settings = SettingsDialog(shell.prefs, shell, service=service)
        qtbot.addWidget(settings)
        settings.show()
        yield "settings", settings
        enrol = EnrolDialog(service, shell)
        qtbot.addWidget(enrol)
        enrol.show()
        yield "enrol", enrol
        enrol.step.pages.setCurrentWidget(enrol.step.request_page)
        yield "enrol request", enrol
    finally:
        service.shutdown()


@pytest.mark.parametrize("lang", ["fi", "ar", "th"])
def test_every_window_fits_small_laptop_screens(qtbot, tmp_path: Path, lang: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    too_big: list[str] = []
    with speaking(lang):
        apply_text_size(app, 0)  # the application's base text: at least 12 points
        for name, window in _windows(qtbot, tmp_path):
            if not _fits(window.size(), usable_area(window)):
                too_big.append(f"{name}: opens at {window.size().toTuple()} on this screen")
            for screen, area in SCREENS.items():
                room = usable_area(window, area)
                for what, hint in (
                    ("size hint", window.sizeHint()),
                    ("minimum size", window.minimumSizeHint()),
                ):
                    if not _fits(hint, room):
                        too_big.append(f"{name}: {what} {hint.toTuple()} > {screen}")
    assert too_big == [], "\n".join(too_big)


def test_the_enrolment_request_buttons_never_scroll_out_of_sight(qtbot, tmp_path: Path) -> None:
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM)
    service.create_vault(PASSPHRASE).result()
    try:
        enrol = EnrolDialog(service)
        qtbot.addWidget(enrol)
        page = enrol.step.request_page
        for button in (page.share_button, page.folder_button, page.finish_button):
            parent = button.parentWidget()
            while parent is not None and parent is not page:
                assert not isinstance(parent, ScrollPage), button.objectName()
                parent = parent.parentWidget()
    finally:
        service.shutdown()

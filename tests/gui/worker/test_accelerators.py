"""Issue 16, defect 2: on every screen and in every language, no two controls shown together
share an Alt+letter accelerator (two Finnish buttons had Alt+P)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabBar, QWidget

from intake_app.i18n import LANGUAGE_CODES
from intake_app.services.interviews import FormCatalogue
from intake_app.services.original_files import Original
from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.ui.editor.original_offer import ask_to_delete
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


def _key(text: str) -> str:
    return QKeySequence.mnemonic(text).toString()


def accelerator_clashes(window: QWidget) -> list[str]:
    """Accelerators that two controls shown together in `window` share (key: texts)."""
    owners: dict[str, list[str]] = defaultdict(list)

    def note(text: str) -> None:
        key = _key(text)
        if key:
            owners[key.casefold()].append(text)

    for widget in [window, *window.findChildren(QWidget)]:
        if widget.window() is not window or not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QAbstractButton):
            note(widget.text())
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            if widget.buddy().isVisibleTo(window):
                note(widget.text())
        elif isinstance(widget, QGroupBox):
            note(widget.title())
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.isTabVisible(index) and widget.isTabEnabled(index):
                    note(widget.tabText(index))
    return [f"{key}: {texts}" for key, texts in sorted(owners.items()) if len(texts) > 1]


def _screens(qtbot, tmp_path: Path):
    """(name, window) for every screen the worker meets, shown one after the other."""
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM, forms=FormCatalogue())
    shell = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(shell)
    shell.show()
    try:
        shell.start()
        first = shell.first_start
        yield from first_start_pages(shell)
        service.create_vault(PASSPHRASE).result()
        service.lock()
        shell._drop(first)
        shell.first_start = None
        shell.show_unlock()
        yield "unlock", shell
        shell.unlock_screen.recovery_link.click()
        yield "unlock with recovery code", shell
        service.unlock(PASSPHRASE).result()
        shell.show_workspace()
        yield "list", shell
        shell.workspace.new_action.trigger()
        editor_opened(qtbot, shell.workspace)
        editor = shell.workspace.editor
        for name in ("consent_interview", "consent_data"):
            editor.block(name).input.buttons["yes"].click()
        for section in editor.form.questions:
            editor.show_section(section.name)
            yield f"editor {section.name}", shell
        editor.finish_button.click()
        yield "editor review", shell
        editor.review_page.back_button.click()
        yield "editor after review", shell
        finished = editor.current_interview().with_status("final")
        service.queue_revision(finished.to_dict()).result(timeout=30)
        shell.workspace.open_interview(finished.id)  # finished: read-only, under its banner
        editor_opened(qtbot, shell.workspace)
        editor = shell.workspace.editor
        yield "finished interview", shell
        editor.review_page.back_button.click()
        yield "finished interview questions", shell
        dialog = SettingsDialog(shell.prefs, shell, service=service)
        qtbot.addWidget(dialog)
        dialog.show()
        for index in range(dialog.tabs.count() if dialog.tabs is not None else 1):
            if dialog.tabs is not None:
                dialog.tabs.setCurrentIndex(index)
            yield f"settings tab {index}", dialog
        dialog.close()
        names = [tmp_path / f"document-{n}.jpg" for n in range(3)]
        offer = ask_to_delete(editor, [Original(path, "0" * 64, 1) for path in names], print)
        yield "delete the originals", offer
        offer.done(0)
        box = editor.actions_bar.ask_withdraw()
        yield "withdraw question", box
        box.reject()
    finally:
        service.shutdown()


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_no_two_visible_controls_share_an_accelerator(qtbot, tmp_path: Path, lang: str) -> None:
    found: list[str] = []
    with speaking(lang):
        for name, window in _screens(qtbot, tmp_path):
            found += [f"{name}: {clash}" for clash in accelerator_clashes(window)]
    assert found == [], "\n".join(found)

"""Shared helpers for the UI tests: a fast vault service, throwaway settings, widget walks."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.ui.preferences import Preferences
from intake_app.ui.worker.shell import Shell

PASSPHRASE = "correct horse battery staple"
# The offscreen platform says this whenever a window is shown; it is not about our code.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)


def make_service(tmp_path: Path, real_form: bool = False) -> WorkerService:
    """A service over a vault folder in `tmp_path`, with the cheapest allowed Argon2 and the
    small test form (or, with `real_form`, the forms installed with the application)."""
    from intake_app.services.interviews import FormCatalogue
    from tests.helpers.forms import make_catalogue

    forms = FormCatalogue() if real_form else make_catalogue()
    return WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM, forms=forms)


@contextlib.contextmanager
def workspace_shell(qtbot: Any, tmp_path: Path, real_form: bool = False) -> Iterator[Shell]:
    """A shown main window on a new vault, its vault thread stopped afterwards."""
    service = make_service(tmp_path, real_form)
    service.create_vault(PASSPHRASE).result()
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.show_workspace()
    window.show()
    try:
        yield window
    finally:
        service.shutdown()


def new_consented_editor(qtbot: Any, shell: Shell) -> Any:
    """A new interview open in the editor, both consents given (every section open)."""
    assert shell.workspace is not None
    shell.workspace.new_action.trigger()
    editor = editor_opened(qtbot, shell.workspace)
    assert editor is not None
    editor.block("consent_interview").input.buttons["yes"].click()
    editor.block("consent_data").input.buttons["yes"].click()
    return editor


def editor_opened(qtbot: Any, workspace: Any, timeout: int = 5000) -> Any:
    """The workspace's editor once the interview asked for was read (in the background) and
    opened; None when none opened (deleted, withdrawn, unreadable, shown raw)."""
    qtbot.waitUntil(lambda: not workspace.is_opening(), timeout=timeout)
    return workspace.editor


@contextlib.contextmanager
def opened_service(tmp_path: Path) -> Iterator[WorkerService]:
    """`make_service` with its vault created and open; its vault thread stopped afterwards."""
    service = make_service(tmp_path)
    service.create_vault(PASSPHRASE).result()
    try:
        yield service
    finally:
        service.shutdown()


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """The application bound to the catalogs and speaking `lang`; afterwards English, the
    font it had and left to right again."""
    from PySide6.QtCore import Qt

    from intake_app.i18n import set_language
    from intake_app.i18n.qt import bind_application

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    stop = bind_application(app)
    font = app.font()
    set_language(lang)
    try:
        yield
    finally:
        set_language("en")
        stop()
        app.setFont(font)
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def make_preferences(tmp_path: Path) -> Preferences:
    """Preferences in an ini file of their own."""
    return Preferences(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def all_widgets() -> Iterator[QWidget]:
    """Every widget that exists now."""
    yield from QApplication.allWidgets()


def visible_texts(root: QWidget) -> list[str]:
    """Every text a widget under `root` (inclusive) shows or holds."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        for getter in (
            "text",
            "toPlainText",
            "currentText",
            "title",
            "windowTitle",
            "placeholderText",
        ):
            method = getattr(widget, getter, None)
            if callable(method):
                try:
                    value = method()
                except TypeError:
                    continue
                if isinstance(value, str) and value:
                    texts.append(value)
    return texts


def first_start_pages(shell: Shell) -> Iterator[tuple[str, Shell]]:
    """Show each page of a started shell's first start in turn: ("first start <page>", shell)."""
    first = shell.first_start
    assert first is not None
    for page in (first.language_page, first.passphrase_page, first.recovery_page,
                 first.centre_page):
        first.pages.setCurrentWidget(page)
        yield f"first start {page.objectName()}", shell

"""Every control of every screen has an accessible name (or a label that names it), and the
keyboard reaches the main controls in a sensible order."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QScrollBar,
    QTextEdit,
    QWidget,
)

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
CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
    QProgressBar,
)


def _internal(widget: QWidget) -> bool:
    """Parts Qt builds inside a control (a combo box's line edit and popup list, scroll bars)."""
    if widget.objectName().startswith("qt_") or isinstance(widget, QScrollBar | QHeaderView):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox | QLineEdit):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls under `root` that a screen reader could not name."""
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, CONTROLS) or _internal(widget):
            continue
        if widget.accessibleName().strip() or id(widget) in buddies:
            continue
        text = getattr(widget, "text", None)
        label = text() if callable(text) and isinstance(widget, QAbstractButton) else ""
        missing.append(f"{type(widget).__name__} {widget.objectName()!r} {label!r}")
    return missing


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    service = make_service(tmp_path)
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.show()
    yield window
    service.shutdown()


def test_first_start_and_unlock_controls_are_named(qtbot, shell) -> None:
    shell.start()
    first = shell.first_start
    pages = (first.language_page, first.passphrase_page, first.recovery_page, first.centre_page)
    for page in pages:
        first.pages.setCurrentWidget(page)
        assert unnamed_controls(shell) == [], page.objectName()
    shell.service.create_vault(PASSPHRASE).result()
    shell.service.lock()
    shell._drop(first)
    shell.show_unlock()
    unlock = shell.unlock_screen
    assert unnamed_controls(unlock) == []
    unlock.recovery_link.click()
    assert unnamed_controls(unlock) == []


def test_workspace_editor_and_settings_controls_are_named(qtbot, shell) -> None:
    shell.service.create_vault(PASSPHRASE).result()
    shell.show_workspace()
    assert unnamed_controls(shell) == []
    shell.workspace.new_action.trigger()
    editor_opened(qtbot, shell.workspace)
    editor = shell.workspace.editor
    for name in ("consent_interview", "consent_data"):
        editor.block(name).input.buttons["yes"].click()
    editor.block("other_languages", None).input.add_button.click()
    editor.finish_button.click()  # shows the problem list too
    assert unnamed_controls(shell) == []
    dialog = SettingsDialog(shell.prefs, shell)
    qtbot.addWidget(dialog)
    assert unnamed_controls(dialog) == []


def test_unlock_screen_tab_order(qtbot, shell) -> None:
    shell.service.create_vault(PASSPHRASE).result()
    shell.service.lock()
    shell.start()
    shell.activateWindow()
    unlock = shell.unlock_screen
    unlock.passphrase.setFocus()
    order = [unlock.passphrase]
    for _ in range(4):
        qtbot.keyClick(shell.focusWidget(), Qt.Key.Key_Tab)
        order.append(shell.focusWidget())
    assert order[:4] == [
        unlock.passphrase,
        unlock.unlock_button,
        unlock.show_box,
        unlock.recovery_link,
    ]


def test_every_progress_bar_of_the_administrators_window_is_named(qtbot, tmp_path: Path) -> None:
    from intake_app.services.centre import CentreService
    from intake_app.ui.admin.window import AdminWindow

    service = CentreService(tmp_path / "no-centre-yet")
    window = AdminWindow(service, watch_interval_ms=3_600_000)
    qtbot.addWidget(window)
    try:
        bars = window.findChildren(QProgressBar)
        assert len(bars) >= 3  # set-up page, unlock page, imports
        assert unnamed_controls(window) == []
    finally:
        window.watch.stop()
        service.shutdown()

"""Issue 16, friction: the second language of side by side is readable (the body's size, the
normal text colour) and remembered per vault, inside the vault (never in the settings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from intake_app.services import editor_memory
from intake_app.ui.editor.side_by_side import SecondLine
from tests.helpers.ui import OFFSCREEN_NOISE, editor_opened, workspace_shell

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    with workspace_shell(qtbot, tmp_path) as window:
        yield window


def _pick(bar, code: str) -> None:
    """Pick `code` in the side-by-side language box as the worker does (activated)."""
    row = bar.picker.findData(code)
    bar.picker.setCurrentIndex(row)
    bar.picker.activated.emit(row)


def test_the_second_language_reads_like_the_body_text(qtbot, shell) -> None:
    shell.workspace.new_action.trigger()
    editor_opened(qtbot, shell.workspace)
    editor = shell.workspace.editor
    bar = editor.side_by_side
    _pick(bar, "fi")
    bar.toggle.click()
    lines = [w for w in editor.findChildren(SecondLine) if w.isVisibleTo(editor)]
    assert lines  # the consent question and its section's title
    body = QApplication.font().pointSizeF()
    for line in lines:
        assert line.font().pointSizeF() >= body
        assert line.foregroundRole() == QPalette.ColorRole.WindowText
        text = line.palette().color(QPalette.ColorRole.WindowText)
        assert text != line.palette().color(QPalette.ColorRole.PlaceholderText)


def test_the_choice_is_remembered_in_the_vault_for_the_next_interview(
    qtbot, shell, tmp_path: Path
) -> None:
    shell.workspace.new_action.trigger()
    editor_opened(qtbot, shell.workspace)
    editor = shell.workspace.editor
    assert not editor.side_by_side.toggle.isChecked()
    _pick(editor.side_by_side, "fi")
    editor.side_by_side.toggle.click()

    def kept() -> editor_memory.SecondLanguage:
        return shell.service.run(editor_memory.second_language_in).result()

    qtbot.waitUntil(lambda: kept() == editor_memory.SecondLanguage("fi", True), timeout=5000)
    shell.workspace.show_list()
    shell.workspace.new_action.trigger()
    editor_opened(qtbot, shell.workspace)
    again = shell.workspace.editor
    assert again is not editor
    assert again.side_by_side.toggle.isChecked()
    assert again.second_language() == "fi"
    settings = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert "side_by_side" not in settings and "second" not in settings

    again.side_by_side.toggle.click()  # switched off: remembered too
    qtbot.waitUntil(lambda: kept() == editor_memory.SecondLanguage("fi", False), timeout=5000)


def test_another_vault_does_not_inherit_the_choice(qtbot, shell, tmp_path: Path) -> None:
    shell.workspace.new_action.trigger()
    editor_opened(qtbot, shell.workspace)
    _pick(shell.workspace.editor.side_by_side, "fi")
    shell.workspace.editor.side_by_side.toggle.click()
    qtbot.waitUntil(
        lambda: shell.service.run(editor_memory.second_language_in).result().shown, timeout=5000
    )
    with workspace_shell(qtbot, tmp_path / "other") as other:
        other.workspace.new_action.trigger()
        editor_opened(qtbot, other.workspace)
        assert not other.workspace.editor.side_by_side.toggle.isChecked()

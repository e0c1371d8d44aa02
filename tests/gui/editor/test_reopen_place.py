"""Issue 16, friction: opening an interview again puts the editor where the worker left it (the
section and the question), kept inside the vault, never in the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from intake_app.services import editor_memory
from intake_app.ui.editor.section_nav import SECTION_ROLE
from tests.gui.editor.test_editor import give_consent, new_editor, row
from tests.helpers.ui import OFFSCREEN_NOISE, editor_opened, workspace_shell

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    with workspace_shell(qtbot, tmp_path) as window:
        yield window


def kept_place(shell, record_id: str) -> editor_memory.EditorPlace | None:
    """The place kept in the vault for `record_id` (read on the vault thread)."""
    return shell.service.run(lambda vault: editor_memory.place_in(vault, record_id)).result()


def _section(editor) -> str:
    return str(editor.nav.currentIndex().data(SECTION_ROLE))


def test_reopening_goes_back_to_the_section_and_question(qtbot, shell, tmp_path: Path) -> None:
    editor = new_editor(qtbot, shell)
    give_consent(editor)
    editor.show_section("person")
    qtbot.keyClicks(row(editor, "alias").input.edit, "Fictional Mira")
    editor.show_section("languages_section")
    repeat = row(editor, "other_languages").input
    repeat.add_button.click()
    repeat.add_button.click()
    level = row(editor, "other_level", 1).input
    level.buttons["fluent"].click()
    level.buttons["fluent"].setFocus()
    assert editor.place() == editor_memory.EditorPlace("languages_section", "other_level", 1)
    record_id = editor.interview.id
    shell.workspace.show_list()  # the draft and the place are kept on closing

    qtbot.waitUntil(lambda: kept_place(shell, record_id) is not None, timeout=5000)
    shell.workspace.open_interview(record_id)
    editor_opened(qtbot, shell.workspace)
    reopened = shell.workspace.editor
    assert reopened is not None and reopened is not editor
    assert _section(reopened) == "languages_section"
    focus = QApplication.focusWidget()
    assert focus is not None and row(reopened, "other_level", 1).isAncestorOf(focus)

    # A move is kept a moment later without closing; the settings never hear of it.
    reopened.show_section("person")

    def kept_section() -> str | None:
        kept = kept_place(shell, record_id)
        return None if kept is None else kept.section

    qtbot.waitUntil(lambda: kept_section() == "person", timeout=5000)
    settings = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert "person" not in settings and record_id not in settings


def test_a_place_in_a_closed_section_opens_at_the_top(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    give_consent(editor)
    editor.show_section("person")
    qtbot.keyClicks(row(editor, "alias").input.edit, "Fictional Noor")
    row(editor, "consent_data").input.buttons["no"].click()  # the person section closes
    record_id = editor.interview.id
    shell.workspace.show_list()
    shell.service.run(lambda _vault: None).result()  # the place is in the vault by now
    assert kept_place(shell, record_id) is not None
    shell.workspace.open_interview(record_id)
    editor_opened(qtbot, shell.workspace)
    assert _section(shell.workspace.editor) == "consent"

"""The section list keeps the current section wholly in view: after it is chosen, after it
grows ("Attachments" gets its "2 files" line) and after the window gets smaller, in every
language (Thai rows are taller)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex

from intake_app.ui.editor.editor import InterviewEditor
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import (
    OFFSCREEN_NOISE,
    new_consented_editor,
    speaking,
    workspace_shell,
)

pytestmark = OFFSCREEN_NOISE

SMALL = (1100, 450)  # the section list then shows about eight sections of the real form's 13


@pytest.fixture
def shell(qtbot, tmp_path: Path) -> Iterator[Shell]:
    with workspace_shell(qtbot, tmp_path, real_form=True) as window:
        window.resize(*SMALL)
        yield window


def open_editor(qtbot, shell: Shell) -> InterviewEditor:
    editor = new_consented_editor(qtbot, shell)
    assert isinstance(editor, InterviewEditor)
    return editor


def last_row(editor: InterviewEditor) -> QModelIndex:
    return editor.nav_model.index(editor.nav_model.rowCount() - 1, 0)


def wholly_shown(editor: InterviewEditor, index: QModelIndex) -> bool:
    return editor.nav.viewport().rect().contains(editor.nav.visualRect(index))


@pytest.mark.parametrize("lang", ["th", "ar", "fa-AF", "en"])
def test_the_last_section_chosen_in_a_small_window_is_wholly_shown(qtbot, shell, lang) -> None:
    with speaking(lang):
        editor = open_editor(qtbot, shell)
        editor.nav_model.set_progress(editor._progress(), 2)  # "Attachments" + "2 files"
        last = last_row(editor)
        assert not wholly_shown(editor, last)  # the list does scroll here
        editor.show_section(editor.nav_model.section_at(last.row()))
        qtbot.waitUntil(lambda: wholly_shown(editor, last))


def test_the_current_section_stays_shown_when_it_grows(qtbot, shell) -> None:
    with speaking("th"):
        editor = open_editor(qtbot, shell)
        last = last_row(editor)
        editor.nav.setCurrentIndex(last)
        qtbot.waitUntil(lambda: wholly_shown(editor, last))
        editor.nav_model.set_progress(editor._progress(), 2)  # a second line under it
        qtbot.waitUntil(lambda: wholly_shown(editor, last))


def test_the_current_section_stays_shown_when_the_window_gets_smaller(qtbot, shell) -> None:
    with speaking("th"):
        editor = open_editor(qtbot, shell)
        editor.nav_model.set_progress(editor._progress(), 2)
        last = last_row(editor)
        editor.nav.setCurrentIndex(last)
        qtbot.waitUntil(lambda: wholly_shown(editor, last))
        shell.resize(SMALL[0], SMALL[1] - 120)
        qtbot.waitUntil(lambda: wholly_shown(editor, last))

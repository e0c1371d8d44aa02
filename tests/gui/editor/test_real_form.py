"""The installed interview form renders completely: every section, every question type, every
control named; the demo fills it with answers that pass the checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_app.services.demo import demo_documents
from intake_app.services.interviews import FormCatalogue
from intake_app.ui.editor.question_row import QuestionRow
from tests.gui.worker.test_accessibility import unnamed_controls
from tests.helpers.ui import (
    OFFSCREEN_NOISE,
    editor_opened,
    workspace_shell,
)

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    with workspace_shell(qtbot, tmp_path, real_form=True) as window:
        yield window


def test_every_section_of_the_real_form_renders_with_named_controls(qtbot, shell) -> None:
    shell.workspace.new_action.trigger()
    editor_opened(qtbot, shell.workspace)
    editor = shell.workspace.editor
    form = editor.form
    editor.block("consent_interview").input.buttons["yes"].click()
    editor.block("consent_data").input.buttons["yes"].click()
    for section in form.questions:
        editor.show_section(section.name)
        assert editor.pages.currentWidget() is editor.pages.page(section.name)
    answerable = [q.name for q in form.walk() if q.answerable and form.repeat_of(q.name) is None]
    missing = [name for name in answerable if (name, None) not in editor.blocks]
    assert missing == []
    assert all(isinstance(editor.blocks[(n, None)], QuestionRow) for n in answerable)
    assert unnamed_controls(shell) == []
    editor.finish_button.click()
    assert editor.review_page.review.blocking  # the review lists what is missing
    assert unnamed_controls(shell) == []
    editor.review_page.back_button.click()
    assert editor.problems.isVisible()


def test_demo_answers_pass_the_real_form_checks() -> None:
    form = FormCatalogue().current_form()
    kinds = [kind for _interview, kind in demo_documents(form)]
    assert kinds.count("final") >= 10

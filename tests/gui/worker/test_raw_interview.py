"""An interview made with a form this version does not know opens read-only, answers intact."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractItemView

from intake_app.ui.worker.raw_interview import RawInterviewView
from tests.helpers.ui import editor_opened, workspace_shell


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    with workspace_shell(qtbot, tmp_path) as window:
        yield window


def test_unknown_form_opens_read_only_with_its_raw_answers(qtbot, shell) -> None:
    record_id = str(uuid.uuid4())
    shell.workspace._service.queue_revision({
        "format": "intake-interview", "version": 1, "id": record_id, "revision": 0,
        "form": "intake-fi", "form_version": "2099.1",
        "created": "2026-11-28T10:00:00Z", "modified": "2026-11-28T10:05:00Z",
        "status": "final",
        "answers": {"alias": "Fictional Raw", "future_question": {"text": "kept", "lang": "fi"}},
    }).result(timeout=30)
    shell.workspace.open_interview(record_id)
    editor_opened(qtbot, shell.workspace)
    view = shell.workspace.raw_view
    assert isinstance(view, RawInterviewView)
    assert shell.workspace.editor is None
    assert shell.workspace.pages.currentWidget() is view
    cells = {view.table.item(r, 0).text(): view.table.item(r, 1).text()
             for r in range(view.table.rowCount())}
    assert cells == {"alias": "Fictional Raw", "future_question": "[fi] kept"}
    assert view.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert "2099.1" in view.explanation.text()
    assert view.table.accessibleName()

    shell.workspace.back_action.trigger()
    assert shell.workspace.raw_view is None
    assert shell.workspace._service.open_interview(record_id)["answers"]["alias"] == "Fictional Raw"

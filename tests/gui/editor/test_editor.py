"""The editor: create, autosave, finish and reopen; relevance; consent gating; problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from intake_app.ui.editor.editor import InterviewEditor
from intake_app.ui.editor.question_row import QuestionRow
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import OFFSCREEN_NOISE, editor_opened, workspace_shell

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    with workspace_shell(qtbot, tmp_path) as window:
        yield window


def row(editor: InterviewEditor, name: str, item: int | None = None) -> QuestionRow:
    block = editor.block(name, item)
    assert isinstance(block, QuestionRow)
    return block


def give_consent(editor: InterviewEditor) -> None:
    row(editor, "consent_interview").input.buttons["yes"].click()
    row(editor, "consent_data").input.buttons["yes"].click()


def new_editor(qtbot, shell: Shell) -> InterviewEditor:
    assert shell.workspace is not None
    shell.workspace.new_action.trigger()
    editor_opened(qtbot, shell.workspace)
    editor = shell.workspace.editor
    assert editor is not None
    return editor


def finish(qtbot, editor: InterviewEditor) -> None:
    """Review and finish: the review page, then its Finish button; until the finished
    interview is saved (in the background) the editor waits for it."""
    editor.finish_button.click()
    assert editor.reviewing()
    assert editor.review_page.finish_button.isEnabled()
    editor.review_page.finish_button.click()
    qtbot.waitUntil(lambda: not editor.changing(), timeout=5000)


def test_consent_gates_the_later_sections(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    model = editor.nav_model
    person_row = model.row_of("person")
    assert not model.flags(model.index(person_row, 0)) & Qt.ItemFlag.ItemIsEnabled
    assert not row(editor, "alias").isVisibleTo(editor)
    give_consent(editor)
    assert model.flags(model.index(person_row, 0)) & Qt.ItemFlag.ItemIsEnabled
    editor.show_section("person")
    assert row(editor, "alias").isVisibleTo(editor)
    row(editor, "consent_data").input.buttons["no"].click()
    assert not model.flags(model.index(person_row, 0)) & Qt.ItemFlag.ItemIsEnabled


def test_relevance_shows_and_hides_a_question(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    give_consent(editor)
    editor.show_section("person")
    other = row(editor, "setting_other")
    assert not other.isVisibleTo(editor)
    row(editor, "setting").input.buttons["other"].click()
    assert other.isVisibleTo(editor)
    row(editor, "setting").input.buttons["street"].click()
    assert not other.isVisibleTo(editor)


def test_create_autosave_finish_and_reopen(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    service = shell.service
    give_consent(editor)
    editor.show_section("person")
    qtbot.keyClicks(row(editor, "alias").input.edit, "Fictional Rose")
    # The draft reaches the vault within two seconds of the last keystroke.
    qtbot.waitUntil(lambda: service.read_drafts().result(timeout=30) != [], timeout=2500)
    record_id = editor.interview.id
    assert service.open_interview(record_id)["answers"]["alias"] == "Fictional Rose"
    qtbot.waitUntil(lambda: shell.workspace.save_state.text().startswith("Saved"), timeout=3000)

    # Reviewing with required answers missing lists the problems first; Finish waits for them;
    # following the first one goes to its question.
    editor.finish_button.click()
    assert editor.reviewing()
    assert not editor.review_page.finish_button.isEnabled()
    first = editor.review_page.review.to_fix[0]
    assert first.key == ("interview_language", None) and "must be answered" in first.text
    editor.review_page.jump.emit(first.key)
    assert not editor.reviewing()
    assert editor.problems.isVisible()
    assert editor.problems.list.count() >= 2
    assert "must be answered" in row(editor, "interview_language").message.text()
    assert editor.pages.currentWidget() is editor.pages.page("languages_section")

    picker = row(editor, "interview_language").input
    picker.combo.select("ar")
    picker.combo.picked.emit("ar")
    editor.show_section("account_section")
    account = row(editor, "account").input
    qtbot.keyClicks(account.edit, "I came to pick berries in Lapland.")
    assert account.value() == {"text": "I came to pick berries in Lapland.", "lang": "ar"}
    finish(qtbot, editor)
    assert shell.workspace.editor is None
    assert service.read_drafts().result(timeout=30) == []
    saved = service.open_interview(record_id)
    assert saved["status"] == "final"
    assert saved["revision"] == 1
    assert saved["answers"]["account"]["lang"] == "ar"

    # Reopen from the list: finished, it opens read-only on its answers; Edit reopens it.
    shell.workspace.open_interview(record_id)
    editor_opened(qtbot, shell.workspace)
    reopened = shell.workspace.editor
    assert reopened is not None
    assert reopened.read_only and reopened.reviewing() and reopened.banner.isVisible()
    reopened.banner.edit_button.click()
    qtbot.waitUntil(lambda: not reopened.changing(), timeout=5000)
    assert not reopened.read_only and not reopened.reviewing()
    assert row(reopened, "alias").input.value() == "Fictional Rose"
    assert row(reopened, "account").input.value()["text"].startswith("I came")


def test_partial_date_and_repeat_and_pickers(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    give_consent(editor)
    editor.show_section("person")
    birth = row(editor, "birth_date").input
    qtbot.keyClicks(birth.year, "1990")
    assert editor.answers["birth_date"] == "1990"
    qtbot.keyClicks(birth.month, "4")
    assert editor.answers["birth_date"] == "1990-04"
    nationality = row(editor, "nationality").input
    nationality.combo.lineEdit().setFocus()
    qtbot.keyClicks(nationality.combo.lineEdit(), "tha")
    shown = [
        nationality.combo.filter.index(r, 0).data()
        for r in range(nationality.combo.filter.rowCount())
    ]
    assert "Thailand" in shown and "Finland" not in shown
    nationality.combo.completer().activated[str].emit("Thailand")
    nationality.combo.picked.emit("stateless")
    assert editor.answers["nationality"] == ["TH", "stateless"]

    editor.show_section("languages_section")
    repeat = row(editor, "other_languages").input
    repeat.add_button.click()
    repeat.add_button.click()
    assert len(repeat.entries) == 2
    level = row(editor, "other_level", 1).input
    level.buttons["fluent"].click()
    assert editor.answers["other_languages"] == [{}, {"other_level": "fluent"}]
    repeat.entries[0].remove_button.click()
    assert editor.answers["other_languages"] == [{"other_level": "fluent"}]
    assert ("other_level", 0) in editor.blocks and ("other_level", 1) not in editor.blocks


def _finished_interview(qtbot, shell) -> tuple[InterviewEditor, str]:
    editor = new_editor(qtbot, shell)
    give_consent(editor)
    qtbot.keyClicks(row(editor, "alias").input.edit, "Fictional Withdrawer")
    picker = row(editor, "interview_language").input
    picker._ensure_list()
    picker.combo.select("fi")
    picker.combo.picked.emit("fi")
    qtbot.keyClicks(row(editor, "account").input.edit, "Fictional words.")
    finish(qtbot, editor)
    record_id = editor.interview.id
    assert shell.service.open_interview(record_id)["status"] == "final"
    shell.workspace.open_interview(record_id)
    editor_opened(qtbot, shell.workspace)
    return shell.workspace.editor, record_id


def test_withdraw_consent_leaves_a_tombstone_without_answers(qtbot, shell) -> None:
    from PySide6.QtWidgets import QMessageBox

    editor, record_id = _finished_interview(qtbot, shell)
    box = editor.actions_bar.ask_withdraw()
    assert box.windowTitle() == "Intake"
    keep = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole]
    assert [b.text() for b in keep] == ["Keep the consent"]
    keep[0].click()
    assert shell.service.open_interview(record_id)["status"] == "final"
    box = editor.actions_bar.ask_withdraw()
    destructive = [
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    ]
    destructive[0].click()
    qtbot.waitUntil(lambda: shell.workspace.editor is None, timeout=5000)
    document = shell.service.open_interview(record_id)
    assert document["status"] == "withdrawn"
    assert "alias" not in document["answers"] and "account" not in document["answers"]
    assert document["answers"]["consent_interview"] == "yes"
    assert "consent_withdrawn_date" in document["answers"]
    assert shell.service.search("Fictional") == []
    # A withdrawn interview does not open for editing.
    shell.workspace.open_interview(record_id)
    editor_opened(qtbot, shell.workspace)
    assert shell.workspace.editor is None
    assert "withdrawn" in shell.workspace.message.text()


def test_delete_asks_first_and_leaves_a_deleted_tombstone(qtbot, shell) -> None:
    from PySide6.QtWidgets import QMessageBox

    editor, record_id = _finished_interview(qtbot, shell)
    box = editor.actions_bar.ask_delete()
    assert box.windowTitle() == "Intake"
    assert "Withdrawer" not in box.text() + box.informativeText()
    destructive = [
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    ]
    destructive[0].click()
    qtbot.waitUntil(lambda: shell.workspace.editor is None, timeout=5000)
    history = shell.service.history(record_id)
    assert history[-1].status == "deleted"
    assert all(s.id != record_id for s in shell.service.interviews() if not s.deleted)


def test_deleting_a_never_saved_interview_drops_its_draft(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    give_consent(editor)
    qtbot.keyClicks(row(editor, "alias").input.edit, "Fictional Draft")
    editor.saver.flush()
    assert shell.service.read_drafts().result(timeout=30) != []
    editor.actions_bar.delete()
    assert shell.service.read_drafts().result(timeout=30) == []
    assert shell.service.interviews() == []

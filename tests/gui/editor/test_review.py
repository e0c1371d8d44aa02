"""Issue 16, friction: a review page before Finish (every section, its answers in words, its
problems, each a link back to its question), and a finished interview that opens read-only
under a banner saying so, with an Edit that reopens it as a draft in its history."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.ui.editor.editor import InterviewEditor
from intake_app.ui.editor.finished_banner import DELIVERED, REFUSED, WAITING
from intake_app.ui.focus_ring import show_focus_clearly, stop_showing_focus
from tests.gui.editor.test_editor import finish, give_consent, new_editor, row
from tests.helpers.ui import OFFSCREEN_NOISE, editor_opened, workspace_shell

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    with workspace_shell(qtbot, tmp_path) as window:
        yield window


def _answer_all(qtbot, editor: InterviewEditor) -> None:
    give_consent(editor)
    editor.show_section("person")
    qtbot.keyClicks(row(editor, "alias").input.edit, "Fictional Lina")
    qtbot.keyClicks(row(editor, "birth_date").input.year, "1990")
    row(editor, "setting").input.buttons["street"].click()
    picker = row(editor, "interview_language").input
    picker._ensure_list()
    picker.combo.select("fi")
    picker.combo.picked.emit("fi")
    editor.show_section("account_section")
    qtbot.keyClicks(row(editor, "account").input.edit, "Fictional words.")


def test_the_review_says_every_answer_in_words_and_links_to_its_question(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    give_consent(editor)
    editor.show_section("person")
    row(editor, "setting").input.buttons["street"].click()
    editor.finish_button.click()
    page = editor.review_page
    assert editor.reviewing() and not editor.finish_button.isVisible()
    text = page.browser.toPlainText()
    # Every section, its answers by their labels (not their codes), unanswered required first.
    for title in ("Consent", "Person", "Languages", "Account"):
        assert title in text
    assert "Setting\nStreet" in text and "street" not in text
    assert text.index("To fix before finishing") < text.index("Consent")
    required = [p for p in page.review.to_fix if "must be answered" in p.text]
    assert required and page.review.to_fix[: len(required)] == tuple(required)
    assert not page.finish_button.isEnabled()
    assert "must be fixed" in page.summary.text()

    # The keyboard follows a link: Tab to the first one (the first problem), Enter.
    page.browser.setFocus()
    qtbot.keyClick(page.browser, Qt.Key.Key_Tab)
    assert page.browser.textCursor().hasSelection()
    qtbot.keyClick(page.browser, Qt.Key.Key_Return)
    assert not editor.reviewing()
    first = page.review.to_fix[0].key
    focus = QApplication.focusWidget()
    assert focus is not None and row(editor, *first).isAncestorOf(focus)
    # The problems are said next to their questions now too.
    assert row(editor, *first).message.text()


def test_finish_is_offered_from_the_review_once_nothing_blocks_it(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    _answer_all(qtbot, editor)
    editor.finish_button.click()
    page = editor.review_page
    assert page.finish_button.isEnabled()
    assert "Nothing stops finishing" in page.summary.text()
    assert "Alias\nFictional Lina" in page.browser.toPlainText()
    assert "To fix before finishing" not in page.browser.toPlainText()
    record_id = editor.interview.id
    page.finish_button.click()
    qtbot.waitUntil(lambda: shell.workspace.editor is None, timeout=5000)
    assert shell.service.open_interview(record_id)["status"] == "final"


def test_back_to_the_questions_returns_to_the_section_shown(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    give_consent(editor)
    editor.show_section("person")
    editor.finish_button.click()
    editor.review_page.back_button.click()
    assert not editor.reviewing() and editor.finish_button.isVisible()
    assert editor.pages.currentWidget() is editor.pages.page("person")


def test_a_finished_interview_opens_read_only_and_edit_reopens_it(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    _answer_all(qtbot, editor)
    record_id = editor.interview.id
    finish(qtbot, editor)
    service = shell.service

    shell.workspace.open_interview(record_id)
    editor_opened(qtbot, shell.workspace)
    editor = shell.workspace.editor
    assert editor.read_only and editor.reviewing()
    assert editor.banner.isVisible() and editor.banner.state == WAITING
    assert "finished" in editor.banner.text.text()
    assert "Alias\nFictional Lina" in editor.review_page.browser.toPlainText()
    assert not editor.review_page.finish_button.isVisible()
    assert not editor.finish_button.isVisible()
    editor.review_page.back_button.click()
    assert not row(editor, "alias").input.edit.isEnabled()
    assert not editor.attachments.add_button.isEnabled()
    # Not editable, but readable: the answers keep the normal text colour, not the faint grey
    # of a disabled control.
    edit = row(editor, "alias").input.edit
    palette = edit.palette()
    assert palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text) == palette.color(
        QPalette.ColorGroup.Active, QPalette.ColorRole.Text
    )
    # As drawn, with the application's style sheet on (the focus ring), as the app runs: the
    # alias's letters are dark, not the faint grey of a disabled field.
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    show_focus_clearly(app)
    try:
        qtbot.wait(50)
        assert darkest(edit) < 100
    finally:
        stop_showing_focus(app)
    assert [r.status for r in service.history(record_id)] == ["final"]

    editor.banner.edit_button.click()
    qtbot.waitUntil(lambda: not editor.changing(), timeout=5000)
    assert [r.status for r in service.history(record_id)] == ["final", "draft"]
    assert not editor.read_only and not editor.banner.isVisible()
    assert row(editor, "alias").input.edit.isEnabled()
    qtbot.keyClicks(row(editor, "alias").input.edit, " Two")
    finish(qtbot, editor)
    assert [r.status for r in service.history(record_id)] == ["final", "draft", "final"]
    assert service.open_interview(record_id)["answers"]["alias"] == "Fictional Lina Two"


def test_the_banner_says_where_a_finished_interview_stands(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    _answer_all(qtbot, editor)
    record_id = editor.interview.id
    finish(qtbot, editor)
    [saved] = shell.service.history(record_id)
    shell.service.run(
        lambda vault: vault.interviews.mark_delivered([(record_id, 1, saved.sha256)])
    ).result()
    shell.workspace.list.reload()
    shell.workspace.open_interview(record_id)
    editor_opened(qtbot, shell.workspace)
    assert shell.workspace.editor.banner.state == DELIVERED
    assert "the centre has it" in shell.workspace.editor.banner.text.text()
    shell.workspace.show_list()

    shell.service.refused_interviews = lambda: frozenset({record_id})  # as the sync would say
    shell.workspace.open_interview(record_id)
    editor_opened(qtbot, shell.workspace)
    assert shell.workspace.editor.banner.state == REFUSED
    assert "refused" in shell.workspace.editor.banner.text.text()


def test_the_review_follows_a_language_switch_and_the_second_language(qtbot, shell) -> None:
    from intake_app.i18n import set_language
    from tests.helpers.ui import speaking

    with speaking("en"):
        editor = new_editor(qtbot, shell)
        give_consent(editor)
        editor.finish_button.click()
        page = editor.review_page
        assert "Consent to the interview" in page.browser.toPlainText()
        editor.side_by_side.set_language("fi")
        editor.side_by_side.toggle.click()  # the questions also in Finnish
        assert "Suostumus haastatteluun" in page.browser.toPlainText()
        editor.side_by_side.toggle.click()
        assert "Suostumus haastatteluun" not in page.browser.toPlainText()
        set_language("fi")  # the labels follow the UI language
        assert editor.reviewing()
        assert "Suostumus haastatteluun" in page.browser.toPlainText()


def darkest(widget: QWidget) -> int:
    """The lightness (0-255) of the darkest pixel inside `widget`'s frame, as drawn."""
    image = widget.grab().toImage()
    return min(
        image.pixelColor(x, y).lightness()
        for x in range(4, min(image.width() - 4, 120))
        for y in range(4, image.height() - 4)
    )

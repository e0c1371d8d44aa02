"""Issue 20, defects 2, 3, 4 and 6: what a screen reader is told in the editor (names, hints,
required questions, problems) and where Tab goes, checked through Qt's accessibility
interfaces and real key presses."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.services.interviews import FormCatalogue
from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, editor_opened, make_preferences

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM, forms=FormCatalogue())
    service.create_vault(PASSPHRASE).result()
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show_workspace()
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.workspace.new_action.trigger()
    editor_opened(qtbot, window.workspace)
    yield window
    service.shutdown()


@pytest.fixture
def editor(shell):
    return shell.workspace.editor


def _press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> QWidget:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def accessible(widget: QWidget) -> QAccessible:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface


def labels_of(widget: QWidget) -> list[str]:
    return [
        other.text(QAccessible.Text.Name)
        for other, _r in accessible(widget).relations(QAccessible.RelationFlag.Label)
    ]


# -- defect 3: a radio group is entered on its checked button ---------------------------------


def test_tab_and_shift_tab_enter_a_radio_group_on_its_checked_button(qtbot, editor) -> None:
    group = editor.block("consent_interview").input
    group.buttons["no"].click()
    page = editor.pages.currentWidget()
    page.consent_button.setFocus(Qt.FocusReason.TabFocusReason)
    assert _press(qtbot, Qt.Key.Key_Tab) is group.buttons["no"]
    after = _press(qtbot, Qt.Key.Key_Tab)
    assert after is group.clear_button
    assert _press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier) is (
        group.buttons["no"]
    )
    group.buttons["yes"].setFocus()  # focused but not chosen (a program, not the person)
    group.clear_button.setFocus(Qt.FocusReason.TabFocusReason)
    assert _press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier) is (
        group.buttons["no"]
    )


def test_going_to_a_question_lands_on_its_chosen_answer(qtbot, editor) -> None:
    group = editor.block("consent_data").input
    group.buttons["no"].click()
    editor.nav.setFocus()
    editor.reveal(("consent_data", None))
    assert QApplication.focusWidget() is group.buttons["no"]


# -- defect 4: hints and "required" reach the screen reader; one label per field ---------------


def _all_rows(editor):
    from intake_app.ui.editor.question_row import QuestionRow

    for section in editor.form.questions:
        editor.pages.page(section.name)
    return [block for block in editor.blocks.values() if isinstance(block, QuestionRow)]


def test_hints_and_required_are_told_with_every_control(editor) -> None:
    rows = _all_rows(editor)
    hinted = [row for row in rows if row.question.hint("en")]
    required = [row for row in rows if row.question.required]
    assert len(hinted) >= 10 and len(required) >= 10
    for row in rows:
        for control in row.input.controls():
            description = accessible(control).text(QAccessible.Text.Description)
            if row.question.hint("en"):
                assert row.question.hint("en") in description, row.question.name
            assert ("Required" in description) == bool(row.question.required), row.question.name


def test_each_control_has_at_most_one_label_and_its_question_in_its_name(editor) -> None:
    for row in _all_rows(editor):
        question = row.question.label("en")
        compound = row.input.compound()
        if compound:  # the question names the group; each control names its part
            assert question in accessible(row.input).text(QAccessible.Text.Name)
        for control in row.input.controls():
            labels = labels_of(control)
            assert len(labels) <= 1, (row.question.name, labels)
            name = accessible(control).text(QAccessible.Text.Name)
            description = accessible(control).text(QAccessible.Text.Description)
            if row.question.type == "date":
                assert question in name and labels == [], (name, labels)
            assert question not in description, row.question.name  # said once, not twice


def test_a_date_of_birth_is_named_by_its_question(editor) -> None:
    date = editor.block("date_of_birth").input
    assert labels_of(date.year) == []
    assert accessible(date.year).text(QAccessible.Text.Name).startswith(
        editor.form.question("date_of_birth").label("en")
    )


# -- defect 2: problems are announced and told with the control they concern -------------------


@pytest.fixture
def events(monkeypatch):
    from intake_app.ui import common

    seen: list[tuple[object, str, object]] = []
    real = QAccessible.updateAccessibility

    def record(event) -> None:
        if event.type() == QAccessible.Event.Announcement:
            seen.append(("announcement", event.message(), event.politeness()))
        elif event.type() == QAccessible.Event.Alert:
            seen.append(("alert", "", None))
        real(event)

    monkeypatch.setattr(common.QAccessible, "updateAccessibility", record)
    return seen


def test_reviewing_with_problems_announces_them_and_a_link_marks_the_question(
    qtbot, editor, events
):
    editor.finish_button.click()
    summary = editor.review_page.summary.text()
    assert "must be fixed" in summary
    assert ("announcement", summary, QAccessible.AnnouncementPoliteness.Assertive) in events
    first = editor.review_page.review.to_fix[0]
    editor.review_page.jump.emit(first.key)  # a link followed
    focus = QApplication.focusWidget()
    description = accessible(focus).text(QAccessible.Text.Description)
    row = next(b for b in editor.blocks.values() if b.isAncestorOf(focus))
    assert row.message.text() and description.startswith(row.message.text())
    assert editor.problems.list.item(0).text() == first.text


def test_no_control_is_described_as_alert(editor) -> None:
    editor.finish_button.click()
    window = editor.window()
    described = [w for w in window.findChildren(QWidget) if w.accessibleDescription() == "alert"]
    assert described == []


def test_the_withdrawn_interview_message_is_announced(qtbot, shell, editor, events) -> None:
    editor.actions_bar.withdraw()
    qtbot.waitUntil(lambda: shell.workspace.editor is None, timeout=5000)  # saved in the background
    message = shell.workspace.message.text()
    assert "withdrawn" in message
    assert any(kind == "announcement" and text == message for kind, text, _p in events)


# -- defect 6: Tab follows the screen; scroll areas are no stops -------------------------------


def _ring(qtbot, start: QWidget, limit: int = 80) -> list[QWidget]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    ring = [start]
    for _ in range(limit):
        focus = _press(qtbot, Qt.Key.Key_Tab)
        if focus is start:
            break
        ring.append(focus)
    return ring


def test_tab_goes_through_the_editor_in_screen_order(qtbot, shell, editor) -> None:
    from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea

    workspace = shell.workspace
    new_button = workspace.toolbar.widgetForAction(workspace.new_action)
    ring = _ring(qtbot, new_button)
    scrollers = [w for w in ring if isinstance(w, QAbstractScrollArea)
                 and not isinstance(w, QAbstractItemView)]
    assert scrollers == []
    page = editor.pages.currentWidget()
    in_page = [w for w in ring if page.isAncestorOf(w)]
    assert in_page[0] is page.consent_button
    expected = [
        new_button,
        workspace.toolbar.widgetForAction(workspace.lock_action),
        editor.actions_bar.withdraw_button,
        editor.actions_bar.delete_button,
        editor.finish_button,
        editor.side_by_side.toggle,
        editor.nav,
        page.consent_button,
    ]
    positions = [ring.index(w) for w in expected]
    assert positions == sorted(positions)
    # The last question, then Previous / Next section (when they lead somewhere), the top.
    moves = [b for b in (editor.moves.previous_button, editor.moves.next_button) if b.isEnabled()]
    assert ring[ring.index(in_page[-1]) + 1 :] == moves


def test_a_section_shown_later_comes_after_the_section_list(qtbot, shell, editor) -> None:
    editor.block("consent_interview").input.buttons["yes"].click()
    editor.block("consent_data").input.buttons["yes"].click()
    editor.show_section("languages")
    page = editor.pages.currentWidget()
    editor.nav.setFocus(Qt.FocusReason.TabFocusReason)
    assert page.isAncestorOf(_press(qtbot, Qt.Key.Key_Tab))
    editor.finish_button.click()  # the review, then the problem list above the sections
    editor.show_section("languages")
    assert editor.problems.list.isVisible()
    ring = _ring(qtbot, editor.problems.list)
    assert ring[1] is editor.nav
    in_page = [w for w in ring if page.isAncestorOf(w)]
    assert ring.index(in_page[0]) == 2
    workspace = shell.workspace
    moves = [b for b in (editor.moves.previous_button, editor.moves.next_button) if b.isEnabled()]
    after = ring.index(in_page[-1]) + 1
    assert ring[after : after + len(moves)] == moves
    assert ring[after + len(moves)] is workspace.toolbar.widgetForAction(workspace.new_action)
    assert ring[-1] is editor.side_by_side.picker

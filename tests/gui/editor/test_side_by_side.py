"""Side by side for interpreters, the consent panel, the toolbar language picker, and no English
left on screen after switching the main window with the editor through all ten languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QWidget

from intake_app.i18n import LANGUAGE_CODES, _, set_language
from intake_app.i18n.qt import bind_application
from intake_app.services.interviews import FormCatalogue
from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.ui.editor.consent_panel import ConsentPanel
from intake_app.ui.editor.editor import InterviewEditor
from intake_app.ui.editor.question_row import QuestionRow
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, editor_opened, make_preferences

pytestmark = OFFSCREEN_NOISE
POT = Path(__file__).resolve().parents[3] / "translations" / "messages.pot"


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    app = QApplication.instance()
    stop = bind_application(app)
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM, forms=FormCatalogue())
    service.create_vault(PASSPHRASE).result()
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.show_workspace()
    window.show()
    yield window
    set_language("en")
    stop()
    app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    service.shutdown()


def new_editor(qtbot, shell: Shell) -> InterviewEditor:
    assert shell.workspace is not None
    shell.workspace.new_action.trigger()
    editor_opened(qtbot, shell.workspace)
    editor = shell.workspace.editor
    assert editor is not None
    return editor


def row(editor: InterviewEditor, name: str) -> QuestionRow:
    block = editor.block(name)
    assert isinstance(block, QuestionRow)
    return block


def test_side_by_side_shows_the_second_language_under_the_first(qtbot, shell) -> None:
    set_language("fi")
    editor = new_editor(qtbot, shell)
    consent = row(editor, "consent_interview")
    question = consent.question
    assert not consent.second_label.isVisibleTo(editor)
    editor.side_by_side.set_language("ar")
    editor.side_by_side.toggle.click()
    assert consent.label.text().startswith(question.label("fi"))
    assert consent.second_label.isVisibleTo(editor)
    assert consent.second_label.text() == question.label("ar")
    assert consent.second_label.layoutDirection() == Qt.LayoutDirection.RightToLeft
    yes = consent.input.buttons["yes"].text()
    choice = editor.form.choice_list(question).get("yes")
    assert yes == choice.label("fi") + "\n" + choice.label("ar")
    # Another second language: live, and left to right again.
    editor.side_by_side.set_language("th")
    assert consent.second_label.text() == question.label("th")
    assert consent.second_label.layoutDirection() == Qt.LayoutDirection.LeftToRight
    # Another UI language: the first line follows, the second stays.
    set_language("sv")
    assert consent.label.text().startswith(question.label("sv"))
    assert consent.second_label.text() == question.label("th")
    editor.side_by_side.toggle.click()
    assert not consent.second_label.isVisibleTo(editor)
    assert consent.input.buttons["yes"].text() == choice.label("sv")


def test_side_by_side_defaults_to_the_interview_language(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    editor.block("consent_interview").input.buttons["yes"].click()
    editor.block("consent_data").input.buttons["yes"].click()
    picker = row(editor, "interview_language").input
    picker.set_value("fa-AF")
    picker.changed.emit()
    assert editor.side_by_side.picked() == "fa-AF"


def test_consent_panel_in_the_interview_language_closes_on_escape(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    editor.answers["interview_language"] = "ar"
    page = editor.pages.page(editor.form.questions[0].name)
    assert page.consent_button.isVisibleTo(page)
    page.consent_button.click()
    panel = editor.consent_panel
    assert isinstance(panel, ConsentPanel)
    note = editor.form.question("consent_text_interview")
    assert note is not None
    assert note.label("ar") in panel.text.text()
    assert note.label("en") not in panel.text.text()
    assert panel.text.layoutDirection() == Qt.LayoutDirection.RightToLeft
    panel.full_button.click()
    assert panel.isFullScreen()
    qtbot.keyClick(panel, Qt.Key.Key_Escape)
    assert not panel.isVisible()


def test_the_toolbar_language_picker_switches_and_keeps_typed_text(qtbot, shell) -> None:
    editor = new_editor(qtbot, shell)
    editor.block("consent_interview").input.buttons["yes"].click()
    combo = shell.workspace.language
    combo.chosen.emit("ar")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert shell.workspace.new_action.text() == _("&New interview")
    assert shell.prefs.language == "ar"
    assert editor.block("consent_interview").input.code() == "yes"


def app_msgids() -> set[str]:
    with POT.open("rb") as handle:
        return {str(m.id) for m in read_po(handle) if m.id and isinstance(m.id, str)}


def english_left(root: QWidget, msgids: set[str]) -> list[str]:
    """Visible app texts still in English although the current catalog translates them."""
    left: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        if text in msgids and _(text) != text:
            left.append(f"{type(widget).__name__} {widget.objectName()!r}: {text!r}")
    return left


def test_every_language_leaves_no_translated_string_in_english(qtbot, shell) -> None:
    msgids = app_msgids()
    editor = new_editor(qtbot, shell)
    editor.side_by_side.toggle.click()
    missed: dict[str, list[str]] = {}
    for code in LANGUAGE_CODES:
        set_language(code)
        left = english_left(shell, msgids)
        if left:
            missed[code] = left
    assert missed == {}
    # The check itself finds English where a translation exists.
    assert _("Interview") != "Interview"
    editor.title.setText("Interview")
    assert english_left(shell, msgids) == ["QLabel 'editor_title': 'Interview'"]

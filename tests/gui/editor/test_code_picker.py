"""Issue 16, defect 5: the country picker records the country that looks selected."""

from __future__ import annotations

import dataclasses
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView

from intake_app.domain.form_loader import load_form_text
from intake_app.ui.editor.code_picker import CodePicker
from tests.helpers.forms import FORM
from tests.helpers.ui import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE


@pytest.fixture(params=[False, True], ids=["one", "several"])
def picker(qtbot, request) -> CodePicker:
    form = load_form_text(json.dumps(FORM), "ui-test-form.json")
    question = form.question("nationality")
    assert question is not None
    widget = CodePicker(form, dataclasses.replace(question, multiple=request.param))
    qtbot.addWidget(widget)
    widget.retranslate("en")
    widget.show()
    widget.combo.setFocus()
    return widget


def _type(qtbot, picker: CodePicker, text: str) -> QAbstractItemView:
    qtbot.keyClicks(picker.combo.line_edit(), text)
    completer = picker.combo.completer()
    assert completer is not None
    popup = completer.popup()
    assert popup.isVisible()
    qtbot.waitUntil(lambda: bool(popup.selectionModel().selectedIndexes()))
    return popup


def _recorded(picker: CodePicker) -> object:
    value = picker.value()
    return value[-1] if isinstance(value, list) else value


def test_what_looks_selected_after_typing_is_selected(qtbot, picker) -> None:
    popup = _type(qtbot, picker, "Nig")
    selected = popup.selectionModel().selectedIndexes()
    assert [index.data() for index in selected] == ["Niger"]
    assert picker.combo.line_edit().text() == "Nig"  # the typed text stays as typed


def test_down_then_enter_records_the_next_country(qtbot, picker) -> None:
    popup = _type(qtbot, picker, "Nig")
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert _recorded(picker) == "NG"  # Nigeria


def test_enter_records_the_first_match(qtbot, picker) -> None:
    popup = _type(qtbot, picker, "Nig")
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert _recorded(picker) == "NE"  # Niger


def test_typing_on_keeps_the_letters(qtbot, picker) -> None:
    _type(qtbot, picker, "Nigeri")
    assert picker.combo.line_edit().text() == "Nigeri"

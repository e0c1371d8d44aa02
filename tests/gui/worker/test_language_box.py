"""Issue 16, defect 8: the toolbar's language box shows the whole name of the language in
every language ("Sooma", "ไทย —", "Englist" before)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QStyle, QStyleOptionComboBox

from intake_app.i18n import LANGUAGE_CODES
from tests.helpers.ui import OFFSCREEN_NOISE, speaking, workspace_shell

pytestmark = OFFSCREEN_NOISE


def _text_room(combo: QComboBox) -> tuple[int, int]:
    """(room for the text, the text's width) in the closed box."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    return field.width(), combo.fontMetrics().horizontalAdvance(combo.shown_text())


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_the_language_box_shows_the_whole_name(qtbot, tmp_path: Path, lang: str) -> None:
    with speaking(lang), workspace_shell(qtbot, tmp_path) as window:
        combo = window.workspace.language
        combo.setFocus()  # fills the list with every language's state, as the worker sees it
        for _ in range(3):
            QApplication.processEvents()
        room, text = _text_room(combo)
        assert room >= text, (combo.shown_text(), room, text)
        for row in range(combo.count()):
            combo.setCurrentIndex(row)
            QApplication.processEvents()
            room, text = _text_room(combo)
            assert room >= text, (combo.shown_text(), room, text)
        # The open list shows each language's whole line.
        widest = max(
            combo.view().fontMetrics().horizontalAdvance(combo.itemText(row))
            for row in range(combo.count())
        )
        assert combo.view().minimumWidth() >= widest

"""Issue 16, defect 17: the withdraw and delete questions name both buttons by their action,
so no "Peru" (Cancel) stands beside "Peru suostumus" (Withdraw consent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.gui.editor.test_editor import give_consent, new_editor
from tests.helpers.ui import OFFSCREEN_NOISE, speaking, workspace_shell

pytestmark = OFFSCREEN_NOISE


@pytest.mark.parametrize("lang", ["en", "fi", "ar", "th"])
@pytest.mark.parametrize("ask", ["ask_withdraw", "ask_delete"])
def test_both_buttons_say_what_they_do(qtbot, tmp_path: Path, lang: str, ask: str) -> None:
    with workspace_shell(qtbot, tmp_path) as shell, speaking(lang):
        editor = new_editor(qtbot, shell)
        give_consent(editor)
        box = getattr(editor.actions_bar, ask)()
        texts = [b.text().replace("&", "") for b in box.buttons()]
        assert len(texts) == 2
        assert box.button(QMessageBox.StandardButton.Cancel) is None
        first_words = [text.split()[0] for text in texts]
        assert len(set(first_words)) == 2, texts  # "Peru" vs "Peru suostumus" no more
        assert box.buttonRole(box.defaultButton()) == QMessageBox.ButtonRole.RejectRole
        box.reject()

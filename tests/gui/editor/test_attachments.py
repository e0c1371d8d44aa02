"""Attachments: add a photo and a larger file, preview the photo from the vault, remove one;
nothing decrypted is ever written to the temp folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox

from intake_app.ui.editor.question_row import QuestionRow
from tests.helpers.ui import OFFSCREEN_NOISE, editor_opened, workspace_shell

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    with workspace_shell(qtbot, tmp_path) as window:
        yield window


def test_attachments_round_trip(qtbot, shell, tmp_path: Path) -> None:
    photo = tmp_path / "outside" / "document-photo.png"
    photo.parent.mkdir()
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    assert image.save(str(photo))
    audio = tmp_path / "outside" / "recording.ogg"
    audio.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    temp_before = set(Path(os.environ["TMPDIR"]).rglob("*"))

    shell.workspace.new_action.trigger()
    editor_opened(qtbot, shell.workspace)
    editor = shell.workspace.editor
    for name in ("consent_interview", "consent_data"):
        block = editor.block(name)
        assert isinstance(block, QuestionRow)
        block.input.buttons["yes"].click()
    editor.show_section("__attachments__")
    panel = editor.attachments
    assert editor.pages.currentWidget() is panel
    panel.add_files([photo, audio])
    qtbot.waitUntil(lambda: panel.count() == 2 and not panel.progress.isVisible(), timeout=20000)
    infos = shell.service.attachments(editor.interview.id)
    assert sorted(i.name for i in infos) == ["document-photo.png", "recording.ogg"]
    assert {i.media_type for i in infos} == {"image/png", "audio/ogg"}
    big = next(i for i in infos if i.name == "recording.ogg")
    assert big.size == audio.stat().st_size
    assert panel.progress.value() == 100

    # Preview the photo from the vault's bytes.
    photo_row = next(r for r in range(panel.list.count()) if "photo" in panel.list.item(r).text())
    panel.list.setCurrentRow(photo_row)
    qtbot.waitUntil(lambda: not panel.preview.pixmap().isNull(), timeout=5000)
    # The audio has no preview.
    panel.list.setCurrentRow(1 - photo_row)
    assert "No preview" in panel.preview.text()
    nav = editor.nav_model
    assert "2 files" in nav.index(nav.row_of("__attachments__"), 0).data()

    # Remove the audio, after confirming.
    box = panel.ask_remove()
    assert isinstance(box, QMessageBox)
    assert box.windowTitle() == "Intake"
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: panel.count() == 1, timeout=5000)
    assert [i.name for i in shell.service.attachments(editor.interview.id)] == [
        "document-photo.png"
    ]
    assert set(Path(os.environ["TMPDIR"]).rglob("*")) == temp_before


@pytest.mark.parametrize("name", ["passport-photo.jpg", "صورة-الجواز.jpg"])
def test_a_file_name_keeps_its_own_direction_in_the_list(name: str) -> None:
    # "passport-photo.jpg (200 كيلوبايت)" came out jumbled in Arabic: the name and the size ran
    # into each other. The name is an isolate of its own, whatever its script.
    from intake_app.i18n import set_language
    from intake_app.ui.editor.attachments import item_text

    set_language("ar")
    try:
        text = item_text(name, 200_000)
    finally:
        set_language("en")
    assert f"\u2068{name}\u2069" in text
    assert text.index("\u2069") < text.index("(")

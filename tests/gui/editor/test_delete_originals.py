"""Issue 16, friction: after adding files, the window offers to delete the originals from the
disk (once their encrypted copies are in the vault), never without a yes, with an honest note
about copies that deleting cannot reach; problems are said in the person's language."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.gui.editor.test_editor import give_consent
from tests.helpers.ui import OFFSCREEN_NOISE, editor_opened, workspace_shell

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def panel(qtbot, tmp_path: Path):
    with workspace_shell(qtbot, tmp_path) as window:
        window.workspace.new_action.trigger()
        editor_opened(qtbot, window.workspace)
        editor = window.workspace.editor
        give_consent(editor)
        editor.show_section("__attachments__")
        yield editor.attachments


def _files(tmp_path: Path, count: int = 2) -> list[Path]:
    folder = tmp_path / "Downloads"
    folder.mkdir()
    paths = [folder / f"document-{n}.jpg" for n in range(count)]
    for path in paths:
        path.write_bytes(os.urandom(70_000))
    return paths


def _offer(qtbot, panel, paths: list[Path]) -> QMessageBox:
    panel.add_files(paths)
    qtbot.waitUntil(lambda: panel.offer is not None and panel.offer.isVisible(), timeout=20000)
    # Asked only once every copy is committed in the vault.
    assert panel.count() == len(paths)
    return panel.offer


def test_yes_overwrites_and_deletes_the_originals(qtbot, panel, tmp_path: Path) -> None:
    paths = _files(tmp_path)
    box = _offer(qtbot, panel, paths)
    assert "2 files are now stored encrypted" in box.text()
    detail = box.informativeText()
    assert all(path.name in detail for path in paths)
    assert "cloud" in detail and "USB sticks" in detail and "backups" in detail
    assert box.defaultButton().objectName() == "delete_originals_keep"
    assert all(path.exists() for path in paths)  # nothing before the yes
    yes = next(b for b in box.buttons() if b.objectName() == "delete_originals_yes")
    assert yes.text() == "&Delete the originals"
    assert yes.accessibleName() == "Delete the originals"
    yes.click()
    qtbot.waitUntil(lambda: not any(path.exists() for path in paths), timeout=10000)
    qtbot.waitUntil(lambda: "2 originals were overwritten" in panel.note.text(), timeout=5000)
    assert panel.count() == 2  # the copies in the vault stay


def test_keep_and_escape_delete_nothing(qtbot, panel, tmp_path: Path) -> None:
    [path] = _files(tmp_path, 1)
    box = _offer(qtbot, panel, [path])
    assert "The file is now stored encrypted" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
    assert path.exists() and not panel.note.text() and not panel.error.text()


def test_a_file_changed_meanwhile_is_not_deleted_and_the_reason_is_said(
    qtbot, panel, tmp_path: Path
) -> None:
    [path] = _files(tmp_path, 1)
    box = _offer(qtbot, panel, [path])
    path.write_bytes(b"someone saved another picture here")
    next(b for b in box.buttons() if b.objectName() == "delete_originals_yes").click()
    qtbot.waitUntil(lambda: "was not deleted" in panel.error.text(), timeout=10000)
    assert path.read_bytes() == b"someone saved another picture here"
    assert path.name in panel.error.text()

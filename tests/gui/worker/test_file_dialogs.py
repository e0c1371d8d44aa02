"""Issue 16, defect 10: file dialogs speak the worker's language, show paths and file patterns
left to right in Arabic, and open in the documents folder or the folder used last (a folder is
remembered, never a file's name); paths in right-to-left messages are kept in one piece."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLabel, QLineEdit

from intake_app.i18n.formatting import LRI, PDI, isolate
from intake_app.ui import file_dialogs
from tests.helpers.ui import OFFSCREEN_NOISE, speaking, workspace_shell

pytestmark = OFFSCREEN_NOISE


def _dialog(qtbot) -> QFileDialog:
    dialog = file_dialogs.make_dialog(
        None, "x", QFileDialog.FileMode.ExistingFile, "Centre profile (*.json);;All files (*)"
    )
    qtbot.addWidget(dialog)
    return dialog


@pytest.mark.parametrize("lang", ["fi", "ar"])
def test_the_dialog_is_in_the_workers_language(qtbot, lang: str) -> None:
    with speaking(lang):
        dialog = _dialog(qtbot)
        look_in = dialog.findChild(QLabel, "lookInLabel")
        file_type = dialog.findChild(QLabel, "fileTypeLabel")
        assert look_in is not None and file_type is not None
        assert look_in.text() not in ("Look in:", "")
        assert file_type.text() not in ("Files of type:", "")


def test_paths_and_patterns_read_left_to_right_in_arabic(qtbot) -> None:
    with speaking("ar"):
        dialog = _dialog(qtbot)
        assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
        for name, kind in (
            ("lookInCombo", QComboBox),
            ("fileTypeCombo", QComboBox),
            ("fileNameEdit", QLineEdit),
        ):
            widget = dialog.findChild(kind, name)
            assert widget is not None, name
            assert widget.layoutDirection() == Qt.LayoutDirection.LeftToRight, name


def test_the_first_dialog_opens_in_the_documents_folder_not_the_programs(
    qtbot, tmp_path: Path
) -> None:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    Path(documents).mkdir(parents=True, exist_ok=True)
    dialog = _dialog(qtbot)
    assert Path(dialog.directory().absolutePath()) == Path(documents).resolve()
    assert Path(dialog.directory().absolutePath()) != Path.cwd()


def test_the_folder_used_last_is_remembered_never_the_file(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    chosen = folder / "Fictional Person.json"
    chosen.write_text("{}", encoding="utf-8")

    def pick() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(chosen))
        dialog.accept()

    QTimer.singleShot(0, pick)
    assert file_dialogs.choose_file(None, "x", "All files (*)") == str(chosen)
    saved = QSettings().value(file_dialogs.LAST_FOLDER_KEY)
    assert saved == str(folder) and "Fictional" not in str(saved)
    dialog = _dialog(qtbot)
    assert Path(dialog.directory().absolutePath()) == folder


def test_isolate_only_in_right_to_left_languages() -> None:
    assert isolate("/tmp/ux/src", in_lang="ar") == LRI + "/tmp/ux/src" + PDI
    assert isolate("/tmp/ux/src", in_lang="fa-AF") == LRI + "/tmp/ux/src" + PDI
    assert isolate(Path("/tmp/ux/src"), in_lang="fi") == "/tmp/ux/src"


def test_a_folder_in_an_arabic_message_is_isolated(qtbot, tmp_path: Path) -> None:
    with speaking("ar"), workspace_shell(qtbot, tmp_path) as window:
        folder = tmp_path / "ux" / "src"
        folder.mkdir(parents=True)
        window.workspace.export_to_folder(folder)
        assert LRI + str(folder) + PDI in window.workspace.message.text()

"""File and folder dialogs: Qt's own dialog (translated with Qt's catalogs, the same on every
platform), starting in the folder last used or the person's documents, never the program's
folder, with paths and file patterns read left to right in right-to-left languages.

The last folder is remembered in QSettings: a folder is not personal data; a file's name may
be (a photo named after a person), so it is never kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QLineEdit, QWidget

LAST_FOLDER_KEY = "dialogs/last_folder"
# Widgets inside Qt's dialog that show a path or a file pattern.
_LEFT_TO_RIGHT = ("lookInCombo", "fileNameEdit", "fileTypeCombo")
# Characters no file name may hold on one system or another (a suggested name is translated).
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def start_folder() -> str:
    """The folder used last (if it still exists), else the person's documents, else home."""
    saved = QSettings().value(LAST_FOLDER_KEY, "", type=str)
    if saved and Path(str(saved)).is_dir():
        return str(saved)
    for location in (
        QStandardPaths.StandardLocation.DocumentsLocation,
        QStandardPaths.StandardLocation.HomeLocation,
    ):
        folder = QStandardPaths.writableLocation(location)
        if folder and Path(folder).is_dir():
            return folder
    return str(Path.home())


def remember_folder(chosen: str | Path) -> None:
    """Remember the folder of what was chosen (a folder itself, or a file's folder)."""
    path = Path(chosen)
    folder = path if path.is_dir() else path.parent
    if str(folder) and folder.is_dir():
        QSettings().setValue(LAST_FOLDER_KEY, str(folder))


def make_dialog(
    parent: QWidget | None, title: str, mode: QFileDialog.FileMode, name_filter: str = ""
) -> QFileDialog:
    """A dialog ready to show (not shown): `mode` says file(s) or folder."""
    dialog = QFileDialog(parent, title, start_folder())
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(mode)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if name_filter:
        dialog.setNameFilter(name_filter)
    for name in _LEFT_TO_RIGHT:
        for widget in dialog.findChildren(QComboBox, name) + dialog.findChildren(QLineEdit, name):
            widget.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    return dialog


def _run(dialog: QFileDialog) -> list[str]:
    chosen = dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []
    if chosen:
        remember_folder(chosen[0])
    dialog.deleteLater()
    return chosen


def choose_folder(parent: QWidget | None, title: str) -> str:
    """Ask for a folder; "" when the person cancels."""
    chosen = _run(make_dialog(parent, title, QFileDialog.FileMode.Directory))
    return chosen[0] if chosen else ""


def choose_file(parent: QWidget | None, title: str, name_filter: str) -> str:
    """Ask for one existing file; "" when the person cancels."""
    chosen = _run(make_dialog(parent, title, QFileDialog.FileMode.ExistingFile, name_filter))
    return chosen[0] if chosen else ""


def choose_files(parent: QWidget | None, title: str, name_filter: str) -> list[str]:
    """Ask for existing files; [] when the person cancels."""
    return _run(make_dialog(parent, title, QFileDialog.FileMode.ExistingFiles, name_filter))


def choose_new_file(parent: QWidget | None, title: str, name_filter: str, suggested: str) -> str:
    """Ask where to save a file (Qt's dialog asks before replacing one); "" when the person
    cancels. `suggested` is the file's name proposed in the starting folder; its extension is
    added when the person types a name without one (a translated name's slashes and other
    characters no file name may hold become "-")."""
    suggested = _UNSAFE_IN_NAME.sub("-", suggested).strip() or "file"
    dialog = make_dialog(parent, title, QFileDialog.FileMode.AnyFile, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(Path(suggested).suffix.lstrip("."))
    dialog.selectFile(suggested)
    chosen = _run(dialog)
    return chosen[0] if chosen else ""

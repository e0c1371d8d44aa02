"""The files attached to an imported interview: listed with their size, photos shown from the
centre vault's bytes in memory (never a decrypted temporary file), any file saved as a copy
only after a warning that the copy is in clear, outside the vault."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeDatabase, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.formatting import format_size
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.sync.format import escape_hidden
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import MessageLine
from intake_app.ui.tasks import when_done

INFO_ROLE = Qt.ItemDataRole.UserRole
PREVIEW_LIMIT = 64 * 1024 * 1024  # larger photos are saved as a copy, not shown
PREVIEW_SIZE = (960, 540)  # the largest a photo is drawn at first (the dialog fits 1280×720)


def attachment_title(info: Any) -> str:
    """How a file is named on screen and in the referral: its name, or (bundles carry none)
    its kind and the start of its SHA-256."""
    if info.name:
        return escape_hidden(info.name)
    return _("{kind} file {id}", kind=escape_hidden(str(info.media_type)), id=info.sha256[:8])


def file_name_for(info: Any) -> str:
    """A name to offer when saving a copy: the file's own, else one from its kind."""
    if info.name:
        return Path(escape_hidden(info.name)).name
    suffix = QMimeDatabase().mimeTypeForName(str(info.media_type)).preferredSuffix()
    return f"attachment-{info.sha256[:8]}" + (f".{suffix}" if suffix else "")


def is_image(info: Any) -> bool:
    return str(info.media_type).startswith("image/") and int(info.size) <= PREVIEW_LIMIT


class ImagePreview(QDialog):
    """One photo, decoded in memory; closed (with everything shown) when the centre locks."""

    def __init__(self, image: QImage, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachment_preview")
        self.setWindowTitle(WINDOW_TITLE)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.name = QLabel(name, self)
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.picture = QLabel(self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = QPixmap.fromImage(image)
        if pixmap.width() > PREVIEW_SIZE[0] or pixmap.height() > PREVIEW_SIZE[1]:
            pixmap = pixmap.scaled(*PREVIEW_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(pixmap)
        scroll = QScrollArea(self)
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.name)
        column.addWidget(scroll, 1)
        column.addWidget(buttons)
        self.picture.setAccessibleName(_("Attached photo"))
        self.resize(min(pixmap.width() + 48, 1000), min(pixmap.height() + 120, 660))


class AttachmentsBox(QGroupBox):
    """The attached files of the interview shown; empty (and hidden) when there are none."""

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.preview: ImagePreview | None = None
        self.list = QListWidget(self)
        self.list.setObjectName("centre_attachments")
        self.list.setMaximumHeight(110)
        self.show_button = QPushButton(self)
        self.save_button = QPushButton(self)
        self.message = MessageLine(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.list)
        column.addLayout(buttons)
        column.addWidget(self.message)
        self.show_button.clicked.connect(self.show_current)
        self.save_button.clicked.connect(self.ask_save_current)
        self.list.currentItemChanged.connect(lambda *_args: self._update_buttons())
        self.list.itemActivated.connect(lambda _item: self._open_current())
        self._infos: list[Any] = []
        self._update_buttons()
        register(self)

    def retranslate(self) -> None:
        self.setTitle(_("Attached files ({count})", count=len(self._infos)))
        self.list.setAccessibleName(_("Attached files"))
        self.show_button.setText(_("Show the photo"))
        self.show_button.setAccessibleName(_("Show the selected photo"))
        self.save_button.setText(_("Save a copy…"))
        self.save_button.setAccessibleName(_("Save a copy of the selected file"))
        self._fill()

    def set_attachments(self, infos: list[Any] | tuple[Any, ...]) -> None:
        """Show these files (AttachmentInfo rows of one interview)."""
        self._infos = list(infos)
        self.message.show_message("")
        self.setVisible(bool(self._infos))
        self.retranslate()
        if self._infos:
            self.list.setCurrentRow(0)

    def _fill(self) -> None:
        row = self.list.currentRow()
        self.list.clear()
        for info in self._infos:
            item = QListWidgetItem(_("{name} ({size})", name=attachment_title(info),
                                     size=format_size(int(info.size))))
            item.setData(INFO_ROLE, info)
            self.list.addItem(item)
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)
        self._update_buttons()

    def current(self) -> Any | None:
        item = self.list.currentItem()
        return None if item is None else item.data(INFO_ROLE)

    def _update_buttons(self) -> None:
        info = self.current()
        self.show_button.setEnabled(info is not None and is_image(info))
        self.save_button.setEnabled(info is not None)

    def _open_current(self) -> None:
        info = self.current()
        if info is not None and is_image(info):
            self.show_current()
        elif info is not None:
            self.ask_save_current()

    # -- photos, in memory ------------------------------------------------------------------------

    def show_current(self) -> None:
        """Decrypt the selected photo into memory and show it."""
        info = self.current()
        if info is None or not is_image(info):
            return
        self.message.show_message(_("Loading…"))
        when_done(self._service.read_attachment(info.sha256, PREVIEW_LIMIT),
                  lambda data: self._show_image(info, data), self._failed, owner=self,
                  context="centre photo")

    def _show_image(self, info: Any, data: object) -> None:
        assert isinstance(data, bytes)
        image = QImage()
        if not image.loadFromData(data):
            self.message.show_message(_("This photo cannot be shown. Save a copy to open it "
                                        "with another program."))
            return
        self.message.show_message("")
        self.preview = ImagePreview(image, attachment_title(info), self.window())
        self.preview.open()

    # -- copies, in clear -------------------------------------------------------------------------

    def ask_save_current(self) -> QMessageBox | None:
        """Warn that a copy is in clear; if the administrator goes on, ask where to save it."""
        info = self.current()
        if info is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, WINDOW_TITLE, _(
            "The copy is saved in clear, outside the centre's vault: anyone who can read that "
            "folder can open it. Save it only where the centre keeps personal data, and delete "
            "it when it is no longer needed."), QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("clear_copy_warning")
        go_on = box.addButton(_("Save a copy…"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: self._choose_place(info)
                             if box.clickedButton() is go_on else None)
        box.open()
        return box

    def _choose_place(self, info: Any) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, WINDOW_TITLE, file_name_for(info))
        if name:
            self.save_copy(info, Path(name))

    def save_copy(self, info: Any, path: Path) -> None:
        """Write the decrypted copy to `path` (after the warning)."""
        self.message.show_message(_("Saving a copy…"))
        when_done(self._service.save_attachment(info.sha256, path),
                  lambda _size: self.message.show_message(
                      _("A copy was saved to {file}. It is not encrypted.", file=str(path))),
                  self._failed, owner=self, context="centre attachment copy")

    def _failed(self, error: KnownError) -> None:
        self.message.show_message(error.translated())

    def clear(self) -> None:
        self.set_attachments([])

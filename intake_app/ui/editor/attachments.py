"""Attachments of an interview: add files from disk (streamed into the vault with progress),
preview images from the vault's bytes in memory (never a decrypted temp file), remove."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeDatabase, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.formatting import format_size, own_direction
from intake_app.i18n.qt import register
from intake_app.services.original_files import Original
from intake_app.services.worker import WorkerService
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import Heading, MessageLine
from intake_app.ui.editor.original_offer import ask_to_delete
from intake_app.ui.file_dialogs import choose_files
from intake_app.ui.tasks import progress_relay, when_done

SHA_ROLE = Qt.ItemDataRole.UserRole
TYPE_ROLE = Qt.ItemDataRole.UserRole + 1
PREVIEW_LIMIT = 64 * 1024 * 1024


def item_text(name: str, size: int) -> str:
    """A file in the list: its name, in its own direction, and its size."""
    return _("{name} ({size})", name=own_direction(name), size=format_size(size))


class AttachmentPanel(QWidget):
    """The attachments page of the editor; `count_changed(n)` after adds and removals."""

    count_changed = Signal(int)

    def __init__(
        self,
        service: WorkerService,
        record_id: str,
        ensure_saved: Callable[[], None],
        parent: QWidget | None = None,
        *,
        infos: Sequence[Any] | None = None,
    ) -> None:
        """`infos`: the files attached, when read already (with the interview, in the
        background); without them the list is read from the vault here."""
        super().__init__(parent)
        self._service = service
        self._record_id = record_id
        self._ensure_saved = ensure_saved
        self._queue: list[Path] = []
        self._adding: Path | None = None
        self._added_now: list[Original] = []  # committed in the vault, originals not asked about
        self.offer: QMessageBox | None = None
        self._infos: list[Any] = []
        self._reading: object | None = None  # the reading of the list waited for
        self._removing = 0  # removals on their way to the vault
        self._read_only = False
        self.title = Heading(1.4, self)
        self.list = QListWidget(self)
        self.list.setObjectName("attachments")
        self.list.currentItemChanged.connect(self._selected)
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self.ask_remove)
        self.remove_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.error = MessageLine(self)
        self.note = MessageLine(self, error=False)
        self.preview = QLabel(self)
        self.preview.setObjectName("preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(240, 120)  # more would not fit a small laptop's screen
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._progress = progress_relay(self._moved, owner=self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addWidget(self.preview, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addWidget(self.note)
        layout.addLayout(body, 1)
        register(self)
        if infos is None:
            self.reload()
        else:
            self._infos = list(infos)
            self._fill()

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title.setText(_("Attachments"))
        self.add_button.setText(_("&Add files…"))
        self.add_button.setAccessibleName(_("Add files"))
        self.remove_button.setText(_("&Remove…"))
        self.remove_button.setAccessibleName(_("Remove the selected file"))
        self.list.setAccessibleName(_("Attached files"))
        self.progress.setAccessibleName(_("Adding the file"))
        self.preview.setAccessibleName(_("Preview"))
        if self.preview.pixmap().isNull():
            self.preview.setText(_("Select a photo to see it here."))
        self._fill()

    def set_read_only(self, read_only: bool) -> None:
        """A finished interview: its files can be looked at, not added or removed."""
        self._read_only = read_only
        self.add_button.setEnabled(not read_only and not self.progress.isVisible())
        self.remove_button.setEnabled(not read_only and self.list.currentItem() is not None)

    def count(self) -> int:
        """How many files are attached."""
        return len(self._infos)

    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Read the attachment list from the vault again, in the background (queued behind
        the change that asked for it); `count_changed` when it is read, then `then()`. The
        reading asked for last is the one shown."""
        reading = self._reading = object()
        when_done(
            self._service.read_attachments(self._record_id),
            lambda infos: self._listed(reading, infos, then),
            # A new interview has none in the vault yet.
            lambda _error: self._listed(reading, [], then),
            owner=self,
            context="reading the attached files",
        )

    def _listed(
        self, reading: object, infos: list[Any], then: Callable[[], None] | None
    ) -> None:
        if reading is self._reading:  # else a later reading was asked for
            self._reading = None
            self._infos = list(infos)
            self._fill()
            self.count_changed.emit(self.count())
        if then is not None:
            then()

    def _fill(self) -> None:
        current = self.list.currentItem()
        keep = current.data(SHA_ROLE) if current is not None else None
        self.list.blockSignals(True)
        self.list.clear()
        for info in self._infos:
            item = QListWidgetItem(
                item_text(info.name, info.size)
            )
            item.setData(SHA_ROLE, info.sha256)
            item.setData(TYPE_ROLE, info.media_type)
            self.list.addItem(item)
            if info.sha256 == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self.remove_button.setEnabled(not self._read_only and self.list.currentItem() is not None)

    # -- adding ---------------------------------------------------------------------------------

    def choose_files(self) -> None:
        """Ask for files with the file dialog, then add them."""
        paths = choose_files(
            self,
            _("Add files"),
            _(
                "Photos, audio and documents (*.jpg *.jpeg *.png *.heic *.webp *.gif *.bmp *.tif "
                "*.tiff *.mp3 *.m4a *.ogg *.opus *.wav *.aac *.amr *.pdf *.txt);;All files (*)"
            ),
        )
        if paths:
            self.add_files([Path(path) for path in paths])

    def add_files(self, paths: Sequence[Path]) -> None:
        """Stream each file into the vault, one after another, showing progress."""
        try:
            self._ensure_saved()
        except KnownError as error:
            self.error.show_message(error.translated())
            return
        self._queue.extend(paths)
        if not self.progress.isVisible():
            self._next()

    def _next(self) -> None:
        if not self._queue:
            self.progress.hide()
            self.add_button.setEnabled(not self._read_only)
            self._offer_to_delete()
            return
        path = self._queue.pop(0)
        self._adding = path
        self.add_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.error.show_message("")
        media_type = QMimeDatabase().mimeTypeForFile(str(path)).name()
        future = self._service.add_attachment(self._record_id, path, media_type, self._progress)
        when_done(future, self._added, self._add_failed, owner=self, context="adding a file")

    def _moved(self, done: int, total: int) -> None:
        self.progress.setValue(100 if total <= 0 else min(100, done * 100 // total))

    def _added(self, info: Any) -> None:
        if self._adding is not None:  # its copy is committed: the original may go, if asked
            self._added_now.append(Original(self._adding, info.sha256, info.size))
        self.reload(then=self._next)  # the list and its count first, the next file after

    def _add_failed(self, error: KnownError) -> None:
        self.error.show_message(error.translated())
        self._next()

    def _offer_to_delete(self) -> None:
        """Once the files are in the vault: ask whether to delete their originals."""
        originals, self._added_now = self._added_now, []
        if originals:
            self.offer = ask_to_delete(self, originals, self._deletion_said)

    def _deletion_said(self, text: str, problem: bool) -> None:
        self.note.show_message("" if problem else text)
        self.error.show_message(text if problem else "")

    # -- preview and removing -------------------------------------------------------------------

    def _selected(self, item: QListWidgetItem | None, _previous: object) -> None:
        self.remove_button.setEnabled(not self._read_only and item is not None)
        self.preview.clear()
        if item is None:
            return
        if not str(item.data(TYPE_ROLE)).startswith("image/"):
            self.preview.setText(_("No preview for this kind of file."))
            return
        self.preview.setText(_("Loading…"))
        sha = str(item.data(SHA_ROLE))
        when_done(
            self._service.read_attachment(sha, PREVIEW_LIMIT),
            lambda data: self._show_image(sha, data),
            lambda error: self.preview.setText(error.translated()),
            owner=self,
            context="image preview",
        )

    def _show_image(self, sha: str, data: bytes) -> None:
        current = self.list.currentItem()
        if current is None or current.data(SHA_ROLE) != sha:
            return  # another file was selected meanwhile
        image = QImage()
        if not image.loadFromData(data):
            self.preview.setText(_("This photo cannot be shown."))
            return
        pixmap = QPixmap.fromImage(image).scaled(
            self.preview.size(),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.preview.setPixmap(pixmap)

    def ask_remove(self) -> QMessageBox | None:
        """Ask, then remove the selected file."""
        item = self.list.currentItem()
        if item is None:
            return None
        sha = str(item.data(SHA_ROLE))
        box = QMessageBox(
            QMessageBox.Icon.Question,
            WINDOW_TITLE,
            _("Remove the selected file from this interview?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda button: self.remove(sha) if button == QMessageBox.StandardButton.Yes else None
        )
        box.open()
        return box

    def remove(self, sha: str) -> None:
        """Remove one attachment, in the background: "Removing…" and the buttons disabled
        until it is gone from the vault; the list then is read again."""
        self._removing += 1
        self.add_button.setEnabled(False)
        self.remove_button.setEnabled(False)
        self.error.show_message("")
        self.note.show_message(_("Removing the file…"))
        when_done(
            self._service.queue_attachment_removal(self._record_id, sha),
            lambda _none: self._removed(sha, None),
            lambda error: self._removed(sha, error),
            owner=self,
            context="removing a file",
        )

    def _removed(self, sha: str, error: KnownError | None) -> None:
        self._removing -= 1
        if not self._removing:
            self.note.show_message("")
            self.add_button.setEnabled(not self._read_only and not self.progress.isVisible())
        if error is not None:
            self.error.show_message(error.translated())
            self._fill()  # the remove button again
            return
        current = self.list.currentItem()
        if current is None or current.data(SHA_ROLE) == sha:
            self.preview.clear()
        self.reload()  # the list, and its count

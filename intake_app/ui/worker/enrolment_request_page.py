"""After the centre profile is accepted: show this laptop's key fingerprint, write the request.

The administrator approves the laptop at the centre after comparing the key fingerprint the
centre shows with the one on this screen. The signed request goes into the share's `enrol/`
folder, or into any folder the worker picks (a USB stick to hand over).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.formatting import isolate
from intake_app.i18n.qt import register
from intake_app.services.enrolment import Enrolment, write_enrolment_request
from intake_app.services.worker import WorkerService
from intake_app.ui.common import Heading, MessageLine, code_label, wrap_text
from intake_app.ui.file_dialogs import choose_folder
from intake_app.ui.scroll_page import scrolling
from intake_app.ui.tasks import when_done


class EnrolmentRequestPage(QWidget):
    """Emits `finished()` when the worker is done (written or not: it can be done later)."""

    finished = Signal()

    def __init__(self, service: WorkerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._enrolment: Enrolment | None = None
        self._written: Path | None = None
        self._writing = False
        body = QWidget(self)
        self.title = Heading(parent=body)
        self.intro = QLabel(body)
        wrap_text(self.intro)
        self.centre = QLabel(body)
        wrap_text(self.centre)
        self.centre.setObjectName("request_centre")
        self.key_caption = QLabel(body)
        wrap_text(self.key_caption)
        self.key = code_label(body, 1.3)
        self.key.setWordWrap(False)  # five short groups: never broken, never cut
        self.key.setObjectName("key_fingerprint")
        self.share_button = QPushButton(body)
        self.share_button.clicked.connect(lambda: self.write(None))
        self.folder_button = QPushButton(body)
        self.folder_button.clicked.connect(self.choose_folder)
        self.busy = QProgressBar(body)
        self.busy.setRange(0, 0)  # a share gives no progress; two small files
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status = MessageLine(body, error=False)
        self.error = MessageLine(body)
        self.finish_button = QPushButton(self)
        self.finish_button.setDefault(True)
        self.finish_button.clicked.connect(self.finished.emit)
        key_row = QHBoxLayout()  # mirrored in right-to-left languages; the key reads LTR
        key_row.addWidget(self.key)
        key_row.addStretch(1)
        # One above the other: side by side they are too wide at large text sizes.
        write_rows = QVBoxLayout()
        write_rows.addWidget(self.share_button, 0, Qt.AlignmentFlag.AlignLeading)
        write_rows.addWidget(self.folder_button, 0, Qt.AlignmentFlag.AlignLeading)
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(12)
        content.addWidget(self.title)
        content.addWidget(self.intro)
        content.addWidget(self.centre)
        content.addWidget(self.key_caption)
        content.addLayout(key_row)
        content.addStretch(1)
        finish_row = QHBoxLayout()
        finish_row.addStretch(1)
        finish_row.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(body, self), 1)
        # The actions and what they did stay in sight below the texts, which scroll on a small
        # screen: the USB button was hidden below a scroll bar.
        layout.addLayout(write_rows)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addLayout(finish_row)
        self._enable()
        register(self)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title.setText(_("Send the enrolment request to your centre"))
        self.intro.setText(
            _(
                "Your administrator approves this laptop at the centre. Write the enrolment "
                "request to the centre's share, or to a USB stick that you give to your "
                "administrator. Before approving, your administrator compares the key "
                "fingerprint below with the one the centre shows."
            )
        )
        self.key_caption.setText(_("This laptop's key fingerprint:"))
        self.key.setAccessibleName(_("This laptop's key fingerprint"))
        self.share_button.setText(_("Write to the centre's &share"))
        self.share_button.setAccessibleName(_("Write the request to the centre's share"))
        self.folder_button.setText(_("Write to a f&older or USB stick…"))
        self.folder_button.setAccessibleName(_("Write the request to a folder or USB stick"))
        self.busy.setAccessibleName(_("Writing the enrolment request"))
        self.finish_button.setText(_("&Done"))
        self.finish_button.setAccessibleName(_("Done"))
        self._show_texts()

    def show_enrolment(self, enrolment: Enrolment) -> None:
        """Show the centre and this laptop's key fingerprint; forget an earlier outcome."""
        self._enrolment = enrolment
        self._written = None
        self.error.show_message("")
        self._show_texts()
        self._enable()

    def _show_texts(self) -> None:
        enrolment = self._enrolment
        if enrolment is None:
            self.centre.clear()
            self.key.clear()
        else:
            self.centre.setText(
                _(
                    "Centre: {name}\nShare: {share}",
                    name=enrolment.centre_name,
                    share=isolate(enrolment.share),
                )
            )
            self.key.setText(enrolment.key_fingerprint)
        if self._writing:
            self.status.show_message(_("Writing the enrolment request…"))
        elif self._written is not None:
            self.status.show_message(
                _(
                    "The enrolment request was written to {folder}. Tell your administrator it "
                    "is there, and read out the key fingerprint when they ask.",
                    folder=isolate(self._written.parent),
                )
            )
        else:
            self.status.show_message("")

    def choose_folder(self) -> None:
        """Ask for a folder (a USB stick) and write the request there."""
        folder = choose_folder(self, _("Folder for the enrolment request"))
        if folder:
            self.write(Path(folder))

    def write(self, folder: Path | None) -> None:
        """Write the request into `folder`, or the share's `enrol/` folder (off the GUI thread)."""
        if self._enrolment is None or self._writing:
            return
        self._writing = True
        self._written = None
        self.error.show_message("")
        self._enable()
        self._show_texts()
        when_done(
            write_enrolment_request(self._service, folder),
            self._wrote,
            self._failed,
            owner=self,
            context="writing the enrolment request",
        )

    def _wrote(self, path: object) -> None:
        assert isinstance(path, Path)
        self._writing = False
        self._written = path
        self._enable()
        self._show_texts()
        self.finish_button.setFocus()

    def _failed(self, error: KnownError) -> None:
        self._writing = False
        self._enable()
        self._show_texts()
        self.error.show_message(error.translated())
        self.share_button.setFocus()

    def _enable(self) -> None:
        ready = self._enrolment is not None and not self._writing
        self.share_button.setEnabled(ready)
        self.folder_button.setEnabled(ready)
        self.finish_button.setEnabled(not self._writing)
        self.busy.setVisible(self._writing)

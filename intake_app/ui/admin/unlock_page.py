"""The administrator's unlock page: the centre's passphrase, nothing else."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.ui.common import Heading, MessageLine, PassphraseEdit
from intake_app.ui.tasks import when_done


class UnlockPage(QWidget):
    """Emits `unlocked(centre name)` once the centre vault is open."""

    unlocked = Signal(str)

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.title = Heading(2.0, self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label = QLabel(self)
        self.passphrase = PassphraseEdit(self)
        self.label.setBuddy(self.passphrase)
        self.open_button = QPushButton(self)
        self.open_button.setDefault(True)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.error = MessageLine(self)
        column = QVBoxLayout(self)
        column.addStretch(1)
        for widget in (self.title, self.label, self.passphrase, self.open_button, self.busy,
                       self.error):
            column.addWidget(widget)
        column.addStretch(2)
        self.open_button.clicked.connect(self.open_centre)
        self.passphrase.returnPressed.connect(self.open_centre)
        register(self)

    def retranslate(self) -> None:
        self.title.setText(_("Reception centre"))
        self.label.setText(_("Centre passphrase"))
        self.open_button.setText(_("Open"))
        self.open_button.setAccessibleName(_("Open the centre"))
        self.busy.setAccessibleName(_("Opening the centre"))

    def open_centre(self) -> None:
        """Unlock with the typed passphrase (on the service's thread)."""
        passphrase = self.passphrase.text()
        if not passphrase or self.busy.isVisible():
            return
        self.busy.show()
        self.error.show_message("")
        self.open_button.setEnabled(False)
        when_done(self._service.unlock(passphrase), self._opened, self._failed, owner=self,
                  context="centre unlock")

    def _opened(self, name: object) -> None:
        self.busy.hide()
        self.open_button.setEnabled(True)
        self.passphrase.clear()
        self.unlocked.emit(str(name))

    def _failed(self, error: KnownError) -> None:
        self.busy.hide()
        self.open_button.setEnabled(True)
        self.passphrase.selectAll()
        self.error.show_message(error.translated())

    def reset(self) -> None:
        """Back to an empty field after locking."""
        self.passphrase.clear()
        self.error.show_message("")
        self.passphrase.setFocus()

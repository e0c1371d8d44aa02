"""The optional last step of first start: connect this laptop to the reception centre.

The administrator gives the worker the centre's profile file and reads its fingerprint out;
the worker picks the file, compares, and accepts. It can also be done later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSysInfo, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.services.centre import accept_centre_profile, read_centre_profile
from intake_app.services.worker_service import WorkerService
from intake_app.ui.common import Heading, MessageLine, wrap_text
from intake_app.ui.tasks import when_done


class CentreProfileStep(QWidget):
    """Emits `done(accepted)` after accepting a profile (True) or choosing "Later" (False)."""

    done = Signal(bool)

    def __init__(self, service: WorkerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._profile: Any = None
        self.title = Heading(parent=self)
        self.intro = QLabel(self)
        wrap_text(self.intro)
        self.choose_button = QPushButton(self)
        self.choose_button.clicked.connect(self.choose_file)
        self.centre = QLabel(self)
        wrap_text(self.centre)
        self.centre.setObjectName("centre_details")
        self.device_name = QLineEdit(self)
        self.device_name.setText(QSysInfo.machineHostName())
        self.worker = QLineEdit(self)
        self.fingerprint = QLineEdit(self)
        self.labels = [QLabel(self) for _ in range(3)]
        form = QFormLayout()
        for label, field in zip(
            self.labels, (self.device_name, self.worker, self.fingerprint), strict=True
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        self.error = MessageLine(self)
        self.later_button = QPushButton(self)
        self.later_button.clicked.connect(lambda: self.done.emit(False))
        self.accept_button = QPushButton(self)
        self.accept_button.setEnabled(False)
        self.accept_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignLeading)
        layout.addWidget(self.centre)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        register(self)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title.setText(_("Connect this laptop to your reception centre"))
        self.intro.setText(
            _(
                "Your administrator gives you the centre's profile file and reads its fingerprint "
                "out to you. You can also do this later."
            )
        )
        self.choose_button.setText(_("C&hoose the centre profile file…"))
        self.choose_button.setAccessibleName(_("Choose the centre profile file"))
        self.labels[0].setText(_("&Name of this laptop:"))
        self.labels[1].setText(_("Your &worker code:"))
        self.labels[2].setText(_("&Fingerprint you were told (optional):"))
        self.device_name.setAccessibleName(_("Name of this laptop"))
        self.worker.setAccessibleName(_("Your worker code"))
        self.fingerprint.setAccessibleName(_("Fingerprint you were told"))
        self.later_button.setText(_("&Later"))
        self.later_button.setAccessibleName(_("Later"))
        self.accept_button.setText(_("&Accept the centre"))
        self.accept_button.setAccessibleName(_("Accept the centre"))
        self._show_profile()

    def choose_file(self) -> None:
        """Ask for the profile file with the file dialog."""
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Centre profile"), "", _("Centre profile (*.json);;All files (*)")
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Read the profile and show which centre it is and its fingerprint."""
        try:
            self._profile = read_centre_profile(path)
        except KnownError as error:
            self._profile = None
            self.error.show_message(error.translated())
        else:
            self.error.show_message("")
        self._show_profile()

    def _show_profile(self) -> None:
        profile = self._profile
        self.accept_button.setEnabled(profile is not None)
        if profile is None:
            self.centre.clear()
            return
        self.centre.setText(
            _(
                "Centre: {name}\nFingerprint: {fingerprint}\nCompare the fingerprint with the one "
                "your administrator reads out.",
                name=profile.profile.name,
                fingerprint=profile.fingerprint,
            )
        )

    def accept(self) -> None:
        """Store the profile and make this laptop's key (off the GUI thread)."""
        if self._profile is None:
            return
        self.accept_button.setEnabled(False)
        future = accept_centre_profile(
            self._service,
            self._profile,
            device_name=self.device_name.text(),
            worker=self.worker.text(),
            expected_fingerprint=self.fingerprint.text().strip() or None,
        )
        when_done(future, self._accepted, self._failed, owner=self, context="centre profile")

    def _accepted(self, _identity: object) -> None:
        self.done.emit(True)

    def _failed(self, error: KnownError) -> None:
        self.error.show_message(error.translated())
        self.accept_button.setEnabled(True)

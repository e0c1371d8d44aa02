"""The optional last step of first start: connect this laptop to the reception centre.

The administrator gives the worker the centre's profile file and reads its fingerprint out;
the worker picks the file, compares, and accepts. Accepting makes this laptop's key inside the
vault; the next page shows its fingerprint and writes the enrolment request. It can also be
done later, from the settings (the same widget in `ui.enrol_dialog`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSysInfo, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.formatting import isolate
from intake_app.i18n.qt import register
from intake_app.services.enrolment import (
    Enrolment,
    accept_centre_profile,
    enrolment,
    read_centre_profile,
)
from intake_app.services.worker import WorkerService
from intake_app.ui.common import Heading, MessageLine, wrap_text
from intake_app.ui.file_dialogs import choose_file
from intake_app.ui.scroll_page import scrolling
from intake_app.ui.tasks import when_done
from intake_app.ui.worker.enrolment_request_page import EnrolmentRequestPage


class CentreProfileStep(QWidget):
    """Emits `done(accepted)`: True when the worker leaves the request page after accepting a
    profile, False for "Later" (or "Cancel" in a dialog) on the profile page."""

    done = Signal(bool)

    def __init__(
        self, service: WorkerService, parent: QWidget | None = None, *, in_dialog: bool = False
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._in_dialog = in_dialog
        self._profile: Any = None
        self.pages = QStackedWidget(self)
        self.profile_page = self._build_profile_page()
        self.request_page = EnrolmentRequestPage(service, self.pages)
        self.request_page.finished.connect(lambda: self.done.emit(True))
        self.pages.addWidget(self.profile_page)
        self.pages.addWidget(self.request_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addWidget(self.pages)
        register(self)

    def _build_profile_page(self) -> QWidget:
        page = QWidget(self.pages)
        body = QWidget(page)
        self.title = Heading(parent=body)
        self.intro = QLabel(body)
        wrap_text(self.intro)
        self.choose_button = QPushButton(body)
        self.choose_button.clicked.connect(self.choose_file)
        self.centre = QLabel(body)
        wrap_text(self.centre)
        self.centre.setObjectName("centre_details")
        self.device_name = QLineEdit(body)
        self.device_name.setText(QSysInfo.machineHostName())
        self.worker = QLineEdit(body)
        self.fingerprint = QLineEdit(body)
        self.labels = [QLabel(body) for _ in range(3)]
        form = QFormLayout()
        for label, field in zip(
            self.labels, (self.device_name, self.worker, self.fingerprint), strict=True
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        self.error = MessageLine(body)
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        content.addWidget(self.title)
        content.addWidget(self.intro)
        content.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignLeading)
        content.addWidget(self.centre)
        content.addLayout(form)
        content.addWidget(self.error)
        content.addStretch(1)
        self.later_button = QPushButton(page)
        self.later_button.clicked.connect(lambda: self.done.emit(False))
        self.accept_button = QPushButton(page)
        self.accept_button.setEnabled(False)
        self.accept_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.accept_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(body, page), 1)
        layout.addLayout(buttons)
        return page

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
        if self._in_dialog:
            self.later_button.setText(_("&Cancel"))
            self.later_button.setAccessibleName(_("Cancel"))
        else:
            self.later_button.setText(_("&Later"))
            self.later_button.setAccessibleName(_("Later"))
        self.accept_button.setText(_("&Accept the centre"))
        self.accept_button.setAccessibleName(_("Accept the centre"))
        self._show_profile()

    def choose_file(self) -> None:
        """Ask for the profile file with the file dialog."""
        path = choose_file(self, _("Centre profile"), _("Centre profile (*.json);;All files (*)"))
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
                fingerprint=isolate(profile.fingerprint),
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
        self.show_request_page()

    def _failed(self, error: KnownError) -> None:
        self.error.show_message(error.translated())
        self.accept_button.setEnabled(True)

    def show_request_page(self) -> None:
        """Read this laptop's enrolment and show the page that writes the request; the profile
        page when there is no enrolment yet (a worker who skipped this step)."""
        when_done(
            enrolment(self._service),
            self._show_enrolment,
            self._failed,
            owner=self,
            context="reading the enrolment",
        )

    def _show_enrolment(self, found: Enrolment | None) -> None:
        if found is None:
            self.show_profile_page()
        else:
            self.show_enrolment(found)

    def show_enrolment(self, found: Enrolment) -> None:
        """The page that shows this laptop's key fingerprint and writes the request."""
        self.request_page.show_enrolment(found)
        self.pages.setCurrentWidget(self.request_page)
        self.request_page.share_button.setFocus()

    def show_profile_page(self) -> None:
        """The page that loads and accepts a centre profile."""
        self.pages.setCurrentWidget(self.profile_page)
        self.choose_button.setFocus()

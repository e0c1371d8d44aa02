"""Connecting to a reception centre later, from the settings: the first-start step in a dialog.

A worker who skipped the step at first start, whose request was lost, or whose centre sent a
new profile does it here. The settings show which centre this laptop is connected to and its
key fingerprint.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.services.enrolment import Enrolment, enrolment
from intake_app.services.worker import WorkerService
from intake_app.ui.common import MessageLine, code_label, fit_to_screen, wrap_text
from intake_app.ui.tasks import when_done
from intake_app.ui.worker.centre_profile_step import CentreProfileStep


class EnrolDialog(QDialog):
    """The centre profile step; starts on the request page when given this laptop's
    `enrolment` (write the request again), else on the profile page."""

    def __init__(
        self,
        service: WorkerService,
        parent: QWidget | None = None,
        *,
        enrolment: Enrolment | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("enrol_dialog")
        self.step = CentreProfileStep(service, self, in_dialog=True)
        self.step.done.connect(lambda accepted: self.accept() if accepted else self.reject())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Never smaller than what the texts need, in any language and at any scale.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(self.step)
        if enrolment is not None:
            self.step.show_enrolment(enrolment)
        else:
            self.step.show_profile_page()
        # The request page, once reached, has more to show than the profile page had.
        self.step.pages.currentChanged.connect(lambda _page: self._fit())
        register(self)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.setWindowTitle(_("Reception centre"))

    def _fit(self) -> None:
        fit_to_screen(self, self.size().expandedTo(self.sizeHint()))


class CentreSection(QWidget):
    """The settings' part about the centre: which one, this laptop's key, and the two actions."""

    def __init__(self, service: WorkerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._enrolment: Enrolment | None = None
        self._loaded = False
        self.status = QLabel(self)
        wrap_text(self.status)
        self.status.setObjectName("centre_status")
        self.key_caption = QLabel(self)
        wrap_text(self.key_caption)
        self.key = code_label(self, 1.2)
        self.key.setObjectName("settings_key_fingerprint")
        self.connect_button = QPushButton(self)
        self.connect_button.clicked.connect(lambda: self.open_enrolment(write_again=False))
        self.request_button = QPushButton(self)
        self.request_button.clicked.connect(lambda: self.open_enrolment(write_again=True))
        self.error = MessageLine(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.key_caption)
        layout.addWidget(self.key)
        # One above the other: side by side they are too wide at large text sizes.
        layout.addWidget(self.connect_button, 0, Qt.AlignmentFlag.AlignLeading)
        layout.addWidget(self.request_button, 0, Qt.AlignmentFlag.AlignLeading)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self._show()
        register(self)
        self.load()

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.key_caption.setText(_("This laptop's key fingerprint:"))
        self.key.setAccessibleName(_("This laptop's key fingerprint"))
        self.request_button.setText(_("&Write the enrolment request again…"))
        self.request_button.setAccessibleName(_("Write the enrolment request again"))
        self._show()

    def load(self) -> None:
        """Read this laptop's enrolment again (after the dialog changed it)."""
        when_done(
            enrolment(self._service),
            self._loaded_enrolment,
            self._failed,
            owner=self,
            context="reading the enrolment",
        )

    def _loaded_enrolment(self, found: Enrolment | None) -> None:
        self._enrolment = found
        self._loaded = True
        self.error.show_message("")
        self._show()

    def _failed(self, error: KnownError) -> None:
        self.error.show_message(error.translated())

    def _show(self) -> None:
        found = self._enrolment
        enrolled = found is not None
        if not self._loaded:
            self.status.clear()
        elif found is None:
            self.status.setText(
                _(
                    "This laptop is not connected to a reception centre yet. Your administrator "
                    "gives you the centre's profile file."
                )
            )
        elif found.approved:
            self.status.setText(
                _("This laptop is connected to {centre} and approved.", centre=found.centre_name)
            )
        else:
            self.status.setText(
                _(
                    "This laptop is enrolled with {centre} and waiting for the administrator's "
                    "approval. Read out the key fingerprint below to your administrator.",
                    centre=found.centre_name,
                )
            )
        self.key.setText(found.key_fingerprint if found is not None else "")
        self.key_caption.setVisible(enrolled)
        self.key.setVisible(enrolled)
        self.request_button.setVisible(enrolled)
        self.connect_button.setEnabled(self._loaded)
        if enrolled:
            self.connect_button.setText(_("&Load a new centre profile…"))
            self.connect_button.setAccessibleName(_("Load a new centre profile"))
        else:
            self.connect_button.setText(_("&Connect to a reception centre…"))
            self.connect_button.setAccessibleName(_("Connect to a reception centre"))

    def open_enrolment(self, *, write_again: bool) -> EnrolDialog:
        """Open the centre profile step in a dialog (non-blocking); reload when it closes."""
        found = self._enrolment if write_again else None
        dialog = EnrolDialog(self._service, self, enrolment=found)
        dialog.finished.connect(lambda _result: self.load())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

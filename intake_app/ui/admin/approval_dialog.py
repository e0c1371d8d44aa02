"""Approving a laptop: the administrator types the key fingerprint the worker reads out from the
laptop's screen (Settings), instead of pressing Yes next to one shown here. Spaces and capital
letters do not matter; the centre compares (`CentreService.approve_device`), and a fingerprint
that differs approves nothing: the dialog says so and stays open to try again.

The expected fingerprint is not shown here: comparing what is read out with what is typed is the
check. Names come from the laptop and are shown with hidden characters escaped.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.formatting import isolate
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.sync.centre import RegisteredDevice, short_id
from intake_app.sync.format import escape_hidden
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.common import MessageLine, wrap_text
from intake_app.ui.tasks import when_done


class ApprovalDialog(QDialog):
    """Emits `approved(result)` (the service's result) once the centre approved the laptop."""

    approved = Signal(object)

    def __init__(
        self, service: CentreService, device: RegisteredDevice, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("approve_laptop")
        self.setWindowTitle(WINDOW_TITLE)
        self._service = service
        self._device = device
        self.question = wrap_text(QLabel(self))
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.question.font())
        font.setBold(True)
        self.question.setFont(font)
        self.steps = wrap_text(QLabel(self))
        self.steps.setTextFormat(Qt.TextFormat.PlainText)
        self.label = QLabel(self)
        self.fingerprint = QLineEdit(self)
        self.fingerprint.setObjectName("typed_fingerprint")
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSizeF(max(self.font().pointSizeF(), 1.0) * 1.4)
        self.fingerprint.setFont(fixed)
        # Hex digits in groups: one left-to-right piece in Arabic and Dari too.
        self.fingerprint.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.fingerprint.setMaxLength(64)
        self.fingerprint.textChanged.connect(self._typed)
        self.fingerprint.returnPressed.connect(self.approve)
        self.label.setBuddy(self.fingerprint)
        self.message = MessageLine(self)
        self.approve_button = QPushButton(self)
        self.approve_button.setObjectName("approve")
        self.approve_button.clicked.connect(self.approve)
        self.approve_button.setEnabled(False)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("do_not_approve")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.steps)
        layout.addWidget(self.label)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.fingerprint.setFocus()
        register(self)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        device = self._device
        self.question.setText(
            _(
                "Approve the laptop {laptop} “{name}” of {worker}?",
                laptop=isolate(short_id(device.device_id)),
                name=isolate(escape_hidden(device.device_name)),
                worker=isolate(escape_hidden(device.worker)),
            )
        )
        self.steps.setText(
            _(
                "Ask the worker to open Settings on the laptop and read out its key "
                "fingerprint. Type it below as you hear it; spaces and capital letters do not "
                "matter. If it is not the same, the laptop is not approved."
            )
        )
        self.label.setText(_("&Fingerprint the worker reads out:"))
        self.fingerprint.setAccessibleName(_("Fingerprint the worker reads out"))
        self.fingerprint.setPlaceholderText(_("for example 1a2b 3c4d 5e6f 7a8b 9c0d"))
        self.approve_button.setText(_("&Approve"))
        self.approve_button.setAccessibleName(_("Approve the laptop"))
        self.cancel_button.setText(_("Do &not approve"))
        self.cancel_button.setAccessibleName(_("Do not approve the laptop"))

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # the layout was just updated
            self._grow_to_fit()
        return handled

    def _grow_to_fit(self) -> None:
        """Grow taller (never shorter) when the wrapped texts need more lines than there is room
        for: the wrong-fingerprint message, or another language, would squeeze the explanation
        above the field and cut it off."""
        needed = self.heightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _typed(self, text: str) -> None:
        self.approve_button.setEnabled(bool(text.strip()))
        self.message.show_message("")

    def approve(self) -> None:
        """Ask the centre to approve the laptop with the fingerprint typed."""
        typed = self.fingerprint.text()
        if not typed.strip() or not self.approve_button.isEnabled():
            return
        self.approve_button.setEnabled(False)
        self.fingerprint.setReadOnly(True)
        when_done(
            self._service.approve_device(self._device.device_id, typed),
            self._done,
            self._refused,
            owner=self,
            context="approving a laptop",
        )

    def _done(self, result: object) -> None:
        self.approved.emit(result)
        self.accept()

    def _refused(self, error: KnownError) -> None:
        self.fingerprint.setReadOnly(False)
        self.approve_button.setEnabled(True)
        self.message.show_message(error.translated())
        self.fingerprint.setFocus()
        self.fingerprint.selectAll()

"""Settings, Change passphrase: the current passphrase, then a new one with the strength
meter; the work runs on the vault thread, the recovery code stays as it was.

A dialog of its own (opened from Settings' General page), so its fields never share a screen,
and so an accelerator, with the Settings tabs.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError, WrongPassphrase
from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.services.worker import WorkerService
from intake_app.ui.common import MessageLine, PassphraseEdit, fit_to_screen, wrap_text
from intake_app.ui.new_passphrase import NewPassphraseFields
from intake_app.ui.scroll_page import scrolling
from intake_app.ui.tasks import when_done


class PassphraseSection(QWidget):
    """Current passphrase, new passphrase twice, and the button that changes it."""

    def __init__(self, service: WorkerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphrase_section")
        self._service = service
        self._working = False
        self.intro = QLabel(self)
        wrap_text(self.intro)
        self.current = PassphraseEdit(self)
        self.current.setObjectName("current_passphrase")
        self.current_label = QLabel(self)
        self.current_label.setBuddy(self.current)
        self.current_error = MessageLine(self)
        self.current_error.setObjectName("current_passphrase_error")
        self.fields = NewPassphraseFields(self)
        self.fields.show_box.toggled.connect(self.current.set_shown)
        self.change_button = QPushButton(self)
        self.change_button.setObjectName("change_passphrase")
        self.change_button.setEnabled(False)
        self.change_button.clicked.connect(self.change)
        self.result = MessageLine(self, error=False)
        self.result.setObjectName("passphrase_result")
        self.failure = MessageLine(self)

        self.current.textChanged.connect(self._ready)
        self.current.returnPressed.connect(self.fields.passphrase.setFocus)
        self.fields.acceptable_changed.connect(self._ready)
        self.fields.confirmation.returnPressed.connect(self.change)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.current_label, self.current)
        form.addRow("", self.current_error)
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.change_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.fields)
        layout.addLayout(button_row)
        layout.addWidget(self.result)
        layout.addWidget(self.failure)
        layout.addStretch(1)
        QWidget.setTabOrder(self.current, self.fields.passphrase)
        register(self)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.intro.setText(
            _(
                "The passphrase opens the vault on this laptop. To change it, type the one you "
                "use now, then the new one twice. The recovery code stays the same."
            )
        )
        self.current_label.setText(_("Cu&rrent passphrase:"))
        self.current.setAccessibleName(_("Current passphrase"))
        self.change_button.setText(_("Change &passphrase"))
        self.change_button.setAccessibleName(_("Change passphrase"))

    def _ready(self) -> None:
        self.change_button.setEnabled(
            bool(self.current.text()) and self.fields.acceptable() and not self._working
        )

    def _set_working(self, working: bool) -> None:
        self._working = working
        self.current.setEnabled(not working)
        self.fields.setEnabled(not working)
        self._ready()

    def change(self) -> None:
        """Change the passphrase off the GUI thread (weak ones are never accepted)."""
        if self._working or not self.current.text() or not self.fields.acceptable():
            return
        self._clear_messages()
        self._set_working(True)
        self.result.show_message(_("Changing the passphrase…"))
        future = self._service.change_passphrase(self.current.text(), self.fields.value())
        when_done(future, self._changed, self._failed, owner=self, context="passphrase change")

    def _clear_messages(self) -> None:
        self.current_error.show_message("")
        self.current.setAccessibleDescription("")
        self.result.show_message("")
        self.failure.show_message("")

    def _changed(self, _result: object) -> None:
        self._set_working(False)
        self.current.clear()
        self.fields.wipe()
        self.result.show_message(
            _("The passphrase was changed. From now on, unlock the vault with the new one.")
        )
        self.current.setFocus()

    def _failed(self, error: KnownError) -> None:
        self._set_working(False)
        self.result.show_message("")
        if isinstance(error, WrongPassphrase):
            # Next to its field, and read out with the field when the screen reader is back.
            self.current_error.show_message(error.translated())
            self.current.setAccessibleDescription(error.translated())
            self.current.selectAll()
            self.current.setFocus()
        else:
            self.failure.show_message(error.translated())


class PassphraseDialog(QDialog):
    """The passphrase section and a Close button."""

    def __init__(self, service: WorkerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphrase_dialog")
        self.section = PassphraseSection(service, self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        # Lines of a comfortable length; long translations and messages scroll, never clip.
        layout.addWidget(scrolling(self.section, self), 1)
        layout.addWidget(self.buttons)
        register(self)
        hint = self.sizeHint()
        room = 4 * self.fontMetrics().lineSpacing()  # for the messages that come and go
        fit_to_screen(self, QSize(hint.width(), hint.height() + room))

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.setWindowTitle(_("Change passphrase"))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setAccessibleName(_("Close"))

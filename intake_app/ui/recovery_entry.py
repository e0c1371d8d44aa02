"""The recovery-code view both unlock screens share: the code, a new passphrase twice, Back and
Open. The worker's and the centre's screens differ only in their introduction and in what Open
does, so each owner sets the introduction's text and connects `submitted` and `back`."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.ui.common import wrap_text
from intake_app.ui.new_passphrase import NewPassphraseFields


class RecoveryEntry(QWidget):
    """Type the recovery code and a new passphrase; Open is enabled once both are usable."""

    submitted = Signal()
    back = Signal()

    def __init__(self, parent: QWidget | None = None, *, error: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self.intro = wrap_text(QLabel(self))
        self.code_label = QLabel(self)
        self.code = QLineEdit(self)
        self.code.setObjectName("recovery_code")
        self.code.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData)
        self.code_label.setBuddy(self.code)
        self.new_fields = NewPassphraseFields(self)
        self.back_button = QPushButton(self)
        self.back_button.clicked.connect(self.back)
        self.open_button = QPushButton(self)
        self.open_button.setEnabled(False)
        self.new_fields.acceptable_changed.connect(self.update_ready)
        self.code.textChanged.connect(self.update_ready)
        self.open_button.clicked.connect(self.submitted)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.code_label)
        layout.addWidget(self.code)
        if error is not None:  # the owner's message line, right under the field it is about
            layout.addWidget(error)
        layout.addWidget(self.new_fields)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout.addLayout(buttons)
        register(self)

    def retranslate(self) -> None:
        """The shared texts; the introduction is the owner's."""
        self.code_label.setText(_("Recovery &code:"))
        self.code.setAccessibleName(_("Recovery code"))
        self.back_button.setText(_("&Back"))
        self.back_button.setAccessibleName(_("Back"))
        self.open_button.setText(_("&Open and set the new passphrase"))
        self.open_button.setAccessibleName(_("Open and set the new passphrase"))

    def set_busy(self, busy: bool) -> None:
        """While an unlock runs, Open stays disabled."""
        self._busy = busy
        self.update_ready()

    def ready(self) -> bool:
        """A code is typed and the new passphrase is acceptable."""
        return bool(self.code.text().strip()) and self.new_fields.acceptable()

    def update_ready(self) -> None:
        """Enable Open when the entry is ready and nothing is running."""
        self.open_button.setEnabled(self.ready() and not self._busy)

    def code_text(self) -> str:
        """The typed code without surrounding spaces."""
        return self.code.text().strip()

    def wipe(self) -> None:
        """Forget what was typed."""
        self.code.clear()
        self.new_fields.wipe()

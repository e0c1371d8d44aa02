"""A recovery code shown once: why it matters, the code, Print…, "I have written it down" and
Continue. Used by the worker's first start and the centre's set-up result, which set the title
and the explanation (`title`, `intro`) for their own vault.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.ui.common import Heading, code_label, wrap_text
from intake_app.ui.recovery_print import print_recovery_code
from intake_app.ui.tasks import guarded


class RecoveryCodeView(QWidget):
    """Emits `continued()` once the worker or administrator confirmed writing the code down;
    by then the code is gone from memory and from the screen."""

    continued = Signal()

    def __init__(self, parent: QWidget | None = None, *, centred: bool = False) -> None:
        super().__init__(parent)
        self._code = ""
        self.print_dialog: QDialog | None = None
        self.title = Heading(1.5, self)
        self.intro = wrap_text(QLabel(self))
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.code_label = code_label(self, 1.6)
        self.code_label.setObjectName("recovery_code")
        if centred:
            self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_button = QPushButton(self)
        self.print_button.clicked.connect(self.print_code)
        self.written_box = QCheckBox(self)
        self.continue_button = QPushButton(self)
        self.continue_button.setEnabled(False)
        self.written_box.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self.finish)
        self._lay_out()
        register(self)

    def _lay_out(self) -> None:
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        for widget in (self.title, self.intro, self.code_label):
            column.addWidget(widget)
        print_row = QHBoxLayout()
        print_row.addWidget(self.print_button)
        print_row.addStretch(1)
        column.addLayout(print_row)
        column.addWidget(self.written_box)
        column.addStretch(1)  # Continue at the foot of a page of its own
        continue_row = QHBoxLayout()
        continue_row.addStretch(1)
        continue_row.addWidget(self.continue_button)
        column.addLayout(continue_row)

    def retranslate(self) -> None:
        """The texts every recovery code has; the owner sets `title` and `intro`."""
        self.code_label.setAccessibleName(_("Recovery code"))
        self.print_button.setText(_("&Print…"))
        self.print_button.setAccessibleName(_("Print the recovery code"))
        self.written_box.setText(_("I have &written the code down or printed it"))
        self.written_box.setAccessibleName(_("I have written the code down or printed it"))
        self.continue_button.setText(_("C&ontinue"))
        self.continue_button.setAccessibleName(_("Continue"))

    @guarded("printing the recovery code")
    def print_code(self) -> None:
        """Open the print dialog for the code shown."""
        self.print_dialog = print_recovery_code(self, self._code)

    def show_code(self, code: str) -> None:
        """Show a new code (not yet confirmed as written down)."""
        self._code = code
        self.code_label.setText(code)
        self.written_box.setChecked(False)

    def finish(self) -> None:
        """Forget the code (it is shown once), then say so."""
        self._code = ""
        self.code_label.clear()
        self.written_box.setChecked(False)
        self.continued.emit()

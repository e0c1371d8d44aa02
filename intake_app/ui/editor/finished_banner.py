"""The banner over a finished interview: it is finished, where it stands with the centre
(delivered, waiting to be sent, refused), and the Edit button that reopens it as a draft."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.ui.common import wrap_text

DELIVERED, WAITING, REFUSED = "delivered", "waiting", "refused"
# (background, text): dark text on a light ground, contrast above 7:1 in each.
_COLOURS = {
    DELIVERED: ("#dff0d8", "#1e4620"),
    WAITING: ("#d9edf7", "#0c3c60"),
    REFUSED: ("#fbe3e4", "#6b0d12"),
}


class FinishedBanner(QWidget):
    """Hidden until `show_state(state)`; `edit_requested` when Edit is pressed."""

    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("finished_banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.text = QLabel(self)
        self.text.setObjectName("finished_text")
        wrap_text(self.text)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        font = self.text.font()
        font.setBold(True)
        self.text.setFont(font)
        self.edit_button = QPushButton(self)
        self.edit_button.setObjectName("edit_interview")
        self.edit_button.clicked.connect(self.edit_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.state = WAITING
        self.hide()
        register(self)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        texts = {
            DELIVERED: _(
                "This interview is finished and the centre has it. It is shown read-only; "
                "choose Edit to change it (the centre then gets the new version)."
            ),
            WAITING: _(
                "This interview is finished and waits to be sent to the centre. It is shown "
                "read-only; choose Edit to change it."
            ),
            REFUSED: _(
                "This interview is finished, but the centre refused it. Choose Edit to "
                "correct it, then finish it again."
            ),
        }
        self.text.setText(texts[self.state])
        self.edit_button.setText(_("Edit the i&nterview"))
        self.edit_button.setAccessibleName(_("Edit the interview"))
        self.edit_button.setToolTip(
            _("Reopen the interview as not finished; this is kept in its history")
        )

    def show_state(self, state: str) -> None:
        """Show the banner for a finished interview in `state` (DELIVERED, WAITING, REFUSED)."""
        self.state = state if state in _COLOURS else WAITING
        background, colour = _COLOURS[self.state]
        self.setStyleSheet(f"#finished_banner {{ background: {background}; }}")
        self.text.setStyleSheet(f"color: {colour};")
        self.retranslate()
        self.show()

"""The page shown while an interview is read in the background for the editor: it says so, with
a busy bar, and the toolbar's Back to the list (Ctrl+W) gives up waiting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from intake_app.i18n import _
from intake_app.i18n.qt import register


class OpeningPage(QWidget):
    """"Opening the interview…" and a bar that shows the window is busy, not stuck."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("opening_interview")
        self.label = QLabel(self)
        self.label.setObjectName("opening_label")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Focus lands here while the list is gone, so that a screen reader says what happens.
        self.label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # busy: how long the disk takes is not known
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(280)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        register(self)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.label.setText(_("Opening the interview…"))
        self.label.setAccessibleName(_("Opening the interview…"))
        self.bar.setAccessibleName(_("Opening the interview"))

"""Open the demo: create the throwaway vault and fill it off the GUI thread, then show the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.services.demo import DEMO_PASSPHRASE, fill_demo
from intake_app.ui.common import Heading, wrap_text
from intake_app.ui.tasks import when_done
from intake_app.ui.worker.shell import Shell


class DemoPreparing(QWidget):
    """ "Preparing the demo…" with a busy bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = Heading(parent=self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        wrap_text(self.label)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addStretch(2)
        self.title.setText(_("DEMO — fictional data"))
        self.label.setText(_("Preparing a throwaway vault with fictional interviews…"))
        self.bar.setAccessibleName(_("Preparing the demo"))


def start_demo(shell: Shell) -> None:
    """Create and fill the demo vault, then open the workspace (or the unlock screen on error)."""
    page = DemoPreparing(shell)
    shell.pages.addWidget(page)
    shell.pages.setCurrentWidget(page)
    service = shell.service

    def created(_code: object) -> None:
        when_done(
            fill_demo(service),
            filled,
            failed,
            owner=shell,
            context="filling the demo",
        )

    def filled(_count: object) -> None:
        shell.pages.removeWidget(page)
        page.deleteLater()
        shell.show_workspace()

    def failed(error: KnownError) -> None:
        page.label.setText(error.translated())
        page.bar.hide()

    when_done(
        service.create_vault(DEMO_PASSPHRASE), created, failed, owner=shell, context="demo vault"
    )

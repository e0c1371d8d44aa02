"""First start: choose the language, create the vault, write down the recovery code."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _, set_language
from intake_app.i18n.qt import register
from intake_app.services.worker import WorkerService
from intake_app.ui.common import Heading, MessageLine, wrap_text
from intake_app.ui.language_list import LanguageList
from intake_app.ui.new_passphrase import NewPassphraseFields
from intake_app.ui.recovery_view import RecoveryCodeView
from intake_app.ui.tasks import when_done
from intake_app.ui.worker.centre_profile_step import CentreProfileStep


def _page(parent: QWidget) -> tuple[QWidget, QVBoxLayout]:
    page = QWidget(parent)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(24, 24, 24, 24)
    layout.setSpacing(12)
    return page, layout


class FirstStart(QWidget):
    """The set-up pages; emits `language_chosen(code)` and `finished()` with the vault open."""

    language_chosen = Signal(str)
    finished = Signal()
    passphrase_page: QWidget  # built after the language page, which leads to it

    def __init__(self, service: WorkerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.pages = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)
        self._build_language_page()
        self._build_passphrase_page()
        self._build_creating_page()
        self._build_recovery_page()
        self.centre_page = CentreProfileStep(service, self)
        self.centre_page.done.connect(lambda _accepted: self.finished.emit())
        self.pages.addWidget(self.centre_page)
        register(self)

    # -- pages ----------------------------------------------------------------------------------

    def _build_language_page(self) -> None:
        page, layout = _page(self)
        self.language_title = Heading(parent=page)
        self.language_intro = QLabel(page)
        wrap_text(self.language_intro)
        self.languages = LanguageList(page)
        self.languages.chosen.connect(self._language_picked)
        self.language_next = QPushButton(page)
        self.language_next.setDefault(True)
        self.language_next.clicked.connect(lambda: self._go(self.passphrase_page))
        layout.addWidget(self.language_title)
        layout.addWidget(self.language_intro)
        layout.addWidget(self.languages, 1)
        layout.addLayout(_buttons(self.language_next))
        self.language_page = page
        self.pages.addWidget(page)

    def _build_passphrase_page(self) -> None:
        page, layout = _page(self)
        self.passphrase_title = Heading(parent=page)
        self.passphrase_intro = QLabel(page)
        wrap_text(self.passphrase_intro)
        self.fields = NewPassphraseFields(page)
        self.create_error = MessageLine(page)
        self.passphrase_back = QPushButton(page)
        self.passphrase_back.clicked.connect(lambda: self._go(self.language_page))
        self.create_button = QPushButton(page)
        self.create_button.setEnabled(False)
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._create)
        self.fields.acceptable_changed.connect(self.create_button.setEnabled)
        self.fields.confirmation.returnPressed.connect(self._create)
        layout.addWidget(self.passphrase_title)
        layout.addWidget(self.passphrase_intro)
        layout.addWidget(self.fields)
        layout.addWidget(self.create_error)
        layout.addStretch(1)
        layout.addLayout(_buttons(self.passphrase_back, self.create_button))
        self.passphrase_page = page
        self.pages.addWidget(page)

    def _build_creating_page(self) -> None:
        page, layout = _page(self)
        self.creating_title = Heading(parent=page)
        self.creating_label = QLabel(page)
        wrap_text(self.creating_label)
        self.creating_bar = QProgressBar(page)
        self.creating_bar.setRange(0, 0)  # busy: Argon2 gives no progress of its own
        layout.addStretch(1)
        layout.addWidget(self.creating_title)
        layout.addWidget(self.creating_label)
        layout.addWidget(self.creating_bar)
        layout.addStretch(2)
        self.creating_page = page
        self.pages.addWidget(page)

    def _build_recovery_page(self) -> None:
        page, layout = _page(self)
        self.recovery = RecoveryCodeView(page)
        self.recovery.continued.connect(lambda: self._go(self.centre_page))
        # The parts tests and focus handling reach for by name.
        self.code_label = self.recovery.code_label
        self.print_button = self.recovery.print_button
        self.written_box = self.recovery.written_box
        self.continue_button = self.recovery.continue_button
        layout.addWidget(self.recovery)
        self.recovery_page = page
        self.pages.addWidget(page)

    # -- texts ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.language_title.setText(_("Welcome to Intake"))
        self.language_intro.setText(
            _("Choose the language of the application. You can change it at any time.")
        )
        self.language_next.setText(_("&Next"))
        self.language_next.setAccessibleName(_("Next"))
        self.passphrase_title.setText(_("Protect the interviews with a passphrase"))
        self.passphrase_intro.setText(
            _(
                "Everything you record is kept encrypted on this computer. The passphrase opens "
                "it. Choose several words that only you know; it cannot be recovered from us."
            )
        )
        self.passphrase_back.setText(_("&Back"))
        self.passphrase_back.setAccessibleName(_("Back"))
        self.create_button.setText(_("&Create the vault"))
        self.create_button.setAccessibleName(_("Create the vault"))
        self.creating_title.setText(_("Creating the vault"))
        self.creating_label.setText(_("This takes a few seconds. Please wait."))
        self.creating_bar.setAccessibleName(_("Creating the vault"))
        self.recovery.title.setText(_("Write down your recovery code"))
        self.recovery.intro.setText(
            _(
                "If you forget the passphrase, this code is the only way to open the vault. "
                "It is shown only now. Write it on paper or print it, and keep it locked away "
                "from the computer."
            )
        )

    # -- actions --------------------------------------------------------------------------------

    def _go(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        focus = {
            self.language_page: self.languages,
            self.passphrase_page: self.fields.passphrase,
            self.recovery_page: self.print_button,
            self.centre_page: self.centre_page.choose_button,
        }.get(page)
        if focus is not None:
            focus.setFocus()

    def _language_picked(self, code: str) -> None:
        set_language(code)
        self.language_chosen.emit(code)

    def _create(self) -> None:
        if not self.fields.acceptable() or self.pages.currentWidget() is not self.passphrase_page:
            return
        passphrase = self.fields.value()
        self.create_error.show_message("")
        self._go(self.creating_page)
        when_done(
            self._service.create_vault(passphrase),
            self._created,
            self._failed,
            owner=self,
            context="creating the vault",
        )

    def _created(self, recovery_code: str) -> None:
        self.fields.wipe()
        self.recovery.show_code(recovery_code)
        self._go(self.recovery_page)

    def _failed(self, error: KnownError) -> None:
        self.create_error.show_message(error.translated())
        self._go(self.passphrase_page)


def _buttons(*buttons: QPushButton, stretch_first: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    if stretch_first:
        row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    if not stretch_first:
        row.addStretch(1)
    return row

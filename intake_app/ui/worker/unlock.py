"""The unlock screen: passphrase, growing wait after wrong tries, the recovery-code path."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError, WrongPassphrase, WrongRecoveryCode
from intake_app.i18n import _, ngettext, set_language
from intake_app.i18n.qt import register
from intake_app.services.worker import WorkerService
from intake_app.ui.common import Heading, MessageLine, PassphraseEdit, visible_focus, wrap_text
from intake_app.ui.language_combo import LanguageCombo
from intake_app.ui.preferences import Preferences
from intake_app.ui.recovery_entry import RecoveryEntry
from intake_app.ui.tasks import when_done
from intake_app.ui.worker.unlock_delay import delay_after


class UnlockScreen(QWidget):
    """Emits `unlocked()` once the vault is open and `language_chosen(code)` on a switch."""

    unlocked = Signal()
    language_chosen = Signal(str)

    def __init__(
        self,
        service: WorkerService,
        preferences: Preferences,
        parent: QWidget | None = None,
        *,
        demo_passphrase: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._prefs = preferences
        self._demo_passphrase = demo_passphrase
        self._wait_left = 0
        self._working = False
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)

        self.title = Heading(2.0, self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = QLabel(self)
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        wrap_text(self.subtitle)
        self.language = LanguageCombo(self, labelled=True)
        self.language.chosen.connect(self._language_picked)
        self.demo_hint = QLabel(self)
        wrap_text(self.demo_hint)
        self.demo_hint.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 8px;")
        self.demo_hint.setVisible(demo_passphrase is not None)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.hide()
        # Each view has its message right below its field (it was far below, under the taller
        # recovery view); `error` is the one of the view shown.
        self.passphrase_error = MessageLine(self)
        self.passphrase_error.setObjectName("passphrase_error")
        self.recovery_error = MessageLine(self)
        self.recovery_error.setObjectName("recovery_error")
        self.wait_line = MessageLine(self, error=False)

        self.views = QStackedWidget(self)
        self._build_passphrase_view()
        self._build_recovery_view()

        column = QVBoxLayout()
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        column.addSpacing(12)
        column.addWidget(self.demo_hint)
        column.addWidget(self.views)
        column.addWidget(self.busy)
        column.addWidget(self.wait_line)
        column.addStretch(1)
        language_row = QHBoxLayout()
        language_row.addStretch(1)
        if self.language.label is not None:
            language_row.addWidget(self.language.label)
        language_row.addWidget(self.language)
        language_row.addStretch(1)
        column.addLayout(language_row)
        centred = QHBoxLayout(self)
        centred.addStretch(1)
        centred.addLayout(column, 4)
        centred.addStretch(1)
        register(self)
        self._start_wait(delay_after(self._prefs.unlock_failures))

    def _build_passphrase_view(self) -> None:
        view = QWidget(self)
        self.passphrase_label = QLabel(view)
        self.passphrase = PassphraseEdit(view)
        self.passphrase.setObjectName("passphrase")
        self.passphrase_label.setBuddy(self.passphrase)
        self.passphrase.returnPressed.connect(self._unlock)
        self.show_box = QCheckBox(view)
        self.show_box.toggled.connect(self.passphrase.set_shown)
        self.unlock_button = QPushButton(view)
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._unlock)
        self.recovery_link = QPushButton(view)
        self.recovery_link.setFlat(True)
        visible_focus(self.recovery_link)
        self.recovery_link.clicked.connect(lambda: self._show_view(recovery=True))
        layout = QVBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.passphrase_label)
        row = QHBoxLayout()
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock_button)
        layout.addLayout(row)
        layout.addWidget(self.passphrase_error)
        layout.addWidget(self.show_box)
        layout.addWidget(self.recovery_link, 0, Qt.AlignmentFlag.AlignLeading)
        layout.addStretch(1)  # the stack is as tall as the recovery view; keep this at the top
        # Type, press Unlock, then the less common choices, in reading order.
        QWidget.setTabOrder(self.passphrase, self.unlock_button)
        QWidget.setTabOrder(self.unlock_button, self.show_box)
        QWidget.setTabOrder(self.show_box, self.recovery_link)
        self.passphrase_view = view
        self.views.addWidget(view)

    def _build_recovery_view(self) -> None:
        self.recovery = RecoveryEntry(self, error=self.recovery_error)
        self.recovery.back.connect(lambda: self._show_view(recovery=False))
        self.recovery.submitted.connect(self._unlock_with_recovery)
        # The names the rest of this screen (and its tests) use.
        self.recovery_intro = self.recovery.intro
        self.code_label, self.code = self.recovery.code_label, self.recovery.code
        self.new_fields = self.recovery.new_fields
        self.recovery_back = self.recovery.back_button
        self.recovery_button = self.recovery.open_button
        self.recovery_view = self.recovery
        self.views.addWidget(self.recovery)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title.setText(_("Intake"))
        self.subtitle.setText(_("The vault is locked."))
        self.passphrase_label.setText(_("&Passphrase:"))
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.show_box.setText(_("&Show what I type"))
        self.show_box.setAccessibleName(_("Show what I type"))
        self.unlock_button.setText(_("&Unlock"))
        self.unlock_button.setAccessibleName(_("Unlock"))
        self.recovery_link.setText(_("Forgot the passphrase? Use the &recovery code"))
        self.recovery_link.setAccessibleName(_("Use the recovery code"))
        self.recovery_intro.setText(
            _(
                "Type the recovery code you wrote down when the vault was created, then choose "
                "a new passphrase."
            )
        )
        self.busy.setAccessibleName(_("Opening the vault"))
        if self._demo_passphrase is not None:
            self.demo_hint.setText(
                _(
                    "DEMO — fictional data. The demo passphrase is: {passphrase}",
                    passphrase=self._demo_passphrase,
                )
            )
        self._show_wait()

    # -- unlocking ------------------------------------------------------------------------------

    def focus_passphrase(self) -> None:
        """Put the cursor in the passphrase field."""
        self.passphrase.setFocus()

    def _language_picked(self, code: str) -> None:
        set_language(code)
        self.language_chosen.emit(code)

    def _show_view(self, *, recovery: bool) -> None:
        self._clear_error()
        self.views.setCurrentWidget(self.recovery_view if recovery else self.passphrase_view)
        (self.code if recovery else self.passphrase).setFocus()

    def _recovery_ready(self) -> None:
        self.recovery.set_busy(self._busy())

    def _busy(self) -> bool:
        return self._working or self._wait_left > 0

    def _set_working(self, working: bool) -> None:
        self._working = working
        self.busy.setVisible(working)
        self.views.setEnabled(not working and self._wait_left == 0)
        self.language.setEnabled(not working)

    def _unlock(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase or self._busy():
            return
        self._clear_error()
        self._set_working(True)
        when_done(
            self._service.unlock(passphrase),
            self._opened,
            self._failed,
            owner=self,
            context="unlocking",
        )

    def _unlock_with_recovery(self) -> None:
        if self._busy() or not self.new_fields.acceptable():
            return
        self._clear_error()
        self._set_working(True)
        future = self._service.unlock_with_recovery(
            self.recovery.code_text(), self.new_fields.value()
        )
        when_done(future, self._opened, self._failed, owner=self, context="recovery unlock")

    def _opened(self, _result: object) -> None:
        self._set_working(False)
        self._prefs.unlock_failures = 0
        self.passphrase.clear()
        self.recovery.wipe()
        self.unlocked.emit()

    def _clear_error(self) -> None:
        for line in (self.passphrase_error, self.recovery_error):
            line.show_message("")
        for field in (self.passphrase, self.code):
            field.setAccessibleDescription("")

    @property
    def error(self) -> MessageLine:
        """The message line of the view shown (right below its field)."""
        recovery = self.views.currentWidget() is self.recovery_view
        return self.recovery_error if recovery else self.passphrase_error

    def _failed(self, error: KnownError) -> None:
        self._set_working(False)
        self.error.show_message(error.translated())
        if isinstance(error, WrongPassphrase | WrongRecoveryCode):
            failures = self._prefs.unlock_failures + 1
            self._prefs.unlock_failures = failures
            self._start_wait(delay_after(failures))
        field = self.code if self.views.currentWidget() is self.recovery_view else self.passphrase
        # Read out with the field when the screen reader comes back to it.
        field.setAccessibleDescription(error.translated())
        field.selectAll()
        field.setFocus()

    # -- the growing wait -----------------------------------------------------------------------

    def _start_wait(self, seconds: int) -> None:
        self._wait_left = seconds
        if seconds > 0:
            self._countdown.start()
        self.views.setEnabled(seconds == 0)
        self._show_wait()

    def _tick(self) -> None:
        self._wait_left = max(0, self._wait_left - 1)
        if self._wait_left == 0:
            self._countdown.stop()
            self.views.setEnabled(True)
            self.passphrase.setFocus()
        self._show_wait()
        self._recovery_ready()

    def _show_wait(self) -> None:
        text = ""
        if self._wait_left > 0:
            text = ngettext(
                "Too many wrong tries. Try again in {n} second.",
                "Too many wrong tries. Try again in {n} seconds.",
                self._wait_left,
            )
        self.wait_line.show_message(text)

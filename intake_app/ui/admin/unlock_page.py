"""The administrator's unlock page: the centre's passphrase or its recovery code, and the
language, in a column of a readable width in the middle of the window (as the worker's)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
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
from intake_app.services.centre import CentreService
from intake_app.ui.common import Heading, MessageLine, PassphraseEdit
from intake_app.ui.language_combo import LanguageCombo
from intake_app.ui.recovery_entry import RecoveryEntry
from intake_app.ui.scroll_page import ScrollPage
from intake_app.ui.tasks import when_done

COLUMN_EMS = 34  # the column's widest, in widths of "M" of the window's font


class UnlockPage(QWidget):
    """Emits `unlocked(centre name)` once the centre vault is open."""

    unlocked = Signal(str)

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.title = Heading(2.0, self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # With a label: Qt names a combo box by its current text ("suomi"), not its purpose.
        self.language = LanguageCombo(self, labelled=True)
        self.language.chosen.connect(set_language)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.error = MessageLine(self)
        self.views = QStackedWidget(self)
        self._build_passphrase_view()
        self._build_recovery_view()
        inner = QWidget(self)  # scrolls when the window is low (large text, the recovery view)
        self.column = QWidget(inner)
        self.column.setObjectName("unlock_column")
        column = QVBoxLayout(self.column)
        column.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.views, self.busy, self.error):
            column.addWidget(widget)
        language = QHBoxLayout()
        language.addStretch(1)
        assert self.language.label is not None
        language.addWidget(self.language.label)
        language.addWidget(self.language)
        language.addStretch(1)
        column.addLayout(language)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(self.column, 10)
        centred.addStretch(1)
        outer = QVBoxLayout(inner)
        outer.addStretch(1)
        outer.addLayout(centred)
        outer.addStretch(2)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(ScrollPage(inner, self))
        self._limit_width()
        register(self)

    def showEvent(self, event: QShowEvent) -> None:
        """The page opens ready for the passphrase (not on the language picker)."""
        super().showEvent(event)
        (self.code if self.views.currentWidget() is self.recovery_view
         else self.passphrase).setFocus()

    def _build_passphrase_view(self) -> None:
        view = QWidget(self)
        self.label = QLabel(view)
        self.passphrase = PassphraseEdit(view)
        self.label.setBuddy(self.passphrase)
        self.open_button = QPushButton(view)
        self.open_button.setDefault(True)
        self.recovery_link = QPushButton(view)
        self.recovery_link.setFlat(True)
        self.recovery_link.clicked.connect(lambda: self.show_view(recovery=True))
        row = QHBoxLayout()
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addLayout(row)
        layout.addWidget(self.recovery_link, 0, Qt.AlignmentFlag.AlignLeading)
        layout.addStretch(1)
        self.open_button.clicked.connect(self.open_centre)
        self.passphrase.returnPressed.connect(self.open_centre)
        self.passphrase_view = view
        self.views.addWidget(view)

    def _build_recovery_view(self) -> None:
        self.recovery = RecoveryEntry(self)
        self.recovery.back.connect(lambda: self.show_view(recovery=False))
        self.recovery.submitted.connect(self.open_with_recovery)
        # The names the rest of this page (and its tests) use.
        self.recovery_intro = self.recovery.intro
        self.code_label, self.code = self.recovery.code_label, self.recovery.code
        self.new_fields = self.recovery.new_fields
        self.recovery_back = self.recovery.back_button
        self.recovery_button = self.recovery.open_button
        self.recovery_view = self.recovery
        self.views.addWidget(self.recovery)

    def _limit_width(self) -> None:
        self.column.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * COLUMN_EMS)

    def retranslate(self) -> None:
        self.title.setText(_("Reception centre"))
        self.label.setText(_("Centre passphrase"))
        self.passphrase.setAccessibleName(_("Centre passphrase"))
        self.open_button.setText(_("Open"))
        self.open_button.setAccessibleName(_("Open the centre"))
        self.recovery_link.setText(_("Forgot the passphrase? Use the &recovery code"))
        self.recovery_link.setAccessibleName(_("Use the recovery code"))
        self.recovery_intro.setText(_(
            "Type the recovery code shown when the centre was set up, then choose a new "
            "passphrase for the centre."))
        self.busy.setAccessibleName(_("Opening the centre"))
        self._limit_width()

    def show_view(self, *, recovery: bool) -> None:
        """The passphrase field, or the recovery code with a new passphrase."""
        self.error.show_message("")
        self.views.setCurrentWidget(self.recovery_view if recovery else self.passphrase_view)
        (self.code if recovery else self.passphrase).setFocus()

    def _working(self, working: bool) -> None:
        self.busy.setVisible(working)
        self.views.setEnabled(not working)
        self.language.setEnabled(not working)
        self.recovery.set_busy(working)

    def open_centre(self) -> None:
        """Unlock with the typed passphrase (on the service's thread)."""
        passphrase = self.passphrase.text()
        if not passphrase or self.busy.isVisible():
            return
        self._working(True)
        self.error.show_message("")
        when_done(self._service.unlock(passphrase), self._opened, self._failed, owner=self,
                  context="centre unlock")

    def open_with_recovery(self) -> None:
        """Unlock with the recovery code and set the new passphrase."""
        if self.busy.isVisible() or not self.new_fields.acceptable():
            return
        self._working(True)
        self.error.show_message("")
        when_done(self._service.unlock_with_recovery(self.recovery.code_text(),
                                                     self.new_fields.value()),
                  self._opened, self._failed, owner=self, context="centre recovery unlock")

    def _opened(self, name: object) -> None:
        self._working(False)
        self.passphrase.clear()
        self.recovery.wipe()
        self.show_view(recovery=False)
        self.unlocked.emit(str(name))

    def _failed(self, error: KnownError) -> None:
        self._working(False)
        field = self.code if self.views.currentWidget() is self.recovery_view else self.passphrase
        field.selectAll()
        field.setFocus()
        self.error.show_message(error.translated())

    def reset(self) -> None:
        """Back to an empty field after locking."""
        self.passphrase.clear()
        self.recovery.wipe()
        self.show_view(recovery=False)
        self.error.show_message("")
        self.passphrase.setFocus()

"""Settings: language, minutes before the vault locks itself, text size (kept on the computer,
nothing personal); with the vault open also the reception centre and how long delivered
interviews stay (kept in the vault: the alias list is shown only inside the unlocked app), the
interview form versions this laptop has, and a button to change the vault's passphrase."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.i18n import N_, _, set_language
from intake_app.i18n.formatting import format_size
from intake_app.i18n.qt import register
from intake_app.ui.common import fit_to_screen, wrap_text
from intake_app.ui.language_combo import LanguageCombo
from intake_app.ui.preferences import MAX_IDLE_MINUTES, MIN_IDLE_MINUTES, TEXT_SIZES, Preferences
from intake_app.ui.scroll_page import scrolling
from intake_app.ui.tasks import when_done

if TYPE_CHECKING:
    from intake_app.services.worker import WorkerService
    from intake_app.ui.worker.enrol_dialog import CentreSection
    from intake_app.ui.worker.form_versions_view import FormVersionsSection
    from intake_app.ui.worker.passphrase_section import PassphraseDialog
    from intake_app.ui.worker.purge_view import RetentionSection

TEXT_SIZE_LABELS = {"normal": N_("Normal"), "large": N_("Large"), "larger": N_("Larger")}
# The vault's size on this computer, part by part (`DiskUsage` attributes).
DISK_PARTS = ("total", "database", "attachments", "backups")
DISK_PART_LABELS = {
    "total": N_("The vault on this computer:"),
    "database": N_("Interviews:"),
    "attachments": N_("Attached files:"),
    "backups": N_("Backups made before upgrades:"),
}


class SettingsDialog(QDialog):
    """Changes apply at once; `idle_changed` and `text_size_changed` tell the shell.

    With `service` (the vault is open) the dialog has tabs for the reception centre and for
    delivered interviews too.
    """

    idle_changed = Signal(int)
    text_size_changed = Signal(int)
    language_chosen = Signal(str)

    def __init__(
        self,
        preferences: Preferences,
        parent: QWidget | None = None,
        *,
        service: WorkerService | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings")
        self._prefs = preferences
        self.tabs: QTabWidget | None = None
        self.centre: CentreSection | None = None
        self.retention: RetentionSection | None = None
        self.forms: FormVersionsSection | None = None
        # Made first, so that the keyboard reaches the tabs before the tabs' contents.
        general = QWidget(self)
        if service is not None:
            self.tabs = QTabWidget(self)
            self.tabs.setObjectName("settings_tabs")
        self.language = LanguageCombo(self)
        self.language.chosen.connect(self._language_picked)
        self.idle = QSpinBox(self)
        self.idle.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        self.idle.setValue(preferences.idle_minutes)
        self.idle.valueChanged.connect(self._idle_picked)
        self.text_size = QComboBox(self)
        for key in TEXT_SIZES:
            self.text_size.addItem("", key)
        self.text_size.setCurrentIndex(self.text_size.findData(preferences.text_size))
        self.text_size.currentIndexChanged.connect(self._size_picked)

        self.language_label = QLabel(self)
        self.language_label.setBuddy(self.language)
        self.idle_label = QLabel(self)
        self.idle_label.setBuddy(self.idle)
        self.size_label = QLabel(self)
        self.size_label.setBuddy(self.text_size)
        self.note = QLabel(self)
        wrap_text(self.note)
        # What the vault takes on disk: one short row each, so nothing has to wrap (Thai does not).
        self.disk_labels = [QLabel(self) for _part in DISK_PARTS]
        self.disk_values = [QLabel("…", self) for _part in DISK_PARTS]
        for value in self.disk_values:
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self._usage: Any = None  # a storage DiskUsage, once read
        self.passphrase_button: QPushButton | None = None
        if service is not None:
            self.passphrase_button = QPushButton(self)
            self.passphrase_button.setObjectName("open_passphrase_change")
            self.passphrase_button.clicked.connect(lambda: self.change_passphrase(service))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.language_label, self.language)
        form.addRow(self.idle_label, self.idle)
        form.addRow(self.size_label, self.text_size)
        for label, value in zip(self.disk_labels, self.disk_values, strict=True):
            form.addRow(label, value)
        general_layout = QVBoxLayout(general)
        general_layout.addLayout(form)
        general_layout.addWidget(self.note)
        if self.passphrase_button is not None:
            general_layout.addWidget(self.passphrase_button, 0, Qt.AlignmentFlag.AlignLeading)
        general_layout.addStretch(1)
        layout = QVBoxLayout(self)
        # Never smaller than what the texts need, in any language and at any scale.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        if self.tabs is not None and service is not None:
            from intake_app.ui.worker.enrol_dialog import CentreSection
            from intake_app.ui.worker.form_versions_view import FormVersionsSection
            from intake_app.ui.worker.purge_view import RetentionSection

            self.centre = CentreSection(service, self)
            self.retention = RetentionSection(service, self)
            self.forms = FormVersionsSection(service, self)
            # Pages grow long at large text sizes and in some languages: they scroll. (All of
            # them: a page that wraps its text without scrolling would set the dialog's height.)
            self.tabs.addTab(scrolling(general, self.tabs), "")
            self.tabs.addTab(scrolling(self.centre, self.tabs), "")
            self.tabs.addTab(scrolling(self.retention, self.tabs), "")
            self.tabs.addTab(scrolling(self.forms, self.tabs), "")
            # Every tab's title shown in full, never behind scroll arrows.
            self.tabs.tabBar().setUsesScrollButtons(False)
            self.tabs.tabBar().setElideMode(Qt.TextElideMode.ElideNone)
            layout.addWidget(self.tabs)
        else:
            general_layout.setContentsMargins(0, 0, 0, 0)  # the dialog has margins already
            layout.addWidget(general)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        register(self)
        fit_to_screen(self, self.sizeHint())  # its texts are set now
        if service is not None:
            when_done(service.disk_usage(), self._show_usage, lambda _error: None, owner=self,
                      context="vault size")

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.setWindowTitle(_("Settings"))
        self.language_label.setText(_("&Language:"))
        self.idle_label.setText(_("Lock &after this many idle minutes:"))
        self.idle.setAccessibleName(_("Lock after this many idle minutes"))
        self.idle.setSuffix("")
        self.size_label.setText(_("&Text size:"))
        self.text_size.setAccessibleName(_("Text size"))
        for row in range(self.text_size.count()):
            self.text_size.setItemText(row, _(TEXT_SIZE_LABELS[str(self.text_size.itemData(row))]))
        self.note.setText(_("Settings are kept on this computer. They hold nothing about anyone."))
        if self.tabs is not None:
            for index, title in enumerate(
                (
                    _("&General"),
                    _("&Reception centre"),
                    _("&Delivered interviews"),
                    _("&Forms"),
                )
            ):
                self.tabs.setTabText(index, title)
            self.tabs.setAccessibleName(_("Settings"))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setAccessibleName(_("Close"))
        self._say_usage()
        if self.passphrase_button is not None:
            self.passphrase_button.setText(_("Change y&our passphrase…"))
            self.passphrase_button.setAccessibleName(_("Change your passphrase"))

    def _show_usage(self, usage: Any) -> None:
        self._usage = usage
        self._say_usage()

    def _say_usage(self) -> None:
        for part, label, value in zip(DISK_PARTS, self.disk_labels, self.disk_values, strict=True):
            label.setText(_(DISK_PART_LABELS[part]))
            size = None if self._usage is None else getattr(self._usage, part)
            value.setText("…" if size is None else format_size(size))
            value.setAccessibleName(label.text().rstrip(":"))

    def change_passphrase(self, service: WorkerService) -> PassphraseDialog:
        """Open the passphrase dialog over this one (the vault is open)."""
        from intake_app.ui.worker.passphrase_section import PassphraseDialog

        dialog = PassphraseDialog(service, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        dialog.section.current.setFocus()
        return dialog

    def _language_picked(self, code: str) -> None:
        set_language(code)
        self._prefs.language = code
        self.language_chosen.emit(code)

    def _idle_picked(self, minutes: int) -> None:
        self._prefs.idle_minutes = minutes
        self.idle_changed.emit(self._prefs.idle_minutes)

    def _size_picked(self, row: int) -> None:
        self._prefs.text_size = str(self.text_size.itemData(row))
        self.text_size_changed.emit(self._prefs.point_size)

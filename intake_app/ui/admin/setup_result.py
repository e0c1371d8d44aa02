"""What setting up the centre made: the profile file and its fingerprint, the share, the backup
key file, and the recovery code, which is shown once and wiped on Continue."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.sync.centre_setup import CentreSetup
from intake_app.ui.common import Heading, code_label, wrap_text
from intake_app.ui.recovery_print import print_recovery_code

# Something the administrator must still do or know (the share, the backup key file).
NOTICE_STYLE = "background: #fff3cd; color: #5c4400; padding: 8px;"
SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | (
    Qt.TextInteractionFlag.TextSelectableByKeyboard
)


def wrapping_label(parent: QWidget) -> QLabel:
    """A plain-text label that wraps (a sentence or a path)."""
    label = QLabel(parent)
    wrap_text(label)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _path_label(parent: QWidget) -> QLabel:
    label = wrapping_label(parent)
    label.setTextInteractionFlags(SELECTABLE)
    return label


def _code_label(parent: QWidget, scale: float, *, selectable: bool) -> QLabel:
    label = code_label(parent, scale)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if selectable:
        label.setTextInteractionFlags(SELECTABLE)
    return label


class SetupResult(QWidget):
    """Shows one `CentreSetup`; emits `continued()` once the code is wiped from the screen."""

    continued = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._recovery_code = ""
        self._share_ready: bool | None = None  # known once a set-up is shown
        self.title = Heading(2.0, self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro = wrapping_label(self)
        self.profile_path = _path_label(self)
        self.profile_path.setObjectName("profile_path")
        self.fingerprint = _code_label(self, 2.0, selectable=True)
        self.fingerprint.setObjectName("profile_fingerprint")
        self.share_path = _path_label(self)
        self.share_state = wrapping_label(self)
        self.backup_path = _path_label(self)
        self.backup_advice = wrapping_label(self)
        self.backup_advice.setStyleSheet(NOTICE_STYLE)
        self.labels = [QLabel(self) for _ in range(4)]
        self.recovery_title = Heading(1.5, self)
        self.recovery_intro = wrapping_label(self)
        self.code_label = _code_label(self, 1.6, selectable=False)
        self.code_label.setObjectName("recovery_code")
        self.print_button = QPushButton(self)
        self.print_button.clicked.connect(self._print)
        self.written_box = QCheckBox(self)
        self.continue_button = QPushButton(self)
        self.continue_button.setEnabled(False)
        self.written_box.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self.finish)
        self._lay_out()
        register(self)

    def _lay_out(self) -> None:
        self.facts = QFormLayout()
        self.facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        values = (self.profile_path, self.fingerprint, self.share_path, self.backup_path)
        for label, value in zip(self.labels, values, strict=True):
            label.setBuddy(value)
            self.facts.addRow(label, value)
        # What to know about the share and to do with the backup key, under each of them.
        self.facts.insertRow(3, "", self.share_state)
        self.facts.addRow("", self.backup_advice)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 24, 24, 24)
        column.setSpacing(12)
        column.addWidget(self.title)
        column.addWidget(self.intro)
        column.addLayout(self.facts)
        column.addSpacing(12)
        for widget in (self.recovery_title, self.recovery_intro, self.code_label):
            column.addWidget(widget)
        print_row = QHBoxLayout()
        print_row.addWidget(self.print_button)
        print_row.addStretch(1)
        column.addLayout(print_row)
        column.addWidget(self.written_box)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        column.addLayout(buttons)
        column.addStretch(1)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title.setText(_("The centre is set up"))
        self.intro.setText(_(
            "Give the profile file to each laptop (on a USB stick, say) and read the fingerprint "
            "out to the worker, who compares it with the one on the laptop's screen."))
        captions = (_("Profile file:"), _("Profile fingerprint:"), _("Share folder:"),
                    _("Offline backup key:"))
        for label, caption in zip(self.labels, captions, strict=True):
            label.setText(caption)
        self.profile_path.setAccessibleName(_("Profile file"))
        self.fingerprint.setAccessibleName(_("Profile fingerprint"))
        self.share_path.setAccessibleName(_("Share folder"))
        self.backup_path.setAccessibleName(_("Offline backup key"))
        self.backup_advice.setText(_(
            "Print this file or copy it to offline storage, then delete it from this computer."))
        self.recovery_title.setText(_("Write down the recovery code"))
        self.recovery_intro.setText(_(
            "If the passphrase is forgotten, this code is the only way to open the centre's "
            "vault. It is shown only now. Write it on paper or print it, and keep it locked away "
            "from the computer."))
        self.code_label.setAccessibleName(_("Recovery code"))
        self.print_button.setText(_("&Print…"))
        self.print_button.setAccessibleName(_("Print the recovery code"))
        self.written_box.setText(_("I have &written the code down or printed it"))
        self.written_box.setAccessibleName(_("I have written the code down or printed it"))
        self.continue_button.setText(_("C&ontinue"))
        self.continue_button.setAccessibleName(_("Continue"))
        self._show_share_state()

    def show_setup(self, setup: CentreSetup) -> None:
        """Fill the view with what `init_centre` made."""
        self._recovery_code = setup.recovery_code
        self.profile_path.setText(str(setup.profile_path))
        self.fingerprint.setText(setup.fingerprint)
        self.share_path.setText(setup.profile.share)
        self._share_ready = setup.share_ready
        self._show_share_state()
        has_backup = setup.backup_identity is not None
        self.backup_path.setText(str(setup.backup_identity) if has_backup else "")
        for widget in (self.backup_path, self.backup_advice):
            self.facts.setRowVisible(widget, has_backup)
        self.code_label.setText(setup.recovery_code)
        self.written_box.setChecked(False)

    def _show_share_state(self) -> None:
        if self._share_ready is None:
            return
        self.share_state.setStyleSheet("" if self._share_ready else NOTICE_STYLE)
        self.share_state.setText(
            _("The folders the laptops use are ready on the share.") if self._share_ready
            else _("The share folder cannot be reached now. Laptops can send bundles once it "
                   "exists and this computer can write to it."))

    def _print(self) -> None:
        print_recovery_code(self, self._recovery_code)

    def finish(self) -> None:
        """Forget the recovery code (it is shown once) and say so."""
        self._recovery_code = ""
        self.code_label.clear()
        self.written_box.setChecked(False)
        self.continued.emit()

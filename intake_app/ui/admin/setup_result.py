"""What setting up the centre made: the profile file and its fingerprint, the share, the backup
key file, and the recovery code, which is shown once and wiped on Continue."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from intake_app.i18n import _
from intake_app.i18n.qt import register
from intake_app.sync.centre import CentreSetup
from intake_app.ui.common import Heading, code_label, wrap_text
from intake_app.ui.recovery_view import RecoveryCodeView

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


def _fingerprint_label(parent: QWidget) -> QLabel:
    """The profile's fingerprint: large, centred, selectable (to paste into a message)."""
    label = code_label(parent, 2.0)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(SELECTABLE)
    return label


class SetupResult(QWidget):
    """Shows one `CentreSetup`; emits `continued()` once the code is wiped from the screen."""

    continued = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._share_ready: bool | None = None  # known once a set-up is shown
        self.title = Heading(2.0, self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro = wrapping_label(self)
        self.profile_path = _path_label(self)
        self.profile_path.setObjectName("profile_path")
        self.fingerprint = _fingerprint_label(self)
        self.fingerprint.setObjectName("profile_fingerprint")
        self.share_path = _path_label(self)
        self.share_state = wrapping_label(self)
        self.backup_path = _path_label(self)
        self.backup_advice = wrapping_label(self)
        self.backup_advice.setStyleSheet(NOTICE_STYLE)
        self.labels = [QLabel(self) for _ in range(4)]
        self.recovery = RecoveryCodeView(self, centred=True)
        self.recovery.continued.connect(self.continued)
        # The parts tests reach for by name.
        self.code_label = self.recovery.code_label
        self.print_button = self.recovery.print_button
        self.written_box = self.recovery.written_box
        self.continue_button = self.recovery.continue_button
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
        column.addWidget(self.recovery)
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
        self.recovery.title.setText(_("Write down the recovery code"))
        self.recovery.intro.setText(_(
            "If the passphrase is forgotten, this code is the only way to open the centre's "
            "vault. It is shown only now. Write it on paper or print it, and keep it locked away "
            "from the computer."))
        self._show_share_state()

    def show_setup(self, setup: CentreSetup) -> None:
        """Fill the view with what `init_centre` made."""
        self.profile_path.setText(str(setup.profile_path))
        self.fingerprint.setText(setup.fingerprint)
        self.share_path.setText(setup.profile.share)
        self._share_ready = setup.share_ready
        self._show_share_state()
        has_backup = setup.backup_identity is not None
        self.backup_path.setText(str(setup.backup_identity) if has_backup else "")
        for widget in (self.backup_path, self.backup_advice):
            self.facts.setRowVisible(widget, has_backup)
        self.recovery.show_code(setup.recovery_code)

    def _show_share_state(self) -> None:
        if self._share_ready is None:
            return
        self.share_state.setStyleSheet("" if self._share_ready else NOTICE_STYLE)
        self.share_state.setText(
            _("The folders the laptops use are ready on the share.") if self._share_ready
            else _("The share folder cannot be reached now. Laptops can send bundles once it "
                   "exists and this computer can write to it."))

    def finish(self) -> None:
        """Forget the recovery code (it is shown once) and say so."""
        self.recovery.finish()

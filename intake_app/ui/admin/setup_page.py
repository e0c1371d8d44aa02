"""Setting up a new reception centre from the administrator's window (`centre init` in a form).

Shown instead of the unlock page while the data folder holds no centre. The form asks for the
centre's name, the share folder and a new passphrase (and, if wanted, where to write the offline
backup key once); the result view shows what was made and the recovery code, once.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _, set_language
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.sync.centre import MAX_NAME, MAX_SHARE, CentreSetup
from intake_app.ui.admin.setup_result import SetupResult, wrapping_label
from intake_app.ui.common import Heading, MessageLine
from intake_app.ui.language_combo import LanguageCombo
from intake_app.ui.new_passphrase import NewPassphraseFields
from intake_app.ui.tasks import when_done

BACKUP_FILE_NAME = "intake-centre-backup-key.txt"


class SetupPage(QWidget):
    """Emits `done()` after the administrator has seen the result and pressed Continue."""

    done = Signal()

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._working = False
        self.setObjectName("centre_setup")
        self.views = QStackedWidget(self)
        self._build_form_view()
        self.result = SetupResult(self.views)
        self.result.continued.connect(self.done)
        self.views.addWidget(self.result)
        # Large text or a small screen: the page scrolls rather than clipping anything.
        self.scroller = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget(scroll)
        centred = QHBoxLayout(inner)
        centred.addStretch(1)
        centred.addWidget(self.views, 4)
        centred.addStretch(1)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        register(self)
        self._update_ready()

    # -- the form -------------------------------------------------------------------------------

    def _build_form_view(self) -> None:
        view = QWidget(self.views)
        self.title = Heading(2.0, view)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro = wrapping_label(view)
        self.form_box = QWidget(view)  # disabled as a whole while the centre is being made
        self.name = QLineEdit(self.form_box)
        self.name.setObjectName("centre_name")
        self.name.setMaxLength(MAX_NAME)
        self.share = QLineEdit(self.form_box)
        self.share.setObjectName("share_folder")
        self.share.setMaxLength(MAX_SHARE)
        self.share.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a path reads LTR
        self.share_button = QPushButton(self.form_box)
        self.share_button.clicked.connect(self.choose_share)
        self.name_label = QLabel(self.form_box)
        self.name_label.setBuddy(self.name)
        self.share_label = QLabel(self.form_box)
        self.share_label.setBuddy(self.share)
        self.fields = NewPassphraseFields(self.form_box)
        self.passphrase_title = wrapping_label(self.form_box)
        self.backup_box = QCheckBox(self.form_box)
        self.backup_intro = wrapping_label(self.form_box)
        self.backup_file = QLineEdit(self.form_box)
        self.backup_file.setObjectName("backup_key_file")
        self.backup_file.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.backup_label = QLabel(self.form_box)
        self.backup_label.setBuddy(self.backup_file)
        self.backup_button = QPushButton(self.form_box)
        self.backup_button.clicked.connect(self.choose_backup_file)
        self.error = MessageLine(view)
        self.busy = QProgressBar(view)
        self.busy.setRange(0, 0)  # Argon2 calibration gives no progress of its own
        self.busy.hide()
        self.setup_button = QPushButton(view)
        self.setup_button.setDefault(True)
        self.setup_button.clicked.connect(self.set_up)
        self.language = LanguageCombo(view)
        self.language.chosen.connect(set_language)
        self._lay_out_form(view)
        for edit in (self.name, self.share, self.fields.passphrase, self.fields.confirmation,
                     self.backup_file):
            edit.returnPressed.connect(self.set_up)
        for changed in (self.name.textChanged, self.share.textChanged,
                        self.backup_file.textChanged):
            changed.connect(self._update_ready)
        self.backup_box.toggled.connect(self._update_ready)
        self.fields.acceptable_changed.connect(self._update_ready)
        chain = (self.name, self.share, self.share_button, self.fields.passphrase,
                 self.fields.confirmation, self.fields.show_box, self.backup_box,
                 self.backup_file, self.backup_button, self.setup_button, self.language)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.form_view = view
        self.views.addWidget(view)

    def _lay_out_form(self, view: QWidget) -> None:
        share_row = QHBoxLayout()
        share_row.addWidget(self.share, 1)
        share_row.addWidget(self.share_button)
        centre = QFormLayout()
        centre.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        centre.addRow(self.name_label, self.name)
        centre.addRow(self.share_label, share_row)
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.backup_file, 1)
        backup_row.addWidget(self.backup_button)
        backup = QFormLayout()
        backup.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        backup.addRow(self.backup_label, backup_row)
        box = QVBoxLayout(self.form_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        box.addLayout(centre)
        box.addWidget(self.passphrase_title)
        box.addWidget(self.fields)
        box.addWidget(self.backup_box)
        box.addWidget(self.backup_intro)
        box.addLayout(backup)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.setup_button)
        column = QVBoxLayout(view)
        column.setContentsMargins(24, 24, 24, 24)
        column.setSpacing(12)
        column.addWidget(self.title)
        column.addWidget(self.intro)
        column.addSpacing(12)
        column.addWidget(self.form_box)
        column.addWidget(self.error)
        column.addWidget(self.busy)
        column.addLayout(buttons)
        column.addStretch(1)
        column.addWidget(self.language, 0, Qt.AlignmentFlag.AlignHCenter)

    # -- texts ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title.setText(_("Set up a reception centre"))
        self.intro.setText(_(
            "No centre has been set up in this data folder yet. Give the centre's name, the "
            "shared folder the laptops send their bundles to, and a passphrase for the centre's "
            "vault."))
        self.name_label.setText(_("Centre na&me:"))
        self.name.setAccessibleName(_("Centre name"))
        self.name.setPlaceholderText(_("Shown on the laptops"))
        self.share_label.setText(_("Sh&are folder:"))
        self.share.setAccessibleName(_("Share folder"))
        self.share.setPlaceholderText(_("The shared folder the laptops send their bundles to"))
        self.share_button.setText(_("Choose…"))
        self.share_button.setAccessibleName(_("Choose the share folder"))
        self.passphrase_title.setText(_(
            "The passphrase opens the centre's vault, which holds every imported interview and "
            "the centre's keys."))
        self.backup_box.setText(_("Also make an offline &backup key"))
        self.backup_box.setAccessibleName(_("Also make an offline backup key"))
        self.backup_intro.setText(_(
            "The backup key can open the laptops' bundles if this computer or its vault is "
            "lost. It is written once, to a new file; print it or move it offline, then delete "
            "the file."))
        self.backup_label.setText(_("Backup key &file:"))
        self.backup_file.setAccessibleName(_("Backup key file"))
        self.backup_button.setText(_("Choose…"))
        self.backup_button.setAccessibleName(_("Choose where to write the backup key"))
        self.setup_button.setText(_("Set &up the centre"))
        self.setup_button.setAccessibleName(_("Set up the centre"))
        self.busy.setAccessibleName(_("Setting up the centre"))
        # The three forms on the page line their fields up on one edge, in every language.
        labels = (self.name_label, self.share_label, self.fields.passphrase_label,
                  self.fields.confirmation_label, self.backup_label)
        widest = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(widest)

    # -- choosing files -------------------------------------------------------------------------

    def choose_share(self) -> None:
        """Pick the share folder with the folder dialog."""
        folder = QFileDialog.getExistingDirectory(self, _("Choose the share folder"),
                                                  self.share.text().strip())
        if folder:
            self.share.setText(str(Path(folder)))

    def choose_backup_file(self) -> None:
        """Pick the new file the backup key is written to."""
        start = self.backup_file.text().strip() or str(Path.home() / BACKUP_FILE_NAME)
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Choose where to write the backup key"), start)
        if name:
            self.backup_file.setText(str(Path(name)))
            self.backup_box.setChecked(True)

    # -- setting up -----------------------------------------------------------------------------

    def ready(self) -> bool:
        """Whether every field is filled well enough to try (the passphrase pair acceptable)."""
        backup_ok = not self.backup_box.isChecked() or bool(self.backup_file.text().strip())
        return (bool(self.name.text().strip()) and bool(self.share.text().strip())
                and self.fields.acceptable() and backup_ok)

    def _update_ready(self) -> None:
        wanted = self.backup_box.isChecked()
        self.backup_file.setEnabled(wanted)
        self.backup_button.setEnabled(wanted)
        self.backup_label.setEnabled(wanted)
        self.setup_button.setEnabled(self.ready() and not self._working)

    def set_up(self) -> None:
        """Make the centre with what was typed (on the service's thread)."""
        if not self.ready() or self._working:
            return
        share = self.share.text().strip()
        backup = Path(self.backup_file.text().strip()) if self.backup_box.isChecked() else None
        if not Path(share).is_absolute():
            self._refuse(_("Give the full path of the share folder."), self.share)
            return
        if backup is not None and not backup.is_absolute():
            self._refuse(_("Give the full path of the backup key file."), self.backup_file)
            return
        self.error.show_message("")
        self._working = True
        self.busy.show()
        self.form_box.setEnabled(False)
        self.setup_button.setEnabled(False)
        future = self._service.set_up(name=self.name.text().strip(), share=share,
                                      passphrase=self.fields.value(), backup_identity=backup)
        when_done(future, self._made, self._failed, owner=self, context="centre set-up")

    def _refuse(self, message: str, field: QLineEdit) -> None:
        self.error.show_message(message)
        field.setFocus()
        field.selectAll()

    def _failed(self, error: KnownError) -> None:
        self._working = False
        self.busy.hide()
        self.form_box.setEnabled(True)
        self._update_ready()
        self.error.show_message(error.translated())

    def _made(self, setup: object) -> None:
        assert isinstance(setup, CentreSetup)
        self._working = False
        self.busy.hide()
        self.fields.wipe()
        self.result.show_setup(setup)
        self.views.setCurrentWidget(self.result)
        self.scroller.verticalScrollBar().setValue(0)  # the title and fingerprint first
        self.result.print_button.setFocus()

"""Saving the interviews as a spreadsheet (.xlsx) or a CSV file, from the Exports tab.

The file holds personal data in clear text outside the centre's vault, by design: the box says
so before anything is chosen, and once the file is written says where that copy is. A CSV
file's fields are separated as Excel in the labels' language expects, or as the administrator
chooses (for an Excel in another language). The work runs on the centre's vault thread; a
progress bar follows it interview by interview.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _, ngettext
from intake_app.i18n.core import current_language
from intake_app.i18n.formatting import isolate
from intake_app.i18n.languages import LANGUAGE_CODES, native_name_of
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.services.centre_exports import (
    DELIMITERS,
    Delimiter,
    ExportFormat,
    export_interviews,
)
from intake_app.ui.admin.save_outcome import SaveOutcome
from intake_app.ui.common import wrap_text
from intake_app.ui.file_dialogs import choose_new_file
from intake_app.ui.tasks import guarded, progress_relay, when_done

PROGRESS_STEPS = 200  # at most this many progress updates cross to the GUI thread per export


class InterviewExportBox(QGroupBox):
    """The language of the labels, a CSV file's separator, and a button per format; the
    clear-text warning; progress while writing; where the file went."""

    def __init__(self, service: CentreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.notice = wrap_text(QLabel(self))
        self.language = QComboBox(self)
        for code in LANGUAGE_CODES:
            self.language.addItem(native_name_of(code), code)
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        self._language_chosen = False  # until the administrator picks one, the window's
        self.language.activated.connect(self._language_picked)
        self.language_label = QLabel(self)
        self.language_label.setBuddy(self.language)
        self.delimiter = QComboBox(self)
        for code in DELIMITERS:
            self.delimiter.addItem("", code)  # the words are set by retranslate
        self.delimiter_label = QLabel(self)
        self.delimiter_label.setBuddy(self.delimiter)
        self.xlsx_button = QPushButton(self)
        self.xlsx_button.clicked.connect(self.choose_xlsx_file)
        self.csv_button = QPushButton(self)
        self.csv_button.clicked.connect(self.choose_csv_file)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.outcome = SaveOutcome(self, _written_text)
        self.result, self.error = self.outcome.result, self.outcome.error
        self._progress = progress_relay(self._moved, owner=self, steps=PROGRESS_STEPS)
        self._lay_out()
        register(self)

    def _lay_out(self) -> None:
        # One row, as wide as its words: the language, then what to save it as (the CSV
        # file's separator beside its button).
        row = QHBoxLayout()
        row.addWidget(self.language_label)
        row.addWidget(self.language)
        row.addSpacing(24)
        row.addWidget(self.xlsx_button)
        row.addSpacing(24)
        row.addWidget(self.delimiter_label)
        row.addWidget(self.delimiter)
        row.addWidget(self.csv_button)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.notice)
        column.addLayout(row)
        column.addWidget(self.progress)
        column.addWidget(self.result)
        column.addWidget(self.error)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.setTitle(_("Interviews as a spreadsheet or a CSV file"))
        self.notice.setText(
            _(
                "The file holds the answers of every interview in clear text, outside the "
                "centre's vault. Save it only where the centre keeps personal data, and delete "
                "it when it is no longer needed. Interviews whose consent was withdrawn are "
                "left out."
            )
            + "\n"
            + _(
                "A CSV file's fields are separated as Excel in the language of the labels "
                "expects: by semicolons where decimals are written with a comma (Finnish, "
                "Swedish). If Excel is in another language, choose the delimiter it expects."
            )
        )
        self.language_label.setText(_("&Labels in:"))
        self.language.setAccessibleName(_("Language of the labels in the file"))
        self.delimiter_label.setText(_("CSV &delimiter:"))
        self.delimiter.setAccessibleName(_("What separates the fields of a CSV file"))
        for index, text in enumerate(
            (
                _("By the labels' language"),
                # TRANSLATORS: the CSV separator ","; keep the character in brackets.
                _("Comma (,)"),
                # TRANSLATORS: the CSV separator ";"; keep the character in brackets.
                _("Semicolon (;)"),
                # TRANSLATORS: the tab character as the CSV separator (not a tab of the window).
                _("Tab"),
            )
        ):
            self.delimiter.setItemText(index, text)
        self.xlsx_button.setText(_("Save as spreadsheet (.&xlsx)…"))
        self.xlsx_button.setAccessibleName(_("Save the interviews as a spreadsheet"))
        self.csv_button.setText(_("Save as CS&V…"))
        self.csv_button.setAccessibleName(_("Save the interviews as a CSV file"))
        self.progress.setAccessibleName(_("Writing the file"))
        if not self._language_chosen:
            self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        self.outcome.say()

    def _language_picked(self, _index: int) -> None:
        self._language_chosen = True

    @guarded("centre interview export")
    def choose_xlsx_file(self) -> None:
        """Ask where to save the spreadsheet, then write it."""
        name = choose_new_file(
            self,
            _("Save the interviews as a spreadsheet"),
            _("Spreadsheets (*.xlsx)"),
            # TRANSLATORS: the file name proposed for the interviews as a spreadsheet; keep
            # it a valid file name (no slashes) and keep the ".xlsx" ending.
            _("interviews.xlsx"),
        )
        if name:
            self.save(Path(name), "xlsx")

    @guarded("centre interview export")
    def choose_csv_file(self) -> None:
        """Ask where to save the CSV file, then write it."""
        name = choose_new_file(
            self,
            _("Save the interviews as a CSV file"),
            _("CSV files (*.csv)"),
            # TRANSLATORS: the file name proposed for the interviews as a CSV file; keep it a
            # valid file name (no slashes) and keep the ".csv" ending.
            _("interviews.csv"),
        )
        if name:
            self.save(Path(name), "csv")

    def save(self, path: Path, kind: ExportFormat) -> None:
        """Write the file (labels in the chosen language, a CSV file's fields separated as
        chosen) off the GUI thread."""
        self._set_busy(True)
        self.outcome.writing(path)
        future = export_interviews(
            self._service,
            path,
            kind,
            str(self.language.currentData()),
            self._progress,
            delimiter=self.chosen_delimiter(),
        )
        when_done(
            future,
            lambda count: self._written(path, count),
            self._failed,
            owner=self,
            context="centre interview export",
        )

    def chosen_delimiter(self) -> Delimiter:
        """The CSV separator chosen: auto (by the labels' language), comma, semicolon or tab."""
        chosen = self.delimiter.currentData()
        return next((code for code in DELIMITERS if code == chosen), "auto")

    def _set_busy(self, busy: bool) -> None:
        for control in (self.xlsx_button, self.csv_button, self.language, self.delimiter):
            control.setEnabled(not busy)
        if busy:
            self.progress.setRange(0, 0)  # busy until the first interview is written
        self.progress.setVisible(busy)

    def _moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _written(self, path: Path, count: object) -> None:
        assert isinstance(count, int)
        self._set_busy(False)
        self.outcome.saved((path, count))

    def _failed(self, error: KnownError) -> None:
        self._set_busy(False)
        self.outcome.failed(error)


def _written_text(saved: tuple[Path, int]) -> str:
    """Where the clear copy is, how many interviews it holds, and what to do with it."""
    path, count = saved
    written = ngettext(
        "{count} interview written to {file}.",
        "{count} interviews written to {file}.",
        count,
        count=count,
        file=isolate(path),
    )
    warning = _(
        "This copy is in clear text: keep it only where the centre keeps personal "
        "data, and delete it when it is no longer needed."
    )
    return f"{written}\n{warning}"

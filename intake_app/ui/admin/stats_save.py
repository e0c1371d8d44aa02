"""Saving statistics from the Exports tab: the table chosen above it, the overview or the annual
report for the national rapporteur (a year picked), as a spreadsheet or as a PDF with charts.

Counting and writing run on the centre's vault thread with a busy bar; only the PDF's drawing
(a tenth of a second) happens here. Once saved, the box says where the file is. A report holds
no count below five, nor one from which such a count could be worked out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from intake_app.errors import KnownError
from intake_app.i18n import _, current_language
from intake_app.i18n.formatting import isolate
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService
from intake_app.services.centre_stats import build_report, save_pdf, save_xlsx
from intake_app.sync.centre import ReportChoice, StatsReport
from intake_app.ui.admin.save_outcome import SaveOutcome
from intake_app.ui.admin.stats_pdf import report_pdf
from intake_app.ui.file_dialogs import choose_new_file
from intake_app.ui.tasks import guarded, report_bug, when_done

FIRST_YEAR = 2000
TABLE, OVERVIEW, ANNUAL = "fields", "overview", "annual"


class StatsSaveBox(QWidget):
    """Which report (and year), a button per format, a busy bar, where the file went."""

    def __init__(
        self,
        service: CentreService,
        chosen_fields: Callable[[], tuple[str, ...]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._chosen_fields = chosen_fields
        self.report = QComboBox(self)
        for kind in (TABLE, OVERVIEW, ANNUAL):
            self.report.addItem("", kind)
        self.report.currentIndexChanged.connect(self._report_changed)
        self.report_label = QLabel(self)
        self.report_label.setBuddy(self.report)
        this_year = dt.date.today().year
        self.year = QSpinBox(self)
        self.year.setRange(FIRST_YEAR, this_year)
        self.year.setValue(this_year - 1)  # the report is made after the year it covers
        self.year_label = QLabel(self)
        self.year_label.setBuddy(self.year)
        self.xlsx_button = QPushButton(self)
        self.xlsx_button.clicked.connect(self.choose_xlsx_file)
        self.pdf_button = QPushButton(self)
        self.pdf_button.clicked.connect(self.choose_pdf_file)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.outcome = SaveOutcome(
            self, lambda path: _("The statistics were saved to {file}.", file=isolate(path))
        )
        self.result, self.error = self.outcome.result, self.outcome.error
        self._lay_out()
        self._report_changed()
        register(self)

    def _lay_out(self) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.report_label)
        row.addWidget(self.report)
        row.addWidget(self.year_label)
        row.addWidget(self.year)
        row.addSpacing(16)
        row.addWidget(self.xlsx_button)
        row.addWidget(self.pdf_button)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.progress)
        column.addWidget(self.result)
        column.addWidget(self.error)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.report_label.setText(_("&Report:"))
        self.report.setItemText(0, _("The table chosen above"))
        self.report.setItemText(
            1, _("Overview: per month, type of exploitation, nationality, age group")
        )
        self.report.setItemText(2, _("Annual report for the national rapporteur"))
        self.report.setAccessibleName(_("Which statistics to save"))
        self.year_label.setText(_("&Year:"))
        self.year.setAccessibleName(_("Year of the annual report (by the interview date)"))
        self.xlsx_button.setText(_("S&preadsheet (.xlsx)…"))
        self.xlsx_button.setAccessibleName(_("Save the statistics as a spreadsheet"))
        self.pdf_button.setText(_("PDF wit&h charts…"))
        self.pdf_button.setAccessibleName(_("Save the statistics as a PDF with charts"))
        self.progress.setAccessibleName(_("Counting and writing the statistics"))
        self.outcome.say()

    def _report_changed(self, _index: int = 0) -> None:
        annual = self.report.currentData() == ANNUAL
        self.year.setEnabled(annual)
        self.year_label.setEnabled(annual)

    def choice(self) -> ReportChoice:
        """The report chosen in the box."""
        kind = self.report.currentData()
        if kind == ANNUAL:
            return ReportChoice("annual", year=self.year.value())
        if kind == OVERVIEW:
            return ReportChoice("overview")
        return ReportChoice("fields", self._chosen_fields())

    def _suggested(self, suffix: str) -> str:
        choice = self.choice()
        if choice.kind == "annual":
            # TRANSLATORS: the file name proposed for the annual report, without its ending
            # (".pdf" or ".xlsx" is added); keep it a valid file name (no slashes).
            return _("annual-report-{year}", year=str(choice.year)) + "." + suffix
        # TRANSLATORS: the file name proposed for a statistics file, without its ending
        # (".pdf" or ".xlsx" is added); keep it a valid file name (no slashes).
        return _("statistics") + "." + suffix

    @guarded("centre statistics file")
    def choose_xlsx_file(self) -> None:
        """Ask where to save the spreadsheet, then write it."""
        name = choose_new_file(
            self,
            _("Save the statistics as a spreadsheet"),
            _("Spreadsheets (*.xlsx)"),
            self._suggested("xlsx"),
        )
        if name:
            self.save(Path(name), "xlsx")

    @guarded("centre statistics file")
    def choose_pdf_file(self) -> None:
        """Ask where to save the PDF, then write it."""
        name = choose_new_file(
            self,
            _("Save the statistics as a PDF with charts"),
            _("PDF files (*.pdf)"),
            self._suggested("pdf"),
        )
        if name:
            self.save(Path(name), "pdf")

    def save(self, path: Path, kind: str) -> None:
        """Count the chosen report and write it to `path` off the GUI thread."""
        self._set_busy(True)
        self.outcome.writing(path)
        lang = current_language()
        if kind == "xlsx":
            when_done(
                save_xlsx(self._service, self.choice(), lang, path),
                lambda _report: self._written(path),
                self._failed,
                owner=self,
                context="centre statistics xlsx",
            )
            return

        def counted(report: object) -> None:
            # Not a slot `guarded` wraps: a bug laying out the PDF must not leave the buttons
            # off and the busy bar on; it is logged and shown like a bug in any slot.
            writing = False
            try:
                assert isinstance(report, StatsReport)
                when_done(
                    save_pdf(self._service, path, report_pdf(report)),
                    lambda _none: self._written(path),
                    self._failed,
                    owner=self,
                    context="centre statistics pdf",
                )
                writing = True
            except Exception as error:
                report_bug(error, "centre statistics pdf", self)
            finally:
                if not writing:
                    self._set_busy(False)
                    self.outcome.clear()

        when_done(
            build_report(self._service, self.choice(), lang),
            counted,
            self._failed,
            owner=self,
            context="centre statistics report",
        )

    def _set_busy(self, busy: bool) -> None:
        for control in (self.xlsx_button, self.pdf_button, self.report):
            control.setEnabled(not busy)
        self.year.setEnabled(not busy and self.report.currentData() == ANNUAL)
        self.progress.setVisible(busy)

    def _written(self, path: Path) -> None:
        self._set_busy(False)
        self.outcome.saved(path)

    def _failed(self, error: KnownError) -> None:
        self._set_busy(False)
        self.outcome.failed(error)

"""Statistics reports for the administrator's window and the command line: counted on the
centre's vault thread, saved as a spreadsheet there too; a PDF's bytes (drawn by the window's
code, or `intake_app.app.render_stats_pdf` for the command line) saved the same careful way.

Nothing in a report is personal data (every count below the minimum is hidden, and so is every
count from which one could be worked out), yet files are still written whole or not at all.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from intake_app.i18n.languages import direction_of
from intake_app.services.centre import CentreService
from intake_app.storage import atomic_write_bytes
from intake_app.sync.centre.reports import check_group_fields
from intake_app.sync.centre.stats_report import ReportChoice, StatsReport, make_report
from intake_app.sync.centre.stats_xlsx import write_stats_xlsx
from intake_app.sync.centre.vault import Centre
from intake_app.sync.centre.xlsx_common import known_write_errors

FORMATS = ("xlsx", "pdf")


def build_report(service: CentreService, choice: ReportChoice, lang: str) -> Future[StatsReport]:
    """Count and label the chosen report (groups' words in `lang`)."""
    registry = service.registry()

    def work(centre: Centre) -> StatsReport:
        if choice.kind == "fields":
            check_group_fields(registry, choice.by)
        return make_report(centre.vault, registry, choice, lang, centre.profile.name)

    return service.run(work)


def save_xlsx(
    service: CentreService, choice: ReportChoice, lang: str, path: Path
) -> Future[StatsReport]:
    """Count the chosen report and write it as a spreadsheet to `path`; the report."""
    registry = service.registry()
    target = Path(path)

    def work(centre: Centre) -> StatsReport:
        if choice.kind == "fields":
            check_group_fields(registry, choice.by)
        report = make_report(centre.vault, registry, choice, lang, centre.profile.name)
        write_stats_xlsx(report, target, right_to_left=direction_of(lang) == "rtl")
        return report

    return service.run(work)


def write_file(path: Path, data: bytes) -> None:
    """Write a report's file whole or not at all (`ExportNotSaved`, `DiskFull`)."""
    with known_write_errors(path):
        atomic_write_bytes(Path(path), data, mode=0o600)


def save_pdf(service: CentreService, path: Path, data: bytes) -> Future[None]:
    """Write a report's PDF off the window's thread."""
    target = Path(path)
    return service.run(lambda _centre: write_file(target, data))

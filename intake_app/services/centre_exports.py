"""The interviews written to a file for the administrator's window: a spreadsheet (.xlsx) or a
CSV file, on the centre's vault thread, with progress.

Both are clear-text copies of personal data written where the administrator chose
(sync.centre.xlsx_export, sync.centre.csv_export); the window says so and where they went.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import Literal

from intake_app.services.centre import CentreService
from intake_app.sync.centre.csv_export import DELIMITERS as DELIMITERS  # for the window
from intake_app.sync.centre.csv_export import Delimiter as Delimiter
from intake_app.sync.centre.csv_export import export_csv
from intake_app.sync.centre.export_table import Progress
from intake_app.sync.centre.xlsx_export import export_xlsx

ExportFormat = Literal["xlsx", "csv"]
FORMATS: tuple[ExportFormat, ...] = ("xlsx", "csv")


def export_interviews(
    service: CentreService,
    path: Path,
    kind: ExportFormat,
    lang: str,
    progress: Progress | None = None,
    *,
    delimiter: Delimiter = "auto",
) -> Future[int]:
    """Write the interviews to `path` as `kind`, labels in `lang` (a CSV file's fields
    separated as `delimiter` says); the number written. `progress(done, total)` is called on
    the vault thread after each interview."""
    registry = service.registry()
    target = Path(path)
    if kind == "xlsx":
        return service.run(
            lambda centre: export_xlsx(centre.vault, registry, target, lang, progress)
        )
    return service.run(
        lambda centre: export_csv(
            centre.vault, registry, target, lang, progress, delimiter=delimiter
        )
    )

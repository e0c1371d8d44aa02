"""Spreadsheet export benchmark: the centre's interviews as .xlsx (and CSV) against a bare
openpyxl (csv) write of the same cells.

Data: 1,000 fictional interviews on the installed form (every section answered, two repeat
groups each), imported into a real centre vault; `--quick`: 100.

- ours: `export_xlsx` (read the documents from SQLCipher, render every answer in words, typed
  cells with the formula guard, write-only workbook with a sheet per repeat group, parts beside
  the target, atomic save) and `export_csv` (the same table, locale separators, atomic write);
- bare: the same cells, worked out untimed beforehand, appended as plain values to a write-only
  openpyxl workbook (its defaults: parts in the system's temporary folder) saved straight to the
  file; for CSV, `csv.writer` to a file.

Printed: the best of `--runs` for each (interleaved bare, ours, ...), and the ratio bare/ours.

Run: `.venv/bin/python bench/bench_xlsx_export.py [--quick] [--runs 3]`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from intake_app.sync.centre.csv_export import cell_text, export_csv, separators  # noqa: E402
from intake_app.sync.centre.export_table import (  # noqa: E402
    InterviewTables,
    attachment_count,
    exported_documents,
    forms_used,
)
from intake_app.sync.centre.forms import registry_validator  # noqa: E402
from intake_app.sync.centre.importer import import_bundle  # noqa: E402
from intake_app.sync.centre.vault import Centre  # noqa: E402
from intake_app.sync.centre.xlsx_export import export_xlsx  # noqa: E402
from tests.helpers.bundles import Laptop  # noqa: E402
from tests.helpers.centre import PASSPHRASE, make_centre, register  # noqa: E402
from tests.unit.sync.centre.real_form import full_document, installed_forms  # noqa: E402

LANG = "fi"


def build(folder: Path, count: int) -> Centre:
    make_centre(folder).close()
    centre = Centre.open(
        folder / "centre-data", PASSPHRASE, validator=lambda: registry_validator(installed_forms())
    )
    laptop = Laptop()
    register(centre, laptop)
    documents = [full_document(n) for n in range(1, count + 1)]
    for start in range(0, count, 250):
        bundle = laptop.bundle(
            folder / f"out{start}", centre, records=documents[start : start + 250]
        )
        assert import_bundle(centre, bundle.path).delivered
    return centre


def cells(centre: Centre) -> tuple[list[list[Any]], dict[str, list[list[Any]]]]:
    """The same cells ours writes, worked out once (untimed)."""
    documents = exported_documents(centre.vault)
    tables = InterviewTables(forms_used(installed_forms(), documents), LANG, repeats_inline=False)
    main = [[c.label for c in tables.columns], [c.code for c in tables.columns]]
    repeats = {
        t.title: [[c.label for c in t.columns], [c.code for c in t.columns]] for t in tables.repeats
    }
    for document in documents:
        count = attachment_count(centre.vault, str(document["id"]))
        main.append([_naive(v) for v in tables.row(document, count)])
        for table in tables.repeats:
            repeats[table.title] += [
                [_naive(v) for v in row] for row in tables.repeat_rows(table, document)
            ]
    return main, repeats


def _naive(value: Any) -> Any:
    return value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value


def bare_xlsx(main: list[list[Any]], repeats: dict[str, list[list[Any]]], out: Path) -> None:
    book = Workbook(write_only=True)
    for title, rows in [("Haastattelut", main), *repeats.items()]:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(out)


def bare_csv(main: list[list[Any]], out: Path) -> None:
    delimiter, decimal = separators(LANG)
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(main[1])
        for row in main[2:]:
            writer.writerow([cell_text(v, decimal) for v in row])


def timed(work: Any) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    count = 100 if args.quick else 1000
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        centre = build(folder, count)
        try:
            main_rows, repeat_rows = cells(centre)
            best: dict[str, float] = {}
            for _run in range(args.runs):
                for name, work in (
                    ("bare xlsx", lambda: bare_xlsx(main_rows, repeat_rows, folder / "b.xlsx")),
                    (
                        "ours xlsx",
                        lambda: export_xlsx(
                            centre.vault, installed_forms(), folder / "o.xlsx", LANG
                        ),
                    ),
                    ("bare csv", lambda: bare_csv(main_rows, folder / "b.csv")),
                    (
                        "ours csv",
                        lambda: export_csv(centre.vault, installed_forms(), folder / "o.csv", LANG),
                    ),
                ):
                    seconds = timed(work)
                    best[name] = min(best.get(name, seconds), seconds)
        finally:
            centre.close()
    cells_count = sum(len(row) for row in main_rows[2:])
    print(f"{count} interviews, {len(main_rows[0])} columns, {cells_count} cells on the main sheet")
    for kind in ("xlsx", "csv"):
        bare, ours = best[f"bare {kind}"], best[f"ours {kind}"]
        print(f"{kind}: bare {bare:.2f} s, ours {ours:.2f} s, bare/ours {bare / ours:.2f}")


if __name__ == "__main__":
    main()

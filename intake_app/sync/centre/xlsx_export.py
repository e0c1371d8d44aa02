"""The interviews as a spreadsheet (.xlsx): a sheet of interviews and one per repeat group.

The same columns and cells as the CSV (export_table), with what a spreadsheet adds: two
header rows, the labels in the language chosen (bold, wrapped) over the column codes, frozen
with the interview's id beside them; a repeat group's sheet (named after the group) has a row
per item, joined to its interview by the id and numbered from 1; full dates and moments are
date cells in the reader's own date format (moments in UTC, as the header says), numbers are
numbers, partial dates and everything else text. Sheets run right to left for a
right-to-left language. A text never becomes a formula (xlsx_common.text_cell). The file opens
in Excel and LibreOffice in any locale as it is: no import step, no separators to choose.

It is personal data in clear text, written where the administrator chose and readable by its
owner only, atomically and without a byte of it in the system's temporary folder
(xlsx_common.XlsxFile).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from intake_app.domain.registry import FormRegistry
from intake_app.i18n import N_, gettext_in
from intake_app.i18n.languages import direction_of
from intake_app.storage import Vault
from intake_app.sync.centre.export_table import (
    Column,
    InterviewTables,
    Kind,
    Progress,
    Value,
    attachment_count,
    exported_documents,
    forms_used,
)
from intake_app.sync.centre.xlsx_common import (
    CODE_FONT,
    LABEL_FONT,
    XlsxFile,
    date_cell,
    header_cells,
    known_write_errors,
    moment_cell,
    text_cell,
)

WIDTHS: dict[Kind, float] = {
    "id": 38,
    "code": 16,
    "words": 40,
    "text": 32,
    "number": 11,
    "date": 12,
    "moment": 17,
}
LABEL_ROW_HEIGHT = 48  # points: three lines of a wrapped label
FIRST_YEAR = 1900  # spreadsheets count days from 1900: an earlier date stays text
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cells(sheet: WriteOnlyWorksheet, row: Sequence[Value], cut_note: str) -> list[Any]:
    cells: list[Any] = []
    for value in row:
        if isinstance(value, str):
            cells.append(text_cell(sheet, value, cut_note))
        elif isinstance(value, dt.datetime):
            cells.append(
                moment_cell(sheet, value)
                if value.year >= FIRST_YEAR
                else text_cell(sheet, value.isoformat())
            )
        elif isinstance(value, dt.date):
            cells.append(
                date_cell(sheet, value)
                if value.year >= FIRST_YEAR
                else text_cell(sheet, value.isoformat())
            )
        else:
            cells.append(value)
    return cells


def _sheet(
    book: XlsxFile, title: str, columns: Sequence[Column], frozen: str, right_to_left: bool
) -> WriteOnlyWorksheet:
    """A sheet with its columns' widths and its two header rows (labels, then codes)."""
    sheet = book.add_sheet(
        title,
        [WIDTHS[column.kind] for column in columns],
        freeze=frozen,
        right_to_left=right_to_left,
    )
    sheet.row_dimensions[1].height = LABEL_ROW_HEIGHT
    labels = header_cells(sheet, [column.label for column in columns], LABEL_FONT)
    for cell in labels:
        cell.alignment = _WRAP
    sheet.append(labels)
    sheet.append(header_cells(sheet, [column.code for column in columns], CODE_FONT))
    return sheet


def export_xlsx(
    vault: Vault, registry: FormRegistry, out: Path, lang: str, progress: Progress | None = None
) -> int:
    """Write the interviews to `out`, labels in `lang`; returns how many were written."""
    documents = exported_documents(vault)
    tables = InterviewTables(forms_used(registry, documents), lang, repeats_inline=False)
    right_to_left = direction_of(lang) == "rtl"
    cut_note = gettext_in(lang, N_(" […cut here: a cell holds at most 32,767 characters]"))
    with known_write_errors(out), XlsxFile(Path(out)) as book:
        main = _sheet(book, gettext_in(lang, N_("Interviews")), tables.columns, "B3", right_to_left)
        repeats = [
            (table, _sheet(book, table.title, table.columns, "C3", right_to_left))
            for table in tables.repeats
        ]
        for done, document in enumerate(documents, start=1):
            count = attachment_count(vault, str(document.get("id", "")))
            main.append(_cells(main, tables.row(document, count), cut_note))
            for table, sheet in repeats:
                for row in tables.repeat_rows(table, document):
                    sheet.append(_cells(sheet, row, cut_note))
            if progress is not None:
                progress(done, len(documents))
        book.save()
    return len(documents)

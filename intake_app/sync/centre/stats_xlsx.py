"""A statistics report as a spreadsheet: one sheet per table, each whole in itself.

A sheet says what it is (the report's title, the table's, which interviews, who made it and
when), then a header row (the fields, "Interviews", the fields' codes), one row per group with
its count as a number or, hidden, as the same word every hidden count gets, the total row, and
under it the rule. Nothing here is personal data, but the file is still written the centre's
one way (xlsx_common): privately, atomically, no temporary file outside its folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from intake_app.i18n import _
from intake_app.sync.centre.stats_report import (
    ReportTable,
    StatsReport,
    count_text,
    hidden_text,
    rule_lines,
    total_text,
)
from intake_app.sync.centre.xlsx_common import (
    CODE_FONT,
    LABEL_FONT,
    XlsxFile,
    header_cells,
    known_write_errors,
    text_cell,
)

LABEL_WIDTH = 42.0
COUNT_WIDTH = 14.0
CODE_WIDTH = 18.0


def _count(sheet: WriteOnlyWorksheet, count: int | None) -> Any:
    return count if count is not None else text_cell(sheet, hidden_text())


def _table_sheet(
    book: XlsxFile, report: StatsReport, table: ReportTable, right_to_left: bool
) -> None:
    fields = len(table.fields)
    widths = [LABEL_WIDTH] * fields + [COUNT_WIDTH] + [CODE_WIDTH] * fields
    sheet = book.add_sheet(table.title, widths, right_to_left=right_to_left)
    sheet.append(header_cells(sheet, [report.title], LABEL_FONT))
    sheet.append(header_cells(sheet, [table.title], LABEL_FONT))
    sheet.append([text_cell(sheet, report.scope)])
    sheet.append([text_cell(sheet, report.made)])
    sheet.append([])
    codes = [_("Code: {field}", field=heading) for heading in table.headings]
    sheet.append(
        header_cells(sheet, [*table.headings, count_text()], LABEL_FONT)
        + header_cells(sheet, codes, CODE_FONT)
    )
    for row in table.rows:
        sheet.append(
            [
                *(text_cell(sheet, label) for label in row.labels),
                _count(sheet, row.count),
                *(text_cell(sheet, code, font=CODE_FONT) for code in row.codes),
            ]
        )
    total = [text_cell(sheet, total_text(), font=LABEL_FONT), *([""] * (fields - 1))]
    sheet.append([*total, _count(sheet, table.total)])
    sheet.append([])
    for line in rule_lines(table):
        sheet.append([text_cell(sheet, line)])


def write_stats_xlsx(report: StatsReport, out: Path, right_to_left: bool = False) -> None:
    """Write `report` to `out`, a sheet per table (right to left when asked)."""
    with known_write_errors(out), XlsxFile(Path(out)) as book:
        for table in report.tables:
            _table_sheet(book, report, table, right_to_left)
        book.save()

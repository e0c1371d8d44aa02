"""Read a workbook safely: size, ZIP and macro checks first, then pyxform's XLSForm reader.

Before openpyxl sees a byte: the file is at most `MAX_FILE_BYTES`, an `.xlsx` (never `.xlsm`,
never a workbook with a VBA project), a ZIP whose declared uncompressed sizes stay under
`MAX_UNCOMPRESSED_BYTES` and whose large members compress no better than `MAX_RATIO` to 1 (a
member that decompresses to more than it declares fails its CRC in `zipfile`). Then one pass of
openpyxl over the cells refuses formulas and cells pyxform would leave out (under no header,
after a run of empty rows or columns), and pyxform's reader (the one ODK and Kobo use) gives
the rows as ODK tools see them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intake_app.domain.xlsform.columns import CHOICES, REFUSED_SHEETS, SETTINGS, SURVEY
from intake_app.domain.xlsform.errors import WHOLE_FILE, ProblemList
from intake_app.i18n.core import N_

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_RATIO = 100
#: Members smaller than this may compress as well as they like (styles, empty sheets).
RATIO_FLOOR = 1024 * 1024
#: Problems of one kind said before the rest are left out (a sheet full of formulas).
MAX_SAID = 20
_SHEETS = (SURVEY, CHOICES, SETTINGS, *REFUSED_SHEETS)
_SPACES = re.compile(r"( )+")


@dataclass(frozen=True)
class Row:
    """One row of a sheet as pyxform reads it: its spreadsheet row number and its cells."""

    number: int
    cells: Mapping[str, str]


@dataclass
class Sheet:
    """A sheet: its name as written, its column headers in order, and its non-empty rows."""

    title: str
    headers: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


def read_workbook(path: Path, problems: ProblemList) -> dict[str, Sheet]:
    """The survey, choices and settings sheets (by lower-case name); problems said, not raised."""
    data = _read_bytes(path, problems)
    if data is None or not _zip_ok(data, problems):
        return {}
    scans = _scan_cells(data, problems)
    if problems.items:
        return {}
    return _pyxform_rows(data, scans, problems)


def _read_bytes(path: Path, problems: ProblemList) -> bytes | None:
    suffix = path.suffix.lower()
    if suffix == ".xlsm":
        problems.add(WHOLE_FILE, 0, "", N_(
            "Macro-enabled workbooks (.xlsm) are refused: save the workbook as .xlsx."))
        return None
    if suffix != ".xlsx":
        problems.add(WHOLE_FILE, 0, "", N_(
            "Only Excel workbooks (.xlsx) are read; save the form as .xlsx."))
        return None
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, io.SEEK_END)
            if size > MAX_FILE_BYTES:
                problems.add(WHOLE_FILE, 0, "", N_(
                    "The workbook is {size} MB; a form workbook is at most {limit} MB."),
                    size=round(size / 1024 / 1024, 1), limit=MAX_FILE_BYTES // 1024 // 1024)
                return None
            handle.seek(0)
            return handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        problems.add(WHOLE_FILE, 0, "", N_("There is no file {file}."), file=str(path))
    except OSError as exc:
        problems.add(WHOLE_FILE, 0, "", N_("The file {file} cannot be read: {reason}"),
                     file=str(path), reason=exc.strerror or type(exc).__name__)
    return None


def _zip_ok(data: bytes, problems: ProblemList) -> bool:
    not_xlsx = N_("This is not an .xlsx workbook (it may be damaged, encrypted or another kind "
                  "of file).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        problems.add(WHOLE_FILE, 0, "", not_xlsx)
        return False
    with archive:
        members = archive.infolist()
        total = sum(member.file_size for member in members)
        if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED_BYTES:
            problems.add(WHOLE_FILE, 0, "", N_(
                "The workbook unpacks to more than {limit} MB; it is refused unopened."),
                limit=MAX_UNCOMPRESSED_BYTES // 1024 // 1024)
            return False
        for member in members:
            packed = max(member.compress_size, 1)
            if member.file_size > RATIO_FLOOR and member.file_size / packed > MAX_RATIO:
                problems.add(WHOLE_FILE, 0, "", N_(
                    "A part of the workbook ({part}) unpacks {ratio} times larger than it is "
                    "stored; it is refused unopened."),
                    part=member.filename, ratio=member.file_size // packed)
                return False
            if member.flag_bits & 0x1:
                problems.add(WHOLE_FILE, 0, "", not_xlsx)
                return False
        names = {member.filename.lower() for member in members}
        try:
            types = archive.read("[Content_Types].xml") if "[content_types].xml" in names else b""
        except (zipfile.BadZipFile, OSError):
            problems.add(WHOLE_FILE, 0, "", not_xlsx)
            return False
    if any(name.endswith("vbaproject.bin") for name in names) or b"macroEnabled" in types:
        problems.add(WHOLE_FILE, 0, "", N_(
            "The workbook holds macros; it is refused. Save it as a plain .xlsx workbook."))
        return False
    if b"spreadsheetml.sheet.main+xml" not in types:
        problems.add(WHOLE_FILE, 0, "", not_xlsx)
        return False
    return True


@dataclass
class _Scan:
    headers: dict[int, str] = field(default_factory=dict)
    rows_with_content: list[int] = field(default_factory=list)


def _scan_cells(data: bytes, problems: ProblemList) -> dict[str, _Scan]:
    """One pass over every cell of our sheets with openpyxl, formulas kept as formulas."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises anything from KeyError to its own errors on bad files
        problems.add(WHOLE_FILE, 0, "", N_(
            "This is not an .xlsx workbook (it may be damaged, encrypted or another kind "
            "of file)."))
        return {}
    scans: dict[str, _Scan] = {}
    said = 0
    try:
        for sheet in book.worksheets:
            name = sheet.title.strip().lower()
            if name not in _SHEETS:
                continue
            if name in scans:
                problems.add(sheet.title, 0, "", N_("There are two sheets named {name}."),
                             name=name)
                continue
            scan = scans[name] = _Scan()
            sheet.reset_dimensions()  # a forged size must not make openpyxl pad rows
            for cells in sheet.iter_rows():
                filled = 0
                for cell in cells:
                    value = getattr(cell, "value", None)
                    if value is None or (isinstance(value, str) and not value.strip()):
                        continue
                    row, column = cell.row, cell.column
                    filled = row
                    header = scan.headers.get(column, get_column_letter(column))
                    if row == 1:
                        header = _SPACES.sub(" ", str(value).strip())
                        if header in scan.headers.values():
                            problems.add(sheet.title, 1, header, N_(
                                "Two columns have this name."))
                        scan.headers[column] = header
                    elif column not in scan.headers and said < MAX_SAID:
                        said += 1
                        problems.add(sheet.title, row, header, N_(
                            "This cell is in a column without a name in row 1; ODK tools do "
                            "not read it. Name the column or empty the cell."))
                    if cell.data_type == "f" and said < MAX_SAID:
                        said += 1
                        problems.add(sheet.title, row, header, N_(
                            "This cell holds a formula; type the value itself."))
                    elif (name == SETTINGS and row > 1 and header == "version"
                          and cell.data_type == "n"):
                        problems.add(sheet.title, row, header, N_(
                            "Type the version as text (format the cell as text): as a number, "
                            "2026.10 would be 2026.1."))
                if filled:
                    scan.rows_with_content.append(filled)
    finally:
        book.close()
    return scans


def _pyxform_rows(data: bytes, scans: Mapping[str, _Scan], problems: ProblemList
                  ) -> dict[str, Sheet]:
    from pyxform.errors import PyXFormError
    from pyxform.xls2json_backends import xlsx_to_dict

    try:
        book: dict[str, Any] = xlsx_to_dict(io.BytesIO(data))
    except PyXFormError as exc:
        problems.add(WHOLE_FILE, 0, "", N_("The XLSForm reader cannot read the workbook: "
                                           "{reason}"), reason=str(exc))
        return {}
    titles = {title.strip().lower(): title for title in book.get("sheet_names", [])}
    sheets: dict[str, Sheet] = {}
    for name, scan in scans.items():
        title = titles.get(name, name)
        rows = book.get(name) or []
        header_rows = book.get(f"{name}_header") or []
        headers = list(header_rows[0]) if header_rows else []
        for header in scan.headers.values():
            if header not in headers:
                problems.add(title, 1, header, N_(
                    "This column comes after too many empty columns; ODK tools do not read "
                    "it. Remove the empty columns."))
        last_read = len(rows) + 1
        for number in scan.rows_with_content:
            if number > last_read:
                problems.add(title, number, "", N_(
                    "This row comes after too many empty rows; ODK tools do not read it. "
                    "Remove the empty rows."))
                break
        sheets[name] = Sheet(
            title,
            headers,
            [Row(index + 2, cells) for index, cells in enumerate(rows) if cells],
        )
    return sheets

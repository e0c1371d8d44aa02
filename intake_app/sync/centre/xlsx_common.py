"""What every spreadsheet (.xlsx) of the centre shares: a private, atomic save and safe cells.

openpyxl's write-only workbook streams each sheet into a temporary XML file and zips them when
it saves. Left alone, it puts those files in the system's temporary folder, where the centre's
rule says no personal data may go. `XlsxFile` gives each sheet its own temporary file beside
the target instead (private, named like the atomic writer's temporaries, removed whatever
happens), then writes the workbook through the one atomic writer: a new file in the target's
folder, fsync, rename. A crash leaves the old file or the new one, never half of one.

Cells: a text is always a text cell (`text_cell`): openpyxl takes any string starting with `=`
for a formula and `#N/A` for an error, so such a string is handed over as a cell whose type is
forced back to text, marked "quote prefix" when a spreadsheet could run it (formula_guard), so
that editing it in Excel keeps it text too (the guard looks at the text as it was, before any
change below). Line breaks are LF, characters a worksheet cannot hold become U+FFFD, and a
text longer than a cell holds is cut with a note saying so. Dates and moments carry the
built-in number formats that Excel and LibreOffice show in the computer's own date format.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet import _writer as sheet_writer
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from intake_app.errors import DiskFull, KnownError
from intake_app.storage import atomic_writer, remove_leftovers
from intake_app.sync.centre.errors import ExportNotSaved
from intake_app.sync.centre.formula_guard import looks_like_formula

#: The most UTF-16 code units a cell holds (Excel's limit; openpyxl would cut silently).
MAX_CELL_TEXT = 32_767
#: Names Excel refuses for a sheet, and its length limit.
_LINE_BREAKS = re.compile(r"\r\n?")
# What XML 1.0 cannot hold beyond openpyxl's list of control characters: the two
# noncharacters U+FFFE and U+FFFF, and lone surrogates. One of them makes the whole workbook
# unreadable ("not well-formed"), so they are shown as U+FFFD like the others.
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")
_BAD_IN_TITLE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
MAX_TITLE = 31
_RESERVED_TITLES = frozenset({"history"})
#: Built-in number formats (ids 14 and 22): the reader's own short date (and time) format.
DATE_FORMAT = "mm-dd-yy"
MOMENT_FORMAT = "m/d/yy h:mm"
LABEL_FONT = Font(bold=True)
CODE_FONT = Font(italic=True, color="595959")
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})
_PART_SUFFIX = ".part.tmp"
_CREATE_PART = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
APPLICATION = "Intake"


def sheet_title(wanted: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: no `[]:*?/\\`, at most 31 characters, not starting or
    ending with an apostrophe, not "History", and unlike every name in `taken` (compared
    without case, as Excel does); the result is added to `taken`."""
    base = " ".join(_BAD_IN_TITLE.sub(" ", wanted).split()).strip("'").strip() or "Sheet"
    number = 1
    while True:
        suffix = "" if number == 1 else f" ({number})"
        title = base[: MAX_TITLE - len(suffix)].rstrip().rstrip("'") + suffix
        if title.casefold() not in taken and title.casefold() not in _RESERVED_TITLES:
            taken.add(title.casefold())
            return title
        number += 1


def _utf16_cut(text: str, units: int) -> str:
    """The longest start of `text` that fits in `units` UTF-16 code units."""
    encoded = text.encode("utf-16-le")[: units * 2]
    return encoded.decode("utf-16-le", errors="ignore")


def fit_text(text: str, cut_note: str) -> str:
    """`text` as a cell can hold it: line breaks as a cell keeps them (LF: XML readers turn a
    CR into one anyway), unholdable characters as U+FFFD; when too long, cut and ended with
    `cut_note` (which says so in the file's language)."""
    text = _NOT_XML.sub("\ufffd", ILLEGAL_CHARACTERS_RE.sub("\ufffd", _LINE_BREAKS.sub("\n", text)))
    if len(text) * 2 <= MAX_CELL_TEXT or len(text.encode("utf-16-le")) // 2 <= MAX_CELL_TEXT:
        return text
    return _utf16_cut(text, MAX_CELL_TEXT - len(cut_note.encode("utf-16-le")) // 2) + cut_note


def text_cell(
    sheet: WriteOnlyWorksheet, text: str, cut_note: str = "…", font: Font | None = None
) -> str | Cell:
    """What to append for a text: the text itself when openpyxl keeps it a text, else a text
    cell it cannot take for a formula or an error (quote prefix where a spreadsheet could
    run it)."""
    risky = looks_like_formula(text)
    text = fit_text(text, cut_note)
    if not risky and font is None and text not in ERROR_CODES:
        return text
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    if risky:
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def date_cell(sheet: WriteOnlyWorksheet, value: dt.date) -> Cell:
    """A date cell shown in the reader's own short date format."""
    cell = WriteOnlyCell(sheet)
    cell.number_format = DATE_FORMAT  # first: else openpyxl adds a format of its own
    cell.value = value
    return cell


def moment_cell(sheet: WriteOnlyWorksheet, value: dt.datetime) -> Cell:
    """A date-and-time cell (naive: say in the header which zone it is in)."""
    cell = WriteOnlyCell(sheet)
    cell.number_format = MOMENT_FORMAT
    cell.value = value.replace(tzinfo=None)
    return cell


def header_cells(sheet: WriteOnlyWorksheet, texts: Sequence[str], font: Font) -> list[Any]:
    """One header row: every text a (safe) text cell in `font`."""
    return [text_cell(sheet, text, font=font) for text in texts]


@contextlib.contextmanager
def known_write_errors(target: Path) -> Iterator[None]:
    """A full disk as `DiskFull`, any other failure to write the file as `ExportNotSaved`."""
    try:
        yield
    except KnownError:
        raise
    except OSError as error:
        if error.errno in _NO_SPACE:
            raise DiskFull() from error
        raise ExportNotSaved(folder=str(Path(target).parent)) from error


class XlsxFile:
    """A write-only workbook whose sheets stream into private files beside `target`; `save`
    replaces `target` atomically, `discard` (or leaving the `with` block on an error) leaves
    nothing behind."""

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        remove_leftovers(self.target)  # parts a killed export to the same file left behind
        self.workbook = Workbook(write_only=True)
        self.workbook.properties.creator = APPLICATION
        self._parts: list[str] = []
        self._sheets: list[WriteOnlyWorksheet] = []
        self._titles: set[str] = set()

    def __enter__(self) -> XlsxFile:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.discard()

    def add_sheet(
        self,
        title: str,
        widths: Sequence[float] = (),
        *,
        freeze: str | None = None,
        right_to_left: bool = False,
    ) -> WriteOnlyWorksheet:
        """A new sheet (its name made valid and unique), with its columns' widths, the cell
        below and right of the frozen panes, and its direction; append rows to it."""
        sheet: WriteOnlyWorksheet = self.workbook.create_sheet(sheet_title(title, self._titles))
        for number, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        if freeze is not None:
            sheet.freeze_panes = freeze
        if right_to_left:
            sheet.sheet_view.rightToLeft = True
        part = self._new_part()
        # openpyxl's own writer (what `_get_writer` would make), but into our private file.
        writer = sheet_writer.WorksheetWriter(sheet, out=part)
        sheet._writer = writer
        writer.write_top()
        self._sheets.append(sheet)
        return sheet

    def _new_part(self) -> str:
        while True:
            part = Path(
                self.target.parent, f".{self.target.name}.{os.urandom(6).hex()}{_PART_SUFFIX}"
            )
            try:
                os.close(os.open(part, _CREATE_PART, 0o600))
            except FileExistsError:
                continue
            self._parts.append(str(part))
            sheet_writer.ALL_TEMP_FILES.append(str(part))  # openpyxl removes it when saved
            return str(part)

    def save(self) -> None:
        """Write the workbook to `target` atomically (private to its owner)."""
        with atomic_writer(self.target, 0o600) as handle:
            self.workbook.save(handle)

    def discard(self) -> None:
        """Close every sheet's stream and remove whatever temporary file is left."""
        for sheet in self._sheets:
            if not sheet.closed:  # ends its row stream first, then closes its file
                with contextlib.suppress(Exception):
                    sheet.close()
        for part in self._parts:
            with contextlib.suppress(OSError):
                os.remove(part)
            with contextlib.suppress(ValueError):
                sheet_writer.ALL_TEMP_FILES.remove(part)
        self._parts.clear()

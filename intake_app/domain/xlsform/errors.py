"""What is wrong with a workbook: each problem names the sheet, the row and the column.

The messages are msgids with named fields, translated when shown; their fields are sheet and
column names, row numbers, question names, codes and sizes, never answers (a form holds none).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from intake_app.errors import KnownError
from intake_app.i18n.core import N_, gettext, ngettext

#: Where a problem that concerns the whole file (its size, its ZIP) is said to be.
WHOLE_FILE = ""


@dataclass(frozen=True)
class WorkbookProblem:
    """One thing wrong in a workbook: where (sheet, row, column) and why (a msgid + fields)."""

    sheet: str  # "" for the file as a whole
    row: int  # 1-based spreadsheet row; 0 when the problem is not on one row
    column: str  # the column's header (or its letter), "" when not one column
    message: str
    fields: Mapping[str, object] = field(default_factory=dict)

    def reason(self) -> str:
        """The reason in the current language."""
        return gettext(self.message, **self.fields)

    def translated(self) -> str:
        """Where and why, in the current language."""
        if not self.sheet:
            return self.reason()
        if self.row and self.column:
            return gettext("sheet {sheet}, row {row}, column {column}: {reason}",
                           sheet=self.sheet, row=self.row, column=self.column,
                           reason=self.reason())
        if self.row:
            return gettext("sheet {sheet}, row {row}: {reason}", sheet=self.sheet, row=self.row,
                           reason=self.reason())
        if self.column:
            return gettext("sheet {sheet}, column {column}: {reason}", sheet=self.sheet,
                           column=self.column, reason=self.reason())
        return gettext("sheet {sheet}: {reason}", sheet=self.sheet, reason=self.reason())

    def __str__(self) -> str:
        where = ", ".join(
            part for part in (self.sheet, f"row {self.row}" if self.row else "", self.column)
            if part
        )
        reason = self.message.format(**self.fields) if self.fields else self.message
        return f"{where}: {reason}" if where else reason


class WorkbookInvalid(KnownError):
    """The workbook cannot become a form; `problems` says every reason found. Nothing written."""

    code = "workbook-invalid"
    message = N_("The workbook {file} cannot be used. First: {problem}")

    def __init__(self, file: str, problems: Sequence[WorkbookProblem]) -> None:
        self.file = file
        self.problems = tuple(problems)
        super().__init__(file=file, problem=str(self.problems[0]))

    def translated(self) -> str:
        """The message with the number of problems in the right plural form."""
        return ngettext(
            "The workbook {file} cannot be used ({n} problem). Nothing was written. "
            "First: {problem}",
            "The workbook {file} cannot be used ({n} problems). Nothing was written. "
            "First: {problem}",
            len(self.problems),
            file=self.file,
            problem=self.problems[0].translated(),
        )


class ProblemList:
    """Collects problems as a reader goes; `raise_if_any` stops with all of them."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[WorkbookProblem] = []

    def add(self, sheet: str, row: int, column: str, message: str, /, **fields: object) -> None:
        self.items.append(WorkbookProblem(sheet, row, column, message, fields))

    def raise_if_any(self) -> None:
        if self.items:
            raise WorkbookInvalid(self.file, self.items)


class FormNotExportable(KnownError):
    """The form uses something our workbook layout cannot say (docs/form-format.md)."""

    code = "form-not-exportable"
    message = N_("The form cannot be written as a workbook: {reason}")


class NotAFormLanguage(KnownError):
    """A translator's workbook was asked for a language the form does not have."""

    code = "not-a-form-language"
    message = N_("{language} is not one of the form's languages ({languages}).")


class FormNotKnown(KnownError):
    """No form with this id (and version) is known here."""

    code = "form-not-known"
    message = N_("There is no form {form} version {version} here.")


class FormNeedsNaming(KnownError):
    """More than one form is known: the command needs --form."""

    code = "form-needs-naming"
    message = N_("More than one form is known here ({forms}); name one with --form.")

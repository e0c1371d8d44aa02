"""Interview forms as XLSForm workbooks, out and in (docs/form-format.md, "Workbooks").

`form_workbook(data)` writes a form definition as a workbook; `translation_workbook(data, lang)`
writes only one language's texts beside the default language's. `read_form_workbook(path)`
reads either kind back (pyxform's XLSForm reader, after size, ZIP and macro checks) into a
definition the strict form loader has accepted, or raises `WorkbookInvalid` naming the sheet,
row and column of every problem. Nothing here writes a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from intake_app.domain.xlsform.errors import (
    FormNotExportable,
    NotAFormLanguage,
    ProblemList,
    WorkbookInvalid,
    WorkbookProblem,
)
from intake_app.domain.xlsform.reader import definition, is_translation
from intake_app.domain.xlsform.translation import BaseLookup, translated_definition
from intake_app.domain.xlsform.workbook import (
    MAX_FILE_BYTES,
    MAX_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    read_workbook,
)
from intake_app.domain.xlsform.writer import form_workbook, translation_workbook

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_RATIO",
    "MAX_UNCOMPRESSED_BYTES",
    "BaseLookup",
    "FormNotExportable",
    "NotAFormLanguage",
    "WorkbookInvalid",
    "WorkbookProblem",
    "form_workbook",
    "read_form_workbook",
    "translation_workbook",
]


def _no_base(form_id: str, version: str) -> None:
    return None


def read_form_workbook(
    path: Path, *, version: str | None = None, base_lookup: BaseLookup = _no_base
) -> dict[str, Any]:
    """The form definition a workbook holds, checked by the strict loader.

    A whole-form workbook gives its own form (`version`, when given, replaces its version);
    a translator's workbook gives its base form (found with `base_lookup`) with the one
    language's texts replaced, as the new `version`. Raises `WorkbookInvalid`.
    """
    problems = ProblemList(path.name)
    sheets = read_workbook(path, problems)
    problems.raise_if_any()
    if is_translation(sheets):
        return translated_definition(sheets, problems, path.name, version, base_lookup)
    return definition(sheets, problems, path.name, version)

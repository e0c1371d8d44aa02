"""Read an XLSForm workbook into our form definition (docs/form-format.md), strictly.

The rows come from pyxform's reader (`workbook.read_workbook`), so a workbook made for ODK or
Kobo is read as they read it. Every cell is either turned into a key of the definition or
refused with its sheet, row and column: a type or a column Intake does not support is never
left out silently. The definition is then checked by the strict form loader, whose problems are
placed on the row of the question they concern.

The work is shared by one reader per sheet (`survey_reader`, `choices_reader`,
`settings_reader`) on what they have in common (`sheet_reader`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from intake_app.domain.errors import FormInvalid
from intake_app.domain.form_loader import FORM_FORMAT, FORM_FORMAT_VERSION, form_from_data
from intake_app.domain.xlsform.choices_reader import ChoicesReader
from intake_app.domain.xlsform.columns import (
    CHOICES,
    DRAFT_NOTICE,
    SETTINGS,
    SETTINGS_ALIASES,
    SURVEY,
    TITLE,
    TRANSLATION,
)
from intake_app.domain.xlsform.errors import ProblemList
from intake_app.domain.xlsform.settings_reader import SettingsReader
from intake_app.domain.xlsform.sheet_reader import (
    UNSUPPORTED_COLUMN,
    Column,
    Places,
    dealias,
)
from intake_app.domain.xlsform.survey_reader import SurveyReader
from intake_app.domain.xlsform.workbook import Sheet

__all__ = [
    "TEXTS",
    "UNSUPPORTED_COLUMN",
    "Column",
    "Places",
    "WorkbookReader",
    "check",
    "definition",
    "is_translation",
]


def is_translation(sheets: Mapping[str, Sheet]) -> bool:
    """Whether the workbook is a translator's (its settings say which language)."""
    settings = sheets.get(SETTINGS)
    return settings is not None and any(
        dealias(header, SETTINGS_ALIASES) == TRANSLATION for header in settings.headers
    )


class WorkbookReader(SurveyReader, ChoicesReader, SettingsReader):
    """Turns the sheets into a definition, saying every problem with its place."""


TEXTS = {SURVEY: frozenset({"label", "hint"}), CHOICES: frozenset({"label"}),
         SETTINGS: frozenset({TITLE, DRAFT_NOTICE})}


def definition(sheets: Mapping[str, Sheet], problems: ProblemList, file: str,
               version: str | None) -> dict[str, Any]:
    """The checked definition of a whole-form workbook; raises WorkbookInvalid."""
    reader = WorkbookReader(sheets, problems)
    if not reader.required_sheets(SURVEY, SETTINGS):
        problems.raise_if_any()
    reader.find_languages(TEXTS)
    data: dict[str, Any] = {"format": FORM_FORMAT, "format_version": FORM_FORMAT_VERSION}
    data["questions"] = reader.survey()
    data["choices"] = reader.choices()
    reader.settings(data)
    data["languages"] = reader.languages
    data["default_language"] = reader.default
    if version is not None:
        data["version"] = version
    problems.raise_if_any()
    check(data, file, reader)
    return data


def check(data: Mapping[str, Any], file: str, reader: WorkbookReader) -> None:
    """The strict loader's verdict, its problems placed on their rows; raises WorkbookInvalid."""
    try:
        form_from_data(data, file)
    except FormInvalid as error:
        reader.place(error)
    reader.problems.raise_if_any()

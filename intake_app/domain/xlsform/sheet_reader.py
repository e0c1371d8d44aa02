"""What every sheet of an XLSForm workbook shares: columns, languages, values, places.

`SheetReader` knows the sheets, says each problem with its sheet, row and column, tells what a
header means (a key of ours, with its language for texts) and converts and checks cell values.
The sheets' own readers (survey, choices, settings) build on it; see `reader.WorkbookReader`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from intake_app.domain.errors import FormInvalid
from intake_app.domain.expressions import ExpressionError, parse, tests
from intake_app.domain.xlsform.columns import (
    CHOICES,
    CHOICES_ALIASES,
    FALSE_WORDS,
    FORM_STATUS,
    NOTE_STATUS,
    REFUSED_SHEETS,
    SETTINGS,
    SETTINGS_ALIASES,
    SURVEY,
    SURVEY_ALIASES,
    TRUE_WORDS,
    language_of,
    split_column,
    text_column,
)
from intake_app.domain.xlsform.errors import ProblemList
from intake_app.domain.xlsform.workbook import Row, Sheet
from intake_app.i18n.core import N_

_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$")
_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")

UNSUPPORTED_COLUMN = N_("Intake does not support the column {column}; remove it or empty it.")


@dataclass(frozen=True)
class Column:
    """What a header means: a key of ours (with its language, for texts)."""

    key: str
    language: str | None = None


@dataclass
class Places:
    """Where each part of the definition came from, to place the loader's problems."""

    questions: dict[str, int] = field(default_factory=dict)
    choices: dict[str, int] = field(default_factory=dict)
    settings_title: str = SETTINGS
    survey_title: str = SURVEY
    choices_title: str = CHOICES


def dealias(header: str, aliases: Mapping[str, str]) -> str:
    key, language = split_column(header)
    key = aliases.get(key, key)
    return f"{key}::{language}" if language is not None else key


class SheetReader:
    """The sheets and their problems, and what their columns and values mean."""

    def __init__(self, sheets: Mapping[str, Sheet], problems: ProblemList) -> None:
        self.sheets = sheets
        self.problems = problems
        self.places = Places()
        self.default = ""
        self.languages: list[str] = []
        self.columns: dict[tuple[str, str], Column | None] = {}

    # -- the sheets ---------------------------------------------------------------------

    def required_sheets(self, *names: str) -> bool:
        for name in names:
            if name not in self.sheets:
                self.problems.add(name, 0, "", N_(
                    "The workbook has no sheet named {name}; an XLSForm needs one."), name=name)
        for name in REFUSED_SHEETS:
            sheet = self.sheets.get(name)
            if sheet is not None and sheet.rows:
                self.problems.add(sheet.title, 0, "", N_(
                    "Intake does not support the sheet {name}; remove it."), name=name)
        for name, attribute in ((SURVEY, "survey_title"), (CHOICES, "choices_title"),
                                (SETTINGS, "settings_title")):
            if name in self.sheets:
                setattr(self.places, attribute, self.sheets[name].title)
        return all(name in self.sheets for name in names)

    def settings_row(self) -> Row:
        sheet = self.sheets[SETTINGS]
        first = next((row for row in sheet.rows if row.number == 2), None)
        if first is None:
            self.problems.add(sheet.title, 2, "", N_(
                "Row 2 of the settings sheet must hold the form's settings (form_id, "
                "version, default_language)."))
            return Row(2, {})
        return first

    def find_languages(self, allowed_texts: Mapping[str, frozenset[str]]) -> None:
        """The form's languages, in the order their columns first appear; checks each column."""
        settings = self.settings_row()
        spelled = settings.cells.get("default_language")
        self.default = (language_of(spelled) or "") if spelled else ""
        if spelled and not self.default:
            self.problems.add(self.sheets[SETTINGS].title, 2, "default_language", N_(
                "Write the language as its name and code, such as Finnish (fi)."))
        found: list[str] = []
        plain: list[tuple[str, str]] = []
        for name in (SURVEY, CHOICES, SETTINGS):
            sheet = self.sheets.get(name)
            if sheet is None:
                continue
            aliases = {SURVEY: SURVEY_ALIASES, CHOICES: CHOICES_ALIASES}.get(
                name, SETTINGS_ALIASES)
            for header in sheet.headers:
                key, language = split_column(dealias(header, aliases))
                if key not in allowed_texts[name]:
                    continue
                if language is None:
                    plain.append((sheet.title, header))
                    continue
                code = language_of(language)
                if code is None:
                    self.problems.add(sheet.title, 1, header, N_(
                        "Write the language as its name and code, such as Finnish (fi)."))
                elif code not in found:
                    found.append(code)
        if not self.default:
            if len(found) == 1 and not plain:
                self.default = found[0]
            elif found or plain:
                self.problems.add(self.sheets[SETTINGS].title, 2, "default_language", N_(
                    "Name the default language, such as Finnish (fi)."))
        if self.default and self.default not in found:
            found.insert(0, self.default)  # only plain `label` columns name it
        self.languages = found

    def column(self, sheet: str, header: str, aliases: Mapping[str, str],
               texts: frozenset[str], known: frozenset[str]) -> Column | None:
        """The meaning of a header; None when it is not one of ours (refused when filled)."""
        cached = (sheet, header)
        if cached in self.columns:
            return self.columns[cached]
        key, language = split_column(dealias(header, aliases))
        meaning: Column | None = None
        if key in texts or (language is not None and key in (NOTE_STATUS, FORM_STATUS)):
            code = self.default if language is None else language_of(language)
            meaning = Column(key, code) if code else None
        elif language is None and key in known:
            meaning = Column(key)
        self.columns[cached] = meaning
        return meaning

    def unsupported(self, sheet: Sheet, row: Row, header: str, said: set[str]) -> None:
        if header not in said:
            said.add(header)
            self.problems.add(sheet.title, row.number, header, UNSUPPORTED_COLUMN, column=header)

    # -- values ---------------------------------------------------------------------------

    def boolean(self, sheet: Sheet, row: Row, header: str, value: str) -> bool | None:
        if value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        self.problems.add(sheet.title, row.number, header, N_("Write yes or no."))
        return None

    def count(self, sheet: Sheet, row: Row, header: str, value: str) -> int | None:
        if _INTEGER.match(value):
            return int(value)
        self.problems.add(sheet.title, row.number, header, N_("Write a whole number."))
        return None

    def limit(self, value: str, dated: bool) -> object:
        if dated:  # 2026, 2026-01 or 2026-01-31 (a cell typed as a date reads as a date-time)
            found = _DATE_TIME.match(value)
            return found.group(1) if found else value
        if _INTEGER.match(value):
            return int(value)
        if _NUMBER.match(value):
            return float(value)
        return value  # the loader says it is not a number

    def condition(self, sheet: Sheet, row: Row, header: str, text: str,
                  names: frozenset[str]) -> None:
        try:
            expression = parse(text)
        except ExpressionError as exc:
            self.problems.add(sheet.title, row.number, header, N_(
                "This condition cannot be read: {reason}"), reason=str(exc))
            return
        for test in tests(expression):
            if test.name not in names:
                self.problems.add(sheet.title, row.number, header, N_(
                    "The condition names {name}, which is not a question of this form."),
                    name=test.name)

    def default_label(self, sheet: Sheet, row: Row, item: Mapping[str, Any]) -> None:
        if self.default and not item.get(f"label::{self.default}"):
            self.problems.add(sheet.title, row.number, text_column("label", self.default), N_(
                "The label in the default language ({language}) is missing."),
                language=self.default)

    # -- the loader's problems, placed ----------------------------------------------------

    def place(self, error: FormInvalid) -> None:
        for problem in error.problems:
            where = problem.question
            if where in self.places.questions:
                sheet, row = self.places.survey_title, self.places.questions[where]
            elif where in self.places.choices:
                sheet, row = self.places.choices_title, self.places.choices[where]
            else:
                sheet, row = self.places.settings_title, 2
            self.problems.add(sheet, row, "", N_("The form check says: {reason}"),
                              reason=problem.reason)

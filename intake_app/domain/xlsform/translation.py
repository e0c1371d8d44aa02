"""A translator's workbook back in: only one language's texts change, into a new version.

The workbook (`writer.translation_workbook`) holds the rows of a published form with the texts
of the default language, for reference, and of the one language being translated. Reading it
back checks that the rows are still those of that form and that the reference texts are as they
were, then puts the language's texts into a copy of the form with the new version number: a
filled cell sets a text, an emptied one removes it (a missing translation, which the
completeness check lists). Nothing else of the form can change this way.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from intake_app.domain.form import version_key
from intake_app.domain.form_loader import VERSION
from intake_app.domain.xlsform.columns import (
    CHOICES,
    CHOICES_ALIASES,
    DRAFT_NOTICE,
    SETTINGS,
    SETTINGS_ALIASES,
    SURVEY,
    SURVEY_ALIASES,
    TITLE,
    TRANSLATION,
    language_of,
    text_column,
)
from intake_app.domain.xlsform.errors import ProblemList
from intake_app.domain.xlsform.reader import TEXTS, WorkbookReader, check
from intake_app.domain.xlsform.workbook import Row, Sheet
from intake_app.domain.xlsform.writer import lists_of, type_cell
from intake_app.i18n.core import N_

#: Looks up the published definition of (form id, version); None when it is not known here.
BaseLookup = Callable[[str, str], Mapping[str, Any] | None]


def translated_definition(sheets: Mapping[str, Sheet], problems: ProblemList, file: str,
                          version: str | None, base_lookup: BaseLookup) -> dict[str, Any]:
    """The form the workbook's base version becomes with its new texts; raises WorkbookInvalid."""
    reader = WorkbookReader(sheets, problems)
    if not reader.required_sheets(SURVEY, SETTINGS):
        problems.raise_if_any()
    settings_sheet = sheets[SETTINGS]
    settings = reader.settings_row()
    problems.raise_if_any()
    cells = {_key(header, SETTINGS_ALIASES): value for header, value in settings.cells.items()}
    target = language_of(cells.get(TRANSLATION, "")) or ""
    form_id, base_version = cells.get("form_id", ""), cells.get("version", "")
    base = base_lookup(form_id, base_version) if form_id and base_version else None
    if base is None:
        problems.add(settings_sheet.title, 2, "version", N_(
            "This translation is of the form {form} version {version}, which is not known "
            "here."), form=form_id or "?", version=base_version or "?")
        problems.raise_if_any()
        raise AssertionError  # raise_if_any raised
    if version is None or not VERSION.match(version):
        problems.add(settings_sheet.title, 2, "version", N_(
            "A translation becomes a new version of the form: give its number with --version."))
    elif version_key(version) <= version_key(str(base["version"])):
        problems.add(settings_sheet.title, 2, "version", N_(
            "The new version {new} must be higher than {version}, the one translated."),
            new=version, version=str(base["version"]))
    default = str(base["default_language"])
    if target not in base["languages"]:
        problems.add(settings_sheet.title, 2, TRANSLATION, N_(
            "{language} is not one of the form's languages ({languages})."),
            language=target or "?", languages=", ".join(base["languages"]))
    problems.raise_if_any()
    reader.default = default
    reader.find_languages(TEXTS)
    problems.raise_if_any()
    merge = _Merge(reader, problems, default, target)
    data = copy.deepcopy(dict(base))
    data["version"] = version
    merge.survey(sheets[SURVEY], data)
    if CHOICES in sheets:
        merge.choices(sheets[CHOICES], data)
    merge.settings(settings_sheet, settings, data)
    problems.raise_if_any()
    check(data, file, reader)
    return data


def _key(header: str, aliases: Mapping[str, str]) -> str:
    key, _, language = header.partition("::")
    key = aliases.get(key.strip(), key.strip())
    return f"{key}::{language.strip()}" if language else key


def _same(base: object, given: str | None) -> bool:
    old = str(base).replace("\xa0", " ").strip() if base is not None else ""
    return old == (given or "")


class _Merge:
    def __init__(self, reader: WorkbookReader, problems: ProblemList, default: str,
                 target: str) -> None:
        self.reader = reader
        self.problems = problems
        self.default = default
        self.target = target

    def texts(self, sheet: Sheet, row: Row, name: str, aliases: Mapping[str, str],
              allowed: frozenset[str], structure: frozenset[str]) -> dict[tuple[str, str], str]:
        """The row's texts by (key, language); a filled cell of any other column refused."""
        found: dict[tuple[str, str], str] = {}
        for header, value in row.cells.items():
            meaning = self.reader.column(name, header, aliases, allowed, structure)
            if meaning is None or (meaning.language is not None
                                   and meaning.language not in (self.default, self.target)):
                self.problems.add(sheet.title, row.number, header, N_(
                    "A translator's workbook holds only the {language} texts and the "
                    "{default} ones for reference; this column cannot change here."),
                    language=self.target, default=self.default)
            elif meaning.language is not None:
                found[(meaning.key, meaning.language)] = value
        return found

    def apply(self, sheet: Sheet, row: Row, item: dict[str, Any],
              texts: Mapping[tuple[str, str], str], keys: tuple[str, ...]) -> None:
        for key in keys:
            if self.target != self.default:
                reference = texts.get((key, self.default))
                if not _same(item.get(f"{key}::{self.default}"), reference):
                    column = {"title": TITLE, "draft_notice": DRAFT_NOTICE}.get(key, key)
                    place = text_column(column, self.default)
                    self.problems.add(sheet.title, row.number, place, N_(
                        "The {default} text is there for reference and was changed; change "
                        "only the {language} texts."), default=self.default,
                        language=self.target)
            new = texts.get((key, self.target))
            if new:
                item[f"{key}::{self.target}"] = new
            else:
                item.pop(f"{key}::{self.target}", None)

    def rows_match(self, sheet: Sheet, expected: list[tuple[str, str]], form: str) -> bool:
        rows = sheet.rows
        for index, row in enumerate(rows):
            got = (" ".join(row.cells.get(expected_key(sheet), "").split()),
                   row.cells.get("name", ""))
            want = expected[index] if index < len(expected) else None
            if want is None or got != want:
                self.problems.add(sheet.title, row.number, "", N_(
                    "This row is not the one of the form {form} here (expected: {expected}); "
                    "a translation keeps the rows as they are."),
                    form=form, expected=" ".join(want) if want else "-")
                return False
        if len(rows) < len(expected):
            self.problems.add(sheet.title, rows[-1].number + 1 if rows else 2, "", N_(
                "Rows are missing from here on: the form {form} has more; a translation "
                "keeps the rows as they are."), form=form)
            return False
        return True

    def survey(self, sheet: Sheet, data: dict[str, Any]) -> None:
        items = list(_rows_of(data))
        lists = lists_of(data)
        expected = [(type_cell(item, lists), item["name"]) if "name" in item
                    else (item["end"], "") for item in items]
        if not self.rows_match(sheet, expected, f"{data['id']} {data['version']}"):
            return
        for row, item in zip(sheet.rows, items, strict=True):
            texts = self.texts(sheet, row, SURVEY, SURVEY_ALIASES, TEXTS[SURVEY],
                               frozenset({"type", "name"}))
            if "name" in item:
                self.apply(sheet, row, item, texts, ("label", "hint"))
            elif texts:
                self.problems.add(sheet.title, row.number, "", N_(
                    "An end row holds only its type (and the name it ends)."))

    def choices(self, sheet: Sheet, data: dict[str, Any]) -> None:
        items = [(name, item) for name, entries in data.get("choices", {}).items()
                 for item in entries]
        expected = [(name, str(item["name"])) for name, item in items]
        if not self.rows_match(sheet, expected, f"{data['id']} {data['version']}"):
            return
        for row, (_, item) in zip(sheet.rows, items, strict=True):
            texts = self.texts(sheet, row, CHOICES, CHOICES_ALIASES, TEXTS[CHOICES],
                               frozenset({"list_name", "name"}))
            self.apply(sheet, row, item, texts, ("label",))

    def settings(self, sheet: Sheet, row: Row, data: dict[str, Any]) -> None:
        for other in sheet.rows:
            if other.number != 2:
                self.problems.add(sheet.title, other.number, "", N_(
                    "A translator's workbook has one settings row, row 2."))
        texts = self.texts(sheet, row, SETTINGS, SETTINGS_ALIASES, TEXTS[SETTINGS],
                           frozenset({"form_id", "version", "default_language", TRANSLATION}))
        keys = {TITLE: "title", DRAFT_NOTICE: "draft_notice"}
        renamed = {(keys[key], lang): value for (key, lang), value in texts.items()}
        self.apply(sheet, row, data, renamed, ("title", "draft_notice"))


def expected_key(sheet: Sheet) -> str:
    """The column that names a row's kind: `type` in survey, `list_name` in choices."""
    return "list_name" if sheet.title.strip().lower() == CHOICES else "type"


def _rows_of(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The definition's entries in the order of the survey rows, with a marker for end rows."""
    out: list[dict[str, Any]] = []

    def visit(items: list[dict[str, Any]]) -> None:
        for item in items:
            out.append(item)
            if item["type"] in ("group", "repeat"):
                visit(item["children"])
                out.append({"end": f"end {item['type']}"})

    visit(data["questions"])
    return out



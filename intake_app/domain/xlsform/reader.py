"""Read an XLSForm workbook into our form definition (docs/form-format.md), strictly.

The rows come from pyxform's reader (`workbook.read_workbook`), so a workbook made for ODK or
Kobo is read as they read it. Every cell is either turned into a key of the definition or
refused with its sheet, row and column: a type or a column Intake does not support is never
left out silently. The definition is then checked by the strict form loader, whose problems are
placed on the row of the question they concern.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from intake_app.domain.errors import FormInvalid
from intake_app.domain.expressions import ExpressionError, parse, tests
from intake_app.domain.form_loader import FORM_FORMAT, FORM_FORMAT_VERSION, form_from_data
from intake_app.domain.xlsform.columns import (
    CHOICE_RELEVANT,
    CHOICES,
    CHOICES_ALIASES,
    CLDR_LISTS,
    DRAFT_NOTICE,
    FALSE_WORDS,
    FORM_STATUS,
    GATE,
    GATE_OPEN,
    MULTILINE,
    NOTE_STATUS,
    PICKED_FILTER,
    REFUSED_SHEETS,
    SETTINGS,
    SETTINGS_ALIASES,
    SOURCE_COLUMNS,
    SURVEY,
    SURVEY_ALIASES,
    SURVEY_OWN,
    TITLE,
    TRANSLATION,
    TRUE_WORDS,
    YES_NO_UNKNOWN,
    language_of,
    split_column,
    text_column,
)
from intake_app.domain.xlsform.errors import ProblemList
from intake_app.domain.xlsform.workbook import Row, Sheet
from intake_app.i18n.core import N_

#: XLSForm types Intake refuses, and why (said with the refusal).
_WHY_NOT = {
    **dict.fromkeys(("geopoint", "geotrace", "geoshape", "start-geopoint"),
                    N_("Intake records no locations.")),
    **dict.fromkeys(("image", "photo", "audio", "video", "file", "background-audio", "barcode"),
                    N_("Files are attached to an interview on their own, not as answers.")),
    **dict.fromkeys(("start", "end", "today", "deviceid", "imei", "subscriberid", "simserial",
                     "phonenumber", "username", "email", "audit"),
                    N_("Intake records no device or tracking data about an interview.")),
    **dict.fromkeys(("calculate", "hidden"), N_("Intake calculates nothing in a form.")),
    **dict.fromkeys(("time", "datetime"), N_("Intake stores dates only.")),
}
_PLAIN_TYPES = frozenset({"text", "integer", "decimal", "date", "note"})
_CONTROL = {"group": "group", "repeat": "repeat", "lgroup": "repeat", "looped group": "repeat"}
_SELECT = re.compile(
    r"^(select_one|select one|select1|add select one prompt using|select one from"
    r"|select_multiple|select all that apply|add select multiple prompt using"
    r"|select all that apply from)\s+(\S+)$"
)
_MULTIPLE = frozenset({"select_multiple", "select all that apply",
                       "add select multiple prompt using", "select all that apply from"})
_BOOLEAN_KEYS = frozenset({"partial", "note", "indicator_group"})
_COUNT_KEYS = frozenset({"min_length", "max_length", "max_items"})
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$")
_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_ALWAYS_ALLOWED_SETTINGS = frozenset({TITLE, "form_id", "version", "default_language"})

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


def is_translation(sheets: Mapping[str, Sheet]) -> bool:
    """Whether the workbook is a translator's (its settings say which language)."""
    settings = sheets.get(SETTINGS)
    return settings is not None and any(
        _dealias(header, SETTINGS_ALIASES) == TRANSLATION for header in settings.headers
    )


def _dealias(header: str, aliases: Mapping[str, str]) -> str:
    key, language = split_column(header)
    key = aliases.get(key, key)
    return f"{key}::{language}" if language is not None else key


class WorkbookReader:
    """Turns the sheets into a definition, saying every problem with its place."""

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
                key, language = split_column(_dealias(header, aliases))
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
        key, language = split_column(_dealias(header, aliases))
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

    # -- survey ---------------------------------------------------------------------------

    def survey(self) -> list[dict[str, Any]]:
        sheet = self.sheets[SURVEY]
        texts = frozenset({"label", "hint"})
        known = frozenset({"type", "name", "required", "relevant", "appearance",
                           "choice_filter", *SURVEY_OWN})
        top: list[dict[str, Any]] = []
        stack: list[tuple[dict[str, Any], str, int]] = []
        said: set[str] = set()
        conditions: list[tuple[Row, str, str]] = []
        filters: list[tuple[Row, dict[str, Any], str, str]] = []
        lists = self.choice_list_names()
        for row in sheet.rows:
            kind = " ".join(row.cells.get("type", "").split())
            if kind.startswith(("end ", "end_")):
                self.end(sheet, row, kind[4:], stack)
                continue
            item: dict[str, Any] = {}
            if not self.question_type(sheet, row, kind, item, lists):
                continue
            for header, value in row.cells.items():
                meaning = self.column(SURVEY, header, SURVEY_ALIASES, texts, known)
                if meaning is None:
                    self.unsupported(sheet, row, header, said)
                    continue
                self.survey_cell(sheet, row, header, value, meaning, item, conditions, filters)
            name = item.get("name")
            if not isinstance(name, str):
                self.problems.add(sheet.title, row.number, "name", N_(
                    "Every question, note and group needs a name."))
                name = f"?{row.number}"
                item["name"] = name
            elif name in self.places.questions:
                self.problems.add(sheet.title, row.number, "name", N_(
                    "The name {name} is used already, in row {row}."),
                    name=name, row=self.places.questions[name])
            else:
                self.places.questions[name] = row.number
            self.default_label(sheet, row, item)
            (stack[-1][0]["children"] if stack else top).append(item)
            if item["type"] in ("group", "repeat"):
                item["children"] = []
                stack.append((item, item["type"], row.number))
        for _, kind, number in stack:
            self.problems.add(sheet.title, number, "type", N_(
                "This {kind} has no end {kind} row."), kind=kind)
        names = frozenset(self.places.questions)
        for row, header, text in conditions:
            self.condition(sheet, row, header, text, names)
        for row, item, header, text in filters:
            self.picked_filter(sheet, row, item, header, text)
        self.drop_empty_children(top)
        return top

    def drop_empty_children(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            if "children" in item:
                if item["children"]:
                    self.drop_empty_children(item["children"])
                else:
                    del item["children"]  # the loader says a group needs children

    def end(self, sheet: Sheet, row: Row, what: str,
            stack: list[tuple[dict[str, Any], str, int]]) -> None:
        kind = _CONTROL.get(what.replace("_", " ").strip())
        if kind is None:
            self.problems.add(sheet.title, row.number, "type", N_(
                "The type {type} is not supported by Intake."), type=row.cells.get("type"))
            return
        if not stack or stack[-1][1] != kind:
            self.problems.add(sheet.title, row.number, "type", N_(
                "This end {kind} row ends no {kind}."), kind=kind)
            return
        item, _, _ = stack.pop()
        name = row.cells.get("name")
        if name and name != item.get("name"):
            self.problems.add(sheet.title, row.number, "name", N_(
                "This row ends {name}, but the {kind} open here is {open}."),
                name=name, kind=kind, open=item.get("name", "?"))
        for header in row.cells:
            if header not in ("type", "name"):
                self.problems.add(sheet.title, row.number, header, N_(
                    "An end row holds only its type (and the name it ends)."))

    def question_type(self, sheet: Sheet, row: Row, kind: str, item: dict[str, Any],
                      lists: frozenset[str]) -> bool:
        if not kind:
            self.problems.add(sheet.title, row.number, "type", N_(
                "This row has no type."))
            return False
        if kind.startswith(("begin ", "begin_")):
            control = _CONTROL.get(kind[6:].replace("_", " ").strip())
            if control is None:
                self.problems.add(sheet.title, row.number, "type", N_(
                    "The type {type} is not supported by Intake."), type=kind)
                return False
            item["type"] = control
            return True
        if kind in _PLAIN_TYPES:
            item["type"] = kind
            return True
        select = _SELECT.match(kind)
        if select is None:
            why = _WHY_NOT.get(kind.split(" ")[0])
            if why is not None:
                self.problems.add(sheet.title, row.number, "type", N_(
                    "The type {type} is not supported by Intake: {why}"), type=kind, why=why)
            else:
                self.problems.add(sheet.title, row.number, "type", N_(
                    "The type {type} is not supported by Intake."), type=kind)
            return False
        multiple = select.group(1) in _MULTIPLE
        list_name = select.group(2)
        if list_name == YES_NO_UNKNOWN:
            if multiple:
                self.problems.add(sheet.title, row.number, "type", N_(
                    "The list yes_no_unknown takes one answer: use select_one."))
                return False
            item["type"] = YES_NO_UNKNOWN
        elif list_name in CLDR_LISTS:
            item["type"] = list_name
            if multiple:
                item["multiple"] = True
        else:
            item["type"] = "select_multiple" if multiple else "select_one"
            item["choices"] = list_name
            if list_name not in lists:
                self.problems.add(sheet.title, row.number, "type", N_(
                    "The choice list {list} is not on the choices sheet."), list=list_name)
        return True

    def survey_cell(self, sheet: Sheet, row: Row, header: str, value: str, meaning: Column,
                    item: dict[str, Any], conditions: list[tuple[Row, str, str]],
                    filters: list[tuple[Row, dict[str, Any], str, str]]) -> None:
        key = meaning.key
        if key == "type":
            return
        if key in ("label", "hint"):
            item[f"{key}::{meaning.language}"] = value
        elif key == NOTE_STATUS:
            item.setdefault("translation_status", {})[meaning.language] = value
        elif key == "name":
            item["name"] = value
        elif key == "required":
            flag = self.boolean(sheet, row, header, value)
            if flag is not None:
                item["required"] = flag
        elif key in ("relevant", "intake_consent"):
            item["relevant" if key == "relevant" else "consent"] = value
            conditions.append((row, header, value))
        elif key == "appearance":
            if value == MULTILINE and item["type"] == "text":
                item["type"] = "long_text"
            else:
                self.problems.add(sheet.title, row.number, header, N_(
                    "Intake does not support the appearance {appearance} here."),
                    appearance=value)
        elif key == "choice_filter":
            filters.append((row, item, header, value))
        else:
            self.own_cell(sheet, row, header, value, SURVEY_OWN[key], item)

    def own_cell(self, sheet: Sheet, row: Row, header: str, value: str, key: str,
                 item: dict[str, Any]) -> None:
        converted: object
        if key in _BOOLEAN_KEYS:
            converted = self.boolean(sheet, row, header, value)
        elif key in _COUNT_KEYS:
            converted = self.count(sheet, row, header, value)
        elif key in ("min", "max"):
            converted = self.limit(value, dated=item.get("type") == "date")
        elif key == "languages":
            converted = [part for part in re.split(r"[\s,]+", value) if part]
        else:
            converted = value
        if converted is not None:
            item[key] = converted

    def picked_filter(self, sheet: Sheet, row: Row, item: dict[str, Any], header: str,
                      text: str) -> None:
        found = PICKED_FILTER.match(text)
        if found is None or item.get("type") not in ("select_one", "select_multiple"):
            self.problems.add(sheet.title, row.number, header, N_(
                "Intake supports only the choice filter selected(${{question}}, name): the "
                "choices picked in an earlier question."))
            return
        source_name = found.group(1)
        source_row = self.places.questions.get(source_name)
        source_list = self.list_of(source_name)
        if source_row is None or source_list is None:
            self.problems.add(sheet.title, row.number, header, N_(
                "The condition names {name}, which is not a question of this form."),
                name=source_name)
        elif source_list != item.get("choices"):
            self.problems.add(sheet.title, row.number, "type", N_(
                "This question takes its choices from {name}, so its list must be {list}, "
                "the list of {name}."), name=source_name, list=source_list)
        else:
            del item["choices"]
            item["choices_from"] = source_name

    def list_of(self, name: str) -> str | None:
        sheet = self.sheets[SURVEY]
        for row in sheet.rows:
            if row.cells.get("name") == name:
                select = _SELECT.match(" ".join(row.cells.get("type", "").split()))
                return select.group(2) if select else None
        return None

    def default_label(self, sheet: Sheet, row: Row, item: Mapping[str, Any]) -> None:
        if self.default and not item.get(f"label::{self.default}"):
            self.problems.add(sheet.title, row.number, text_column("label", self.default), N_(
                "The label in the default language ({language}) is missing."),
                language=self.default)

    # -- choices --------------------------------------------------------------------------

    def choice_list_names(self) -> frozenset[str]:
        sheet = self.sheets.get(CHOICES)
        if sheet is None:
            return frozenset()
        names: set[str] = set()
        for row in sheet.rows:
            for header, value in row.cells.items():
                if _dealias(header, CHOICES_ALIASES) == "list_name":
                    names.add(value)
        return frozenset(names)

    def choices(self) -> dict[str, list[dict[str, Any]]]:
        sheet = self.sheets.get(CHOICES)
        if sheet is None:
            return {}
        texts = frozenset({"label"})
        known = frozenset({"list_name", "name", CHOICE_RELEVANT})
        lists: dict[str, list[dict[str, Any]]] = {}
        said: set[str] = set()
        names = frozenset(self.places.questions)
        for row in sheet.rows:
            item: dict[str, Any] = {}
            list_name = ""
            for header, value in row.cells.items():
                meaning = self.column(CHOICES, header, CHOICES_ALIASES, texts, known)
                if meaning is None:
                    self.unsupported(sheet, row, header, said)
                elif meaning.key == "list_name":
                    list_name = value
                elif meaning.key == "label":
                    item[f"label::{meaning.language}"] = value
                elif meaning.key == CHOICE_RELEVANT:
                    item["relevant"] = value
                    self.condition(sheet, row, header, value, names)
                else:
                    item["name"] = value
            if not list_name or "name" not in item:
                self.problems.add(sheet.title, row.number, "list_name" if not list_name
                                  else "name", N_("Every choice needs a list_name and a name."))
                continue
            if list_name in CLDR_LISTS:
                self.problems.add(sheet.title, row.number, "list_name", N_(
                    "The list name {list} is Intake's own (its choices come from the language "
                    "and country names); choose another name."), list=list_name)
                continue
            place = f"choices.{list_name}.{item['name']}"
            if place in self.places.choices:
                self.problems.add(sheet.title, row.number, "name", N_(
                    "The code {code} is in the list {list} already, in row {row}."),
                    code=item["name"], list=list_name, row=self.places.choices[place])
                continue
            self.places.choices[place] = row.number
            self.places.choices.setdefault(f"choices.{list_name}", row.number)
            self.default_label(sheet, row, item)
            lists.setdefault(list_name, []).append(item)
        return lists

    # -- settings -------------------------------------------------------------------------

    def settings(self, data: dict[str, Any]) -> None:
        sheet = self.sheets[SETTINGS]
        texts = frozenset({TITLE, DRAFT_NOTICE})
        known = frozenset({*_ALWAYS_ALLOWED_SETTINGS, GATE, GATE_OPEN, *SOURCE_COLUMNS})
        said: set[str] = set()
        status: dict[str, str] = {}
        sources: list[dict[str, str]] = []
        for row in sheet.rows:
            source: dict[str, str] = {}
            for header, value in row.cells.items():
                meaning = self.column(SETTINGS, header, SETTINGS_ALIASES, texts, known)
                if meaning is None:
                    self.unsupported(sheet, row, header, said)
                elif meaning.key in SOURCE_COLUMNS:
                    source[SOURCE_COLUMNS[meaning.key]] = value
                elif row.number != 2:
                    self.problems.add(sheet.title, row.number, header, N_(
                        "Only row 2 holds the form's settings; the rows after it hold sources."))
                elif meaning.key == TITLE:
                    data[f"title::{meaning.language}"] = value
                elif meaning.key == DRAFT_NOTICE:
                    data[f"draft_notice::{meaning.language}"] = value
                elif meaning.key == FORM_STATUS:
                    status[str(meaning.language)] = value
                elif meaning.key == "form_id":
                    data["id"] = value
                elif meaning.key == "version":
                    data["version"] = value
                elif meaning.key == GATE:
                    data.setdefault("consent_gate", {})["condition"] = value
                    self.condition(sheet, row, header, value, frozenset(self.places.questions))
                elif meaning.key == GATE_OPEN:
                    data.setdefault("consent_gate", {})["open"] = value.split()
            if source:
                sources.append(source)
        for key in ("id", "version"):
            if key not in data:
                column = "form_id" if key == "id" else "version"
                self.problems.add(sheet.title, 2, column, N_("The form needs a {column}."),
                                  column=column)
        if "consent_gate" in data and "open" not in data["consent_gate"]:
            data["consent_gate"]["open"] = []
        if sources:
            data["sources"] = sources
        # A workbook that does not say how far each text can be trusted: the default
        # language is the source and every other language a draft nobody has checked.
        data["translation_status"] = status or {
            lang: "source" if lang == self.default else "draft" for lang in self.languages
        }

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

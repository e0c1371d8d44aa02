"""The survey sheet: questions, notes, groups and repeats, with their conditions and filters."""

from __future__ import annotations

import re
from typing import Any

from intake_app.domain.xlsform.columns import (
    CHOICES,
    CHOICES_ALIASES,
    MULTILINE,
    NOTE_STATUS,
    PICKED_FILTER,
    SURVEY,
    SURVEY_ALIASES,
    SURVEY_OWN,
)
from intake_app.domain.xlsform.question_types import QuestionTypes
from intake_app.domain.xlsform.sheet_reader import Column, dealias
from intake_app.domain.xlsform.workbook import Row, Sheet
from intake_app.i18n.core import N_

_BOOLEAN_KEYS = frozenset({"partial", "note", "indicator_group"})
_COUNT_KEYS = frozenset({"min_length", "max_length", "max_items"})


class SurveyReader(QuestionTypes):
    """Turns the survey sheet's rows into the definition's nested questions."""

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

    def choice_list_names(self) -> frozenset[str]:
        sheet = self.sheets.get(CHOICES)
        if sheet is None:
            return frozenset()
        names: set[str] = set()
        for row in sheet.rows:
            for header, value in row.cells.items():
                if dealias(header, CHOICES_ALIASES) == "list_name":
                    names.add(value)
        return frozenset(names)

"""Read the questions and choice lists of a form definition, collecting problems as it goes.

Used by `form_loader`; each problem names the question (or choice list) and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from intake_app.domain.codelists import language_codes
from intake_app.domain.errors import FormProblem
from intake_app.domain.expressions import Expression, ExpressionError, parse
from intake_app.domain.form import (
    QUESTION_TYPES,
    TRANSLATION_STATES,
    Choice,
    ChoiceList,
    Question,
    QuestionType,
)

NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
CODE = re.compile(r"^[a-z0-9][a-z0-9_]{0,63}$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ILO_GRADES = frozenset({"strong", "medium", "weak"})
_COMMON_KEYS = frozenset({"type", "name", "relevant", "consent"})
_TYPE_KEYS: Mapping[str, frozenset[str]] = {
    "text": frozenset({"required", "min_length", "max_length"}),
    "long_text": frozenset({"required", "min_length", "max_length", "languages"}),
    "integer": frozenset({"required", "min", "max"}),
    "decimal": frozenset({"required", "min", "max"}),
    "date": frozenset({"required", "partial", "min", "max"}),
    "select_one": frozenset({"required", "choices", "choices_from"}),
    "select_multiple": frozenset({"required", "choices", "choices_from"}),
    "language": frozenset({"required", "multiple", "extra_choices"}),
    "country": frozenset({"required", "multiple", "extra_choices"}),
    "yes_no_unknown": frozenset({"required", "note", "ilo_grade"}),
    "note": frozenset({"translation_status"}),
    "group": frozenset({"children", "indicator_group"}),
    "repeat": frozenset({"required", "children", "max_items"}),
}


class FormReader:
    """Builds form objects from parsed JSON and collects problems instead of stopping."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[FormProblem] = []
        self.languages: tuple[str, ...] = ()

    def problem(self, where: str, reason: str) -> None:
        self.problems.append(FormProblem(self.file, where, reason))

    def texts(self, data: Mapping[str, Any], prefix: str, where: str) -> dict[str, str]:
        """The `prefix::<lang>` entries of an object, checked."""
        texts: dict[str, str] = {}
        for key, value in data.items():
            if not key.startswith(prefix + "::"):
                continue
            lang = key[len(prefix) + 2 :]
            if lang not in self.languages:
                self.problem(where, f"{key}: {lang!r} is not one of the form's languages")
            elif not isinstance(value, str) or not value.strip():
                self.problem(where, f"{key} must be a non-empty string")
            else:
                texts[lang] = value
        return texts

    def unknown_keys(
        self,
        data: Mapping[str, Any],
        allowed: frozenset[str],
        prefixes: tuple[str, ...],
        where: str,
    ) -> None:
        for key in data:
            if key not in allowed and not key.startswith(prefixes):
                self.problem(where, f"unknown key {key!r}")

    def expression(self, data: Mapping[str, Any], key: str, where: str) -> Expression | None:
        text = data.get(key)
        if text is None:
            return None
        if not isinstance(text, str):
            self.problem(where, f"{key} must be a string")
            return None
        try:
            return parse(text)
        except ExpressionError as exc:
            self.problem(where, f"{key}: {exc}")
            return None

    def typed(self, data: Mapping[str, Any], key: str, kinds: tuple[type, ...], where: str) -> Any:
        value = data.get(key)
        if value is None:
            return None
        # bool is an int subclass: a `true` where a number belongs is a mistake.
        if isinstance(value, bool) and bool not in kinds:
            self.problem(where, f"{key} has the wrong type")
            return None
        if not isinstance(value, kinds):
            self.problem(where, f"{key} has the wrong type")
            return None
        return value

    def question(self, data: object, where_parent: str) -> Question | None:
        if not isinstance(data, dict):
            self.problem(where_parent, "each question must be an object")
            return None
        name = data.get("name")
        if not isinstance(name, str) or not NAME.match(name):
            self.problem(where_parent, f"question name {name!r} is not a snake_case name")
            return None
        qtype = data.get("type")
        if qtype not in QUESTION_TYPES:
            self.problem(name, f"unknown type {qtype!r}")
            return None
        kind = cast(QuestionType, qtype)
        self.unknown_keys(data, _COMMON_KEYS | _TYPE_KEYS[kind], ("label::", "hint::"), name)
        labels = self.texts(data, "label", name)
        if not labels and not any(key.startswith("label::") for key in data):
            self.problem(name, "has no label in any language")
        children: tuple[Question, ...] = ()
        if kind in ("group", "repeat"):
            raw_children = data.get("children")
            if not isinstance(raw_children, list) or not raw_children:
                self.problem(name, "a group or repeat needs a non-empty list of children")
            else:
                built = [self.question(child, name) for child in raw_children]
                children = tuple(child for child in built if child is not None)
        return Question(
            type=kind,
            name=name,
            labels=labels,
            hints=self.texts(data, "hint", name),
            required=bool(self.typed(data, "required", (bool,), name)),
            relevant=self.expression(data, "relevant", name),
            consent=self.expression(data, "consent", name),
            choices=self.typed(data, "choices", (str,), name),
            choices_from=self.typed(data, "choices_from", (str,), name),
            multiple=bool(self.typed(data, "multiple", (bool,), name)),
            extra_choices=self.typed(data, "extra_choices", (str,), name),
            note=bool(self.typed(data, "note", (bool,), name)),
            partial=bool(self.typed(data, "partial", (bool,), name)),
            indicator_group=bool(self.typed(data, "indicator_group", (bool,), name)),
            ilo_grade=self.grade(data, name),
            min_length=self.count(data, "min_length", name),
            max_length=self.count(data, "max_length", name),
            max_items=self.count(data, "max_items", name),
            languages=self.tags(data, name),
            translation_status=self.statuses(data, name),
            children=children,
            **self.limits(data, kind, name),
        )

    def grade(self, data: Mapping[str, Any], where: str) -> str | None:
        grade = self.typed(data, "ilo_grade", (str,), where)
        if grade is not None and grade not in ILO_GRADES:
            self.problem(where, f"ilo_grade must be one of {sorted(ILO_GRADES)}")
            return None
        return cast(str | None, grade)

    def statuses(self, data: Mapping[str, Any], where: str) -> dict[str, str]:
        """A note's own `translation_status`: every form language -> source/reviewed/draft."""
        status = data.get("translation_status")
        if status is None:
            return {}
        if not isinstance(status, dict) or set(status) != set(self.languages):
            self.problem(where, "translation_status must name every form language")
            return {}
        wrong = sorted(lang for lang, state in status.items() if state not in TRANSLATION_STATES)
        if wrong:
            self.problem(where, f"translation_status of {wrong} must be source, reviewed or draft")
            return {}
        return {str(lang): str(state) for lang, state in status.items()}

    def count(self, data: Mapping[str, Any], key: str, where: str) -> int | None:
        value = self.typed(data, key, (int,), where)
        if value is not None and value < 0:
            self.problem(where, f"{key} must not be negative")
            return None
        return cast(int | None, value)

    def tags(self, data: Mapping[str, Any], where: str) -> tuple[str, ...] | None:
        tags = data.get("languages")
        if tags is None:
            return None
        known = language_codes()
        if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
            self.problem(where, "languages must be a non-empty list of language codes")
            return None
        for tag in tags:
            if tag not in known:
                self.problem(where, f"languages: {tag!r} is not a known language code")
        return tuple(tags)

    def limits(self, data: Mapping[str, Any], kind: str, where: str) -> dict[str, Any]:
        if kind == "date":
            found: dict[str, Any] = {}
            for key, attr in (("min", "earliest"), ("max", "latest")):
                value = self.typed(data, key, (str,), where)
                if value is not None and not DATE.match(value):
                    self.problem(where, f"{key} must be a date like 2026, 2026-01 or 2026-01-31")
                    value = None
                found[attr] = value
            return found
        kinds: tuple[type, ...] = (int,) if kind == "integer" else (int, float)
        return {
            "minimum": self.typed(data, "min", kinds, where),
            "maximum": self.typed(data, "max", kinds, where),
        }

    def choice_lists(self, data: object) -> dict[str, ChoiceList]:
        if not isinstance(data, dict):
            self.problem("choices", "choices must be an object of named lists")
            return {}
        lists: dict[str, ChoiceList] = {}
        for list_name, items in data.items():
            where = f"choices.{list_name}"
            if not NAME.match(list_name):
                self.problem(where, "a choice list name must be snake_case")
                continue
            if not isinstance(items, list) or not items:
                self.problem(where, "a choice list must be a non-empty list")
                continue
            choices: list[Choice] = []
            for item in items:
                choice = self.choice(item, where)
                if choice is not None:
                    choices.append(choice)
            lists[list_name] = ChoiceList(list_name, tuple(choices))
        return lists

    def choice(self, item: object, where: str) -> Choice | None:
        if not isinstance(item, dict):
            self.problem(where, "each choice must be an object")
            return None
        code = item.get("name")
        if not isinstance(code, str) or not CODE.match(code):
            self.problem(where, f"choice code {code!r} is not a lower-case code")
            return None
        here = f"{where}.{code}"
        self.unknown_keys(item, frozenset({"name", "relevant"}), ("label::",), here)
        labels = self.texts(item, "label", here)
        if not labels and not any(key.startswith("label::") for key in item):
            self.problem(here, "has no label in any language")
        return Choice(code, labels, self.expression(item, "relevant", here))

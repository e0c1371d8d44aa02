"""The interviews as tables: the columns and typed cells that the CSV and the spreadsheet share.

Which interviews: the newest revision of every interview that still has content and whose
consent was not withdrawn (`withdrawn` stops further processing).

Columns, each with a code (the CSV's header, the spreadsheet's second header row) and a label
in the language chosen (the spreadsheet's first header row): the fixed ones (id, revision,
status, form, form version, when made and last changed, in UTC), how many files the centre
holds for the interview, then every question outside repeat groups in form order. A coded
question (a choice, a country, a language, an indicator) has its code(s) and, in `<name>_label`,
the answer in words (`answer_text`, as the window and the referral say it); a free text has its
text and, in `<name>_lang`, its language; a repeat group has its items (as JSON in the CSV, as
a count where each group has a sheet of its own) and its words. A repeat group's own table has
one row per item: the interview's id, the item's number, then its questions.

Cells are typed: numbers only where the answer is a number, full dates as `date`, the moments
as `datetime` (UTC), partial dates ("1994-05") as text; each writer decides how a type looks.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeGuard

from intake_app.domain.answers import is_empty, is_tagged_text, parse_partial_date
from intake_app.domain.expressions import answer_code
from intake_app.domain.form import Form, Question
from intake_app.domain.registry import FormRegistry
from intake_app.domain.utc_time import parse_utc
from intake_app.i18n import N_, gettext_in
from intake_app.storage import Vault
from intake_app.sync.centre.answer_text import (
    CODED_TYPES,
    SECTION_SEPARATOR,
    answer_text,
    form_of,
    raw_text,
    sections,
    top_questions,
)
from intake_app.sync.centre.records import attachments, current_documents

WITHDRAWN = "withdrawn"
FIXED_COLUMNS = ("id", "revision", "status", "form", "form_version", "created", "modified")
ATTACHMENTS_COLUMN = "attachments"  # how many files the centre holds for the interview
ITEM_COLUMN = "item"
_FIXED_LABELS = {
    "id": N_("Interview ID"),
    "revision": N_("Revision"),
    "status": N_("Status"),
    "form": N_("Form"),
    "form_version": N_("Form version"),
    "created": N_("Made (UTC)"),
    "modified": N_("Last changed (UTC)"),
    ATTACHMENTS_COLUMN: N_("Attached files"),
    ITEM_COLUMN: N_("Item"),
}
_MOMENTS = frozenset({"created", "modified"})

Kind = Literal["id", "code", "words", "text", "number", "date", "moment"]
Value = str | int | float | dt.date | dt.datetime | None
#: Told (interviews written, interviews in all) as an export goes; called on the export's thread.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Column:
    """One column: its code, its label in the file's language, and what it holds."""

    code: str
    label: str
    kind: Kind


@dataclass(frozen=True)
class RepeatTable:
    """A repeat group's own table: one row per item, joined to its interview by id."""

    question: Question
    title: str  # the group's label in the file's language
    columns: tuple[Column, ...]


def exported_documents(vault: Vault) -> list[dict[str, Any]]:
    """The documents every export covers (consent not withdrawn), oldest first."""
    return [doc for doc in current_documents(vault) if doc.get("status") != WITHDRAWN]


def forms_used(registry: FormRegistry, documents: Sequence[dict[str, Any]]) -> list[Form]:
    """The forms the documents open with, each once, in the order first met."""
    forms: dict[tuple[str, str], Form] = {}
    asked: set[tuple[str, str]] = set()  # which form a document opens with: its id and version
    for document in documents:
        key = (str(document.get("form")), str(document.get("form_version")))
        if key in asked:
            continue
        form = form_of(registry, document)  # None too for a document it cannot read: ask again
        if form is not None:
            asked.add(key)
            forms.setdefault((form.id, form.version), form)
    return list(forms.values())


def attachment_count(vault: Vault, record_id: str) -> int:
    """How many files the centre holds for an interview."""
    return len(attachments(vault, record_id))


def fixed_label(code: str, lang: str) -> str:
    """A fixed column's label in `lang`."""
    return gettext_in(lang, _FIXED_LABELS[code])


class InterviewTables:
    """The columns of the interviews' table (and of each repeat group's, unless they stay
    inline as JSON, as in the CSV) and the cells of one interview."""

    def __init__(self, forms: Sequence[Form], lang: str, *, repeats_inline: bool) -> None:
        self.forms = list(forms)
        self.lang = lang
        self.repeats_inline = repeats_inline
        self._said: dict[object, str | None] = {}
        self._where: dict[str, str] = {}
        for form in reversed(self.forms):
            self._where.update(sections(form, lang))
        self.questions = list(top_questions(self.forms))
        kinds: list[Kind] = ["id", "number", "code", "code", "code", "moment", "moment"]
        self.columns: tuple[Column, ...] = (
            *(
                Column(code, fixed_label(code, lang), kind)
                for code, kind in zip(FIXED_COLUMNS, kinds, strict=True)
            ),
            Column(ATTACHMENTS_COLUMN, fixed_label(ATTACHMENTS_COLUMN, lang), "number"),
            *(
                column
                for question in self.questions
                for column in self._columns_of(question, self._label(question))
            ),
        )
        self.repeats: tuple[RepeatTable, ...] = (
            ()
            if repeats_inline
            else tuple(
                self._repeat_table(question)
                for question in self.questions
                if question.type == "repeat"
            )
        )

    def _label(self, question: Question) -> str:
        """The question's label, after its own group where it sits in one ("Coercive
        recruitment › Violence"), so that indicators with the same words stay apart."""
        label = question.label(self.lang) or question.name
        path = self._where.get(question.name, "").split(SECTION_SEPARATOR)
        return f"{path[-1]}{SECTION_SEPARATOR}{label}" if len(path) > 1 else label

    def _columns_of(self, question: Question, label: str) -> list[Column]:
        name, kind, lang = question.name, question.type, self.lang
        if kind == "long_text":
            return [
                Column(name, label, "text"),
                Column(
                    f"{name}_lang",
                    gettext_in(lang, N_("{question} (language)"), question=label),
                    "code",
                ),
            ]
        if kind in CODED_TYPES:
            return [
                Column(name, gettext_in(lang, N_("{question} (code)"), question=label), "code"),
                Column(f"{name}_label", label, "words"),
            ]
        if kind == "repeat":
            first = (
                Column(name, gettext_in(lang, N_("{question} (codes)"), question=label), "text")
                if self.repeats_inline
                else Column(
                    name, gettext_in(lang, N_("{question} (items)"), question=label), "number"
                )
            )
            return [first, Column(f"{name}_label", label, "words")]
        if kind in ("integer", "decimal"):
            return [Column(name, label, "number")]
        if kind == "date":
            return [Column(name, label, "date")]
        return [Column(name, label, "text")]

    def _words(self, question: Question, value: object) -> str | None:
        """The answer in words; a plain code's (or codes') words worked out once per export."""
        if isinstance(value, list) and all(isinstance(code, str) for code in value):
            key: object = (question.name, tuple(value))
        elif isinstance(value, str):
            key = (question.name, value)
        else:
            return answer_text(self.forms, question, value, self.lang) or None
        if key not in self._said:
            self._said[key] = answer_text(self.forms, question, value, self.lang) or None
        return self._said[key]

    def _repeat_table(self, question: Question) -> RepeatTable:
        columns = [
            Column("id", fixed_label("id", self.lang), "id"),
            Column(ITEM_COLUMN, fixed_label(ITEM_COLUMN, self.lang), "number"),
        ]
        for child in repeat_children(question):
            columns += self._columns_of(child, child.label(self.lang) or child.name)
        return RepeatTable(question, question.label(self.lang) or question.name, tuple(columns))

    def row(self, document: dict[str, Any], attachment_count: int) -> list[Value]:
        """One interview's cells, in the order of `columns`."""
        cells: list[Value] = [_fixed(document, code) for code in FIXED_COLUMNS]
        cells.append(attachment_count)
        answers = _answers_of(document)
        for question in self.questions:
            cells += self._cells(question, answers.get(question.name), self.repeats_inline)
        return cells

    def repeat_rows(self, table: RepeatTable, document: dict[str, Any]) -> Iterator[list[Value]]:
        """The rows of one repeat group's table for one interview (none if unanswered)."""
        items = _answers_of(document).get(table.question.name)
        if not isinstance(items, list):
            return
        record_id = str(document.get("id", ""))
        children = repeat_children(table.question)
        for number, item in enumerate(items, start=1):
            cells: list[Value] = [record_id, number]
            if isinstance(item, dict):
                for child in children:
                    cells += self._cells(child, item.get(child.name), True)
            else:  # never dropped: shown as it is stored
                cells.append(raw_text(item))
            yield cells

    def _cells(self, question: Question, value: object, inline: bool) -> list[Value]:
        kind = question.type
        if kind == "long_text":
            if is_tagged_text(value) and isinstance(value, dict):
                return [value["text"] or None, value["lang"] or None]
            return [None if is_empty(value) else raw_text(value), None]
        words = self._words(question, value) if kind in CODED_TYPES or kind == "repeat" else None
        if kind in CODED_TYPES:
            code = answer_code(value)
            codes = code if isinstance(code, list) else [] if code is None else [code]
            return [" ".join(str(c) for c in codes) or None, words]
        if kind == "repeat":
            if is_empty(value):
                return [None, None]
            if inline:
                return [json.dumps(value, ensure_ascii=False, sort_keys=True), words]
            return [len(value) if isinstance(value, list) else raw_text(value), words]
        if is_empty(value):
            return [None]
        if kind in ("integer", "decimal") and _is_number(value):
            return [value]
        if kind == "date" and isinstance(value, str):
            parts = parse_partial_date(value)
            return [dt.date(*parts) if parts is not None and len(parts) == 3 else value]
        return [raw_text(value)]


def repeat_children(question: Question) -> list[Question]:
    """The answerable questions of a repeat group's item, in form order (a repeat inside it
    counts as one question)."""
    found: list[Question] = []

    def walk(questions: Sequence[Question]) -> None:
        for child in questions:
            if child.type == "group":
                walk(child.children)
            elif child.answerable:
                found.append(child)

    walk(question.children)
    return found


def _answers_of(document: dict[str, Any]) -> dict[str, Any]:
    answers = document.get("answers")
    return answers if isinstance(answers, dict) else {}


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fixed(document: dict[str, Any], code: str) -> Value:
    value = document.get(code)
    if value is None:
        return None
    if code == "revision" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if code in _MOMENTS and isinstance(value, str):
        try:
            return parse_utc(value)
        except ValueError:
            return value
    return str(value)

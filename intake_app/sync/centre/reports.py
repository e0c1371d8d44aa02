"""Exports from the centre: a CSV of interviews (codes and labels) and a statistics table.

Both cover the newest revision of every interview that still has content and whose consent was
not withdrawn (status `withdrawn` stops further processing). The CSV is personal data in clear
text by design, written where the administrator chose, atomically, readable by its owner only;
cells that a spreadsheet would run as a formula are prefixed with `'`. The statistics never show
a group smaller than `MIN_GROUP` (shown as `None`), and hide more cells where a hidden one could
be worked out from a total (stats_suppression); they print no totals of their own.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake_app.domain.expressions import answer_code
from intake_app.domain.form import Form, Question
from intake_app.domain.registry import FormRegistry
from intake_app.storage import Vault, atomic_write_bytes
from intake_app.sync.centre.answer_text import (
    CODED_TYPES,
    answer_text,
    form_of,
    top_questions,
)
from intake_app.sync.centre.errors import StatsFieldNotCoded
from intake_app.sync.centre.records import attachments, current_documents
from intake_app.sync.centre.suppression import hidden_groups

MIN_GROUP = 5
WITHDRAWN = "withdrawn"
FIXED_COLUMNS = ("id", "revision", "status", "form", "form_version", "created", "modified")
ATTACHMENTS_COLUMN = "attachments"  # how many files the centre holds for the interview
PSEUDO_FIELDS = ("month", "status", "form")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _documents(vault: Vault) -> list[dict[str, Any]]:
    return [doc for doc in current_documents(vault) if doc.get("status") != WITHDRAWN]


def _forms_used(registry: FormRegistry, documents: Sequence[dict[str, Any]]) -> list[Form]:
    forms: dict[tuple[str, str], Form] = {}
    for document in documents:
        form = form_of(registry, document)
        if form is not None:
            forms.setdefault((form.id, form.version), form)
    return list(forms.values())


def _cells(forms: Sequence[Form], question: Question, value: object, lang: str) -> list[str]:
    """The CSV cells of one answer: its code(s) or text and, for coded questions and repeat
    groups, the answer in words (`answer_text`, as the window and the referral say it)."""
    if question.type == "long_text":
        if isinstance(value, dict):
            return [str(value.get("text", "")), str(value.get("lang", ""))]
        return ["", ""]
    if question.type in CODED_TYPES:
        code = answer_code(value)
        codes = code if isinstance(code, list) else [] if code is None else [code]
        return [" ".join(str(c) for c in codes), answer_text(forms, question, value, lang)]
    if question.type == "repeat":
        codes_text = "" if value is None else json.dumps(value, ensure_ascii=False,
                                                         sort_keys=True)
        return [codes_text, answer_text(forms, question, value, lang)]
    if value is None:
        return [""]
    if isinstance(value, list | dict):
        return [json.dumps(value, ensure_ascii=False, sort_keys=True)]
    return [str(value)]


def _header(questions: Sequence[Question]) -> list[str]:
    header = [*FIXED_COLUMNS, ATTACHMENTS_COLUMN]
    for question in questions:
        header.append(question.name)
        if question.type == "long_text":
            header.append(f"{question.name}_lang")
        elif question.type in CODED_TYPES or question.type == "repeat":
            header.append(f"{question.name}_label")
    return header


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def csv_rows(vault: Vault, registry: FormRegistry, lang: str) -> Iterator[list[str]]:
    """The export's header and rows, as text cells."""
    documents = _documents(vault)
    forms = _forms_used(registry, documents)
    questions = list(top_questions(forms))
    yield _header(questions)
    for document in documents:
        answers = document.get("answers")
        answers = answers if isinstance(answers, dict) else {}
        row = [str(document.get(column, "")) for column in FIXED_COLUMNS]
        row.append(str(len(attachments(vault, str(document.get("id", ""))))))
        for question in questions:
            row += _cells(forms, question, answers.get(question.name), lang)
        yield [_safe(cell) for cell in row]


def export_csv(vault: Vault, registry: FormRegistry, out: Path, lang: str) -> int:
    """Write the interviews to `out` (UTF-8 with a byte-order mark, for spreadsheets).

    Returns the number of interviews written.
    """
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    count = -1
    for row in csv_rows(vault, registry, lang):
        writer.writerow(row)
        count += 1
    atomic_write_bytes(Path(out), text.getvalue().encode("utf-8-sig"), mode=0o600)
    return count


@dataclass(frozen=True)
class StatsTable:
    """Counts per group; a hidden count is `None` (below `MIN_GROUP`, or one that would reveal
    such a count)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], int | None], ...]


def _values(document: dict[str, Any], field: str) -> list[str]:
    """The group values one interview contributes for `field` (several for multi-selects)."""
    if field == "month":
        return [str(document.get("created", ""))[:7]]
    if field in ("status", "form"):
        return [str(document.get(field, ""))]
    answers = document.get("answers")
    value = answer_code(answers.get(field)) if isinstance(answers, dict) else None
    if value is None:
        return [""]
    if isinstance(value, list):
        return [str(code) for code in value] or [""]
    return [str(value)] if not isinstance(value, dict) else [""]


def check_group_fields(registry: FormRegistry, by: Sequence[str]) -> None:
    """Refuse grouping by anything but codes: free text (an alias, an account) would print
    personal data as group names, and an unknown name would make one group of everyone."""
    coded = {question.name for form in registry.forms() for question in form.walk()
             if question.type in CODED_TYPES}
    for field in by:
        if field not in PSEUDO_FIELDS and field not in coded:
            raise StatsFieldNotCoded(field=field)


def statistics(vault: Vault, by: Sequence[str]) -> StatsTable:
    """Count interviews per combination of the `by` fields (answers' codes or pseudo-fields)."""
    counts: Counter[tuple[str, ...]] = Counter()
    for document in _documents(vault):
        combos: list[tuple[str, ...]] = [()]
        for field in by:
            combos = [(*combo, value) for combo in combos for value in _values(document, field)]
        counts.update(set(combos))
    hidden = hidden_groups(counts, len(by), MIN_GROUP)
    rows = tuple((group, None if group in hidden else count)
                 for group, count in sorted(counts.items()))
    return StatsTable(tuple(by), rows)

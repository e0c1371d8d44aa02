"""Exports from the centre: a statistics table (the interviews' CSV is `csv_export`, the
spreadsheet `xlsx_export`, their shared columns `export_table`).

The statistics cover the newest revision of every interview that still has content and whose
consent was not withdrawn (status `withdrawn` stops further processing). They never show a
group smaller than `MIN_GROUP` (shown as `None`), and hide more cells where a hidden one could
be worked out from what is shown (suppression.py); their total is the number of interviews.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from intake_app.domain.expressions import answer_code
from intake_app.domain.registry import FormRegistry
from intake_app.storage import Vault
from intake_app.sync.centre.answer_text import CODED_TYPES
from intake_app.sync.centre.csv_export import export_csv
from intake_app.sync.centre.errors import StatsFieldNotCoded, StatsTooManyFields
from intake_app.sync.centre.export_table import WITHDRAWN, exported_documents
from intake_app.sync.centre.suppression import suppress

__all__ = [
    "MIN_GROUP",
    "PSEUDO_FIELDS",
    "WITHDRAWN",
    "StatsTable",
    "check_group_fields",
    "export_csv",
    "statistics",
]

MIN_GROUP = 5
PSEUDO_FIELDS = ("month", "status", "form")
MAX_FIELDS = 2
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _documents(vault: Vault) -> list[dict[str, Any]]:
    return exported_documents(vault)


@dataclass(frozen=True)
class StatsTable:
    """Counts per group; a hidden count is `None` (below `MIN_GROUP`, or one that would reveal
    such a count: suppression.py says how). `total` is the number of interviews counted (an
    interview counts once even where a multiple choice puts it in several groups), `None` when
    below `MIN_GROUP`; a `withheld` table lists no group at all (too few interviews in too many
    groups for any count to be shown safely)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], int | None], ...]
    total: int | None = None
    withheld: bool = False


def interview_day(document: dict[str, Any]) -> str:
    """The day the interview was made ("2026-12-07"): its answer to the interview date, else
    the day the laptop made the record."""
    answers = document.get("answers")
    day = answers.get("interview_date") if isinstance(answers, dict) else None
    if isinstance(day, str) and _DAY.fullmatch(day):
        return day
    return str(document.get("created", ""))[:10]


def _values(document: dict[str, Any], field: str) -> list[str]:
    """The group values one interview contributes for `field` (several for multi-selects)."""
    if field == "month":
        return [interview_day(document)[:7]]
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
    personal data as group names, and an unknown name would make one group of everyone. Refuse
    more than two fields: nearly every group would be too small to show."""
    if len(by) > MAX_FIELDS:
        raise StatsTooManyFields()
    coded = {
        question.name
        for form in registry.forms()
        for question in form.walk()
        if question.type in CODED_TYPES
    }
    for field in by:
        if field not in PSEUDO_FIELDS and field not in coded:
            raise StatsFieldNotCoded(field=field)


def statistics(vault: Vault, by: Sequence[str], year: int | None = None) -> StatsTable:
    """Count interviews per combination of the `by` fields (answers' codes or pseudo-fields),
    those made in `year` only when given."""
    if len(by) > MAX_FIELDS:
        raise StatsTooManyFields()
    counts: Counter[tuple[str, ...]] = Counter()
    total = 0
    for document in _documents(vault):
        if year is not None and interview_day(document)[:4] != f"{year:04d}":
            continue
        total += 1
        combos: list[tuple[str, ...]] = [()]
        for field in by:
            combos = [(*combo, value) for combo in combos for value in _values(document, field)]
        counts.update(set(combos))
    found = suppress(counts, len(by), MIN_GROUP, total)
    rows = tuple(
        (group, None if group in found.hidden else count)
        for group, count in sorted(counts.items())
        if not found.withheld
    )
    return StatsTable(tuple(by), rows, total if total >= MIN_GROUP else None, found.withheld)

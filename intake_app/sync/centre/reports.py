"""Exports from the centre: a statistics table (the interviews' CSV is `csv_export`, the
spreadsheet `xlsx_export`, their shared columns `export_table`).

The statistics cover the newest revision of every interview that still has content and whose
consent was not withdrawn (status `withdrawn` stops further processing). They never show a
group smaller than `MIN_GROUP`, and hide more where a hidden one could be worked out from what
this or another table shows (suppression.py, `count_table`); hidden groups are not named.
Their total is the number of interviews.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from intake_app.domain.expressions import answer_code
from intake_app.domain.registry import FormRegistry
from intake_app.storage import Vault
from intake_app.sync.centre.answer_text import CODED_TYPES
from intake_app.sync.centre.csv_export import export_csv
from intake_app.sync.centre.errors import (
    StatsFieldNotCoded,
    StatsTooManyFields,
    StatsYearWithTwoFields,
)
from intake_app.sync.centre.export_table import WITHDRAWN, exported_documents
from intake_app.sync.centre.suppression import Group, HiddenLines, Suppression, suppress

__all__ = [
    "MIN_GROUP",
    "PSEUDO_FIELDS",
    "WITHDRAWN",
    "StatsTable",
    "check_group_fields",
    "count_table",
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
    """Counts of the groups that can be shown. A group whose count is hidden (below
    `MIN_GROUP`, or one that would reveal such a count: suppression.py says how) is not listed
    and not named: `folded` says there are such groups, counted together and not shown.
    `total` is the number of interviews counted (an interview counts once even where a multiple
    choice puts it in several groups), `None` when hidden; a `withheld` table lists no group at
    all (too few interviews in too many groups for any count to be shown safely)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], int], ...]
    total: int | None = None
    withheld: bool = False
    folded: bool = False


def interview_day(document: dict[str, Any]) -> str:
    """The day the interview was made ("2026-12-07"): its answer to the interview date, else
    the day the laptop made the record."""
    answers = document.get("answers")
    day = answers.get("interview_date") if isinstance(answers, dict) else None
    if isinstance(day, str) and _DAY.fullmatch(day):
        return day
    return str(document.get("created", ""))[:10]


def _year(document: dict[str, Any]) -> str:
    return interview_day(document)[:4]


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


def _count(documents: Sequence[dict[str, Any]], by: Sequence[str]) -> Counter[Group]:
    counts: Counter[Group] = Counter()
    for document in documents:
        combos: list[Group] = [()]
        for field in by:
            combos = [(*combo, value) for combo in combos for value in _values(document, field)]
        counts.update(set(combos))
    return counts


def _unshown(counts: Mapping[Group, int], found: Suppression) -> frozenset[str]:
    """The values whose counts a table by one field does not show."""
    return frozenset(group[0] for group in (counts if found.withheld else found.hidden))


def _table(
    by: Sequence[str], counts: Mapping[Group, int], found: Suppression, total: int | None
) -> StatsTable:
    rows = tuple(
        (group, count)
        for group, count in sorted(counts.items())
        if group not in found.hidden and not found.withheld
    )
    folded = bool(found.hidden) and not found.withheld
    shown_total = total if total is not None and total >= MIN_GROUP else None
    return StatsTable(tuple(by), rows, shown_total, found.withheld, folded)


def count_table(
    documents: Sequence[dict[str, Any]], by: Sequence[str], year: int | None = None
) -> StatsTable:
    """Count `documents` per combination of the `by` fields (answers' codes or pseudo-fields),
    those made in `year` only when given, hiding what the rule asks (suppression.py).

    Tables are protected together, not each on its own: a table by two fields against the
    tables by each of its fields; a table by a field for one year against the same table over
    all years and the years' totals (else the table over all years minus a year's table gives
    away the other years' small groups); a table by month against the years' totals."""
    if len(by) > MAX_FIELDS:
        raise StatsTooManyFields()
    if year is not None and len(by) > 1:
        raise StatsYearWithTwoFields()
    everyone = len(documents)
    counts = _count(documents, by)
    found = suppress(counts, len(by), MIN_GROUP, everyone)
    if len(by) == 2 or (year is None and by[0] != "month"):
        return _table(by, counts, found, everyone)
    # By year: the same counts split by the interviews' years, both margins published (the
    # years' totals in each year's report, the field's counts over all years) with what they hide.
    years: Counter[Group] = Counter((_year(document),) for document in documents)
    year_total = suppress(years, 1, MIN_GROUP, everyone)
    split: Counter[Group] = Counter()
    several = False  # an interview in several groups: a year's row adds up to more than it
    for document in documents:
        values = set(_values(document, by[0]))
        several = several or len(values) > 1
        split.update({(_year(document), value) for value in values})
    rows = frozenset(made for made, in years) if several else _unshown(years, year_total)
    lines = HiddenLines(rows, _unshown(counts, found), unnamed_in_rows=by[0] != "month")
    joint = suppress(split, 2, MIN_GROUP, everyone, lines)
    if year is None:  # months: each is in one year, so the split is the table itself
        hidden = found.hidden | {(value,) for _year_, value in joint.hidden}
        return _table(by, counts, Suppression(hidden, found.withheld or joint.withheld), everyone)
    key = f"{year:04d}"
    in_year: dict[Group, int] = {
        (value,): count for (made, value), count in split.items() if made == key
    }
    hidden = frozenset((value,) for made, value in joint.hidden if made == key)
    total = None if key in _unshown(years, year_total) else years[(key,)]
    return _table(by, in_year, Suppression(hidden, joint.withheld), total)


def statistics(vault: Vault, by: Sequence[str], year: int | None = None) -> StatsTable:
    """Count the centre's interviews (`count_table`)."""
    return count_table(_documents(vault), by, year)

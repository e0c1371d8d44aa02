"""Statistics as a person reads them: tables with labels, a total and the rule, ready for the
command line, the spreadsheet (stats_xlsx) and the PDF with charts (drawn in the window's code).

Three kinds of report: the tables by one or two chosen fields, the overview (interviews per
month, by form of exploitation, by nationality and by age group) and the annual report for the
national rapporteur (by form of exploitation, sex/gender, age group, nationality and referral,
for the interviews whose interview date falls in the year). Each table is counted and
suppressed together with the tables a reader could set beside it (`reports.count_table`,
suppression.py). Hidden groups are not named: they are counted together in one last row,
"Groups not shown", whose count is hidden too; hidden counts are printed the same way
everywhere (`hidden_text`), with the rule under every table or chart.

Rows come in a choice list's own order, months in time, other codes (countries, languages) by
count.
Words are in the current language; choices in `lang` (the forms' labels, CLDR's names).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from intake_app.domain.form import Form, Question
from intake_app.domain.registry import FormRegistry
from intake_app.i18n import N_, _, gettext
from intake_app.i18n.formatting import (
    format_date,
    format_number,
    format_partial_date,
    own_direction,
)
from intake_app.i18n.languages import direction_of
from intake_app.storage import Vault
from intake_app.sync.centre.answer_text import choice_label
from intake_app.sync.centre.export_table import exported_documents
from intake_app.sync.centre.reports import MIN_GROUP, StatsTable, count_table

OVERVIEW = ("month", "exploitation_types", "nationality", "age_band")
ANNUAL = ("exploitation_types", "gender", "age_band", "nationality", "referral_actions")
_ORDERED_TYPES = frozenset({"select_one", "select_multiple", "yes_no_unknown"})
_MULTIPLE_TYPES = frozenset({"select_multiple"})
_PSEUDO_TITLES = {
    "month": N_("Month the interview was made"),
    "status": N_("Status"),
    "form": N_("Form"),
}
_STATUS_WORDS = {"draft": N_("Not finished"), "final": N_("Finished")}
#: The form's words where they alone would not say what a table is about.
_TITLES = {"referral_actions": N_("Referral: actions taken")}

Kind = Literal["fields", "overview", "annual"]


@dataclass(frozen=True)
class ReportChoice:
    """Which report: by the fields `by`, the overview, or the annual report for `year`."""

    kind: Kind
    by: tuple[str, ...] = ()
    year: int | None = None


@dataclass(frozen=True)
class ReportRow:
    labels: tuple[str, ...]  # the group in words, one per field
    codes: tuple[str, ...]  # empty in the row of the groups not shown
    count: int | None  # None: hidden


@dataclass(frozen=True)
class ReportTable:
    """One breakdown: its groups with their counts, the total, and whether an interview can
    be in several rows (a multiple choice: the rows may add up to more than the total)."""

    fields: tuple[str, ...]
    title: str
    headings: tuple[str, ...]  # the fields' names
    rows: tuple[ReportRow, ...]
    total: int | None  # None: hidden (below the minimum)
    withheld: bool  # no group listed (see suppression.py)
    several: bool

    @property
    def largest(self) -> int:
        """The largest count shown (0 when none is)."""
        return max((row.count for row in self.rows if row.count is not None), default=0)


@dataclass(frozen=True)
class StatsReport:
    title: str
    scope: str  # which interviews
    made: str  # by whom and when ("Example centre, 7 Dec 2026")
    tables: tuple[ReportTable, ...]


def hidden_text() -> str:
    """How every hidden count is printed."""
    return _("hidden")


def not_shown_text() -> str:
    """The last row's words: the groups whose counts are hidden, counted together."""
    return _("Groups not shown")


def count_cell(count: int | None) -> str:
    """A count as printed: the number in the language's digits, or the hidden word."""
    return hidden_text() if count is None else format_number(count)


def total_row(table: ReportTable) -> ReportRow:
    """The total row: its words under the first field, the total (None: hidden)."""
    return ReportRow(_first_only(total_text(), len(table.headings)), (), table.total)


def _first_only(words: str, fields: int) -> tuple[str, ...]:
    """Labels for a row that is no group: `words` under the first field, nothing under the rest."""
    return (words, *([""] * (fields - 1)))


def total_text() -> str:
    return _("Total (interviews)")


def count_text() -> str:
    return _("Interviews")


def rule_text() -> str:
    """The rule in one sentence."""
    return _(
        "Counts below {n}, and counts from which one could be worked out with this or "
        "another report, are hidden.",
        n=format_number(MIN_GROUP),
    )


def rule_lines(table: ReportTable) -> list[str]:
    """What to print under a table or chart: the rule, and what else the reader must know."""
    lines = [rule_text()]
    if any(row.count is None for row in table.rows):
        lines.append(
            _(
                "Groups whose counts are hidden are not named: they are together in "
                "“{groups}”, whose count is hidden too.",
                groups=not_shown_text(),
            )
        )
    if table.total is None:
        lines.append(
            _(
                "The total is hidden too: it is below {n}, or it could be used with another "
                "report to work out a hidden count.",
                n=format_number(MIN_GROUP),
            )
        )
    if table.withheld:
        lines.append(
            _(
                "No group is listed: there are too few interviews in too many groups "
                "to show any count safely."
            )
        )
    if table.several:
        lines.append(
            _(
                "An interview can be in more than one row, so the rows can add up to "
                "more than the total."
            )
        )
    return lines


def field_question(registry: FormRegistry, field: str) -> tuple[list[Form], Question | None]:
    """The forms (newest first) and the newest question named `field`."""
    forms = sorted(registry.forms(), key=lambda form: form.version_key, reverse=True)
    for form in forms:
        question = form.question(field)
        if question is not None:
            return forms, question
    return forms, None


def field_title(registry: FormRegistry, field: str, lang: str) -> str:
    """A field's name in words: a question's label, or a pseudo field's name."""
    if field in _PSEUDO_TITLES or field in _TITLES:
        return gettext({**_PSEUDO_TITLES, **_TITLES}[field])
    _forms, question = field_question(registry, field)
    return (question.label(lang) or field) if question is not None else field


def group_label(registry: FormRegistry, field: str, code: str, lang: str) -> str:
    """A group's value in words."""
    if not code:
        return _("(no answer)")
    if field == "month":
        year, _dash, month = code.partition("-")
        if year.isdigit() and month.isdigit():
            return format_partial_date((int(year), int(month)), in_lang=lang)
        return code
    if field == "status":
        return gettext(_STATUS_WORDS[code]) if code in _STATUS_WORDS else code
    forms, question = field_question(registry, field)
    return code if question is None else choice_label(forms, question, code, lang)


def _order(registry: FormRegistry, field: str) -> dict[str, int] | None:
    """A choice list's own order of codes, or None where rows go by count."""
    if field == "month":
        return None
    forms, question = field_question(registry, field)
    if question is None or question.type not in _ORDERED_TYPES:
        return None
    for form in forms:
        choices = form.choice_list(question)
        if choices is not None:
            return {choice.name: index for index, choice in enumerate(choices.choices)}
    return None


def _row_key(
    registry: FormRegistry, fields: Sequence[str], row: ReportRow, by_count: bool
) -> tuple[object, ...]:
    key: list[object] = []
    if by_count:
        key += [-(row.count or 0)]
    for field, code, label in zip(fields, row.codes, row.labels, strict=True):
        order = _order(registry, field)
        place = order.get(code, len(order)) if order is not None else 0
        key += [code == "", place, code if field == "month" else label.casefold()]
    return tuple(key)


def _several(registry: FormRegistry, fields: Sequence[str]) -> bool:
    for field in fields:
        _forms, question = field_question(registry, field)
        if question is not None and (
            question.type in _MULTIPLE_TYPES
            or (question.type in ("country", "language") and question.multiple)
        ):
            return True
    return False


def report_table(registry: FormRegistry, table: StatsTable, lang: str) -> ReportTable:
    """A counted table in words, the groups not shown last."""
    fields = table.columns
    rows = [
        ReportRow(
            tuple(
                group_label(registry, field, code, lang)
                for field, code in zip(fields, group, strict=True)
            ),
            group,
            count,
        )
        for group, count in table.rows
    ]
    by_count = len(fields) == 1 and fields[0] != "month" and _order(registry, fields[0]) is None
    rows.sort(key=lambda row: _row_key(registry, fields, row, by_count))
    if table.folded:
        rows.append(ReportRow(_first_only(not_shown_text(), len(fields)), (), None))
    headings = tuple(field_title(registry, field, lang) for field in fields)
    title = (
        headings[0]
        if len(headings) == 1
        else _("{first} and {second}", first=headings[0], second=headings[1])
    )
    return ReportTable(
        fields,
        title,
        headings,
        tuple(rows),
        table.total,
        table.withheld,
        _several(registry, fields),
    )


def report_title(choice: ReportChoice) -> str:
    if choice.kind == "annual":
        return _(
            "Annual report {year}: interviews with possible victims of trafficking",
            year=str(choice.year),
        )
    return _("Interview statistics")


def report_scope(choice: ReportChoice) -> str:
    if choice.year is not None:
        return _(
            "Interviews made in {year} (by the interview date) whose consent was not withdrawn.",
            year=str(choice.year),
        )
    return _("All interviews whose consent was not withdrawn.")


def make_report(
    vault: Vault,
    registry: FormRegistry,
    choice: ReportChoice,
    lang: str,
    centre: str,
    today: dt.date | None = None,
) -> StatsReport:
    """Count and label every table of the chosen report (on the vault's thread)."""
    if choice.kind == "fields":
        breakdowns: list[tuple[str, ...]] = [choice.by]
    else:
        breakdowns = [(field,) for field in (OVERVIEW if choice.kind == "overview" else ANNUAL)]
    documents = exported_documents(vault)
    tables = tuple(
        report_table(registry, count_table(documents, by, choice.year), lang)
        for by in breakdowns
    )
    if direction_of(lang) == "rtl":  # a name in Latin letters keeps its place in the line
        centre = own_direction(centre)
    made = _(
        "{centre}, {date}",
        centre=centre,
        date=format_date(today or dt.date.today(), "long", in_lang=lang),
    )
    return StatsReport(report_title(choice), report_scope(choice), made, tables)

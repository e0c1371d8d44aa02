"""Statistics reports in words and as a spreadsheet: the annual report for the national
rapporteur and the overview, from known interviews in a real centre vault, checked cell by
cell; nothing printed lets a hidden count be worked out."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from intake_app.domain.registry import FormRegistry
from intake_app.i18n import set_language
from intake_app.sync.centre.errors import StatsYearWithTwoFields
from intake_app.sync.centre.reports import MIN_GROUP
from intake_app.sync.centre.stats_report import (
    ANNUAL,
    OVERVIEW,
    ReportChoice,
    StatsReport,
    make_report,
    not_shown_text,
)
from intake_app.sync.centre.stats_xlsx import write_stats_xlsx
from intake_app.sync.centre.vault import Centre
from tests.helpers.centre import make_centre
from tests.helpers.stats import EARLIER, IN_YEAR, YEAR, import_known, open_real_centre
from tests.unit.sync.centre.real_form import installed_forms
from tests.unit.sync.centre.test_suppression import could_be_large

TODAY = dt.date(2027, 1, 20)
NOT_SHOWN = "Groups not shown"


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    make_centre(tmp_path).close()
    opened = open_real_centre(tmp_path)
    import_known(opened, tmp_path / "out")
    yield opened
    opened.close()


def report(centre: Centre, choice: ReportChoice, lang: str = "en") -> StatsReport:
    registry: FormRegistry = installed_forms()
    return make_report(centre.vault, registry, choice, lang, "Example centre", TODAY)


def counts(found: StatsReport, index: int) -> dict[str, int | None]:
    return {" / ".join(row.labels): row.count for row in found.tables[index].rows}


def test_the_annual_report_counts_the_year_in_words(centre: Centre) -> None:
    found = report(centre, ReportChoice("annual", year=YEAR))
    assert [table.fields for table in found.tables] == [(field,) for field in ANNUAL]
    assert found.title.startswith("Annual report 2026")
    assert found.made == "Example centre, January 20, 2027"
    assert all(table.total == IN_YEAR for table in found.tables)
    assert [table.title for table in found.tables] == [
        "Type of exploitation",
        "Gender",
        "Age group",
        "Nationality",
        "Referral: actions taken",
    ]
    # Hidden groups are not named: they are counted together, last, their count hidden.
    assert counts(found, 0) == {"Forced labour": 14, NOT_SHOWN: None}
    assert counts(found, 1) == {"Female": 10, "Male": 8}  # the choice list's order
    assert counts(found, 2) == {"18–29": 8, NOT_SHOWN: None}
    assert list(counts(found, 3).items()) == [("Vietnam", 9), (NOT_SHOWN, None)]
    assert list(counts(found, 4).items()) == [
        ("Referral to the Assistance System by phone", 9),
        ("Health care", 12),
        (NOT_SHOWN, None),
    ]
    assert not any(row.codes for table in found.tables for row in table.rows if row.count is None)
    assert [t.several for t in found.tables] == [True, False, False, True, True]


def test_the_overview_counts_every_year_by_the_interview_month(centre: Centre) -> None:
    found = report(centre, ReportChoice("overview"), "fi")
    assert [table.fields for table in found.tables] == [(field,) for field in OVERVIEW]
    assert found.tables[0].total == IN_YEAR + EARLIER  # not the withdrawn one
    assert counts(found, 0) == {
        "kesä 2025": 5,
        "tammi 2026": 5,
        "helmi 2026": 5,
        not_shown_text(): None,
    }


def test_a_table_by_two_fields_too_thin_to_show_lists_no_group(centre: Centre) -> None:
    found = report(centre, ReportChoice("fields", ("nationality", "age_band")))
    [table] = found.tables
    assert table.withheld and table.rows == () and table.total == IN_YEAR + EARLIER
    assert table.title == "Nationality and Age group"


def test_a_table_by_two_fields_covers_every_year(centre: Centre) -> None:
    with pytest.raises(StatsYearWithTwoFields):
        report(centre, ReportChoice("fields", ("gender", "age_band"), YEAR))


def sheet_rows(path: Path, title: str) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path)
    return [tuple(row) for row in book[title].iter_rows(values_only=True)]


def test_the_annual_spreadsheet_cell_by_cell(centre: Centre, tmp_path: Path) -> None:
    found = report(centre, ReportChoice("annual", year=YEAR))
    out = tmp_path / "annual.xlsx"
    write_stats_xlsx(found, out)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Type of exploitation",
        "Gender",
        "Age group",
        "Nationality",
        "Referral actions taken",
    ]
    rows = sheet_rows(out, "Age group")
    assert rows[0][0] == found.title and rows[1][0] == "Age group"
    assert rows[2][0] == (
        "Interviews made in 2026 (by the interview date) whose consent was not withdrawn."
    )
    assert rows[3][0] == "Example centre, January 20, 2027"
    assert rows[5] == ("Age group", "Interviews", "Code: Age group")
    assert rows[6:8] == [("18–29", 8, "age_18_29"), (NOT_SHOWN, "hidden", None)]
    assert rows[8][:2] == ("Total (interviews)", IN_YEAR)
    assert rows[10][0].startswith("Counts below 5, and counts from which one could be")
    assert "not named" in rows[11][0]
    assert book["Age group"]["B7"].data_type == "n"  # a number, not a text
    gender = sheet_rows(out, "Gender")
    assert gender[6:9] == [
        ("Female", 10, "female"),
        ("Male", 8, "male"),
        ("Total (interviews)", IN_YEAR, None),
    ]
    referral = sheet_rows(out, "Referral actions taken")
    assert (NOT_SHOWN, "hidden", None) in referral
    assert not any(row[0] == "(no answer)" for row in referral)  # hidden: not named
    assert any("more than one row" in str(row[0]) for row in referral)


def test_the_spreadsheet_is_right_to_left_in_arabic(centre: Centre, tmp_path: Path) -> None:
    set_language("ar")
    found = report(centre, ReportChoice("annual", year=YEAR), "ar")
    out = tmp_path / "annual-ar.xlsx"
    write_stats_xlsx(found, out, right_to_left=True)
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[1]
    assert sheet.sheet_view.rightToLeft
    assert sheet["A7"].value == "أنثى" and sheet["B7"].value == 10


def printed_counts(path: Path, title: str) -> tuple[dict[str, int | None], int | None]:
    """What a reader of the sheet knows: each group's count (None: hidden) and the total."""
    rows = sheet_rows(path, title)
    start = rows.index(next(r for r in rows if r[1] == "Interviews")) + 1
    groups: dict[str, int | None] = {}
    for row in rows[start:]:
        if row[0] == "Total (interviews)":
            return groups, row[1] if isinstance(row[1], int) else None
        groups[str(row[0])] = row[1] if isinstance(row[1], int) else None
    raise AssertionError("no total row")


@pytest.mark.parametrize("title", ["Gender", "Age group", "Nationality"])
def test_no_hidden_count_can_be_worked_out_from_the_sheet(
    centre: Centre, tmp_path: Path, title: str
) -> None:
    """The true counts of a single-choice table, and what the sheet prints: every hidden count
    could be 5 or more for all a reader of the sheet knows (its total and shown counts)."""
    found = report(centre, ReportChoice("annual", year=YEAR))
    out = tmp_path / "annual.xlsx"
    write_stats_xlsx(found, out)
    shown, total = printed_counts(out, title)
    assert total == IN_YEAR
    hidden_row = shown.pop(NOT_SHOWN, 0)
    true = {
        "Gender": {"Female": 10, "Male": 8},
        "Age group": {"18–29": 8, "30–39": 6, "40–49": 3, "50–59": 1},
        "Nationality": {"Vietnam": 9, "Thailand": 6, "Iraq": 2, "Somalia": 1},
    }[title]
    assert set(shown) <= set(true) and sum(true.values()) == total
    assert hidden_row is None if set(shown) < set(true) else hidden_row == 0
    hidden = {(name,) for name in true if name not in shown}
    assert {(name,) for name, count in true.items() if count < MIN_GROUP} <= hidden
    assert all(shown[name] == count for name, count in true.items() if (name,) not in hidden)
    table = {(name,): count for name, count in true.items()}
    assert all(could_be_large(table, hidden, cell) for cell in hidden)

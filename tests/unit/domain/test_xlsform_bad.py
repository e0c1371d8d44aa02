"""Bad workbooks: each is refused with a translatable reason naming its sheet, row and column.

The corpus is built here with openpyxl from the small test form's workbook, one fault each;
the two that openpyxl cannot write (a macro-enabled workbook, a ZIP bomb) are files in
tests/data/xlsform/.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from intake_app.domain.xlsform import WorkbookInvalid, form_workbook, read_form_workbook
from intake_app.i18n import set_language
from tests.helpers.forms import FORM

DATA = Path(__file__).resolve().parents[2] / "data" / "xlsform"
Edit = Callable[[Workbook], None]


def put(sheet: str, row: int, header: str, value: object) -> Edit:
    """An edit that sets one cell, adding its column when the sheet has none of that name."""

    def edit(book: Workbook) -> None:
        number = row
        columns = [cell.value for cell in book[sheet][1]]
        if header not in columns:
            book[sheet].cell(row=1, column=len(columns) + 1).value = header
            columns.append(header)
        book[sheet].cell(row=number, column=columns.index(header) + 1).value = value

    return edit


def bad(tmp_path: Path, *edits: Edit) -> Path:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(form_workbook(FORM))
    book = load_workbook(path)
    for edit in edits:
        edit(book)
    book.save(path)
    return path


def refused(path: Path) -> list[tuple[str, int, str]]:
    with pytest.raises(WorkbookInvalid) as raised:
        read_form_workbook(path)
    error = raised.value
    assert error.translated().startswith("The workbook")
    for problem in error.problems:
        assert problem.translated() and str(problem)
    return [(p.sheet, p.row, p.column) for p in error.problems]


def remove_sheet(name: str) -> Edit:
    return lambda book: book.remove(book[name])


CASES: dict[str, tuple[tuple[Edit, ...], list[tuple[str, int, str]]]] = {
    "missing settings sheet": ((remove_sheet("settings"),), [("settings", 0, "")]),
    "missing survey sheet": ((remove_sheet("survey"),), [("survey", 0, "")]),
    "unknown type": ((put("survey", 8, "type", "geopoint"),),
                     [("survey", 8, "type")]),
    "made-up type": ((put("survey", 8, "type", "colour"),),
                     [("survey", 8, "type")]),
    "duplicate name": ((put("survey", 8, "name", "consent_interview"),),
                       [("survey", 8, "name")]),
    "relevant does not parse": (
        (put("survey", 8, "relevant", "${consent_interview} = = 'yes'"),),
        [("survey", 8, "relevant")]),
    "relevant names an unknown question": (
        (put("survey", 8, "relevant", "${nobody} = 'yes'"),),
        [("survey", 8, "relevant")]),
    "choice list does not exist": ((put("survey", 12, "type", "select_one nowhere"),),
                                   [("survey", 12, "type")]),
    "label missing in the default language": (
        (put("survey", 8, "label::English (en)", None),),
        [("survey", 8, "label::English (en)")]),
    "choice label missing in the default language": (
        (put("choices", 2, "label::English (en)", None),),
        [("choices", 2, "label::English (en)")]),
    "formula in a cell": ((put("survey", 8, "label::English (en)", "=A1"),),
                          [("survey", 8, "label::English (en)")]),
    "unsupported column": ((put("survey", 8, "constraint", ". > 0"),),
                           [("survey", 8, "constraint")]),
    "unsupported settings column": ((put("settings", 2, "submission_url", "https://x"),),
                                    [("settings", 2, "submission_url")]),
    "cell without a header": ((lambda book: book["survey"].cell(row=4, column=20,
                                                                value="lost"),),
                              [("survey", 4, "T")]),
    "row after many empty rows": ((lambda book: book["survey"].cell(
        row=107, column=1, value="text"),), [("survey", 107, "")]),
    "unsupported choice filter": ((put("survey", 12, "choice_filter", "name != 'x'"),),
                                  [("survey", 12, "choice_filter")]),
    "unsupported appearance": ((put("survey", 8, "appearance", "minimal"),),
                               [("survey", 8, "appearance")]),
    "version typed as a number": ((put("settings", 2, "version", 2026.1),),
                                  [("settings", 2, "version")]),
    "group never ended": ((lambda book: book["survey"].delete_rows(27),),
                          [("survey", 22, "type")]),
    "a filled external_choices sheet": ((lambda book: book.create_sheet(
        "external_choices").append(["list_name"]) or book["external_choices"].append(["x"]),),
        [("external_choices", 0, "")]),
    "reserved list name": ((put("choices", 2, "list_name", "country"),),
                           [("choices", 2, "list_name")]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_workbook_is_refused_with_its_place(tmp_path: Path, case: str) -> None:
    edits, expected = CASES[case]
    path = bad(tmp_path, *edits)
    found = refused(path)
    assert found[: len(expected)] == expected


def test_a_duplicate_name_points_at_the_first_one(tmp_path: Path) -> None:
    path = bad(tmp_path, put("survey", 8, "name", "consent_interview"))
    with pytest.raises(WorkbookInvalid) as raised:
        read_form_workbook(path)
    first = raised.value.problems[0]
    assert first.fields["name"] == "consent_interview" and first.fields["row"] == 3


def test_the_reasons_are_translated(tmp_path: Path) -> None:
    path = bad(tmp_path, put("survey", 8, "type", "colour"))
    with pytest.raises(WorkbookInvalid) as raised:
        read_form_workbook(path)
    set_language("fi")
    try:
        finnish = raised.value.problems[0].translated()
    finally:
        set_language("en")
    assert "colour" in finnish and "survey" in finnish


def test_a_macro_enabled_workbook_is_refused(tmp_path: Path) -> None:
    assert refused(DATA / "macro.xlsm") == [("", 0, "")]
    renamed = tmp_path / "macro.xlsx"
    renamed.write_bytes((DATA / "macro.xlsm").read_bytes())
    assert refused(renamed) == [("", 0, "")]


def test_a_zip_bomb_is_refused_before_it_is_opened(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl opened the bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(WorkbookInvalid) as raised:
        read_form_workbook(DATA / "bomb.xlsx")
    assert "unpacks" in raised.value.problems[0].message


def test_a_workbook_unpacking_to_too_much_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(120):
            archive.writestr(f"xl/part{index}.bin", b"x" * 1024 * 1024)
    assert "unpacks" in _first_message(path)


def test_a_50_mb_workbook_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert "MB" in _first_message(path)


def test_a_file_that_is_no_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    path.write_bytes(b"not a zip")
    assert "not an .xlsx" in _first_message(path)
    assert "Only Excel" in _first_message(tmp_path / "form.ods")


def _first_message(path: Path) -> str:
    with pytest.raises(WorkbookInvalid) as raised:
        read_form_workbook(path)
    return raised.value.problems[0].message

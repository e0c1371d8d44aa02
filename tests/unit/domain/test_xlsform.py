"""Forms as XLSForm workbooks: the shipped forms survive the round trip; ODK-style workbooks
are read as ODK reads them; a translator's workbook changes one language's texts only."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from intake_app.domain.json_text import canonical_json
from intake_app.domain.resources import forms_dir
from intake_app.domain.xlsform import (
    NotAFormLanguage,
    WorkbookInvalid,
    form_workbook,
    read_form_workbook,
    translation_workbook,
)
from tests.helpers.forms import FORM

SHIPPED = sorted(entry.name for entry in forms_dir().iterdir() if entry.name.endswith(".json"))


def shipped(name: str) -> dict[str, Any]:
    data = json.loads((forms_dir() / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write(tmp_path: Path, content: bytes, name: str = "form.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("name", SHIPPED)
def test_a_shipped_form_survives_export_and_import(tmp_path: Path, name: str) -> None:
    original = shipped(name)
    back = read_form_workbook(write(tmp_path, form_workbook(original)))
    assert canonical_json(back) == canonical_json(original)


def test_both_shipped_versions_are_covered() -> None:
    assert {"intake-fi_2026.1.json", "intake-fi_2026.2.json"} <= set(SHIPPED)


def test_the_small_test_form_survives_the_round_trip(tmp_path: Path) -> None:
    back = read_form_workbook(write(tmp_path, form_workbook(FORM)))
    assert canonical_json(back) == canonical_json(FORM)


def test_the_workbook_speaks_xlsform(tmp_path: Path) -> None:
    book = load_workbook(write(tmp_path, form_workbook(shipped("intake-fi_2026.2.json"))))
    assert book.sheetnames == ["survey", "choices", "settings"]
    survey = book["survey"]
    headers = [cell.value for cell in survey[1]]
    assert headers[:3] == ["type", "name", "label::Finnish (fi)"]
    assert "label::Dari (fa-AF)" in headers and "intake_consent" in headers
    types = {row[0] for row in survey.iter_rows(min_row=2, values_only=True)}
    assert {"begin group", "end group", "begin repeat", "end repeat", "select_one yes_no",
            "select_one yes_no_unknown", "select_multiple country", "text"} <= types
    settings = {cell.value: value.value for cell, value in zip(book["settings"][1],
                                                               book["settings"][2], strict=True)}
    assert settings["form_id"] == "intake-fi" and settings["version"] == "2026.2"
    assert settings["default_language"] == "Finnish (fi)"
    assert settings["intake_translation_status::English (en)"] == "source"


def test_a_text_that_starts_with_an_equals_sign_stays_text(tmp_path: Path) -> None:
    form = copy.deepcopy(FORM)
    form["title::en"] = "=1+1 is not a formula here"
    back = read_form_workbook(write(tmp_path, form_workbook(form)))
    assert back["title::en"] == "=1+1 is not a formula here"


def odk_workbook(tmp_path: Path, survey: list[list[Any]], choices: list[list[Any]],
                 settings: list[list[Any]]) -> Path:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "odk.xlsx"
    book.save(path)
    return path


def test_a_form_made_for_odk_is_read_as_odk_reads_it(tmp_path: Path) -> None:
    path = odk_workbook(
        tmp_path,
        [["type", "name", "label", "label::Suomi (fi)", "relevance", "required", "hint"],
         ["begin_group", "s1", "Section", "Osio", None, None, None],
         ["select_one yes_no", "agree", "Agree?", None, None, "TRUE", "Say yes or no"],
         ["select all that apply needs", "needs", "Needs", None, "${agree} = 'yes'", None, None],
         ["text", "other", "Other", None, "selected(${needs}, 'other')", "no", None],
         ["end_group", None, None, None, None, None, None]],
        [["list_name", "value", "label"],
         ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"],
         ["needs", "housing", "Housing"], ["needs", "other", "Other"]],
        [["form_title", "form_id", "version", "default_language"],
         ["ODK form", "odk-form", "3", "English (en)"]],
    )
    data = read_form_workbook(path)
    assert data["languages"] == ["en", "fi"]
    assert data["translation_status"] == {"en": "source", "fi": "draft"}
    assert data["title::en"] == "ODK form"
    section = data["questions"][0]
    assert section["type"] == "group" and section["label::fi"] == "Osio"
    agree, needs, other = section["children"]
    assert agree == {"type": "select_one", "name": "agree", "choices": "yes_no",
                     "label::en": "Agree?", "hint::en": "Say yes or no", "required": True}
    assert needs["type"] == "select_multiple" and needs["relevant"] == "${agree} = 'yes'"
    assert other["required"] is False
    assert data["choices"]["needs"][1] == {"name": "other", "label::en": "Other"}


def test_version_replaces_the_workbooks_own(tmp_path: Path) -> None:
    data = read_form_workbook(write(tmp_path, form_workbook(FORM)), version="7.1")
    assert data["version"] == "7.1"


# -- translators ---------------------------------------------------------------------------

BASE = "intake-fi_2026.2.json"


def lookup(form: Mapping[str, Any]) -> Callable[[str, str], Mapping[str, Any] | None]:
    def find(form_id: str, version: str) -> Mapping[str, Any] | None:
        return form if (form_id, version) == (form["id"], form["version"]) else None

    return find


def edit_cell(path: Path, sheet: str, header: str, row: int, value: object) -> None:
    book = load_workbook(path)
    columns = [cell.value for cell in book[sheet][1]]
    book[sheet].cell(row=row, column=columns.index(header) + 1).value = value
    book.save(path)


def test_a_translators_workbook_holds_one_language_and_the_reference(tmp_path: Path) -> None:
    path = write(tmp_path, translation_workbook(shipped(BASE), "ar"))
    book = load_workbook(path)
    assert [cell.value for cell in book["survey"][1]] == [
        "type", "name", "label::Finnish (fi)", "label::Arabic (ar)",
        "hint::Finnish (fi)", "hint::Arabic (ar)"]
    assert [cell.value for cell in book["choices"][1]] == [
        "list_name", "name", "label::Finnish (fi)", "label::Arabic (ar)"]
    settings = [cell.value for cell in book["settings"][1]]
    assert "intake_translation" in settings and "form_title::English (en)" not in settings


def test_a_translation_changes_only_that_languages_texts(tmp_path: Path) -> None:
    base = shipped(BASE)
    path = write(tmp_path, translation_workbook(base, "ar"))
    edit_cell(path, "survey", "label::Arabic (ar)", 3, "نص جديد")
    edit_cell(path, "survey", "hint::Arabic (ar)", 3, None)  # an emptied cell: no text now
    edit_cell(path, "choices", "label::Arabic (ar)", 2, "نعم!")
    edit_cell(path, "settings", "form_title::Arabic (ar)", 2, "عنوان")
    new = read_form_workbook(path, version="2026.3", base_lookup=lookup(base))

    expected = copy.deepcopy(base)
    expected["version"] = "2026.3"
    first = expected["questions"][0]["children"][0]
    first["label::ar"] = "نص جديد"
    first.pop("hint::ar", None)
    expected["choices"][next(iter(expected["choices"]))][0]["label::ar"] = "نعم!"
    expected["title::ar"] = "عنوان"
    assert canonical_json(new) == canonical_json(expected)


def test_an_untouched_translation_gives_the_same_form_as_a_new_version(tmp_path: Path) -> None:
    base = shipped(BASE)
    path = write(tmp_path, translation_workbook(base, "fa-AF"))
    new = read_form_workbook(path, version="2026.3", base_lookup=lookup(base))
    assert canonical_json({**new, "version": base["version"]}) == canonical_json(base)


def problems_of(path: Path, **options: Any) -> list[tuple[str, int, str]]:
    with pytest.raises(WorkbookInvalid) as raised:
        read_form_workbook(path, **options)
    for problem in raised.value.problems:
        assert problem.translated()  # every message has its fields
    return [(p.sheet, p.row, p.column) for p in raised.value.problems]


def test_a_translation_may_not_change_the_reference_text(tmp_path: Path) -> None:
    base = shipped(BASE)
    path = write(tmp_path, translation_workbook(base, "ar"))
    edit_cell(path, "survey", "label::Finnish (fi)", 3, "muutettu")
    assert problems_of(path, version="2026.3", base_lookup=lookup(base)) == [
        ("survey", 3, "label::Finnish (fi)")]


def test_a_translation_needs_a_new_higher_version(tmp_path: Path) -> None:
    base = shipped(BASE)
    path = write(tmp_path, translation_workbook(base, "ar"))
    assert problems_of(path, base_lookup=lookup(base)) == [("settings", 2, "version")]
    assert problems_of(path, version="2026.2", base_lookup=lookup(base)) == [
        ("settings", 2, "version")]
    assert problems_of(path, version="2026.3") == [("settings", 2, "version")]  # base unknown


def test_a_translation_may_not_add_columns_or_move_rows(tmp_path: Path) -> None:
    base = shipped(BASE)
    path = write(tmp_path, translation_workbook(base, "ar"))
    book = load_workbook(path)
    book["survey"].cell(row=1, column=7).value = "relevant"
    book["survey"].cell(row=5, column=7).value = "${consent_interview} = 'yes'"
    book["choices"].cell(row=3, column=2).value = "maybe"
    book.save(path)
    assert problems_of(path, version="2026.3", base_lookup=lookup(base)) == [
        ("survey", 5, "relevant"), ("choices", 3, "")]


def test_a_translation_is_only_for_a_language_of_the_form() -> None:
    with pytest.raises(NotAFormLanguage):
        translation_workbook(shipped(BASE), "de")

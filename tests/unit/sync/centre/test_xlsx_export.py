"""The interviews as a spreadsheet (issue 17): one known interview checked cell by cell, repeat
groups on sheets of their own joined by id, codes in the second header row, dates as dates,
right to left for Arabic, and no clear text anywhere but the chosen file."""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from intake_app.domain.answers import is_empty, is_tagged_text
from intake_app.i18n import gettext_in
from intake_app.sync.centre.answer_text import answer_lines
from intake_app.sync.centre.errors import ExportNotSaved
from intake_app.sync.centre.forms import registry_validator
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.vault import Centre
from intake_app.sync.centre.xlsx_export import export_xlsx
from tests.helpers.bundles import Laptop, attachment
from tests.helpers.centre import PASSPHRASE, make_centre, register
from tests.unit.sync.centre.real_form import ACCOUNT, full_document, installed_forms

PNG = bytes.fromhex("89504e470d0a1a0a") + b"\0" * 64
FIXED = ["id", "revision", "status", "form", "form_version", "created", "modified", "attachments"]


@pytest.fixture
def real_centre(tmp_path: Path) -> Iterator[Centre]:
    """A centre vault checking records against the installed forms."""
    make_centre(tmp_path).close()
    with Centre.open(
        tmp_path / "centre-data",
        PASSPHRASE,
        validator=lambda: registry_validator(installed_forms()),
    ) as centre:
        yield centre


@pytest.fixture
def two_interviews(
    real_centre: Centre, tmp_path: Path, laptop: Laptop
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Amina's interview (two repeat groups answered, a decimal, two files) and Beza's."""
    register(real_centre, laptop)
    amina = full_document()
    amina["answers"]["hours_per_day"] = 10.5
    beza = full_document(2, alias="Fictional Beza")
    beza["answers"]["needs"] = [{"need": "legal_aid", "need_urgency": "now"}]
    files = [
        attachment(PNG, amina["id"], "image/png"),
        attachment(b"%PDF-1.4 fictional", amina["id"], "application/pdf"),
    ]
    written = laptop.bundle(tmp_path / "out", real_centre, records=[amina, beza], attachments=files)
    assert import_bundle(real_centre, written.path).delivered
    return amina, beza


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def _moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def _expected(code: str, document: dict[str, Any], words: dict[str, str]) -> object:
    """What the cell under `code` must hold, worked out from the document itself."""
    fixed = {
        "id": document["id"],
        "revision": document["revision"],
        "status": document["status"],
        "form": document["form"],
        "form_version": document["form_version"],
        "created": _moment(document["created"]),
        "modified": _moment(document["modified"]),
        "attachments": 2,
    }
    if code in fixed:
        return fixed[code]
    answers = document["answers"]
    if code in answers:
        value = answers[code]
    elif code.endswith("_label"):
        return words.get(code.removesuffix("_label"))
    elif code.endswith("_lang"):
        value = answers.get(code.removesuffix("_lang"))
        return value["lang"] if value else None
    else:
        return None  # a question left unanswered
    if is_empty(value):
        return None
    if is_tagged_text(value):
        return value["text"]
    if isinstance(value, dict):  # an indicator with a note
        return value["value"]
    if isinstance(value, list) and value and isinstance(value[0], dict):  # a repeat group
        return len(value)
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return dt.datetime.strptime(value, "%Y-%m-%d")
    return value


def test_one_known_interview_checked_cell_by_cell(
    real_centre: Centre, tmp_path: Path, two_interviews: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    amina, beza = two_interviews
    out = tmp_path / "export" / "interviews.xlsx"
    out.parent.mkdir()
    assert export_xlsx(real_centre.vault, installed_forms(), out, "fi") == 2
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Haastattelut", "Muut kielet", "Tarpeet"]
    sheet = book["Haastattelut"]
    assert sheet.freeze_panes == "B3"
    labels, codes, *rows = _rows(sheet)
    assert list(codes[: len(FIXED) + 2]) == [*FIXED, "consent_interview", "consent_interview_label"]
    assert len(set(codes)) == len(codes)
    named = dict(zip(codes, labels, strict=True))
    assert named["alias"] == "Peitenimi"
    assert named["revision"] == gettext_in("fi", "Revision")
    assert named["interview_setting"] == _coded("fi", "Missä haastattelu tehtiin?")
    assert named["interview_setting_label"] == "Missä haastattelu tehtiin?"
    assert named["ilo_cr_violence_label"] == "Pakottava rekrytointi › Väkivalta uhria kohtaan"
    assert named["account_lang"] == gettext_in(
        "fi", "{question} (language)", question="Henkilön oma kertomus"
    )
    assert named["needs"] == gettext_in("fi", "{question} (items)", question="Tarpeet")
    assert [row[0] for row in rows] == [amina["id"], beza["id"]]

    cells = dict(zip(codes, rows[0], strict=True))
    words = {line.name: line.text for line in answer_lines(installed_forms(), amina, "fi")}
    for code in codes:
        assert cells[code] == _expected(code, amina, words), code
    # The same cells again, said by hand for the ones a person reads first.
    assert cells["alias"] == "Fictional Amina"
    assert cells["interview_date"] == dt.datetime(2026, 12, 7)
    assert cells["date_of_birth"] == "1994-05"  # a partial date stays text
    assert cells["hours_per_day"] == 10.5
    assert cells["attachments"] == 2
    assert (cells["ilo_cr_violence"], cells["ilo_cr_violence_label"]) == (
        "yes",
        "Kyllä — Hit by the foreman\n(englanti)",
    )
    assert (cells["account"], cells["account_lang"]) == (ACCOUNT, "en")
    assert cells["other_languages"] == 2
    assert cells["other_languages_label"] == (
        "1. Kieli: englanti; Taso: Sujuva\n2. Kieli: venäjä; Taso: Alkeet"
    )

    row = next(sheet.iter_rows(min_row=3, max_row=3))
    by_code = dict(zip(codes, row, strict=True))
    for code in ("interview_date", "created", "modified", "exploitation_start"):
        assert by_code[code].is_date and isinstance(by_code[code].value, dt.datetime), code
    assert by_code["interview_date"].number_format == "mm-dd-yy"  # the reader's short date
    assert by_code["created"].number_format == "m/d/yy h:mm"
    assert by_code["date_of_birth"].data_type == "s"
    assert by_code["hours_per_day"].data_type == "n"
    assert all(cell.font.b for cell in next(sheet.iter_rows(max_row=1)))


def test_repeat_groups_have_sheets_of_their_own_joined_by_the_interview_id(
    real_centre: Centre, tmp_path: Path, two_interviews: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    amina, beza = two_interviews
    out = tmp_path / "interviews.xlsx"
    export_xlsx(real_centre.vault, installed_forms(), out, "fi")
    book = openpyxl.load_workbook(out)
    ids = {row[0] for row in _rows(book["Haastattelut"])[2:]}

    languages = book["Muut kielet"]
    assert languages.freeze_panes == "C3"
    labels, codes, *rows = _rows(languages)
    assert codes == (
        "id",
        "item",
        "other_language",
        "other_language_label",
        "other_language_level",
        "other_language_level_label",
    )
    assert labels[2:] == (_coded("fi", "Kieli"), "Kieli", _coded("fi", "Taso"), "Taso")
    assert rows[:2] == [
        (amina["id"], 1, "en", "englanti", "fluent", "Sujuva"),
        (amina["id"], 2, "ru", "venäjä", "basic", "Alkeet"),
    ]

    needs = _rows(book["Tarpeet"])
    assert needs[1] == (
        "id",
        "item",
        "need",
        "need_label",
        "need_urgency",
        "need_urgency_label",
        "need_note",
    )
    assert needs[2:] == [
        (amina["id"], 1, "safe_housing", "Turvallinen asuminen", "now", "Heti", None),
        (
            amina["id"],
            2,
            "legal_aid",
            "Oikeudellinen apu",
            "this_week",
            "Tällä viikolla",
            "Court date soon",
        ),
        (beza["id"], 1, "legal_aid", "Oikeudellinen apu", "now", "Heti", None),
    ]
    assert {row[0] for row in needs[2:]} <= ids
    main = _rows(book["Haastattelut"])
    count_of = {row[0]: row[main[1].index("needs")] for row in main[2:]}
    assert count_of == {amina["id"]: 2, beza["id"]: 1}


def test_arabic_sheets_run_right_to_left_with_arabic_labels(
    real_centre: Centre, tmp_path: Path, two_interviews: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    out = tmp_path / "interviews.xlsx"
    export_xlsx(real_centre.vault, installed_forms(), out, "ar")
    book = openpyxl.load_workbook(out)
    assert all(sheet.sheet_view.rightToLeft for sheet in book)
    labels, codes, *_ = _rows(book.worksheets[0])
    named = dict(zip(codes, labels, strict=True))
    assert named["alias"] == installed_forms().get("intake-fi", "2026.1").question("alias").label(
        "ar"
    )
    export_xlsx(real_centre.vault, installed_forms(), out, "en")
    english = openpyxl.load_workbook(out)
    assert english.sheetnames == ["Interviews", "Other languages", "Needs"]
    assert not any(sheet.sheet_view.rightToLeft for sheet in english)


def _files(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


def test_no_clear_text_outside_the_chosen_file_and_only_its_owner_reads_it(
    real_centre: Centre, tmp_path: Path, two_interviews: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    system_temp = Path(tempfile.gettempdir())
    system_temp.mkdir(exist_ok=True)
    temp_before = _files(system_temp)
    folder = tmp_path / "chosen"
    folder.mkdir()
    seen: list[set[str]] = []

    def progress(done: int, total: int) -> None:
        seen.append(_files(system_temp) - temp_before)
        parts = [name for name in os.listdir(folder) if name.startswith(".")]
        assert parts and all(
            stat.S_IMODE(os.stat(folder / name).st_mode) == 0o600 for name in parts
        )

    export_xlsx(real_centre.vault, installed_forms(), folder / "out.xlsx", "fi", progress)
    assert seen == [set(), set()]
    assert _files(system_temp) == temp_before
    assert os.listdir(folder) == ["out.xlsx"]
    assert stat.S_IMODE(os.stat(folder / "out.xlsx").st_mode) == 0o600
    with zipfile.ZipFile(folder / "out.xlsx") as archive:
        assert archive.testzip() is None


def test_a_failed_export_leaves_the_old_file_and_nothing_else(
    real_centre: Centre, tmp_path: Path, two_interviews: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    folder = tmp_path / "chosen"
    folder.mkdir()
    out = folder / "out.xlsx"
    out.write_bytes(b"the old export")

    def fail(done: int, total: int) -> None:
        raise RuntimeError("stop half way")

    with pytest.raises(RuntimeError):
        export_xlsx(real_centre.vault, installed_forms(), out, "fi", fail)
    assert os.listdir(folder) == ["out.xlsx"] and out.read_bytes() == b"the old export"
    with pytest.raises(ExportNotSaved) as refused:
        export_xlsx(real_centre.vault, installed_forms(), tmp_path / "no" / "out.xlsx", "fi")
    assert str(tmp_path / "no") in str(refused.value)


def test_what_a_killed_export_left_beside_the_file_is_removed_by_the_next(
    real_centre: Centre, tmp_path: Path, two_interviews: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    """A SIGKILL or a power cut mid-export leaves hidden clear-text parts beside the chosen
    file; the next export to that file removes them (a link of the same shape stays)."""
    from intake_app.sync.centre.csv_export import export_csv

    folder = tmp_path / "chosen"
    folder.mkdir()
    for name in ("out.xlsx", "out.csv"):
        (folder / f".{name}.0a1b2c3d4e5f.part.tmp").write_bytes(b"answers in clear")
        (folder / f".{name}.a1b2c3.tmp").write_bytes(b"answers in clear")
    (folder / ".out.xlsx.link.tmp").symlink_to(tmp_path / "elsewhere")
    (folder / ".other.xlsx.a1b2c3.tmp").write_bytes(b"not ours to judge")
    export_xlsx(real_centre.vault, installed_forms(), folder / "out.xlsx", "fi")
    export_csv(real_centre.vault, installed_forms(), folder / "out.csv", "fi")
    assert sorted(os.listdir(folder)) == [
        ".other.xlsx.a1b2c3.tmp", ".out.xlsx.link.tmp", "out.csv", "out.xlsx"
    ]


def _coded(lang: str, label: str) -> str:
    """A code column's heading as the catalog of `lang` words it ("Kieli (koodi)")."""
    return gettext_in(lang, "{question} (code)", question=label)

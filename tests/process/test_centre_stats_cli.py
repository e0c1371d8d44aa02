"""`intake-app centre stats` end to end, in process: a table, a spreadsheet and a PDF with
charts (drawn by Qt through intake_app.app), the annual report, from known interviews in a real
centre vault on the installed forms."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from intake_app.cli import main
from intake_app.i18n import set_language
from tests.helpers.centre import PASSPHRASE, make_centre
from tests.helpers.cli import close_log_handlers
from tests.helpers.stats import IN_YEAR, YEAR, import_known, open_real_centre

Run = Callable[..., tuple[int, str, str]]
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    make_centre(tmp_path).close()
    centre = open_real_centre(tmp_path)
    import_known(centre, tmp_path / "out")
    centre.close()

    def run(*args: str, lang: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
        language = ["--lang", lang] if lang else []
        try:
            code = main(["--data-dir", str(tmp_path / "centre-data"), *language, "centre", *args])
        finally:
            close_log_handlers()
            set_language("en")
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_a_table_by_a_field_with_its_total_and_the_rule(cli: Run) -> None:
    code, out, err = cli("stats", "--by", "age_band", "--year", str(YEAR))
    assert code == 0
    assert out.splitlines() == [
        "Age group",
        "Age group\tInterviews",
        "18–29\t8",
        "Groups not shown\thidden",
        f"Total (interviews)\t{IN_YEAR}",
    ]
    assert "Counts below 5" in err
    code, out, _err = cli("stats", "--by", "age_band", "--year", str(YEAR), "--json")
    [table] = [json.loads(line) for line in out.splitlines()]
    assert table["total"] == IN_YEAR and table["withheld"] is False
    assert table["rows"][0] == {"group": ["age_18_29"], "labels": ["18–29"], "count": 8}


def test_the_annual_report_as_a_spreadsheet(cli: Run, tmp_path: Path) -> None:
    out_file = tmp_path / "annual.xlsx"
    code, out, _err = cli("stats", "--annual", str(YEAR), "--to", str(out_file))
    assert code == 0 and str(out_file) in out
    book = openpyxl.load_workbook(out_file)
    assert len(book.sheetnames) == 5
    gender = [tuple(row) for row in book["Gender"].iter_rows(values_only=True)]
    assert gender[6:9] == [
        ("Female", 10, "female"),
        ("Male", 8, "male"),
        ("Total (interviews)", IN_YEAR, None),
    ]


def pdf_text(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@needs_poppler
def test_the_overview_as_a_pdf_with_charts(cli: Run, tmp_path: Path) -> None:
    out_file = tmp_path / "overview.pdf"
    code, _out, _err = cli("stats", "--format", "pdf", "--to", str(out_file))
    assert code == 0 and out_file.read_bytes()[:5] == b"%PDF-"
    pages = pdf_text(out_file)
    text = "\n".join(pages)
    for title in (
        "Month the interview was made",
        "Type of exploitation",
        "Nationality",
        "Age group",
    ):
        assert title in text
    # The rule under each of the four charts; hidden groups (Iraq) not even named.
    assert text.count("Counts below 5, and counts from which one could be worked out") == 4
    assert "Iraq" not in text and "Groups not shown" in text


def test_wrong_choices_are_refused_in_words(cli: Run) -> None:
    code, _out, err = cli("stats", "--format", "xlsx")
    assert code == 2 and "--to FILE" in err
    code, _out, err = cli("stats", "--annual", str(YEAR), "--by", "gender")
    assert code == 2 and "leave out --by" in err
    code, _out, err = cli("stats", "--by", "gender", "--by", "age_band", "--by", "month")
    assert code != 0 and "one or two fields" in err
    code, _out, err = cli("stats", "--by", "alias")
    assert code != 0 and "alias" in err

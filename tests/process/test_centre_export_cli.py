"""`intake-app centre export --format xlsx|csv --to FILE [--lang L] [--delimiter D]` end to end,
in process, on a real centre vault holding an imported interview; `export-csv --out` still
writes the CSV."""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from intake_app.cli import main
from intake_app.domain import registry
from intake_app.i18n import set_language
from intake_app.sync.centre.importer import import_bundle
from tests.helpers.bundles import Laptop
from tests.helpers.centre import PASSPHRASE, make_centre, register, write_forms_folder
from tests.helpers.cli import close_log_handlers
from tests.helpers.documents import make_document

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def export(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    laptop: Laptop,
) -> Run:
    """`intake-app --data-dir <centre> centre export ...` on a centre holding one interview."""
    forms = write_forms_folder(tmp_path / "forms")
    monkeypatch.setattr(registry, "forms_dir", lambda: forms)
    with make_centre(tmp_path) as centre:
        register(centre, laptop)
        document = make_document(
            alias='=HYPERLINK("x")', setting="street", needs=["housing", "legal"]
        )
        written = laptop.bundle(tmp_path / "out", centre, records=[document])
        assert import_bundle(centre, written.path).delivered

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
        try:
            code = main(["--data-dir", str(tmp_path / "centre-data"), "centre", *args])
        finally:
            close_log_handlers()
            set_language("en")
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_export_writes_the_spreadsheet_and_says_where_and_that_it_is_clear_text(
    export: Run, tmp_path: Path
) -> None:
    target = tmp_path / "exports" / "interviews.xlsx"
    target.parent.mkdir()
    code, out, err = export("export", "--format", "xlsx", "--to", str(target), "--lang", "fi")
    assert code == 0
    assert str(target) in out and "1" in out
    assert err.strip()  # the clear-text notice, in Finnish where translated
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    book = openpyxl.load_workbook(target)
    labels, codes, row = book.worksheets[0].iter_rows(max_row=3, values_only=True)
    cells = dict(zip(codes, row, strict=True))
    assert cells["alias"] == '=HYPERLINK("x")'  # a text cell, never a formula
    assert (cells["needs"], cells["needs_label"]) == ("housing legal", "Asunto; Oikeusapu")
    assert dict(zip(codes, labels, strict=True))["alias"] == "Peitenimi"

    code, _out, err = export("export", "--to", str(target), "--lang", "en")
    assert code == 0 and "clear text" in err
    labels = next(openpyxl.load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert "Alias" in labels


def test_the_format_follows_the_name_and_export_csv_stays(export: Run, tmp_path: Path) -> None:
    target = tmp_path / "interviews.csv"
    assert export("export", "--to", str(target), "--lang", "fi")[0] == 0
    text = target.read_bytes().decode("utf-8-sig")
    assert text.startswith("id;revision;") and "'=HYPERLINK" in text

    older = tmp_path / "older.csv"
    code, out, _err = export("export-csv", "--out", str(older), "--labels-lang", "en")
    assert code == 0 and str(older) in out
    assert older.read_bytes().decode("utf-8-sig").startswith("id,revision,")


def test_a_folder_that_cannot_be_written_to_is_a_known_error(export: Run, tmp_path: Path) -> None:
    code, _out, err = export("export", "--to", str(tmp_path / "missing" / "x.xlsx"))
    assert code != 0 and str(tmp_path / "missing") in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("delimiter", "separator"),
    [("auto", ";"), ("comma", ","), ("semicolon", ";"), ("tab", "\t")],
)
def test_the_delimiter_can_be_chosen_and_the_file_splits_on_it(
    export: Run, tmp_path: Path, delimiter: str, separator: str
) -> None:
    target = tmp_path / "interviews.csv"
    assert export("export", "--to", str(target), "--lang", "fi", "--delimiter", delimiter)[0] == 0
    text = target.read_bytes().decode("utf-8-sig")
    header, row = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    assert len(header) == len(row) > 10
    cells = dict(zip(header, row, strict=True))
    assert cells["alias"] == '\'=HYPERLINK("x")'  # the formula guard, whatever the separator
    assert cells["needs_label"] == "Asunto; Oikeusapu"

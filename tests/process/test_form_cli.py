"""`intake-app centre form export|import` end to end: real processes, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from intake_app.domain.json_text import canonical_json
from intake_app.domain.resources import forms_dir

ROOT = Path(__file__).resolve().parents[2]


def run(data: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "intake_app", "--data-dir", str(data), "centre", "form",
         *map(str, args)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,
    )


def test_export_then_import_gives_the_shipped_form_back(tmp_path: Path) -> None:
    workbook, back = tmp_path / "form.xlsx", tmp_path / "form.json"
    done = run(tmp_path, "export", "--version", "2026.1", "--to", workbook)
    assert done.returncode == 0, done.stderr
    done = run(tmp_path, "import", workbook, "--to", back)
    assert done.returncode == 0, done.stderr
    original = json.loads((forms_dir() / "intake-fi_2026.1.json").read_text(encoding="utf-8"))
    assert back.read_text(encoding="utf-8") == canonical_json(original)
    again = run(tmp_path, "export", "--to", workbook)
    assert again.returncode == 2 and "exists" in again.stderr


def test_a_translators_round_becomes_a_new_version(tmp_path: Path) -> None:
    workbook, back = tmp_path / "uk.xlsx", tmp_path / "new.json"
    assert run(tmp_path, "export", "--language", "uk", "--to", workbook).returncode == 0
    book = load_workbook(workbook)
    column = [cell.value for cell in book["survey"][1]].index("label::Ukrainian (uk)") + 1
    book["survey"].cell(row=3, column=column).value = "Новий текст"
    book.save(workbook)

    refused = run(tmp_path, "import", workbook, "--to", back)
    assert refused.returncode == 2 and "--version" in refused.stderr
    assert not back.exists()

    done = run(tmp_path, "import", workbook, "--version", "2026.3", "--to", back)
    assert done.returncode == 0, done.stderr
    new = json.loads(back.read_text(encoding="utf-8"))
    assert new["version"] == "2026.3"
    assert new["questions"][0]["children"][0]["label::uk"] == "Новий текст"


def test_a_bad_workbook_lists_its_problems_and_writes_nothing(tmp_path: Path) -> None:
    workbook, back = tmp_path / "form.xlsx", tmp_path / "form.json"
    assert run(tmp_path, "export", "--to", workbook).returncode == 0
    book = load_workbook(workbook)
    book["survey"].cell(row=3, column=1).value = "geopoint"
    book["survey"].cell(row=4, column=3).value = "=A1"
    book.save(workbook)
    done = run(tmp_path, "import", workbook, "--to", back)
    assert done.returncode == 2
    assert "sheet survey, row 4, column label::Finnish (fi)" in done.stderr
    assert not back.exists()


def test_an_unknown_form_is_a_known_error(tmp_path: Path) -> None:
    done = run(tmp_path, "export", "--form", "nothing", "--to", tmp_path / "x.xlsx")
    assert done.returncode == 2 and "nothing" in done.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_a_folder_that_cannot_take_the_workbook_is_a_known_error(tmp_path: Path) -> None:
    """No traceback and no half-written file: the message says the file was not saved."""
    out = tmp_path / "out"
    out.mkdir()
    blocked = out / "not-a-folder"
    blocked.write_text("a file where a folder should be", encoding="utf-8")
    done = run(tmp_path, "export", "--version", "2026.1", "--to", blocked / "form.xlsx")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "went wrong" not in done.stderr
    assert "could not be saved" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["not-a-folder"]

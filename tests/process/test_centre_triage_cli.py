"""`intake-app centre follow-up ID [--status S] [--note TEXT]` and `centre duplicates [--json]`
(issue 17): the window's triage on the command line, against a real centre vault."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from intake_app.cli import main
from tests.helpers.bundles import Laptop
from tests.helpers.centre import PASSPHRASE
from tests.helpers.cli import close_log_handlers
from tests.helpers.triage import import_documents, make_real_centre, triage_document


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data: Path, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    try:
        code = main(["--data-dir", str(data), "centre", *args])
    finally:
        close_log_handlers()
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def centre_data(tmp_path: Path) -> tuple[Path, list[str]]:
    """A centre holding three interviews: two possibly of one person (different laptops)."""
    centre = make_real_centre(tmp_path)
    first = triage_document(
        "Amína", date_of_birth="1994-05", worker_code="W-1", interview_date="2026-12-01"
    )
    second = triage_document(
        "AMINA", date_of_birth="1994-05-12", worker_code="W-2", interview_date="2026-12-05"
    )
    third = triage_document("Bao", date_of_birth="1980", worker_code="W-2")
    import_documents(centre, Laptop(name="Laptop North", worker="W-1"), [first], tmp_path / "north")
    import_documents(
        centre, Laptop(name="Laptop South", worker="W-2"), [second, third], tmp_path / "south"
    )
    data = centre.vault.folder.parent
    centre.close()
    return data, [first["id"], second["id"], third["id"]]


def test_follow_up_is_changed_and_shown_with_its_history(
    centre_data: tuple[Path, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data, ids = centre_data
    code, out, _err = _run(monkeypatch, capsys, data, "follow-up", ids[0])
    assert code == 0
    assert f"Follow-up of {ids[0]}: New" in out and "No changes yet." in out

    code, out, _err = _run(
        monkeypatch,
        capsys,
        data,
        "follow-up",
        ids[0][:8],
        "--status",
        "in_review",
        "--note",
        "Called the shelter",
        "--by",
        "Sanna",
    )
    assert code == 0
    assert "In review" in out and "Called the shelter" in out and "Sanna" in out

    code, out, _err = _run(
        monkeypatch, capsys, data, "follow-up", ids[0], "--status", "referred", "--json"
    )
    assert code == 0
    shown = json.loads(out)
    assert shown["status"] == "referred" and shown["note"] == "Called the shelter"
    first = shown["history"][0]
    assert (first["status"], first["note"], first["by"]) == (
        "in_review",
        "Called the shelter",
        "Sanna",
    )
    assert len(shown["history"]) == 2 and shown["history"][1]["note"] is None


def test_follow_up_refuses_what_it_cannot_do(
    centre_data: tuple[Path, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data, ids = centre_data
    code, _out, err = _run(monkeypatch, capsys, data, "follow-up", ids[0], "--status", "done")
    assert code != 0 and "in_review" in err
    code, _out, err = _run(monkeypatch, capsys, data, "follow-up", "ffffffff")
    assert code != 0 and "does not exist" in err
    code, out, _err = _run(monkeypatch, capsys, data, "follow-up", ids[0], "--json")
    assert json.loads(out)["history"] == []  # nothing was changed


def test_duplicates_lists_the_pair_and_forgets_it_when_marked_not_the_same(
    centre_data: tuple[Path, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data, ids = centre_data
    code, out, _err = _run(monkeypatch, capsys, data, "duplicates", "--json")
    assert code == 0
    [pair] = [json.loads(line) for line in out.splitlines()]
    assert {pair["first"]["id"], pair["second"]["id"]} == {ids[0], ids[1]}
    assert pair["reasons"] == ["alias", "nationality"]
    assert {pair["first"]["device_name"], pair["second"]["device_name"]} == {
        "Laptop North",
        "Laptop South",
    }

    code, out, _err = _run(monkeypatch, capsys, data, "duplicates")
    assert code == 0
    assert "“Amína”" in out and "“AMINA”" in out and "similar alias" in out
    assert "1 pair of interviews may be of the same person." in out

    code, out, _err = _run(
        monkeypatch, capsys, data, "duplicates", "--not-same", ids[1], ids[0][:8]
    )
    assert code == 0 and "0 pairs" in out
    code, out, _err = _run(monkeypatch, capsys, data, "duplicates", "--json")
    assert out == ""

"""`intake-app centre form import|preview-check|publish|retire|list` end to end, in process:
a workbook edited with openpyxl, staged, checked, published to a real share folder, verified
with the standard minisign tool, retired; a laptop's records of both versions imported."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from intake_app.cli import main
from intake_app.domain import registry, resources
from intake_app.i18n import set_language
from intake_app.storage import KdfParams
from intake_app.sync.device.transport import write_bundle
from intake_app.sync.format.bundle_file import BundleContents
from intake_app.sync.format.profile import load_profile
from tests.helpers.bundles import Laptop, run
from tests.helpers.centre import PASSPHRASE, write_forms_folder
from tests.helpers.cli import close_log_handlers
from tests.helpers.documents import make_document
from tests.helpers.storage import FAST

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    forms = write_forms_folder(tmp_path / "forms")  # the test form, intake-fi 2026.1, built in
    monkeypatch.setattr(registry, "forms_dir", lambda: forms)
    monkeypatch.setattr(resources, "forms_dir", lambda: forms)
    monkeypatch.setattr(KdfParams, "calibrate", classmethod(lambda cls, *a, **k: FAST))
    data = tmp_path / "data"

    def call(*args: str | Path, stdin: str = PASSPHRASE + "\n") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        try:
            code = main(["--data-dir", str(data), "centre", *map(str, args)])
        finally:
            close_log_handlers()
            set_language("en")
        out, err = capsys.readouterr()
        return code, out, err

    return call


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def edit_label_and_add_choice(path: Path) -> None:
    """What an administrator does in a spreadsheet: a label changed, a choice added."""
    book = load_workbook(path)
    survey, choices = book["survey"], book["choices"]
    header = [cell.value for cell in survey[1]]
    names = [row[header.index("name")].value for row in survey.iter_rows(min_row=2)]
    row = names.index("alias") + 2
    survey.cell(row=row, column=header.index("label::English (en)") + 1).value = "Alias or nickname"
    choice_header = [cell.value for cell in choices[1]]
    new = [None] * len(choice_header)
    new[choice_header.index("list_name")] = "setting"
    new[choice_header.index("name")] = "home"
    new[choice_header.index("label::English (en)")] = "Private home"
    choices.append(new)
    book.save(path)


def test_an_administrator_publishes_and_retires_a_form(cli: Cli, tmp_path: Path) -> None:
    share = tmp_path / "share"
    assert cli("init", "--name", "Centre A", "--share", share)[0] == 0
    workbook = tmp_path / "form.xlsx"
    code, _out, err = cli("form", "export", "--to", workbook)
    assert code == 0, err
    edit_label_and_add_choice(workbook)

    # The same version again is refused at import: it is built in.
    code, _out, err = cli("form", "import", workbook)
    assert code == 2 and "built into Intake" in err
    code, out, err = cli("form", "import", workbook, "--version", "2026.2", "--by", "Aino")
    assert code == 0, err
    assert "intake-fi" in out and "2026.2" in out and "en: " in out
    code, out, _err = cli("form", "list", "--json")
    assert [(f["version"], f["source"], f["state"]) for f in lines(out)] == [
        ("2026.1", "built-in", "current"),
        ("2026.2", "draft", "draft"),
    ]
    assert lines(out)[1]["file"] == "form.xlsx" and lines(out)[1]["staged_by"] == "Aino"

    code, out, err = cli("form", "preview-check", "--form", "intake-fi")
    assert code == 0 and "can be published" in out, err
    code, out, err = cli("form", "preview-check", workbook, "--version", "2026.2")
    assert code == 0 and "can be published" in out, err

    code, out, err = cli("form", "publish", "--by", "Aino", "--json")
    assert code == 0, err
    [published] = lines(out)
    assert (published["version"], published["new"], published["serial"]) == ("2026.2", True, 1)
    forms = share / "forms"
    assert sorted(p.name for p in forms.iterdir()) == [
        "index.json",
        "index.json.minisig",
        "intake-fi_2026.2.json",
        "intake-fi_2026.2.json.minisig",
    ]
    profile, _ = load_profile(tmp_path / "data" / "centre-profile.json")
    if shutil.which("minisign"):
        for name in ("intake-fi_2026.2.json", "index.json"):
            result = run("minisign", "-Vm", forms / name, "-P", profile.receipt_key)
            assert result.returncode == 0, result.stderr
    package = json.loads((forms / "intake-fi_2026.2.json").read_bytes())
    assert package["questions"][0]["children"][1]["label::en"] == "Alias or nickname"

    # Published: a changed workbook under the same version is refused, nothing kept.
    code, _out, err = cli("form", "publish")
    assert code == 2 and "No imported form is waiting" in err
    code, _out, err = cli("form", "import", workbook, "--version", "2026.2")
    assert code == 2 and "exactly these contents" in err  # nothing new to publish
    code, out, _err = cli("form", "export", "--version", "2026.2", "--to", tmp_path / "b.xlsx")
    assert code == 0
    edit_label_and_add_choice(tmp_path / "b.xlsx")  # a second "home" choice: a bad workbook
    code, _out, err = cli("form", "import", tmp_path / "b.xlsx", "--version", "2026.3")
    assert code == 2 and "sheet choices, row" in err
    book = load_workbook(workbook)
    header = [cell.value for cell in book["survey"][1]]
    book["survey"].cell(row=3, column=header.index("label::English (en)") + 1).value = "Changed"
    book.save(workbook)
    code, _out, err = cli("form", "import", workbook, "--version", "2026.2")
    assert code == 2 and "already published with other contents" in err

    # A laptop's interviews of both versions arrive.
    laptop = Laptop()
    laptop.enrol(share)
    assert cli("register", "--all")[0] == 0
    assert cli("approve", laptop.device_id[:8], "--fingerprint", laptop.fingerprint)[0] == 0
    old = make_document(setting="street")
    new = make_document(setting="home")
    new["form_version"] = "2026.2"
    inbox = share / "inbox" / laptop.device_id
    inbox.mkdir(parents=True)
    write_bundle(
        inbox,
        profile=profile,
        device_id=laptop.device_id,
        device_key=laptop.keypair.secret_key,
        seq=1,
        created=datetime.now(UTC),
        contents=BundleContents((old, new)),
    )
    code, out, err = cli("import", "--inbox", "--json")
    assert code == 0, err
    assert [(r["outcome"], r["records"]) for r in lines(out)] == [("accepted", 2)]

    code, out, err = cli("form", "retire", "intake-fi", "2026.2", "--json")
    assert code == 0, err
    assert lines(out)[0]["state"] == "retired" and lines(out)[0]["serial"] == 2
    index = json.loads((forms / "index.json").read_bytes())
    assert [(f["version"], f["state"]) for f in index["forms"]] == [("2026.2", "retired")]
    code, out, _err = cli("form", "list")
    assert "2026.2: retired" in out and "built into Intake" in out
    code, _out, err = cli("form", "retire", "intake-fi", "2026.1")
    assert code == 2 and "has not published" in err
    code, out, err = cli("form", "publish", "--again")
    assert code == 0 and "1 published form version" in out, err


def test_a_bad_workbook_is_listed_and_nothing_kept(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", "--name", "Centre A", "--share", tmp_path / "share")[0] == 0
    workbook = tmp_path / "form.xlsx"
    assert cli("form", "export", "--to", workbook)[0] == 0
    book = load_workbook(workbook)
    book["survey"].cell(row=3, column=1).value = "geopoint"
    book.remove(book["choices"])
    book.save(workbook)
    for action in ("import", "preview-check"):
        code, _out, err = cli("form", action, workbook, "--version", "2026.2")
        assert code == 2, err
        assert "sheet survey, row 3, column type" in err
        assert "The choice list setting is not on the choices sheet" in err
    code, out, _err = cli("form", "list", "--json")
    assert [f["source"] for f in lines(out)] == ["built-in"]
    assert not (tmp_path / "share" / "forms").exists()
    macro = tmp_path / "form.xlsm"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "xlsform" / "macro.xlsm", macro)
    code, _out, err = cli("form", "import", macro, "--version", "2026.2")
    assert code == 2 and "macro" in err.lower()

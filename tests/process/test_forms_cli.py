"""The command line: `intake-app sync` fetches the centre's forms, `intake-app forms [--json]`
lists every version the laptop has, its state and where it came from."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from intake_app.cli import main
from intake_app.i18n import set_language
from intake_app.sync.format.form_package import FormState
from tests.helpers.bundles import CentreKeys
from tests.helpers.cli import close_log_handlers
from tests.helpers.device import open_vault
from tests.helpers.form_share import FormShare, new_version
from tests.helpers.storage import PASSPHRASE


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data: Path, *argv: object
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    try:
        code = main(["--data-dir", str(data), *[str(a) for a in argv]])
    finally:
        close_log_handlers()
    out, err = capsys.readouterr()
    return code, out, err


def test_sync_fetches_the_forms_and_forms_lists_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data-cli"
    open_vault(data / "vault").lock()
    centre = CentreKeys.make(tmp_path)
    code, out, err = _run(monkeypatch, capsys, data, "forms", "--json")
    assert code == 0, err
    listed = json.loads(out)
    assert listed["checked"] is None
    assert [
        (f["version"], f["state"], f["source"], f["new_interviews"]) for f in listed["forms"]
    ] == [("2026.1", "current", "shipped", False), ("2026.2", "current", "shipped", True)]

    assert _run(monkeypatch, capsys, data, "device", "enrol", centre.profile_path, "--yes")[0] == 0
    forms = FormShare(centre, centre.share)
    forms.publish(new_version("2026.3"))
    forms.publish(new_version("2026.4", label="Alias, version 4"), FormState.RETIRED)
    code, out, err = _run(monkeypatch, capsys, data, "sync", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["forms"]["received"] == [
        {"id": "intake-fi", "version": "2026.3"},
        {"id": "intake-fi", "version": "2026.4"},
    ]

    code, out, err = _run(monkeypatch, capsys, data, "forms", "--json")
    listed = json.loads(out)
    assert listed["checked"] == report["forms"]["checked"]
    assert [
        (f["id"], f["version"], f["state"], f["source"], f["new_interviews"])
        for f in listed["forms"]
    ] == [
        ("intake-fi", "2026.1", "current", "shipped", False),
        ("intake-fi", "2026.2", "current", "shipped", False),
        ("intake-fi", "2026.3", "current", "share", True),
        ("intake-fi", "2026.4", "retired", "share", False),
    ]
    assert "alias" not in out.lower()  # ids, versions, codes and times: never a form's text

    code, out, err = _run(monkeypatch, capsys, data, "forms")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["Form", "Version", "State", "From", "New", "interviews"]
    assert lines[3].split() == ["intake-fi", "2026.3", "current", "the", "centre's", "share", "yes"]
    assert lines[-1].startswith("Last checked the centre's share for forms: ")
    # The table's columns line up in any language (here Finnish).
    code, out, err = _run(monkeypatch, capsys, data, "--lang", "fi", "forms")
    set_language("en")
    assert code == 0, err
    rows = out.splitlines()[:5]
    starts = {line.index("2026") for line in rows[1:]}
    assert len(starts) == 1


def test_forms_says_the_last_pickup_problem_until_a_pickup_takes_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data-cli"
    open_vault(data / "vault").lock()
    centre = CentreKeys.make(tmp_path)
    assert _run(monkeypatch, capsys, data, "device", "enrol", centre.profile_path, "--yes")[0] == 0
    forms = FormShare(centre, centre.share)
    entry = forms.publish(new_version("2026.3"))
    package = forms.folder / entry.file_name
    good = package.read_bytes()
    package.write_bytes(good.replace(b"edited at the centre", b"edited by someone else"))
    code, out, err = _run(monkeypatch, capsys, data, "sync", "--json")
    assert code == 0, err
    assert json.loads(out)["forms"]["refused"] == "bad-signature"

    code, out, err = _run(monkeypatch, capsys, data, "forms", "--json")
    problem = json.loads(out)["problem"]
    assert (problem["code"], problem["file"]) == ("bad-signature", "intake-fi_2026.3.json")
    code, out, err = _run(monkeypatch, capsys, data, "forms")
    assert code == 0, err
    last = out.splitlines()[-1]
    assert last.startswith("Problem with the centre's forms since ")
    assert "(intake-fi_2026.3.json): A form file on the share is not signed by your centre." in last

    package.write_bytes(good)
    assert _run(monkeypatch, capsys, data, "sync", "--json")[0] == 0
    code, out, err = _run(monkeypatch, capsys, data, "forms", "--json")
    assert json.loads(out)["problem"] is None
    code, out, err = _run(monkeypatch, capsys, data, "forms")
    assert "Problem" not in out

"""End to end: a real centre publishes a new version of the form (a label edited, a choice
added), the laptop picks it up on `intake-app sync`, starts a new interview on it while an old
draft stays on the old version, and the centre imports both."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from intake_app.cli import main
from intake_app.domain import registry, resources
from intake_app.domain.registry import OpenedInterview
from intake_app.services.form_versions import read_vault_forms
from intake_app.services.interviews import FormCatalogue, check_for_finishing
from intake_app.storage import KdfParams, Vault
from intake_app.sync.centre.vault import Centre
from tests.helpers.centre import PASSPHRASE as CENTRE_PASSPHRASE
from tests.helpers.centre import validator, write_forms_folder
from tests.helpers.cli import close_log_handlers
from tests.helpers.device import open_vault
from tests.helpers.storage import FAST, PASSPHRASE

Run = Callable[..., tuple[int, str, str]]


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    forms = write_forms_folder(tmp_path / "forms")  # both ship the test form 2026.1
    monkeypatch.setattr(registry, "forms_dir", lambda: forms)
    monkeypatch.setattr(resources, "forms_dir", lambda: forms)
    monkeypatch.setattr(KdfParams, "calibrate", classmethod(lambda cls, *a, **k: FAST))

    def run(data: Path, *args: object, stdin: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin + "\n"))
        try:
            code = main(["--data-dir", str(data), *[str(a) for a in args]])
        finally:
            close_log_handlers()
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _edit_in_a_spreadsheet(path: Path) -> None:
    """What an administrator does in LibreOffice: a label edited, a choice added."""
    book = load_workbook(path)
    survey, choices = book["survey"], book["choices"]
    header = [cell.value for cell in survey[1]]
    names = [row[header.index("name")].value for row in survey.iter_rows(min_row=2)]
    label = header.index("label::English (en)") + 1
    survey.cell(row=names.index("alias") + 2, column=label).value = "Name or alias"
    choice_header = [cell.value for cell in choices[1]]
    new: list[str | None] = [None] * len(choice_header)
    new[choice_header.index("list_name")] = "needs"
    new[choice_header.index("name")] = "health"
    new[choice_header.index("label::English (en)")] = "Health care"
    choices.append(new)
    book.save(path)


def _publish_version_2(cli: Run, centre: Path, tmp_path: Path) -> None:
    """The administrator's steps: export the form, edit it, import it as 2026.2, publish."""
    workbook = tmp_path / "form.xlsx"
    code, _out, err = cli(
        centre, "centre", "form", "export", "--to", workbook, stdin=CENTRE_PASSPHRASE
    )
    assert code == 0, err
    _edit_in_a_spreadsheet(workbook)
    code, _out, err = cli(
        centre, "centre", "form", "import", workbook, "--version", "2026.2", stdin=CENTRE_PASSPHRASE
    )
    assert code == 0, err
    code, _out, err = cli(centre, "centre", "form", "publish", stdin=CENTRE_PASSPHRASE)
    assert code == 0, err


def _catalogue(vault: Vault) -> FormCatalogue:
    """The worker's forms with this vault's versions, as the application has them."""
    catalogue = FormCatalogue()
    catalogue.use_vault_forms(read_vault_forms(vault))
    return catalogue


def _finish(vault: Vault, catalogue: FormCatalogue, record_id: str, **answers: Any) -> str:
    """Open the interview (draft), answer, finish it as the editor does; its form version."""
    draft = vault.interviews.get_draft(record_id)
    assert draft is not None
    opened = catalogue.open(dict(draft))
    assert isinstance(opened, OpenedInterview) and opened.exact
    interview = opened.interview
    result = check_for_finishing(
        interview.with_answers({**interview.answers, **answers}), opened.form
    )
    assert result.problems == ()
    vault.interviews.save_revision(result.interview.to_dict())
    return opened.form.version


def _enrolled(cli: Run, centre: Path, laptop: Path, share: Path) -> None:
    assert (
        cli(
            centre,
            "centre",
            "init",
            "--name",
            "Centre A",
            "--share",
            share,
            stdin=CENTRE_PASSPHRASE,
        )[0]
        == 0
    )
    open_vault(laptop / "vault").lock()
    code, out, err = cli(
        laptop, "device", "enrol", centre / "centre-profile.json", "--yes", stdin=PASSPHRASE
    )
    assert code == 0, err
    fingerprint = out.split("(compare with the administrator's screen): ")[1].split("\n")[0]
    code, out, err = cli(centre, "centre", "register", "--all", "--json", stdin=CENTRE_PASSPHRASE)
    [pending] = _lines(out)
    code, _out, err = cli(
        centre,
        "centre",
        "approve",
        str(pending["device_id"]),
        "--fingerprint",
        fingerprint,
        stdin=CENTRE_PASSPHRASE,
    )
    assert code == 0, err


def test_a_new_version_reaches_the_laptop_and_both_versions_come_home(
    cli: Run, tmp_path: Path
) -> None:
    centre, laptop, share = tmp_path / "centre-data", tmp_path / "laptop-data", tmp_path / "share"
    share.mkdir()
    _enrolled(cli, centre, laptop, share)

    # An interview started before the new version arrives: a draft on 2026.1.
    vault = Vault.unlock(laptop / "vault", PASSPHRASE)
    try:
        old = _catalogue(vault).new_interview()
        assert old.form_version == "2026.1"
        vault.interviews.save_draft(old.with_answers({"consent_interview": "yes"}).to_dict())
    finally:
        vault.lock()

    # The centre publishes 2026.2 (signed with its receipt key, on the share).
    _publish_version_2(cli, centre, tmp_path)

    code, out, err = cli(laptop, "sync", "--json", stdin=PASSPHRASE)
    assert code == 0, err
    assert json.loads(out)["forms"]["received"] == [{"id": "intake-fi", "version": "2026.2"}]

    vault = Vault.unlock(laptop / "vault", PASSPHRASE)
    try:
        catalogue = _catalogue(vault)
        new = catalogue.new_interview()
        assert new.form_version == "2026.2"
        vault.interviews.save_draft(new.with_answers({"consent_interview": "yes"}).to_dict())
        assert _finish(vault, catalogue, new.id, alias="B.", needs=["health"]) == "2026.2"
        assert _finish(vault, catalogue, old.id, alias="A.") == "2026.1"
    finally:
        vault.lock()

    code, out, err = cli(laptop, "sync", "--json", stdin=PASSPHRASE)
    assert code == 0 and json.loads(out)["uploaded"], err
    code, out, err = cli(centre, "centre", "import", "--inbox", "--json", stdin=CENTRE_PASSPHRASE)
    assert [r["outcome"] for r in _lines(out)] == ["accepted"], (out, err)
    with (
        Centre.open(centre, CENTRE_PASSPHRASE, validator=validator) as opened,
        opened.vault.transaction() as conn,
    ):
        rows = conn.execute("SELECT form_version FROM centre_record ORDER BY 1").fetchall()
    assert [row[0] for row in rows] == ["2026.1", "2026.2"]

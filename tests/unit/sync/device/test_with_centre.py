"""A laptop and a centre end to end through both command lines, with the real importer."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from intake_app.cli import main
from intake_app.domain import registry
from intake_app.storage import KdfParams, Vault
from intake_app.sync.device.purge import purge_schedule
from tests.helpers.centre import PASSPHRASE as CENTRE_PASSPHRASE
from tests.helpers.centre import write_forms_folder
from tests.helpers.cli import close_log_handlers
from tests.helpers.device import open_vault, random_bytes
from tests.helpers.documents import make_document
from tests.helpers.storage import FAST, PASSPHRASE


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    forms = write_forms_folder(tmp_path / "forms")
    monkeypatch.setattr(registry, "forms_dir", lambda: forms)
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


def test_interviews_get_home_and_are_confirmed(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    centre, laptop, share = tmp_path / "centre-data", tmp_path / "laptop-data", tmp_path / "share"
    share.mkdir()  # the administrator's network share
    assert cli(centre, "centre", "init", "--name", "Centre A", "--share", share,
               stdin=CENTRE_PASSPHRASE)[0] == 0

    vault = open_vault(laptop / "vault")
    kept = make_document()
    vault.interviews.save_revision(kept)
    vault.interviews.add_attachment(kept["id"], io.BytesIO(random_bytes(20_000)), "image/jpeg",
                                    "passport.jpg")
    withdrawn = make_document()
    vault.interviews.save_revision(withdrawn)
    vault.interviews.delete(withdrawn["id"], "consent-withdrawn")
    vault.lock()

    code, out, _err = cli(laptop, "device", "enrol", tmp_path / "centre-data" /
                          "centre-profile.json", "--yes", stdin=PASSPHRASE)
    assert code == 0, _err
    key_fingerprint = out.split("(compare with the administrator's screen): ")[1].split("\n")[0]
    code, out, _err = cli(centre, "centre", "register", "--all", "--json",
                          stdin=CENTRE_PASSPHRASE)
    [pending] = _lines(out)
    assert pending["fingerprint"] == key_fingerprint
    code, _out, err = cli(centre, "centre", "approve", str(pending["device_id"]),
                          "--fingerprint", key_fingerprint, stdin=CENTRE_PASSPHRASE)
    assert code == 0, err

    code, out, _err = cli(laptop, "sync", "--json", stdin=PASSPHRASE)
    assert json.loads(out)["uploaded"] == [1]
    code, out, err = cli(centre, "centre", "import", "--inbox", "--json",
                         stdin=CENTRE_PASSPHRASE)
    assert [(r["outcome"], r["seq"]) for r in _lines(out)] == [("accepted", 1)], err

    code, out, _err = cli(laptop, "sync", "--json", stdin=PASSPHRASE)
    report = json.loads(out)
    assert code == 0 and report["state"] == "delivered"
    assert report["receipts"] == [{"seq": 1, "outcome": "accepted", "reason": None,
                                   "marked": 2, "problem": None}]
    vault = Vault.unlock(laptop / "vault", PASSPHRASE)
    try:
        assert all(s.delivered for s in vault.interviews.list())
        assert {item.record_id for item in purge_schedule(vault)} == {kept["id"],
                                                                      withdrawn["id"]}
    finally:
        vault.lock()

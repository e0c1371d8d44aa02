"""`intake-app centre attachments ID --json` and `centre attachment ID SHA256 --to FILE`: the
centre lists an imported interview's attachments and writes a clear copy (0600) on request,
after saying on stderr that the copy is not protected."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
from pathlib import Path

import pytest

from intake_app.cli import main
from intake_app.domain import registry
from intake_app.sync.centre.importer import import_bundle
from tests.helpers.bundles import Laptop, attachment
from tests.helpers.centre import PASSPHRASE, make_centre, register, write_forms_folder
from tests.helpers.cli import close_log_handlers
from tests.helpers.documents import make_document


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data: Path,
         *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    try:
        code = main(["--data-dir", str(data), "centre", *args])
    finally:
        close_log_handlers()
    out, err = capsys.readouterr()
    return code, out, err


def test_centre_lists_and_copies_an_imported_attachment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    forms = write_forms_folder(tmp_path / "forms")
    monkeypatch.setattr(registry, "forms_dir", lambda: forms)
    centre = make_centre(tmp_path)
    laptop = Laptop()
    register(centre, laptop)
    doc = make_document()
    photo = os.urandom(300_000)
    bundle = laptop.bundle(tmp_path / "out", centre, records=[doc],
                           attachments=[attachment(photo, doc["id"], "image/png")]).path
    assert import_bundle(centre, bundle).delivered
    data = centre.vault.folder.parent
    centre.close()
    sha = hashlib.sha256(photo).hexdigest()

    code, out, _err = _run(monkeypatch, capsys, data, "attachments", doc["id"], "--json")
    assert code == 0
    assert json.loads(out) == [{"sha256": sha, "size": len(photo), "media_type": "image/png",
                                "name": ""}]

    target = tmp_path / "copy.png"
    code, _out, err = _run(monkeypatch, capsys, data, "attachment", doc["id"], sha,
                           "--to", str(target))
    assert code == 0
    assert "clear, unencrypted copy" in err
    assert target.read_bytes() == photo
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    code, _out, err = _run(monkeypatch, capsys, data, "attachment", doc["id"], sha,
                           "--to", str(target))
    assert code == 2 and "exists already" in err  # never over an existing file
    code, _out, _err = _run(monkeypatch, capsys, data, "attachment", doc["id"], "0" * 64,
                            "--to", str(tmp_path / "other"))
    assert code != 0 and not (tmp_path / "other").exists()

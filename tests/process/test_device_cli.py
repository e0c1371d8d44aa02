"""The command line: `device enrol`, `sync --json`, `export --to`, `verify --device-key`."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import pytest

from intake_app.cli import EXIT_KNOWN_ERROR, main
from intake_app.storage import Vault
from intake_app.sync.device.identity import device_status
from intake_app.sync.format.enrolment import read_enrolment
from intake_app.sync.format.keys import parse_public_key, public_key_file
from tests.helpers.bundles import CentreKeys
from tests.helpers.cli import close_log_handlers
from tests.helpers.device import inbox_files, open_vault, save_interview
from tests.helpers.storage import PASSPHRASE


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data: Path,
         *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    try:
        code = main(["--data-dir", str(data), *[str(a) for a in argv]])
    finally:
        # main() points the log at the data folder each time; close the file it opened.
        close_log_handlers()
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, CentreKeys]:
    data = tmp_path / "data-cli"
    vault = open_vault(data / "vault")
    save_interview(vault)
    vault.lock()
    return data, CentreKeys.make(tmp_path)


def _unlock(data: Path) -> Vault:
    return Vault.unlock(data / "vault", PASSPHRASE)


def test_enrol_sync_export_verify(setup: tuple[Path, CentreKeys], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    data, centre = setup
    code, out, _err = _run(monkeypatch, capsys, data, "device", "enrol", centre.profile_path,
                           "--yes", "--name", "Laptop 7", "--worker", "W-12")
    assert code == 0, out
    assert "Profile fingerprint: " in out and "Key fingerprint" in out
    [request] = sorted((centre.share / "enrol").glob("*.json"))
    enrolment = read_enrolment(request)
    assert enrolment.device_name == "Laptop 7"

    code, out, _err = _run(monkeypatch, capsys, data, "sync", "--json")
    report = json.loads(out)
    assert code == 0 and report["state"] == "waiting"
    assert report["exported"] == [1] and report["uploaded"] == [1]
    [bundle] = [p for p in inbox_files(centre, _identity(data)) if not p.name.startswith(".")]

    usb = tmp_path / "stick"
    code, out, _err = _run(monkeypatch, capsys, data, "export", "--to", usb)
    assert code == 0
    assert [Path(line).name for line in out.split()] == [bundle.name]
    assert (usb / bundle.name).read_bytes() == bundle.read_bytes()

    code, out, _err = _run(monkeypatch, capsys, data, "verify", bundle, "--device-key",
                           enrolment.public_key, "--json")
    fields = json.loads(out)
    assert code == 0 and fields["device"] == enrolment.device_id and fields["seq"] == 1
    pub = tmp_path / "device.pub"
    pub.write_bytes(public_key_file(parse_public_key(enrolment.public_key)))
    code, out, _err = _run(monkeypatch, capsys, data, "verify", bundle, "--device-key", pub)
    assert code == 0 and f"device: {enrolment.device_id}" in out

    centre.receipt_for(bundle, _identity(data))
    code, out, _err = _run(monkeypatch, capsys, data, "sync", "--json")
    report = json.loads(out)
    assert report["state"] == "delivered" and report["receipts"][0]["outcome"] == "accepted"


def _identity(data: Path):  # type: ignore[no-untyped-def]
    vault = _unlock(data)
    try:
        identity, _profile, _fp = device_status(vault)
    finally:
        vault.lock()
    assert identity is not None
    return identity


def test_verify_refuses_another_key_and_a_changed_bundle(
    setup: tuple[Path, CentreKeys], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    from intake_app.sync.format.keys import generate_signing_key, public_key_to_text

    data, centre = setup
    _run(monkeypatch, capsys, data, "device", "enrol", centre.profile_path, "--yes")
    _run(monkeypatch, capsys, data, "sync")
    [bundle] = inbox_files(centre, _identity(data))
    stranger = public_key_to_text(generate_signing_key().public_key)
    code, _out, err = _run(monkeypatch, capsys, data, "verify", bundle, "--device-key", stranger)
    assert code == 3 and err.startswith("unknown-device")

    with zipfile.ZipFile(bundle) as archive:
        entries = [(i, archive.read(i)) for i in archive.infolist()]
    changed = tmp_path / "changed.ibundle"
    with zipfile.ZipFile(changed, "w") as archive:
        for info, payload in entries:
            if info.filename == "payload.age":
                payload = payload[:-1] + bytes([payload[-1] ^ 1])
            archive.writestr(info, payload)
    key = _identity(data).public_key
    code, _out, err = _run(monkeypatch, capsys, data, "verify", changed, "--device-key", key)
    assert code == 3 and err.startswith("bad-signature")
    code, _out, err = _run(monkeypatch, capsys, data, "verify", tmp_path / "none.ibundle",
                           "--device-key", key)
    assert code == EXIT_KNOWN_ERROR and "cannot be read" in err


def test_enrol_with_a_wrong_fingerprint_changes_nothing(
    setup: tuple[Path, CentreKeys], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    data, centre = setup
    code, _out, err = _run(monkeypatch, capsys, data, "device", "enrol", centre.profile_path,
                           "--fingerprint", "1234 5678 9abc def0 1234")
    assert code == EXIT_KNOWN_ERROR and "fingerprint" in err
    vault = _unlock(data)
    try:
        assert device_status(vault) == (None, None, None)
    finally:
        vault.lock()
    with pytest.raises(SystemExit):  # no terminal to ask on, and no --yes
        _run(monkeypatch, capsys, data, "device", "enrol", centre.profile_path)


def test_sync_before_enrolment_and_retention(
    setup: tuple[Path, CentreKeys], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    data, _centre = setup
    code, out, _err = _run(monkeypatch, capsys, data, "sync", "--json")
    assert code == 1 and json.loads(out)["state"] == "not-enrolled"
    code, out, _err = _run(monkeypatch, capsys, data, "device", "retention", "7")
    assert code == 0 and "Retention: 7" in out
    code, out, _err = _run(monkeypatch, capsys, data, "device", "retention", "never")
    assert "Retention: never" in out
    code, _out, err = _run(monkeypatch, capsys, data, "device", "retention", "soon")
    assert code == EXIT_KNOWN_ERROR and "retention" in err.lower()

"""`intake-app centre ...` end to end, in process: set-up, enrolment, approval, import, exports.

The passphrase comes on standard input (as in scripts); the forms come from a folder holding the
test form, loaded by the real `FormRegistry.load`.
"""

from __future__ import annotations

import io
import json
import os
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake_app.cli import main
from intake_app.domain import registry
from intake_app.i18n import PSEUDO_LANGUAGE, set_language
from intake_app.storage import KdfParams
from intake_app.sync.centre.importer import ImportResult
from intake_app.sync.centre.texts import outcome_text, reason_text, state_text
from intake_app.sync.device.transport import write_bundle
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format import keys
from intake_app.sync.format.bundle_file import BundleContents
from intake_app.sync.format.profile import load_profile
from intake_app.sync.format.reader import DeviceState
from tests.helpers.bundles import Laptop
from tests.helpers.centre import PASSPHRASE, write_forms_folder
from tests.helpers.cli import close_log_handlers
from tests.helpers.documents import make_document
from tests.helpers.storage import FAST


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    forms = write_forms_folder(tmp_path / "forms")
    monkeypatch.setattr(registry, "forms_dir", lambda: forms)
    # `centre init` calibrates the KDF to half a second; tests use the fast minimum instead.
    monkeypatch.setattr(KdfParams, "calibrate", classmethod(lambda cls, *a, **k: FAST))
    data = tmp_path / "data"

    def run(*args: str, stdin: str = PASSPHRASE + "\n", lang: str | None = None
            ) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        language = ["--lang", lang] if lang else []
        try:
            code = main(["--data-dir", str(data), *language, "centre", *args])
        finally:
            # main() points the log at the data folder each time; close the file it opened.
            close_log_handlers()
            set_language("en")
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _profile(tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_profile(tmp_path / "data" / "centre-profile.json")


def test_init_writes_profile_and_backup_once(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backup = tmp_path / "offline" / "backup.txt"
    backup.parent.mkdir()
    code, out, _err = cli("init", "--name", "Centre A", "--share", str(tmp_path / "share"),
                          "--backup-identity", str(backup))
    assert code == 0
    profile, fingerprint = _profile(tmp_path)
    assert fingerprint in out and str(tmp_path / "data" / "centre-profile.json") in out
    assert len(profile.age_recipients) == 2 and profile.name == "Centre A"
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    assert b"AGE-SECRET-KEY-1" in backup.read_bytes()
    secret = backup.read_bytes().splitlines()[-1]
    assert secret not in (tmp_path / "data" / "centre-profile.json").read_bytes()
    for path in (tmp_path / "data" / "centre").iterdir():
        assert secret not in path.read_bytes()  # the vault holds only the primary, encrypted
    again, _out, err = cli("init", "--name", "Centre A", "--share", "x")
    assert again == 2 and "already exists" in err


def test_the_whole_day_of_an_administrator(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    share = tmp_path / "share"
    assert cli("init", "--name", "Centre A", "--share", str(share))[0] == 0
    profile, _fingerprint = _profile(tmp_path)
    laptop = Laptop()
    laptop.enrol(share)
    code, out, _err = cli("enrolments", "--json")
    [request] = _lines(out)
    assert code == 0 and request["state"] == "request"  # listed, not registered
    assert request["fingerprint"] == laptop.fingerprint
    code, out, _err = cli("register", "--all", "--json")
    [pending] = _lines(out)
    assert code == 0 and pending["state"] == "pending"
    assert pending["fingerprint"] == laptop.fingerprint

    # A bundle sent before approval waits in quarantine.
    inbox = share / "inbox" / laptop.device_id
    inbox.mkdir(parents=True)
    doc = make_document(answers={"consent_interview": "yes", "alias": "=cmd|' /C calc'!A0",
                                 "setting": "street", "needs": ["housing", "legal"]})
    write_bundle(inbox, profile=profile, device_id=laptop.device_id,
                 device_key=laptop.keypair.secret_key, seq=1,
                 created=datetime.now(UTC),
                 contents=BundleContents((doc,)))
    code, out, _err = cli("import", "--inbox", "--json")
    assert code == 3
    assert [(r["outcome"], r["reason"], r["seq"]) for r in _lines(out)] == [
        ("quarantined", "device-pending", 1)]
    assert not any(inbox.iterdir())  # moved to processed/

    # Approval needs the fingerprint when nobody is at a terminal ...
    code, _out, err = cli("approve", laptop.device_id[:8])
    assert code == 2 and laptop.fingerprint in err
    code, _out, err = cli("approve", laptop.device_id[:8], "--fingerprint", "0000 1111 2222")
    assert code == 2 and "does not match" in err
    # ... and with it, the waiting bundle is imported.
    code, out, _err = cli("approve", laptop.device_id[:8], "--fingerprint", laptop.fingerprint,
                          "--json")
    assert code == 0
    assert [(r["outcome"], r["records"]) for r in _lines(out)] == [("accepted", 1)]
    code, out, _err = cli("devices", "--json")
    assert [d["state"] for d in _lines(out)] == ["active"]
    [listed] = _lines(out)
    assert listed["public_key"] == keys.public_key_to_text(laptop.keypair.public_key)
    assert listed["fingerprint"] == laptop.fingerprint

    csv_path = tmp_path / "export.csv"
    assert cli("export-csv", "--out", str(csv_path), "--lang", "fi")[0] == 0
    text = csv_path.read_bytes().decode("utf-8-sig")
    assert "housing legal" in text and "Asunto; Oikeusapu" in text and "Katu" in text
    assert "'=cmd" in text  # a formula is never live in a spreadsheet
    assert stat.S_IMODE(os.stat(csv_path).st_mode) == 0o600

    code, out, _err = cli("stats", "--by", "setting", "--json")
    table = json.loads(out)
    # 1 < 5: hidden, and not named
    assert table["rows"] == [{"group": [], "labels": ["Groups not shown"], "count": None}]
    assert table["total"] is None  # 1 < 5: hidden too

    code, out, _err = cli("log", "--json")
    assert [e["outcome"] for e in _lines(out)] == ["accepted", "quarantined"]
    code, out, _err = cli("retire", laptop.device_id, "--last-seq", "1")
    assert code == 0
    code, _out, err = cli("revoke", laptop.device_id)
    assert code == 0


def test_import_of_files_prints_one_object_per_bundle(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--name", "Centre A", "--share", str(tmp_path / "share"))[0] == 0
    junk = tmp_path / "junk.ibundle"
    junk.write_bytes(b"not a bundle")
    code, out, _err = cli("import", str(junk), "--json")
    assert code == 3
    assert _lines(out) == [{"file": "junk.ibundle", "outcome": "rejected",
                            "reason": "not-a-bundle", "device_id": None, "seq": None,
                            "records": 0}]
    code, _out, err = cli("import", str(tmp_path / "missing.ibundle"), "--json")
    assert code == 2 and "missing.ibundle" in err


def test_wrong_passphrase_is_a_known_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--name", "Centre A", "--share", str(tmp_path / "share"))[0] == 0
    code, _out, err = cli("devices", stdin="not the passphrase\n")
    assert code == 2 and "passphrase" in err.lower()


# --- outcomes in the administrator's window's words ------------------------------------------


def _in(language: str, words: Callable[[], str]) -> str:
    """`words()` said in `language` (English again after)."""
    set_language(language)
    try:
        return words()
    finally:
        set_language("en")


REASONS = {Outcome.QUARANTINED: Reason.DEVICE_PENDING, Outcome.REJECTED: Reason.NOT_A_BUNDLE}


@pytest.mark.parametrize("outcome", list(Outcome))
@pytest.mark.parametrize("language", ["en", PSEUDO_LANGUAGE])
def test_an_import_line_says_the_outcome_as_the_window_does(outcome: Outcome,
                                                            language: str) -> None:
    from intake_app.commands.centre.output import describe

    reason = REASONS.get(outcome)
    line = _in(language, lambda: describe(ImportResult("b.ibundle", outcome, reason)))
    words = _in(language, lambda: outcome_text(outcome))
    if reason is not None:
        words += ": " + _in(language, lambda: reason_text(reason))
    assert line == f"b.ibundle: {words}"


def test_import_and_log_print_the_window_s_words(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    share = tmp_path / "share"
    assert cli("init", "--name", "Centre A", "--share", str(share))[0] == 0
    laptop = Laptop()
    laptop.enrol(share)
    code, out, _err = cli("register", "--all", lang=PSEUDO_LANGUAGE)
    pending = _in(PSEUDO_LANGUAGE, lambda: state_text(DeviceState.PENDING.value))
    assert code == 0 and out.startswith(f"{laptop.device_id}  {pending}  ")
    assert cli("approve", laptop.device_id, "--fingerprint", laptop.fingerprint)[0] == 0
    profile, _fingerprint = _profile(tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    bundle = write_bundle(stick, profile=profile, device_id=laptop.device_id,
                          device_key=laptop.keypair.secret_key, seq=1, created=datetime.now(UTC),
                          contents=BundleContents((make_document(),))).path
    junk = stick / "junk.ibundle"
    junk.write_bytes(b"not a bundle")

    code, out, _err = cli("import", str(bundle), lang=PSEUDO_LANGUAGE)
    imported = _in(PSEUDO_LANGUAGE, lambda: outcome_text(Outcome.ACCEPTED))
    assert (code, out.splitlines()) == (0, [f"{bundle.name}: {imported}"])
    refused = f"{outcome_text(Outcome.REJECTED)}: {reason_text(Reason.NOT_A_BUNDLE)}"
    code, out, _err = cli("import", str(bundle), str(junk))
    assert code == 3
    assert out.splitlines() == [f"{bundle.name}: {outcome_text(Outcome.DUPLICATE)}",
                                f"junk.ibundle: {refused}"]
    code, out, _err = cli("log")
    assert [line.split("  ", 2)[2] for line in out.splitlines()] == [
        f"junk.ibundle  {refused}", f"{bundle.name}  {outcome_text(Outcome.DUPLICATE)}",
        f"{bundle.name}  {outcome_text(Outcome.ACCEPTED)}"]


def test_enrolments_register_and_dismiss_on_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    share = tmp_path / "share"
    assert cli("init", "--name", "Centre A", "--share", str(share))[0] == 0
    keep, spam = Laptop(), [Laptop() for _ in range(5)]
    for laptop in (keep, *spam):
        laptop.enrol(share)
    code, out, _err = cli("enrolments", "--json")
    assert code == 0 and {r["request_id"] for r in _lines(out)} == {
        laptop.device_id for laptop in (keep, *spam)}
    assert cli("devices")[1] == ""  # nothing registered by listing
    code, out, _err = cli("dismiss", *(laptop.device_id for laptop in spam), "--json")
    assert code == 0 and len(_lines(out)) == 5
    code, out, _err = cli("enrolments", "--json")
    assert [r["request_id"] for r in _lines(out)] == [keep.device_id]
    code, out, _err = cli("register", keep.device_id[:8], "--json")
    assert code == 0 and [(r["device_id"], r["state"]) for r in _lines(out)] == [
        (keep.device_id, "pending")]
    assert cli("enrolments")[1] == ""
    assert len(list((share / "enrol" / "dismissed").iterdir())) == 10
    code, _out, err = cli("register")
    assert code == 2 and "--all" in err


def test_alerts_say_which_laptop_a_cap_stopped_and_are_marked_seen(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from intake_app.sync.centre import quarantine

    share = tmp_path / "share"
    assert cli("init", "--name", "Centre A", "--share", str(share))[0] == 0
    profile, _fingerprint = _profile(tmp_path)
    laptop = Laptop(name="Laptop 7")
    laptop.enrol(share)
    assert cli("register", "--all")[0] == 0
    monkeypatch.setattr(quarantine, "CAPS", quarantine.HeldCaps(device_count=1))
    inbox = share / "inbox" / laptop.device_id
    for _ in range(2):
        laptop.bundle(inbox, profile)
    code, out, err = cli("import", "--inbox", "--json")
    assert [r["seq"] for r in _lines(out)] == [1]  # the second is left in the inbox
    assert laptop.device_id in err

    code, out, _err = cli("alerts")
    assert code == 0
    [_held_line, heading, cap_line] = out.splitlines()
    assert "--ack-cap" in heading
    assert f"“Laptop 7” ({laptop.device_id}) was left in the inbox" in cap_line
    assert "as many bundles held as a laptop waiting for approval may have" in cap_line
    code, out, _err = cli("alerts", "--json")
    [_held, cap] = _lines(out)
    assert (cap["cap"], cap["device_id"], cap["device_name"]) == (
        "count", laptop.device_id, "Laptop 7")

    code, _out, err = cli("alerts", "--ack-cap", str(int(str(cap["cap_alert"])) + 1))
    assert code == 1 and "no open cap's alert" in err
    assert cli("alerts", "--ack-cap", str(cap["cap_alert"]))[0] == 0
    code, out, _err = cli("alerts", "--json")
    assert [line.get("cap_alert") for line in _lines(out)] == [None]  # the held one stays
    code, out, _err = cli("alerts", lang="fi")
    assert len(out.splitlines()) == 1


def test_conflicts_are_listed_and_resolved_on_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    share = tmp_path / "share"
    assert cli("init", "--name", "Centre A", "--share", str(share))[0] == 0
    profile, _fingerprint = _profile(tmp_path)
    laptop = Laptop()
    laptop.enrol(share)
    assert cli("register", "--all")[0] == 0
    assert cli("approve", laptop.device_id[:8], "--fingerprint", laptop.fingerprint)[0] == 0
    doc = make_document(answers={"consent_interview": "yes", "alias": "First"})
    changed = dict(doc, answers={"consent_interview": "yes", "alias": "Second"})
    bundles = []
    for seq, version in ((1, doc), (2, changed)):
        folder = tmp_path / f"out{seq}"
        folder.mkdir()
        bundles.append(write_bundle(folder, profile=profile, device_id=laptop.device_id,
                                    device_key=laptop.keypair.secret_key, seq=seq,
                                    created=datetime.now(UTC),
                                    contents=BundleContents((version,))).path)
    assert cli("import", str(bundles[0]))[0] == 0
    code, out, _err = cli("import", str(bundles[1]), "--json")
    assert code == 3 and _lines(out)[0]["reason"] == "record-conflict"

    code, out, _err = cli("conflicts", "--json")
    [listed] = _lines(out)
    assert code == 0 and (listed["id"], listed["revision"], listed["chosen"]) == (
        doc["id"], 1, None)
    assert listed["centre"] == doc and listed["laptop"] == changed
    code, out, _err = cli("conflicts")
    assert code == 0 and "≠ Alias" in out and "First" in out and "Second" in out

    code, _out, err = cli("resolve", "00000000", "--keep", "laptop")
    assert code == 2 and "No record conflict" in err
    code, out, _err = cli("resolve", doc["id"][:8], "--keep", "laptop", "--by", "Ada",
                          "--json")
    [resolved] = _lines(out)
    assert code == 0 and (resolved["kept"], resolved["by"], resolved["outcome"]) == (
        "laptop", "Ada", "accepted")
    assert cli("conflicts", "--json")[1] == ""
    receipt = json.loads((share / "receipts" / laptop.device_id /
                          f"{laptop.device_id}-00000002.receipt.json").read_bytes())
    assert receipt["conflicts"] == [{"id": doc["id"], "revision": 1, "kept": "laptop"}]

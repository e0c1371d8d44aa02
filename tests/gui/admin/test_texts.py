"""What the centre shows people: names and file names escaped, codes in words, whole messages,
and the referral PDF written privately and atomically."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from intake_app.cli import main
from intake_app.domain import registry
from intake_app.errors import DiskFull, KnownError
from intake_app.i18n import PSEUDO_LANGUAGE, set_language
from intake_app.i18n.pseudo import pseudo_translate
from intake_app.services.centre import CentreService, ReferralNotSaved
from intake_app.storage import KdfParams
from intake_app.sync.centre.devices import RegisteredDevice, register_request
from intake_app.sync.centre.importer import ImportResult, import_bundle
from intake_app.sync.centre.records import ImportedTombstone
from intake_app.sync.centre.vault import Centre
from intake_app.sync.device.transport import write_bundle
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format import keys
from intake_app.sync.format.bundle_file import BundleContents
from intake_app.sync.format.enrolment import EnrolmentRequest, enrolment_comment
from intake_app.sync.format.profile import load_profile
from intake_app.sync.format.reader import DeviceState
from tests.helpers.bundles import Laptop
from tests.helpers.centre import PASSPHRASE, REGISTRY, make_centre, register, write_forms_folder
from tests.helpers.cli import close_log_handlers
from tests.helpers.documents import make_document
from tests.helpers.storage import FAST

CRAFTED_NAME = "Laptop 7\nKey fingerprint: 0000 1111 2222 3333 4444\x1b[8m\u202e"
CRAFTED_WORKER = "W-1\x1b[2J\u2066"
RAW = ("\x1b", "\u202e", "\u2066")

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    """`intake-app [--lang L] centre ...` in process; returns (exit code, stdout, stderr)."""
    forms = write_forms_folder(tmp_path / "forms")
    monkeypatch.setattr(registry, "forms_dir", lambda: forms)
    monkeypatch.setattr(KdfParams, "calibrate", classmethod(lambda cls, *a, **k: FAST))

    def run(*args: str, lang: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
        language = ["--lang", lang] if lang else []
        try:
            code = main(["--data-dir", str(tmp_path / "data"), *language, "centre", *args])
        finally:
            close_log_handlers()
            set_language("en")
        out, err = capsys.readouterr()
        return code, out, err

    yield run


def _init(cli: Cli, tmp_path: Path) -> Path:
    share = tmp_path / "share"
    assert cli("init", "--name", "Centre A", "--share", str(share))[0] == 0
    return share


@contextlib.contextmanager
def _centre(tmp_path: Path) -> Iterator[Centre]:
    centre = Centre.open(tmp_path / "data", PASSPHRASE)
    try:
        yield centre
    finally:
        centre.close()


def _register_crafted(tmp_path: Path, laptop: Laptop) -> None:
    """A device whose stored name holds escapes (as a registry from before the check could)."""
    request = EnrolmentRequest(laptop.device_id, CRAFTED_NAME, CRAFTED_WORKER,
                               keys.public_key_to_text(laptop.keypair.public_key),
                               "2026-11-28T16:02:11Z")
    with _centre(tmp_path) as centre:
        register_request(centre.vault, request)


# --- names and file names on the terminal (D4) -----------------------------------------------


def test_devices_and_approve_print_names_escaped(cli: Cli, tmp_path: Path, laptop: Laptop) -> None:
    _init(cli, tmp_path)
    _register_crafted(tmp_path, laptop)
    code, out, err = cli("devices")
    assert code == 0
    assert not any(raw in out + err for raw in RAW)
    assert "Laptop 7\\x0aKey fingerprint: 0000 1111 2222 3333 4444\\x1b[8m\\u202e" in out
    assert "W-1\\x1b[2J\\u2066" in out
    assert len([line for line in out.splitlines() if "fingerprint" in line]) == 2  # name, key

    code, out, err = cli("approve", laptop.device_id, "--fingerprint", "0000 1111")
    assert code == 2  # the typed fingerprint does not match
    assert not any(raw in out + err for raw in RAW)
    assert [line for line in err.splitlines() if line.startswith("Key fingerprint:")] == [
        f"Key fingerprint: {laptop.fingerprint}"]

    code, out, _err = cli("devices", "--json")
    assert not any(raw in out for raw in RAW) and "\n" not in out.rstrip("\n")
    [listed] = [json.loads(line) for line in out.splitlines()]
    assert (listed["device_name"], listed["worker"]) == (CRAFTED_NAME, CRAFTED_WORKER)


def test_a_crafted_request_is_refused_and_registers_nothing(
        cli: Cli, tmp_path: Path, laptop: Laptop) -> None:
    share = _init(cli, tmp_path)
    obj = laptop.request().to_json()
    obj["device_name"] = CRAFTED_NAME
    data = json.dumps(obj).encode()
    signature = laptop.keypair.secret_key.sign(
        data, prehash=True, trusted_comment=enrolment_comment(laptop.device_id))
    folder = share / "enrol"
    folder.mkdir(exist_ok=True)
    (folder / f"{laptop.device_id}.json").write_bytes(data)
    (folder / f"{laptop.device_id}.json.minisig").write_bytes(bytes(signature) + b"\n")
    code, out, err = cli("enrolments")
    assert code == 2 and out == ""
    assert f"{laptop.device_id}.json: This enrolment request cannot be used" in err
    assert not any(raw in err for raw in RAW)
    assert cli("devices", "--json")[1] == ""


def test_file_names_are_escaped_in_import_and_log(cli: Cli, tmp_path: Path) -> None:
    _init(cli, tmp_path)
    junk = tmp_path / "junk\x1b[2J\u202e.ibundle"
    junk.write_bytes(b"not a bundle")
    code, out, err = cli("import", str(junk))
    assert code == 3
    assert "junk\\x1b[2J\\u202e.ibundle: " in out and not any(raw in out + err for raw in RAW)
    code, out, err = cli("log")
    assert "junk\\x1b[2J\\u202e.ibundle" in out and not any(raw in out + err for raw in RAW)
    code, out, _err = cli("import", str(tmp_path / "gone\x1b[8m.ibundle"))
    assert code == 2 and "\x1b" not in out + _err and "gone\\x1b[8m.ibundle" in _err


# --- outcomes in words on the terminal (D9) --------------------------------------------------


def test_log_and_alerts_show_outcomes_in_the_current_language(
        cli: Cli, tmp_path: Path, laptop: Laptop) -> None:
    share = _init(cli, tmp_path)
    laptop.enrol(share)
    assert cli("enrolments")[0] == 0
    profile, _fingerprint = load_profile(tmp_path / "data" / "centre-profile.json")
    inbox = share / "inbox" / laptop.device_id
    inbox.mkdir(parents=True)
    write_bundle(inbox, profile=profile, device_id=laptop.device_id,
                 device_key=laptop.keypair.secret_key, seq=1, created=datetime.now(UTC),
                 contents=BundleContents((make_document(),)))
    assert cli("import", "--inbox")[0] == 3  # held until the laptop is approved: an alert
    assert cli("approve", laptop.device_id, "--fingerprint", laptop.fingerprint)[0] == 0
    code, out, _err = cli("log")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert any(line.endswith("  Imported") for line in lines)
    assert not any(line.endswith(("accepted", "quarantined")) for line in lines)
    code, out, _err = cli("log", lang=PSEUDO_LANGUAGE)
    assert any(line.endswith("  " + pseudo_translate("Imported")) for line in out.splitlines())
    assert all(line.endswith("]") for line in out.splitlines())  # every outcome in words
    code, out, _err = cli("alerts", lang=PSEUDO_LANGUAGE)
    [alert] = out.splitlines()
    assert alert.endswith("]") and "device-pending" not in alert


# --- the administrator's window --------------------------------------------------------------


@pytest.fixture
def service(tmp_path: Path) -> Iterator[CentreService]:
    made = CentreService(tmp_path / "none")
    yield made
    made.shutdown()
    set_language("en")


def _tombstone(reason: str) -> ImportedTombstone:
    return ImportedTombstone(record_id="id", revision=2, reason=reason, device_id="d", seq=1,
                             applied="2026-11-28T18:40:00Z")


def test_deletion_reasons_are_shown_in_words(service: CentreService, qtbot: QtBot) -> None:
    from intake_app.services.centre import InterviewDetails as Shown
    from intake_app.ui.admin.interviews_tab import InterviewsTab

    tab = InterviewsTab(service)
    qtbot.addWidget(tab)
    reasons = ["consent-withdrawn", "deleted", "some-new-code"]
    shown = Shown("id", None, [], [_tombstone(r) for r in reasons], None)
    tab._show_answers(shown)
    lines = tab.answers.toPlainText().splitlines()[1:]
    assert "(consent withdrawn)" in lines[0] and "(deleted on the laptop)" in lines[1]
    assert "(some-new-code)" in lines[2]  # an unknown code is shown as it is
    set_language(PSEUDO_LANGUAGE)
    tab._show_answers(shown)
    text = tab.answers.toPlainText()
    assert pseudo_translate("consent withdrawn") in text
    assert pseudo_translate("deleted on the laptop") in text
    assert "consent-withdrawn" not in text and "some-new-code" in text


def test_every_reason_a_laptop_sends_has_words() -> None:
    from intake_app.sync.device.changes import FALLBACK_REASON
    from intake_app.ui.admin.interviews_tab import DELETION_REASONS

    assert {"consent-withdrawn", FALLBACK_REASON} <= set(DELETION_REASONS)


def _results(*outcomes: Outcome, receipt_error: KnownError | None = None) -> list[ImportResult]:
    reasons = {Outcome.QUARANTINED: Reason.DEVICE_PENDING, Outcome.REJECTED: Reason.NOT_A_BUNDLE}
    return [ImportResult(f"{i}.ibundle", outcome, reasons.get(outcome), receipt_error=None)
            for i, outcome in enumerate(outcomes)] + (
        [] if receipt_error is None else
        [ImportResult("r.ibundle", Outcome.ACCEPTED, None, receipt_error=receipt_error)])


def test_the_import_summary_is_whole_sentences() -> None:
    from intake_app.ui.admin.window import summary_text

    assert summary_text(_results(Outcome.ACCEPTED)) == "1 bundle handled: 1 imported."
    assert summary_text(_results(Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.QUARANTINED,
                                 Outcome.REJECTED, Outcome.REJECTED)) == (
        "5 bundles handled: 2 imported. 1 bundle is held; see the alerts. "
        "2 bundles were refused; see the import log.")
    set_language(PSEUDO_LANGUAGE)
    try:
        text = summary_text(_results(Outcome.QUARANTINED, Outcome.QUARANTINED, Outcome.REJECTED))
        # Each sentence is one translated message; nothing English glues them together.
        assert re.fullmatch(r"\[[^\[\]]*\]( \[[^\[\]]*\])*", text), text
        assert len(re.findall(r"\[", text)) == 3
        problem = summary_text(_results(receipt_error=DiskFull()))
        assert problem.endswith(" " + pseudo_translate("Receipts could not be written: {problem}")
                                .format(problem=DiskFull().translated()))
    finally:
        set_language("en")


def test_laptop_names_cannot_spoof_the_devices_table(service: CentreService,
                                                     qtbot: QtBot) -> None:
    from intake_app.ui.admin.devices_tab import DevicesTab

    tab = DevicesTab(service)
    qtbot.addWidget(tab)
    laptop = Laptop()
    device = RegisteredDevice(  # a stored row, as a registry from before the check could hold
        device_id=laptop.device_id, key_id="k",
        public_key=keys.public_key_to_text(laptop.keypair.public_key),
        device_name=CRAFTED_NAME, worker="<b>W-1</b>\n", requested="2026-11-28T16:02:11Z",
        state=DeviceState.PENDING, last_seq=None, registered="2026-11-28T16:02:11Z",
        changed="2026-11-28T16:02:11Z")
    tab.model.set_rows([(device, [])])
    name = tab.model.data(tab.model.index(0, 1))
    worker = tab.model.data(tab.model.index(0, 2))
    assert name == "Laptop 7\\x0aKey fingerprint: 0000 1111 2222 3333 4444\\x1b[8m\\u202e"
    assert worker == "<b>W-1</b>\\x0a"
    tip = tab.model.data(tab.model.index(0, 2), Qt.ItemDataRole.ToolTipRole)
    assert "<b>" not in tip and "&lt;b&gt;W-1&lt;/b&gt;" in tip  # never markup in a tooltip


def test_the_status_line_shows_file_names_as_plain_escaped_text(
        tmp_path: Path, qtbot: QtBot) -> None:
    from intake_app.sync.centre.inbox import ScanProgress
    from intake_app.ui.admin.window import AdminWindow

    made = CentreService(tmp_path / "none")
    window = AdminWindow(made, watch_interval_ms=3_600_000)
    qtbot.addWidget(window)
    try:
        assert window.status.textFormat() == Qt.TextFormat.PlainText
        assert window.centre_name.textFormat() == Qt.TextFormat.PlainText
        window._progress(ScanProgress(0, 2, "d/<b>x</b>\n2 bundles handled.ibundle", None))
        assert "\n" not in window.status.text() and "\\x0a" in window.status.text()
    finally:
        window.watch.stop()
        made.shutdown()


# --- the referral PDF --------------------------------------------------------------------------


def test_the_referral_pdf_replaces_a_file_atomically_and_privately(tmp_path: Path,
                                                                   qapp: object) -> None:
    from intake_app.ui.admin.referral import write_pdf

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "referral.pdf"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    linked = folder / "other-name.pdf"
    os.link(target, linked)  # the old file must stay as it was: a new file replaces it
    before = os.stat(target).st_ino
    write_pdf("<p>Summary</p>", target)
    assert target.read_bytes()[:5] == b"%PDF-" and linked.read_bytes() == b"old"
    assert target.read_bytes().rstrip().endswith(b"%%EOF")  # finished, not cut off
    assert os.stat(target).st_ino != before
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["other-name.pdf", "referral.pdf"]


def test_the_referral_pdf_never_writes_through_a_link(tmp_path: Path,
                                                      qapp: object) -> None:
    from intake_app.ui.admin.referral import write_pdf

    elsewhere = tmp_path / "public.pdf"
    elsewhere.write_bytes(b"public")
    os.chmod(elsewhere, 0o644)
    target = tmp_path / "referral.pdf"
    target.symlink_to(elsewhere)
    write_pdf("<p>Summary</p>", target)
    assert not target.is_symlink() and target.read_bytes()[:5] == b"%PDF-"
    assert elsewhere.read_bytes() == b"public"
    assert stat.S_IMODE(os.stat(elsewhere).st_mode) == 0o644


def test_a_referral_that_cannot_be_saved_says_so(tmp_path: Path, qtbot: QtBot,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from intake_app.ui.admin import referral

    with pytest.raises(ReferralNotSaved):
        referral.write_pdf("<p>Summary</p>", tmp_path / "missing" / "referral.pdf")
    assert not (tmp_path / "missing").exists()

    centre = make_centre(tmp_path)
    laptop = Laptop()
    register(centre, laptop)
    doc = make_document(answers={"consent_interview": "yes", "alias": "Ilona"})
    assert import_bundle(centre, laptop.bundle(tmp_path / "b", centre, records=[doc]).path
                         ).delivered
    centre.close()
    made = CentreService(tmp_path / "centre-data", registry=REGISTRY)
    try:
        made.unlock(PASSPHRASE).result(timeout=60)
        parent = QWidget()
        qtbot.addWidget(parent)
        printer = referral.ReferralPrinter(made, parent)
        printer.print_to(doc["id"], tmp_path / "missing" / "r.pdf")
        qtbot.waitUntil(lambda: printer.message_box is not None, timeout=20_000)
        assert isinstance(printer.message_box, QMessageBox)
        assert printer.message_box.text() == ReferralNotSaved().translated()
        assert printer.message_box.icon() == QMessageBox.Icon.Warning
        printer.message_box.close()
    finally:
        made.shutdown()

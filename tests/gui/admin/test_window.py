"""The administrator's window with a real centre vault: unlock, laptops, inbox, interviews,
log, alerts, language switch, referral PDF, lock."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from intake_app.i18n import PSEUDO_LANGUAGE, set_language
from intake_app.i18n.qt import bind_application
from intake_app.services.centre import CentreService
from intake_app.sync.centre import AnswerLine
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.records import get_interview
from intake_app.sync.centre.sequence import SEQ_FAR_AHEAD
from intake_app.sync.errors import Outcome, Reason
from intake_app.ui.admin.referral import ReferralData, referral_html
from intake_app.ui.admin.rows_model import Column, RowsModel
from intake_app.ui.admin.window import AdminWindow
from tests.helpers.bundles import Laptop
from tests.helpers.centre import PASSPHRASE, REGISTRY, make_centre, register
from tests.helpers.documents import make_document

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")


@contextlib.contextmanager
def shown_window(service: CentreService, qtbot: QtBot, qapp: object) -> Iterator[AdminWindow]:
    """The administrator's window over `service`, shown; stopped and shut down afterwards."""
    stop = bind_application(qapp)  # type: ignore[arg-type]
    made = AdminWindow(service, watch_interval_ms=3_600_000)
    qtbot.addWidget(made)
    made.show()
    try:
        yield made
    finally:
        made.watch.stop()
        service.shutdown()
        stop()
        set_language("en")


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot, qapp: object) -> Iterator[AdminWindow]:
    make_centre(tmp_path).close()
    with shown_window(CentreService(tmp_path / "centre-data", registry=REGISTRY), qtbot,
                      qapp) as made:
        yield made


def unlock(window: AdminWindow, qtbot: QtBot) -> None:
    window.unlock_page.passphrase.setText(PASSPHRASE)
    window.unlock_page.open_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=20_000)
    qtbot.waitUntil(lambda: not window.watch.busy, timeout=20_000)


def run(window: AdminWindow, work):  # type: ignore[no-untyped-def]
    """Do something with the centre on its thread and wait for it (test set-up)."""
    return window.service.run(work).result(timeout=60)


def test_wrong_passphrase_says_so(window: AdminWindow, qtbot: QtBot) -> None:
    window.unlock_page.passphrase.setText("not the passphrase")
    window.unlock_page.open_button.click()
    qtbot.waitUntil(lambda: window.unlock_page.error.isVisible(), timeout=20_000)
    assert "passphrase" in window.unlock_page.error.text().lower()
    assert window.pages.currentWidget() is window.unlock_page


def test_pending_laptop_is_approved_and_its_bundle_imported(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    laptop: Laptop) -> None:
    unlock(window, qtbot)
    laptop.enrol(profile_share(window))
    window.devices.refresh_requests()
    qtbot.waitUntil(lambda: window.devices.requests_model.rowCount() == 1, timeout=20_000)
    window.devices.requests_table.selectRow(0)
    window.devices.register_button.click()
    qtbot.waitUntil(lambda: window.devices.model.rowCount() == 1, timeout=20_000)
    table = window.devices.table
    table.selectRow(0)
    assert window.devices.approve_button.isEnabled()
    assert window.devices.model.data(window.devices.model.index(0, 5)) == laptop.fingerprint
    profile = run(window, lambda c: c.profile)
    doc = make_document(answers={"consent_interview": "yes", "alias": "Ilona"})
    laptop.bundle(profile_share(window) / "inbox" / laptop.device_id, profile, records=[doc])
    seen: list[object] = []
    window.watch.progress.connect(seen.append)
    with qtbot.waitSignal(window.watch.finished, timeout=30_000) as finished:
        window.scan_button.click()
    [held] = finished.args[0]
    assert held.reason is Reason.DEVICE_PENDING
    assert seen and window.status.text()
    qtbot.waitUntil(lambda: window.alerts.count() == 1, timeout=20_000)
    assert "(1)" in window.tabs.tabText(3)

    table.selectRow(0)
    window.devices.approve_button.click()
    approval = window.devices.approval
    assert approval is not None and approval.isVisible()
    approval.fingerprint.setText(laptop.fingerprint.upper().replace(" ", ""))  # as typed
    approval.approve_button.click()
    qtbot.waitUntil(lambda: window.interviews.model.rowCount() == 1, timeout=30_000)
    assert run(window, lambda c: get_interview(c.vault, doc["id"])).alias == "Ilona"
    qtbot.waitUntil(lambda: window.log.model.rowCount() == 2, timeout=20_000)
    outcome = window.log.model.data(window.log.model.index(0, 4))
    assert outcome == "Imported"

    window.interviews.table.selectRow(0)
    qtbot.waitUntil(lambda: window.interviews.current is not None, timeout=20_000)
    assert window.interviews.history_model.rowCount() == 1
    assert window.interviews.history_model.data(
        window.interviews.history_model.index(0, 3)).endswith(".ibundle")
    assert "Alias\nIlona" in window.interviews.answers.toPlainText()
    assert "Consent to the interview\nYes" in window.interviews.answers.toPlainText()

    pdf = tmp_path / "referral.pdf"
    window.referral.print_to(doc["id"], pdf)
    qtbot.waitUntil(pdf.exists, timeout=20_000)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert stat.S_IMODE(os.stat(pdf).st_mode) == 0o600


def profile_share(window: AdminWindow) -> Path:
    share: Path = run(window, lambda c: c.share)
    return share


def test_files_chosen_by_hand_are_imported(window: AdminWindow, qtbot: QtBot,
                                           tmp_path: Path, laptop: Laptop) -> None:
    unlock(window, qtbot)
    run(window, lambda c: register(c, laptop))
    written = laptop.bundle(tmp_path / "stick", run(window, lambda c: c.profile))
    with qtbot.waitSignal(window.watch.finished, timeout=30_000) as finished:
        window.import_paths([written.path])
    [result] = finished.args[0]
    assert result.outcome is Outcome.ACCEPTED
    assert "1 imported" in window.status.text()


def test_language_switch_retranslates_the_window(window: AdminWindow, qtbot: QtBot) -> None:
    unlock(window, qtbot)
    english = window.tabs.tabText(0)
    set_language(PSEUDO_LANGUAGE)
    assert window.tabs.tabText(0) not in ("", english)
    header = window.devices.model.headerData(0, Qt.Orientation.Horizontal)
    assert header not in (None, "Laptop")
    set_language("en")
    assert window.tabs.tabText(0) == english


def test_lock_forgets_everything_shown(window: AdminWindow, qtbot: QtBot, laptop: Laptop) -> None:
    unlock(window, qtbot)
    run(window, lambda c: register(c, laptop))
    window.refresh()
    qtbot.waitUntil(lambda: window.devices.model.rowCount() == 1, timeout=20_000)
    window.lock_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=20_000)
    assert window.devices.model.rowCount() == 0
    assert not window.service.is_unlocked


def test_idle_time_locks_the_centre(tmp_path: Path, qtbot: QtBot, qapp: object) -> None:
    make_centre(tmp_path).close()
    service = CentreService(tmp_path / "centre-data", registry=REGISTRY)
    idle = AdminWindow(service, watch_interval_ms=3_600_000, idle_seconds=0.5)
    qtbot.addWidget(idle)
    idle.show()
    try:
        assert idle.lock_shortcut.key().toString() == "Ctrl+L"
        unlock(idle, qtbot)
        qtbot.waitUntil(lambda: idle.pages.currentWidget() is idle.unlock_page, timeout=20_000)
        qtbot.waitUntil(lambda: not idle.service.is_unlocked, timeout=20_000)
        assert idle.devices.model.rowCount() == 0
    finally:
        idle.close()
        service.shutdown()


def test_rows_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = RowsModel([Column("Name", str), Column("Length", lambda r: str(len(r)))])
    model.set_rows(["one", "three", "seventeen"])
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_referral_summary_escapes_every_value(tmp_path: Path, laptop: Laptop) -> None:
    centre = make_centre(tmp_path)
    register(centre, laptop)
    doc = make_document(answers={"consent_interview": "yes", "alias": "<b>bold</b> & co"})
    import_bundle(centre, laptop.bundle(tmp_path / "out", centre, records=[doc]).path)
    head = get_interview(centre.vault, doc["id"])
    centre.close()
    answer = AnswerLine("legal_name", "3 <u>Person", "Name <s>", "<em>x</em>")
    markup = referral_html(ReferralData("Centre <i>", head, [answer], laptop="Laptop <q>"))
    assert "<b>bold" not in markup and "&lt;b&gt;bold&lt;/b&gt; &amp; co" in markup
    assert "Centre &lt;i&gt;" in markup and "Laptop &lt;q&gt;" in markup
    assert not any(tag in markup for tag in ("<u>", "<s>", "<q>", "<em>"))


def test_every_control_of_the_administrators_window_has_a_name(window: AdminWindow,
                                                                 qtbot: QtBot) -> None:
    from tests.gui.worker.test_accessibility import unnamed_controls

    assert unnamed_controls(window.unlock_page) == []
    unlock(window, qtbot)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
    assert unnamed_controls(window) == []


def test_a_large_centre_vault_is_checked_after_unlocking(tmp_path: Path, qtbot: QtBot,
                                                         qapp: object,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from intake_app.errors import VaultDamageFound
    from intake_app.storage import vault as vault_module
    from tests.helpers.bundles import attachment

    centre = make_centre(tmp_path)
    laptop = Laptop()
    register(centre, laptop)
    doc = make_document(answers={"consent_interview": "yes"})
    written = laptop.bundle(tmp_path / "out", centre, records=[doc],
                            attachments=[attachment(os.urandom(400_000), doc["id"])])
    assert import_bundle(centre, written.path).delivered
    centre.close()
    database = tmp_path / "centre-data" / "centre" / "intake.db"
    data = bytearray(database.read_bytes())
    data[len(data) - 20 * 4096 + 100] ^= 0x10  # inside the attachment's pages
    database.write_bytes(bytes(data))
    monkeypatch.setattr(vault_module, "FULL_CHECK_BYTES", 4096)  # the vault counts as large
    service = CentreService(tmp_path / "centre-data", registry=REGISTRY)
    with shown_window(service, qtbot, qapp) as window:
        unlock(window, qtbot)

        def damage_box() -> QMessageBox | None:
            return next((w for w in QApplication.topLevelWidgets()
                         if isinstance(w, QMessageBox) and w.isVisible()), None)

        qtbot.waitUntil(lambda: damage_box() is not None, timeout=20_000)
        box = damage_box()
        assert box is not None and box.text() == VaultDamageFound().translated()
        box.close()


def test_a_request_brought_on_a_usb_stick_is_registered(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    laptop: Laptop) -> None:
    unlock(window, qtbot)
    stick = tmp_path / "stick"
    request = laptop.enrol(stick)  # not the share: a folder the administrator picks
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(request), ""))
    assert window.devices.open_button.accessibleName() == "Open an enrolment request file"
    window.devices.open_button.click()
    qtbot.waitUntil(lambda: window.devices.model.rowCount() == 1, timeout=20_000)
    assert window.devices.model.data(window.devices.model.index(0, 5)) == laptop.fingerprint
    assert window.devices.message.text() == "1 request read."


def test_a_far_ahead_bundle_is_held_and_imported_by_hand(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    laptop: Laptop) -> None:
    unlock(window, qtbot)
    run(window, lambda centre: register(centre, laptop))
    far = run(window, lambda centre: laptop.bundle(tmp_path / "out", centre,
                                                   seq=SEQ_FAR_AHEAD + 2).path)
    window.import_paths([far])
    held = window.alerts.held
    qtbot.waitUntil(lambda: held.model.rowCount() == 1, timeout=30_000)
    held.table.selectRow(0)
    assert held.import_button.isEnabled()
    assert "will never come" in held.advice.text()
    monkeypatch.setattr(held, "confirm", lambda _held: True)
    held.import_button.click()
    qtbot.waitUntil(lambda: held.model.rowCount() == 0, timeout=30_000)
    assert held.message.text().startswith(f"Bundle {SEQ_FAR_AHEAD + 2}: ")
    qtbot.waitUntil(lambda: window.interviews.model.rowCount() == 1, timeout=30_000)

"""The Laptops tab's enrolment requests and the Alerts tab's caps, with a real centre and real
request files on a real share folder (issue 14 in the window): requests are listed and nothing
is registered until the administrator registers them; dismissing moves them aside, 200 in one
action; a bundle left in the inbox by a cap is an alert in words, naming the laptop and the cap,
that can be marked as seen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from intake_app.i18n import set_language
from intake_app.i18n.formatting import LRI, PDI
from intake_app.services.centre import CentreService
from intake_app.sync.centre import quarantine
from intake_app.sync.centre.devices import list_devices
from intake_app.sync.format import DeviceState
from intake_app.ui.admin.devices_tab import REQUEST_COLUMNS
from intake_app.ui.admin.window import AdminWindow
from tests.gui.admin.test_window import profile_share, run, shown_window, unlock
from tests.helpers.bundles import Laptop
from tests.helpers.centre import REGISTRY, make_centre

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")

WAIT = 30_000
FINGERPRINT = [column.header for column in REQUEST_COLUMNS].index("Key fingerprint")
NAME = [column.header for column in REQUEST_COLUMNS].index("Name")
LAPTOP = [column.header for column in REQUEST_COLUMNS].index("Laptop")
PROBLEM = [column.header for column in REQUEST_COLUMNS].index("Problem")


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot, qapp: object) -> Iterator[AdminWindow]:
    make_centre(tmp_path).close()
    with shown_window(CentreService(tmp_path / "centre-data", registry=REGISTRY), qtbot,
                      qapp) as made:
        yield made


def registered(window: AdminWindow) -> list[tuple[str, DeviceState]]:
    """The registry as the centre holds it (not as the window shows it)."""
    return [(d.device_id, d.state) for d in run(window, lambda c: list_devices(c.vault))]


def cell(window: AdminWindow, row: int, column: int) -> str:
    model = window.devices.requests_model
    return str(model.data(model.index(row, column)))


def row_of(window: AdminWindow, laptop: Laptop) -> int:
    model = window.devices.requests_model
    return next(row for row in range(model.rowCount())
                if model.row_object(row).request_id == laptop.device_id)


def choose(window: AdminWindow, *rows: int) -> None:
    """Select these rows of the requests (as Ctrl+click does)."""
    table = window.devices.requests_table
    selection = table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(table.model().index(row, 0),
                         selection.SelectionFlag.Select | selection.SelectionFlag.Rows)


def answer_next_box(answer: QMessageBox.StandardButton, asked: list[str]) -> None:
    """Answer the next message box the window opens (a real one) and note its question."""
    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        asked.append(box.text())
        button = box.button(answer)
        assert button is not None
        button.click()
    QTimer.singleShot(0, press)


def enrol_all(share: Path, laptops: list[Laptop]) -> None:
    for laptop in laptops:
        laptop.enrol(share)


def wait_requests(window: AdminWindow, qtbot: QtBot, count: int) -> None:
    window.devices.refresh_requests()
    qtbot.waitUntil(lambda: window.devices.requests_model.rowCount() == count, timeout=WAIT)


def test_requests_are_listed_and_nothing_is_registered_until_chosen(
        window: AdminWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    unlock(window, qtbot)
    share = profile_share(window)
    laptops = [Laptop(name="Laptop <b>1</b>", worker="W-1"), Laptop(name="Laptop 2"),
               Laptop(name="Laptop 3")]
    enrol_all(share, laptops)
    (share / "enrol" / "junk\u202e-1.json").write_bytes(b"{}")  # no signature: not a request
    with qtbot.waitSignal(window.watch.finished, timeout=WAIT):
        window.scan_button.click()  # an empty inbox: the requests are listed again
    qtbot.waitUntil(lambda: window.devices.requests_model.rowCount() == 4, timeout=WAIT)
    window.refresh()
    qtbot.waitUntil(lambda: window.devices.model.rowCount() == 0, timeout=WAIT)
    assert registered(window) == []  # listing, scanning, reading: nothing registered
    assert "4" in window.devices.requests_title.text()

    first = row_of(window, laptops[0])
    assert cell(window, first, NAME) == "Laptop <b>1</b>"  # the laptop's own text, no markup
    assert cell(window, first, FINGERPRINT) == laptops[0].fingerprint
    junk = next(row for row in range(4) if cell(window, row, PROBLEM))
    assert cell(window, junk, LAPTOP) == "junk\\u202e"  # the file's name, hidden marks shown
    assert cell(window, junk, NAME) == ""
    assert not window.devices.register_button.isEnabled()

    # Register those chosen: the good one becomes a laptop waiting for approval.
    choose(window, first, junk)
    assert window.devices.register_button.isEnabled() and window.devices.dismiss_button.isEnabled()
    window.devices.register_button.click()
    qtbot.waitUntil(lambda: window.devices.model.rowCount() == 1, timeout=WAIT)
    assert registered(window) == [(laptops[0].device_id, DeviceState.PENDING)]
    assert window.devices.message.text() == (
        "1 laptop registered: approve it after comparing its fingerprint.")
    qtbot.waitUntil(lambda: window.devices.requests_model.rowCount() == 3, timeout=WAIT)

    # Register all asks once, naming how many; no: nothing changes.
    asked: list[str] = []
    answer_next_box(QMessageBox.StandardButton.No, asked)
    window.devices.register_all_button.click()
    assert asked == ["Register all 2 enrolment requests? Each becomes a laptop waiting for "
                     "approval."]
    assert len(registered(window)) == 1
    answer_next_box(QMessageBox.StandardButton.Yes, asked)
    window.devices.register_all_button.click()
    qtbot.waitUntil(lambda: window.devices.model.rowCount() == 3, timeout=WAIT)
    assert {state for _id, state in registered(window)} == {DeviceState.PENDING}
    qtbot.waitUntil(lambda: window.devices.requests_model.rowCount() == 1, timeout=WAIT)
    assert cell(window, 0, PROBLEM)  # the damaged one is left to be dismissed
    assert not window.devices.register_all_button.isEnabled()


def test_dismissing_moves_the_chosen_requests_aside(window: AdminWindow, qtbot: QtBot) -> None:
    unlock(window, qtbot)
    share = profile_share(window)
    keep, spam = Laptop(), Laptop()
    enrol_all(share, [keep, spam])
    wait_requests(window, qtbot, 2)
    window.devices.requests_table.selectRow(row_of(window, spam))
    asked: list[str] = []
    answer_next_box(QMessageBox.StandardButton.Yes, asked)
    window.devices.dismiss_button.click()
    assert asked == ["Dismiss 1 enrolment request? It is moved aside on the share and not "
                     "shown again."]
    qtbot.waitUntil(lambda: window.devices.requests_model.rowCount() == 1, timeout=WAIT)
    assert window.devices.requests_model.row_object(0).request_id == keep.device_id
    assert window.devices.message.text() == "1 enrolment request was dismissed."
    assert sorted(p.name for p in (share / "enrol" / "dismissed").iterdir()) == [
        f"{spam.device_id}.json", f"{spam.device_id}.json.minisig"]
    assert not (share / "enrol" / f"{spam.device_id}.json").exists()
    assert (share / "enrol" / f"{keep.device_id}.json").exists()
    assert registered(window) == []


def test_two_hundred_requests_are_dismissed_in_one_action(
        window: AdminWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    unlock(window, qtbot)
    share = profile_share(window)
    enrol_all(share, [Laptop() for _ in range(200)])
    wait_requests(window, qtbot, 200)
    calls: list[int] = []
    dismiss: Callable[..., object] = window.service.dismiss_requests

    def counted(ids: list[str]) -> object:
        calls.append(len(ids))
        return dismiss(ids)
    monkeypatch.setattr(window.service, "dismiss_requests", counted)
    window.devices.requests_table.selectAll()
    asked: list[str] = []
    answer_next_box(QMessageBox.StandardButton.Yes, asked)
    window.devices.dismiss_button.click()
    assert asked == ["Dismiss 200 enrolment requests? They are moved aside on the share and "
                     "not shown again."]
    qtbot.waitUntil(lambda: window.devices.requests_model.rowCount() == 0, timeout=60_000)
    assert calls == [200]  # one question, one action
    assert window.devices.message.text() == "200 enrolment requests were dismissed."
    assert len(list((share / "enrol" / "dismissed").iterdir())) == 400
    assert registered(window) == []
    assert "none" in window.devices.requests_title.text()


def test_fingerprints_stay_left_to_right_in_arabic(window: AdminWindow, qtbot: QtBot) -> None:
    unlock(window, qtbot)
    laptop = Laptop()
    laptop.enrol(profile_share(window))
    wait_requests(window, qtbot, 1)
    set_language("ar")
    try:
        assert cell(window, 0, FINGERPRINT) == LRI + laptop.fingerprint + PDI
    finally:
        set_language("en")
    assert cell(window, 0, FINGERPRINT) == laptop.fingerprint


def test_a_bundle_left_by_a_cap_is_an_alert_naming_the_laptop_and_the_cap(
        window: AdminWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    unlock(window, qtbot)
    share = profile_share(window)
    laptop = Laptop(name="Laptop 7")
    laptop.enrol(share)
    wait_requests(window, qtbot, 1)
    window.devices.requests_table.selectRow(0)
    window.devices.register_button.click()
    qtbot.waitUntil(lambda: window.devices.model.rowCount() == 1, timeout=WAIT)
    monkeypatch.setattr(quarantine, "CAPS", quarantine.HeldCaps(device_count=1))
    profile = run(window, lambda c: c.profile)
    for _ in range(2):
        laptop.bundle(share / "inbox" / laptop.device_id, profile)
    with qtbot.waitSignal(window.watch.finished, timeout=WAIT) as finished:
        window.scan_button.click()
    assert [r.seq for r in finished.args[0]] == [1]  # the second is left in the inbox
    alerts = window.alerts
    qtbot.waitUntil(lambda: alerts.count() == 2, timeout=WAIT)  # held, and the cap
    assert "(2)" in window.tabs.tabText(3)
    texts = [str(alerts.model.data(alerts.model.index(row, 3))) for row in range(2)]
    [capped] = [row for row, text in enumerate(texts) if "left in the inbox" in text]
    short = laptop.device_id.split("-")[0]
    assert texts[capped] == (
        f"A bundle from the laptop “Laptop 7” ({short}) was left in the inbox: it already has "
        "as many bundles held as a laptop waiting for approval may have. Approve, revoke or "
        "dismiss the laptops waiting for approval to make room.")
    assert alerts.model.data(alerts.model.index(capped, 1)) == short
    alerts.table.selectRow(capped)
    assert alerts.detail.text().endswith(texts[capped])

    # Another scan leaves it again: the alert is not repeated, the selection stays.
    with qtbot.waitSignal(window.watch.finished, timeout=WAIT) as finished:
        window.scan_button.click()
    assert finished.args[0] == []
    qtbot.wait(200)
    assert alerts.count() == 2 and alerts.table.selectionModel().selectedRows()

    alerts.seen_button.click()
    qtbot.waitUntil(lambda: alerts.count() == 1, timeout=WAIT)
    assert window.service.cap_alerts().result(timeout=30) == []
    assert run(window, lambda c: [a.acknowledged is not None for a in quarantine.cap_alerts(
        c.vault, include_acknowledged=True)]) == [True]
    assert "(1)" in window.tabs.tabText(3)

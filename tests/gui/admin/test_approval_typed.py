"""Issue 16, friction: approving a laptop asks the administrator to type the fingerprint the
worker reads out (spaces and capital letters do not matter), not to press Yes next to one shown;
a wrong fingerprint is refused with a clear message and approves nothing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from intake_app.sync.centre.devices import get_device
from intake_app.sync.format import DeviceState
from intake_app.ui.admin.window import AdminWindow
from tests.gui.admin.test_window import run, unlock, window
from tests.helpers.bundles import Laptop
from tests.helpers.centre import register

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)
__all__ = ["window"]  # the fixture


def _state(window: AdminWindow, laptop: Laptop) -> DeviceState:
    return run(window, lambda centre: get_device(centre.vault, laptop.device_id)).state


def test_only_the_fingerprint_read_out_approves(
    window: AdminWindow, qtbot: QtBot, laptop: Laptop
) -> None:
    unlock(window, qtbot)
    run(window, lambda centre: register(centre, laptop, active=False))
    devices = window.devices
    devices.refresh()
    qtbot.waitUntil(lambda: devices.model.rowCount() == 1, timeout=20_000)
    devices.table.selectRow(0)
    devices.approve_button.click()
    dialog = devices.approval
    assert dialog is not None and dialog.isVisible()
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert laptop.fingerprint not in shown  # typed from what is read out, not compared here
    assert not dialog.approve_button.isEnabled()  # nothing typed yet

    wrong = "0000 1111 2222 3333 4444"
    assert wrong != laptop.fingerprint
    dialog.fingerprint.setText(wrong)
    dialog.approve_button.click()
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=20_000)
    assert "does not match" in dialog.message.text()
    assert "not approved" in dialog.message.text()
    assert dialog.isVisible() and _state(window, laptop) is DeviceState.PENDING

    # As it is heard: no spaces, capital letters.
    dialog.fingerprint.setText(laptop.fingerprint.replace(" ", "").upper())
    assert not dialog.message.isVisible()
    dialog.approve_button.click()
    qtbot.waitUntil(lambda: devices.approval is None, timeout=20_000)  # closed (and gone)
    assert _state(window, laptop) is DeviceState.ACTIVE
    qtbot.waitUntil(lambda: "approved" in devices.message.text(), timeout=20_000)


def test_do_not_approve_approves_nothing(window: AdminWindow, qtbot: QtBot, laptop: Laptop) -> None:
    unlock(window, qtbot)
    run(window, lambda centre: register(centre, laptop, active=False))
    window.devices.refresh()
    qtbot.waitUntil(lambda: window.devices.model.rowCount() == 1, timeout=20_000)
    window.devices.table.selectRow(0)
    dialog = window.devices.approve_selected()
    dialog.fingerprint.setText(laptop.fingerprint)
    dialog.cancel_button.click()
    assert window.devices.approval is None
    assert _state(window, laptop) is DeviceState.PENDING


@pytest.mark.parametrize("lang", ["fi", "ar", "fa-AF"])
def test_the_dialog_fits_small_screens_and_keeps_the_fingerprint_left_to_right(
    window: AdminWindow, qtbot: QtBot, laptop: Laptop, lang: str
) -> None:
    from PySide6.QtCore import QRect, QSize, Qt

    from intake_app.i18n import set_language
    from intake_app.ui.common import usable_area
    from tests.gui.worker.test_accelerators import accelerator_clashes

    set_language(lang)
    unlock(window, qtbot)
    run(window, lambda centre: register(centre, laptop, active=False))
    window.devices.refresh()
    qtbot.waitUntil(lambda: window.devices.model.rowCount() == 1, timeout=20_000)
    table = window.devices.table  # through the selection model: selectRow() is LTR only
    flags = table.selectionModel().SelectionFlag
    table.selectionModel().select(
        window.devices.model.index(0, 0), flags.ClearAndSelect | flags.Rows
    )
    dialog = window.devices.approve_selected()
    room = usable_area(dialog, QRect(0, 0, 1366 * 4 // 5, 768 * 4 // 5 - 32))
    for size in (dialog.sizeHint(), dialog.minimumSizeHint()):
        assert size.boundedTo(room) == size, (size, room)
    assert dialog.minimumSizeHint().boundedTo(QSize(1280, 680)) == dialog.minimumSizeHint()
    rtl = lang != "fi"
    assert dialog.isRightToLeft() == rtl
    assert dialog.fingerprint.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert accelerator_clashes(dialog) == []
    dialog.reject()

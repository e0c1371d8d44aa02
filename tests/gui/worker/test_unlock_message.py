"""Issue 16, defect 12: the wrong-passphrase message appears right below the field and is
announced to screen readers (an alert, and the field's accessible description)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QAccessible

from intake_app.ui import common
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, make_preferences, make_service

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def unlock(qtbot, tmp_path: Path):
    service = make_service(tmp_path)
    service.create_vault(PASSPHRASE).result()
    service.lock()
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.start()
    yield window.unlock_screen
    service.shutdown()


def _gap(field, line) -> int:
    field_bottom = field.mapTo(field.window(), QPoint(0, field.height())).y()
    line_top = line.mapTo(line.window(), QPoint(0, 0)).y()
    return line_top - field_bottom


def test_wrong_passphrase_message_sits_below_the_field_and_is_announced(
    qtbot, unlock, monkeypatch
) -> None:
    alerts: list[object] = []
    real = QAccessible.updateAccessibility

    def record(event) -> None:
        if event.type() == QAccessible.Event.Alert:
            alerts.append(event.object())
        real(event)

    monkeypatch.setattr(common.QAccessible, "updateAccessibility", record)
    unlock.passphrase.setText("not the passphrase at all")
    unlock.unlock_button.click()
    qtbot.waitUntil(lambda: unlock.error.isVisible(), timeout=20000)
    assert "not correct" in unlock.error.text()
    assert 0 <= _gap(unlock.passphrase, unlock.error) <= 40
    assert unlock.error in alerts
    assert unlock.passphrase.accessibleDescription() == unlock.error.text()
    unlock.passphrase.setText("another try")
    unlock._wait_left = 0
    unlock._unlock()
    assert unlock.passphrase.accessibleDescription() == ""

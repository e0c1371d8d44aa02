"""A vault too large to check whole at unlock is checked after it, and damage is said at once."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from intake_app.errors import VaultDamageFound
from intake_app.storage import vault as vault_module
from intake_app.ui.worker.shell import Shell
from tests.helpers.documents import make_document
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, make_preferences, make_service

pytestmark = OFFSCREEN_NOISE
PAGE = 4096


def _unlock(qtbot: Any, tmp_path: Path, *, damage: bool) -> Shell:
    service = make_service(tmp_path)
    service.create_vault(PASSPHRASE).result()
    def fill(vault: Any) -> None:
        document = make_document()
        vault.interviews.save_revision(document)
        vault.interviews.add_attachment(document["id"], io.BytesIO(b"photo" * 40_000),
                                        "image/jpeg", "p.jpg")
    service.run(fill).result()
    service.lock()
    if damage:
        path = tmp_path / "vault" / "intake.db"
        data = bytearray(path.read_bytes())
        data[len(data) - 10 * PAGE + 100] ^= 0x10  # inside the attachment's pages
        path.write_bytes(bytes(data))
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.show_unlock()
    window.show()
    assert window.unlock_screen is not None
    window.unlock_screen.passphrase.setText(PASSPHRASE)
    window.unlock_screen.passphrase.returnPressed.emit()
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)
    return window


def _damage_box() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            return widget
    return None


@pytest.mark.parametrize("damage", [False, True])
def test_a_large_vault_is_checked_after_unlocking(qtbot: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  damage: bool) -> None:
    monkeypatch.setattr(vault_module, "FULL_CHECK_BYTES", PAGE)  # every vault counts as large
    window = _unlock(qtbot, tmp_path, damage=damage)
    try:
        if damage:
            qtbot.waitUntil(lambda: _damage_box() is not None, timeout=10_000)
            box = _damage_box()
            assert box is not None and box.text() == VaultDamageFound().translated()
            box.close()
        else:
            qtbot.wait(500)  # the check has long finished on a vault this size
            assert _damage_box() is None
    finally:
        window.service.shutdown()

"""Issue 16, defect 14: until the administrator approved the laptop, the status line and the
settings say so (with the fingerprint to read out), never "everything delivered"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.sync.device.enrol import accept_profile, read_profile_file
from intake_app.sync.device.schema import ensure_device_schema
from intake_app.sync.device.status import SyncState
from intake_app.ui.worker.enrol_dialog import CentreSection
from intake_app.ui.worker.shell import Shell
from tests.gui.worker.test_sync import ROUND_MS, Setting, setting, state
from tests.helpers.bundles import CentreKeys
from tests.helpers.device import inbox_files
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, make_preferences

pytestmark = OFFSCREEN_NOISE
__all__ = ["setting"]  # the fixture


@pytest.fixture
def empty_laptop(tmp_path: Path, qtbot: QtBot):
    """Enrolled, nothing to send, not approved."""
    centre = CentreKeys.make(tmp_path)
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM)
    service.create_vault(PASSPHRASE).result()

    def enrol(vault: Any) -> Any:
        ensure_device_schema(vault)
        return accept_profile(
            vault, read_profile_file(centre.profile_path), device_name="Laptop 7", worker="W-12"
        )

    identity = service.run(enrol).result()
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.show_workspace()
    window.show()
    yield window, identity
    service.shutdown()


def test_nothing_sent_and_not_approved_is_not_everything_delivered(
    empty_laptop, qtbot: QtBot
) -> None:
    window, _identity = empty_laptop
    panel = window.workspace.sync
    panel.check()
    qtbot.waitUntil(lambda: state(panel) is SyncState.DELIVERED, timeout=ROUND_MS)
    assert "delivered" not in panel.text.full_text.lower()
    assert "approval" in panel.text.full_text


def test_settings_say_approval_is_pending_and_show_the_fingerprint(
    empty_laptop, qtbot: QtBot
) -> None:
    window, identity = empty_laptop
    section = CentreSection(window.workspace._service)
    qtbot.addWidget(section)
    qtbot.waitUntil(lambda: bool(section.status.text()))
    assert "waiting for the administrator's approval" in section.status.text()
    assert section.key.text() == identity.key_fingerprint()
    assert not section.key.isHidden()


def test_after_a_delivery_the_laptop_counts_as_approved(setting: Setting, qtbot: QtBot) -> None:
    panel = setting.workspace.sync
    qtbot.waitUntil(lambda: state(panel) is SyncState.WAITING, timeout=ROUND_MS)
    [bundle] = inbox_files(setting.centre, setting.identity)
    setting.centre.receipt_for(bundle, setting.identity)
    panel.sync_now()
    qtbot.waitUntil(lambda: state(panel) is SyncState.DELIVERED, timeout=ROUND_MS)
    assert panel.text.full_text.startswith("Everything is delivered.")
    section = CentreSection(setting.service)
    qtbot.addWidget(section)
    qtbot.waitUntil(lambda: bool(section.status.text()))
    assert section.status.text() == (
        "This laptop is connected to Example reception centre and approved."
    )

"""Getting interviews home from the workspace: rounds start by themselves, "Sync now", the
status line, and no more rounds once the vault is locked. Real vault, real bundles, a real
folder as the centre's share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from intake_app.services.sync_runner import SyncRunner
from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.sync.device.enrol import accept_profile, read_profile_file
from intake_app.sync.device.identity import DeviceIdentity
from intake_app.sync.device.schema import ensure_device_schema
from intake_app.sync.device.status import SyncState
from intake_app.ui.worker.shell import Shell
from intake_app.ui.worker.workspace import Workspace
from tests.helpers.bundles import CentreKeys
from tests.helpers.device import inbox_files
from tests.helpers.documents import make_document
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, make_preferences, workspace_shell

pytestmark = OFFSCREEN_NOISE
ROUND_MS = 20_000


class Setting:
    def __init__(self, service: WorkerService, centre: CentreKeys, identity: DeviceIdentity,
                 window: Shell) -> None:
        self.service, self.centre, self.identity, self.window = service, centre, identity, window

    @property
    def workspace(self) -> Workspace:
        assert self.window.workspace is not None
        return self.window.workspace


@pytest.fixture
def setting(tmp_path: Path, qtbot: QtBot) -> Iterator[Setting]:
    centre = CentreKeys.make(tmp_path)
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM)
    service.create_vault(PASSPHRASE).result()

    def enrol(vault: Any) -> DeviceIdentity:
        ensure_device_schema(vault)
        vault.interviews.save_revision(make_document(alias="Home soon"))
        return accept_profile(vault, read_profile_file(centre.profile_path),
                              device_name="Laptop 7", worker="W-12")

    identity = service.run(enrol).result()
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.show_workspace()
    window.show()
    try:
        yield Setting(service, centre, identity, window)
    finally:
        service.shutdown()


def state(panel: Any) -> SyncState | None:
    return None if panel.status is None else panel.status.state


def test_a_round_starts_by_itself_and_sync_now_fetches_the_receipt(
        setting: Setting, qtbot: QtBot) -> None:
    panel = setting.workspace.sync
    qtbot.waitUntil(lambda: state(panel) is SyncState.WAITING, timeout=ROUND_MS)
    assert panel.text.full_text == "Sent. Waiting for the centre's receipt for 1 bundle."
    [bundle] = inbox_files(setting.centre, setting.identity)
    setting.centre.receipt_for(bundle, setting.identity)
    button = setting.workspace.toolbar.widgetForAction(setting.workspace.sync_action)
    assert isinstance(button, QToolButton) and button.accessibleName() == "Sync now"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state(panel) is SyncState.DELIVERED, timeout=ROUND_MS)
    assert panel.text.full_text.startswith("Everything is delivered. Last receipt:")
    assert panel.text.accessibleDescription() == panel.text.full_text
    assert panel.text.toolTip().startswith("<p>Interviews go to: Example reception centre<br>")


def test_offline_says_so_and_what_waits(setting: Setting, qtbot: QtBot) -> None:
    setting.centre.share.rmdir()
    panel = setting.workspace.sync
    panel.check()
    qtbot.waitUntil(lambda: state(panel) is SyncState.OFFLINE, timeout=ROUND_MS)
    assert panel.text.full_text == ("Not connected to the centre. 1 interview waits to be "
                                    "delivered.")
    assert not panel.progress.isVisible()


def test_a_long_status_never_widens_the_window(setting: Setting, qtbot: QtBot) -> None:
    panel = setting.workspace.sync
    width = setting.window.minimumSizeHint().width()
    panel.text.set_full_text("A problem. " * 80)
    assert setting.window.minimumSizeHint().width() == width
    assert panel.text.text().endswith("…") and panel.text.full_text.startswith(
        panel.text.text()[:-1])


def test_locking_stops_the_rounds(setting: Setting, qtbot: QtBot) -> None:
    runner = setting.workspace.sync.runner
    setting.window.lock("button")
    assert runner.check() is None
    assert runner.check(now=True) is None


def test_a_laptop_not_enrolled_is_told_so_at_once(tmp_path: Path, qtbot: QtBot) -> None:
    with workspace_shell(qtbot, tmp_path) as window:
        assert window.workspace is not None
        window.workspace.start()
        panel = window.workspace.sync
        qtbot.waitUntil(lambda: state(panel) is SyncState.NOT_ENROLLED, timeout=ROUND_MS)
        assert panel.text.full_text == "This laptop is not enrolled with a reception centre yet."


def test_copy_to_a_usb_stick(setting: Setting, qtbot: QtBot, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    workspace = setting.workspace
    workspace.sync.stop()  # no round meanwhile: the bundle is made by the copy itself
    workspace.sync.runner = SyncRunner(setting.service, lambda _status: None)
    workspace.export_to_folder(stick)
    assert not workspace.usb_action.isEnabled()  # busy until it is done
    qtbot.waitUntil(workspace.usb_action.isEnabled, timeout=ROUND_MS)
    [bundle] = stick.iterdir()
    assert bundle.name.endswith(".ibundle")
    assert workspace.message.text() == (
        f"1 bundle copied to {stick}. Take it to the centre; it stays on this laptop until "
        "the centre's receipt arrives.")
    verdict = setting.centre.check(bundle, setting.identity.public_key,
                                   setting.identity.device_id)
    assert verdict.payload is not None and len(verdict.payload.records) == 1
    verdict.payload.close()
    workspace.export_to_folder(stick)
    qtbot.waitUntil(workspace.usb_action.isEnabled, timeout=ROUND_MS)
    assert len(list(stick.iterdir())) == 1  # the same bundle again, not a new one

"""Issue 16, defect 13: the Delivered column follows the sync round at once, not only after
the search box is typed in."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from intake_app.sync.device.status import SyncState
from tests.gui.worker.test_sync import ROUND_MS, Setting, setting, state
from tests.helpers.device import inbox_files
from tests.helpers.ui import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE
__all__ = ["setting"]  # the fixture


def delivered_column(setting: Setting) -> list[str]:
    model = setting.workspace.list.model
    return [str(model.index(row, 3).data()) for row in range(model.rowCount())]


def test_the_delivered_column_follows_the_round(setting: Setting, qtbot: QtBot) -> None:
    panel = setting.workspace.sync
    qtbot.waitUntil(lambda: state(panel) is SyncState.WAITING, timeout=ROUND_MS)
    assert delivered_column(setting) == ["No"]
    [bundle] = inbox_files(setting.centre, setting.identity)
    setting.centre.receipt_for(bundle, setting.identity)
    panel.sync_now()
    qtbot.waitUntil(lambda: state(panel) is SyncState.DELIVERED, timeout=ROUND_MS)
    assert setting.workspace.list.search.text() == ""
    # The list is read again in the background: nothing typed in the search box.
    qtbot.waitUntil(lambda: delivered_column(setting) == ["Yes"], timeout=ROUND_MS)

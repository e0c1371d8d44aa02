"""The demo: a throwaway vault with twenty fictional interviews and a visible banner."""

from __future__ import annotations

from pathlib import Path

from intake_app.services.demo import DEMO_PASSPHRASE
from intake_app.ui.worker.demo_start import start_demo
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import OFFSCREEN_NOISE, make_preferences, make_service

pytestmark = OFFSCREEN_NOISE


def test_demo_opens_straight_into_the_list(qtbot, tmp_path: Path) -> None:
    service = make_service(tmp_path)
    shell = Shell(service, make_preferences(tmp_path), demo_passphrase=DEMO_PASSPHRASE)
    qtbot.addWidget(shell)
    start_demo(shell)
    shell.show()
    qtbot.waitUntil(lambda: shell.workspace is not None, timeout=30000)
    workspace = shell.workspace
    assert workspace.demo_banner.isVisible()
    assert "DEMO" in workspace.demo_banner.text()
    summaries = service.interviews()
    assert len(summaries) == 20
    statuses = {s.status for s in summaries}
    assert {"final", "draft", "withdrawn"} <= statuses
    assert any(s.delivered for s in summaries)
    assert all(s.alias.startswith("Fictional") for s in summaries if s.status != "withdrawn")
    qtbot.waitUntil(lambda: not workspace.list.is_reading(), timeout=5000)
    assert workspace.list.model.rowCount() == 20
    # After a lock the unlock screen tells the demo passphrase, and it works.
    shell.lock()
    assert DEMO_PASSPHRASE in shell.unlock_screen.demo_hint.text()
    service.unlock(DEMO_PASSPHRASE).result()
    found = service.search("kitchen")
    assert found and all(s.alias.startswith("Fictional") for s in found)
    service.shutdown()

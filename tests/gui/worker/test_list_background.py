"""The interview list and the draft offered back after an unlock are read on the vault thread:
the window never waits for them, the counts line says the list is being read, and what comes
back after the worker went to an interview (or after the lock) is dropped."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from intake_app.ui.worker.shell import Shell
from tests.gui.worker.test_opening import saved_interview, workspace_of
from tests.helpers.ui import OFFSCREEN_NOISE, editor_opened, workspace_shell
from tests.helpers.vault_thread import HeldVaultThread, delivered_so_far

pytestmark = OFFSCREEN_NOISE
QUICK = 1.0  # seconds: a call that waited for the held vault thread takes five


@pytest.fixture
def shell(qtbot: Any, tmp_path: Path) -> Iterator[Shell]:
    with workspace_shell(qtbot, tmp_path) as window:
        yield window


def quick(call: Callable[[], object]) -> None:
    began = time.monotonic()
    call()
    took = time.monotonic() - began
    assert took < QUICK, f"the window waited {took:.1f} s for the vault thread"


def offer_of(shell: Shell) -> QMessageBox | None:
    return workspace_of(shell).findChild(QMessageBox, "offer_draft")


def test_the_list_is_read_without_waiting_for_a_busy_vault(qtbot: Any, shell: Shell) -> None:
    saved_interview(shell, "Fictional Hanna")
    saved_interview(shell, "Fictional Eero")  # asks for the list again, in the background
    listing = workspace_of(shell).list
    qtbot.waitUntil(lambda: listing.model.rowCount() == 2, timeout=5000)
    saved_interview(shell, "Fictional Iida")
    held = HeldVaultThread(shell)
    try:
        quick(listing.reload)
        quick(workspace_of(shell).show_list)  # back to the list: read again
        assert listing.is_reading() and listing.counts.text() == "Reading the interviews…"
        assert listing.model.rowCount() == 2  # the rows shown stay meanwhile
    finally:
        held.release()
    qtbot.waitUntil(lambda: not listing.is_reading(), timeout=5000)
    assert listing.model.rowCount() == 3
    assert listing.counts.text() == "Showing 3 of 3 interviews"


def test_the_draft_is_offered_back_without_waiting_for_a_busy_vault(
    qtbot: Any, shell: Shell
) -> None:
    record_id = saved_interview(shell, "Fictional Kaisa")
    shell.prefs.interview_was_open = True
    held = HeldVaultThread(shell)
    try:
        quick(lambda: workspace_of(shell).start(offer_draft=True))
        assert offer_of(shell) is None
    finally:
        held.release()
    qtbot.waitUntil(lambda: offer_of(shell) is not None, timeout=5000)
    offer = offer_of(shell)
    assert offer is not None and offer.isVisible()
    offer.button(QMessageBox.StandardButton.Yes).click()
    editor = editor_opened(qtbot, workspace_of(shell))
    assert editor is not None and editor.interview.id == record_id


def test_no_draft_is_offered_once_the_worker_went_to_an_interview(
    qtbot: Any, shell: Shell
) -> None:
    saved_interview(shell, "Fictional Old Draft")
    shell.prefs.interview_was_open = True
    workspace = workspace_of(shell)
    held = HeldVaultThread(shell)
    try:
        workspace.start(offer_draft=True)
        workspace.new_action.trigger()  # before the drafts were read
    finally:
        held.release()
    assert editor_opened(qtbot, workspace) is not None
    delivered_so_far(qtbot, shell)
    assert offer_of(shell) is None


def test_a_list_read_after_the_lock_is_dropped(qtbot: Any, shell: Shell) -> None:
    saved_interview(shell, "Fictional Locked")
    workspace = workspace_of(shell)
    workspace.list.reload()  # read before the vault closes: a result comes back
    shell.lock("button")
    delivered_so_far(qtbot, shell)
    assert shell.workspace is None and shell.pages.currentWidget() is shell.unlock_screen

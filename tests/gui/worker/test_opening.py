"""Opening an interview never waits on the GUI thread: it is read on the vault thread while an
"Opening the interview…" page shows; a result that comes after the worker went elsewhere (back
to the list, another interview, the lock) is dropped; a failure says so and nothing is lost."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from intake_app.ui.editor.editor import InterviewEditor
from intake_app.ui.worker.shell import Shell
from intake_app.ui.worker.workspace import Workspace
from tests.helpers.ui import OFFSCREEN_NOISE, editor_opened, workspace_shell
from tests.helpers.vault_thread import HeldVaultThread, delivered_so_far

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def shell(qtbot: Any, tmp_path: Path) -> Iterator[Shell]:
    with workspace_shell(qtbot, tmp_path) as window:
        yield window


def workspace_of(shell: Shell) -> Workspace:
    assert shell.workspace is not None
    return shell.workspace


def saved_interview(shell: Shell, alias: str) -> str:
    """A draft interview in the vault (the list shows it), its id."""
    document = shell.service.forms.new_interview().to_dict()
    document["answers"] = {"consent_interview": "yes", "consent_data": "yes", "alias": alias}
    shell.service.save_draft(document).result(timeout=30)
    workspace_of(shell).list.reload()
    return str(document["id"])


def editors_alive() -> list[InterviewEditor]:
    return [w for w in QApplication.allWidgets() if isinstance(w, InterviewEditor)]


def bug_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() + QApplication.allWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "bug_message" and w.isVisible()]


def test_opening_does_not_wait_for_a_busy_vault(qtbot: Any, shell: Shell) -> None:
    record_id = saved_interview(shell, "Fictional Aino")
    workspace = workspace_of(shell)
    held = HeldVaultThread(shell)
    try:
        began = time.monotonic()
        workspace.open_interview(record_id)
        took = time.monotonic() - began
        assert took < 1.0, f"opening kept the window waiting {took:.1f} s"
        assert workspace.is_opening() and workspace.editor is None
        assert workspace.pages.currentWidget() is workspace.opening_page
        assert workspace.opening_page.label.text() == "Opening the interview…"
        assert workspace.back_action.isEnabled()  # Back gives up waiting
        ticks: list[float] = []
        timer = QTimer(workspace)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start(10)
        qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=3000)  # the window keeps answering
        timer.stop()
        assert workspace.is_opening() and not held.future.done()  # still held meanwhile
    finally:
        held.release()
    editor = editor_opened(qtbot, workspace)
    assert editor is not None and editor.interview.id == record_id
    assert workspace.pages.currentWidget() is editor
    assert editor.answers["alias"] == "Fictional Aino"


def test_the_editor_is_built_without_waiting_for_the_vault(qtbot: Any, shell: Shell) -> None:
    record_id = saved_interview(shell, "Fictional Noor")
    workspace = workspace_of(shell)
    workspace.open_interview(record_id)
    held = HeldVaultThread(shell)  # starts once the read is done: the vault is busy from here
    try:
        began = time.monotonic()
        editor = editor_opened(qtbot, workspace)
        took = time.monotonic() - began
        assert editor is not None and editor.interview.id == record_id
        assert took < 1.0, f"building the editor waited {took:.1f} s for the vault"
    finally:
        held.release()


def test_a_result_after_going_back_to_the_list_is_dropped(qtbot: Any, shell: Shell) -> None:
    record_id = saved_interview(shell, "Fictional Mira")
    workspace = workspace_of(shell)
    held = HeldVaultThread(shell)
    try:
        workspace.open_interview(record_id)
        workspace.back_action.trigger()
        assert not workspace.is_opening()
        assert workspace.pages.currentWidget() is workspace.list
    finally:
        held.release()
    delivered_so_far(qtbot, shell)
    assert workspace.editor is None and editors_alive() == []
    assert workspace.pages.currentWidget() is workspace.list
    assert not workspace.message.isVisible()


def test_opening_another_interview_meanwhile_opens_that_one(qtbot: Any, shell: Shell) -> None:
    first = saved_interview(shell, "Fictional First")
    second = saved_interview(shell, "Fictional Second")
    workspace = workspace_of(shell)
    held = HeldVaultThread(shell)
    try:
        workspace.open_interview(first)
        workspace.open_interview(second)
    finally:
        held.release()
    editor = editor_opened(qtbot, workspace)
    delivered_so_far(qtbot, shell)  # the first one's result came too, and was dropped
    assert workspace.editor is editor and editor is not None
    assert editor.interview.id == second
    assert [e.interview.id for e in editors_alive()] == [second]


def test_a_result_after_the_lock_is_dropped(qtbot: Any, shell: Shell) -> None:
    record_id = saved_interview(shell, "Fictional Locked")
    workspace = workspace_of(shell)
    workspace.open_interview(record_id)  # read before the vault closes: a result comes back
    shown: list[int] = []  # pages the workspace shows after the lock (an editor, say)
    shell.locked.connect(lambda _reason: workspace.pages.currentChanged.connect(shown.append))
    shell.lock("button")
    assert shell.workspace is None and not shell.service.unlocked
    delivered_so_far(qtbot, shell)
    assert shown == [] and editors_alive() == []
    assert not shell.prefs.interview_was_open  # not offered back after the next unlock
    assert shell.pages.currentWidget() is shell.unlock_screen
    assert bug_boxes() == []


def test_a_lock_while_the_vault_thread_hangs_drops_the_opening(qtbot: Any, shell: Shell) -> None:
    record_id = saved_interview(shell, "Fictional Hang")
    workspace = workspace_of(shell)
    held = HeldVaultThread(shell)
    try:
        workspace.open_interview(record_id)
        shell.lock("button")  # gives the hanging thread up: the read fails as locked
    finally:
        held.release()
    delivered_so_far(qtbot, shell)
    assert shell.workspace is None and editors_alive() == []
    assert not shell.prefs.interview_was_open
    assert bug_boxes() == []


def test_an_interview_that_is_not_there_says_so(qtbot: Any, shell: Shell) -> None:
    workspace = workspace_of(shell)
    workspace.open_interview(str(uuid.uuid4()))
    assert editor_opened(qtbot, workspace) is None
    assert workspace.pages.currentWidget() is workspace.list
    assert workspace.message.text() == "That interview does not exist in this vault."


@pytest.mark.expects_bug
def test_a_failure_while_reading_says_nothing_was_lost(
    qtbot: Any, shell: Shell, logged_bugs: list[str]
) -> None:
    record_id = saved_interview(shell, "Fictional Broken")

    def break_the_draft(vault: Any) -> None:
        with vault.transaction() as conn:
            conn.execute("UPDATE draft SET document = 'not a document' WHERE interview_id = ?",
                         (record_id,))

    shell.service.run(break_the_draft).result(timeout=30)
    workspace = workspace_of(shell)
    workspace.open_interview(record_id)
    assert editor_opened(qtbot, workspace) is None
    assert workspace.pages.currentWidget() is workspace.list
    assert workspace.message.isVisible()
    assert workspace.message.text() == "Something went wrong. Nothing was lost."
    assert len(logged_bugs) == 1 and "opening an interview" in logged_bugs[0]
    assert "Fictional Broken" not in logged_bugs[0]
    # Nothing was lost: the vault still holds the draft as it was.
    assert shell.service.run(lambda vault: vault.connection.execute(
        "SELECT count(*) FROM draft WHERE interview_id = ?", (record_id,)).fetchone()[0]
    ).result(timeout=30) == 1

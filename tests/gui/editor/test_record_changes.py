"""Finishing, editing a finished interview again, withdrawing, deleting and removing a file never
keep the window waiting for the vault thread: each is queued, the editor says what it waits
for with its buttons disabled, and the result comes back later. Each is one transaction, and
closing the window or locking right after it keeps it (the vault thread finishes it first)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from intake_app.domain.document import Status
from intake_app.errors import DiskFull
from intake_app.ui.editor.editor import InterviewEditor
from intake_app.ui.worker.shell import Shell
from intake_app.ui.worker.workspace import Workspace
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, editor_opened, workspace_shell
from tests.helpers.vault_thread import HeldVaultThread, delivered_so_far

pytestmark = OFFSCREEN_NOISE
QUICK = 1.0  # seconds: a call that waited for the held vault thread takes five
ANSWERS = {
    "consent_interview": "yes",
    "consent_data": "yes",
    "alias": "Fictional Vera",
    "interview_language": "fi",
    "account": {"text": "Fictional words.", "lang": "fi"},
}


@pytest.fixture
def shell(qtbot: Any, tmp_path: Path) -> Iterator[Shell]:
    with workspace_shell(qtbot, tmp_path) as window:
        yield window


def in_vault(shell: Shell, status: Status) -> str:
    """An interview with every required answer: a draft never saved, or a finished one."""
    interview = shell.service.forms.new_interview().with_answers(ANSWERS)
    if status == "draft":
        shell.service.save_draft(interview.to_dict()).result(timeout=30)
    else:
        shell.service.queue_revision(interview.with_status(status).to_dict()).result(timeout=30)
    return interview.id


def opened(qtbot: Any, shell: Shell, record_id: str) -> InterviewEditor:
    assert shell.workspace is not None
    shell.workspace.open_interview(record_id)
    editor = editor_opened(qtbot, shell.workspace)
    assert isinstance(editor, InterviewEditor)
    return editor


def quick(call: Callable[[], object]) -> None:
    began = time.monotonic()
    call()
    took = time.monotonic() - began
    assert took < QUICK, f"the window waited {took:.1f} s for the vault thread"


def statuses(shell: Shell, record_id: str) -> list[str]:
    return [revision.status for revision in shell.service.history(record_id)]


def drafts(shell: Shell) -> list[Any]:
    return list(shell.service.read_drafts().result(timeout=30))


def waits_visibly(editor: InterviewEditor, text: str) -> None:
    """The editor says what it waits for and takes no change meanwhile."""
    bar = editor.actions_bar
    assert editor.changing()
    assert bar.busy.isVisible() and text in bar.busy.text()
    assert bar.busy_bar.isVisible()
    assert not bar.delete_button.isEnabled() and not bar.withdraw_button.isEnabled()
    assert not editor.view.isEnabled() and not editor.banner.edit_button.isEnabled()


def test_finishing_does_not_wait_for_a_busy_vault(qtbot: Any, shell: Shell) -> None:
    record_id = in_vault(shell, "draft")
    editor = opened(qtbot, shell, record_id)
    editor.finish_button.click()  # the review page, which offers Finish
    held = HeldVaultThread(shell)
    try:
        quick(editor.review_page.finish_button.click)
        waits_visibly(editor, "Saving the finished interview")
    finally:
        held.release()
    assert shell.workspace is not None
    qtbot.waitUntil(lambda: shell.workspace.editor is None, timeout=5000)
    assert shell.workspace.message.text() == "The interview was finished and saved."
    assert statuses(shell, record_id) == ["final"]  # one revision
    assert drafts(shell) == []


def test_editing_again_does_not_wait_for_a_busy_vault(qtbot: Any, shell: Shell) -> None:
    record_id = in_vault(shell, "final")
    editor = opened(qtbot, shell, record_id)
    assert editor.read_only
    held = HeldVaultThread(shell)
    try:
        quick(editor.banner.edit_button.click)
        waits_visibly(editor, "Opening the interview for changes")
        assert editor.read_only
    finally:
        held.release()
    qtbot.waitUntil(lambda: not editor.read_only, timeout=5000)
    assert not editor.changing() and editor.view.isEnabled()
    assert not editor.actions_bar.busy.isVisible()
    assert statuses(shell, record_id) == ["final", "draft"]


@pytest.mark.parametrize(("action", "status", "said"), [
    ("delete", "deleted", "The interview was deleted."),
    ("withdraw", "withdrawn", "Consent was withdrawn. The answers were removed."),
])
def test_withdrawing_and_deleting_do_not_wait_for_a_busy_vault(
    qtbot: Any, shell: Shell, action: str, status: str, said: str
) -> None:
    record_id = in_vault(shell, "final")
    editor = opened(qtbot, shell, record_id)
    held = HeldVaultThread(shell)
    try:
        quick(getattr(editor.actions_bar, action))
        waits_visibly(editor, "Deleting" if action == "delete" else "Withdrawing")
    finally:
        held.release()
    assert shell.workspace is not None
    qtbot.waitUntil(lambda: shell.workspace.editor is None, timeout=5000)
    assert shell.workspace.message.text() == said
    assert statuses(shell, record_id) == ["final", status]


def test_deleting_a_never_saved_interview_does_not_wait(qtbot: Any, shell: Shell) -> None:
    record_id = in_vault(shell, "draft")
    editor = opened(qtbot, shell, record_id)
    held = HeldVaultThread(shell)
    try:
        quick(editor.actions_bar.delete)
        waits_visibly(editor, "Deleting")
    finally:
        held.release()
    assert shell.workspace is not None
    qtbot.waitUntil(lambda: shell.workspace.editor is None, timeout=5000)
    assert drafts(shell) == [] and shell.service.interviews() == []


def test_a_change_that_fails_says_why_and_the_editor_takes_changes_again(
    qtbot: Any, shell: Shell
) -> None:
    record_id = in_vault(shell, "final")
    editor = opened(qtbot, shell, record_id)
    # The edit cannot be saved: deleted elsewhere meanwhile.
    shell.service.queue_delete(record_id, "deleted elsewhere meanwhile").result(timeout=30)
    editor.banner.edit_button.click()
    qtbot.waitUntil(lambda: not editor.changing(), timeout=5000)
    assert editor.message.isVisible() and editor.message.text()
    assert editor.read_only  # as it was
    assert editor.view.isEnabled() and editor.banner.edit_button.isEnabled()
    assert editor.actions_bar.delete_button.isEnabled()
    assert not editor.actions_bar.busy.isVisible()
    assert statuses(shell, record_id) == ["final", "deleted"]


def test_removing_a_file_does_not_wait_for_a_busy_vault(
    qtbot: Any, shell: Shell, tmp_path: Path
) -> None:
    record_id = in_vault(shell, "draft")
    editor = opened(qtbot, shell, record_id)
    panel = editor.attachments
    note = tmp_path / "outside" / "note.txt"
    note.parent.mkdir()
    note.write_text("Fictional note.")
    panel.add_files([note])
    qtbot.waitUntil(lambda: panel.count() == 1 and not panel.progress.isVisible(), timeout=10000)
    panel.list.setCurrentRow(0)
    sha = panel.list.currentItem().data(0x0100)
    held = HeldVaultThread(shell)
    try:
        quick(lambda: panel.remove(sha))
        assert panel.note.text() == "Removing the file…"
        assert not panel.remove_button.isEnabled() and not panel.add_button.isEnabled()
        quick(panel.reload)
        assert panel.count() == 1  # until the vault says otherwise
    finally:
        held.release()
    qtbot.waitUntil(lambda: panel.count() == 0, timeout=5000)
    assert not panel.note.isVisible() and panel.add_button.isEnabled()
    assert shell.service.attachments(record_id) == []
    nav = editor.nav_model
    assert "file" not in str(nav.index(nav.row_of("__attachments__"), 0).data())


# -- closing or locking right after a change -------------------------------------------------


def _change(qtbot: Any, shell: Shell, action: str, busy: float) -> tuple[str, list[str]]:
    """Open an interview and start `action` on it, the vault thread busy for `busy` seconds
    first (a slow disk, a sync round: the change waits in the queue behind it); its id and
    the statuses it must end with."""
    record_id = in_vault(shell, "draft" if action == "finish" else "final")
    editor = opened(qtbot, shell, record_id)
    if busy:
        shell.service.run(lambda _vault: time.sleep(busy))
    return record_id, _start(editor, action)


def _start(editor: InterviewEditor, action: str) -> list[str]:
    """Start `action` on the interview open in `editor`; the statuses it must end with."""
    if action == "finish":
        editor.finish_button.click()  # the review page, which offers Finish
        editor.review_page.finish_button.click()
        return ["final"]
    if action == "edit":
        editor.banner.edit_button.click()
        return ["final", "draft"]
    getattr(editor.actions_bar, action)()
    return ["final", "deleted" if action == "delete" else "withdrawn"]


@pytest.mark.parametrize("busy", [0.0, 0.5], ids=["idle", "vault busy 0.5 s"])
@pytest.mark.parametrize("action", ["finish", "edit", "withdraw", "delete"])
def test_closing_the_window_right_after_a_change_keeps_it(
    qtbot: Any, tmp_path: Path, action: str, busy: float
) -> None:
    with workspace_shell(qtbot, tmp_path) as shell:
        record_id, wanted = _change(qtbot, shell, action, busy)
        shell.close()
        assert not shell.service.unlocked
        shell.service.unlock(PASSPHRASE).result(timeout=30)
        assert statuses(shell, record_id) == wanted  # once, not lost
        assert drafts(shell) == []


def test_locking_right_after_finishing_keeps_it_and_drops_the_late_result(
    qtbot: Any, shell: Shell
) -> None:
    record_id, wanted = _change(qtbot, shell, "finish", 0.5)
    shell.lock("button")
    assert shell.workspace is None and not shell.service.unlocked
    # The result, come after the lock, changes nothing on screen and is no bug.
    delivered_so_far(qtbot, shell)
    assert shell.pages.currentWidget() is shell.unlock_screen
    assert [w for w in QApplication.allWidgets() if isinstance(w, InterviewEditor)] == []
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()]
    shell.service.unlock(PASSPHRASE).result(timeout=30)
    assert statuses(shell, record_id) == wanted


# -- going elsewhere while a change is on its way --------------------------------------------


def _left_during(
    qtbot: Any,
    shell: Shell,
    action: str,
    leave: Callable[[Workspace], object],
    meanwhile: Callable[[], object] = lambda: None,
) -> tuple[str, list[str]]:
    """`action` on an interview, queued behind a held vault thread (`meanwhile()` is called
    then); then the worker goes elsewhere (`leave`) at once: nothing holds that up."""
    record_id = in_vault(shell, "draft" if action == "finish" else "final")
    editor = opened(qtbot, shell, record_id)
    held = HeldVaultThread(shell)
    try:
        wanted = _start(editor, action)
        meanwhile()
        workspace = workspace_of(shell)
        assert not held.future.done()  # still held: the change waits behind it
        assert workspace.editor is not None and workspace.editor.changing()
        assert workspace.back_action.isEnabled()  # the worker is never stuck in the editor
        quick(lambda: leave(workspace))
        assert not held.future.done()  # the worker left while the change waited
        assert workspace.editor is None or workspace.editor.interview.id != record_id
    finally:
        held.release()
    return record_id, wanted


def workspace_of(shell: Shell) -> Workspace:
    assert shell.workspace is not None
    return shell.workspace


def sync_checks(monkeypatch: pytest.MonkeyPatch, workspace: Workspace) -> list[bool]:
    checked: list[bool] = []
    monkeypatch.setattr(workspace.sync, "check", lambda: checked.append(True))
    return checked


def editors_alive() -> list[InterviewEditor]:
    return [w for w in QApplication.allWidgets() if isinstance(w, InterviewEditor)]


@pytest.mark.parametrize(("action", "said"), [
    ("finish", "The interview was finished and saved."),
    ("withdraw", "Consent was withdrawn. The answers were removed."),
    ("delete", "The interview was deleted."),
])
def test_back_while_a_record_is_closed_says_so_on_the_list_and_syncs(
    qtbot: Any, shell: Shell, monkeypatch: pytest.MonkeyPatch, action: str, said: str
) -> None:
    checked = sync_checks(monkeypatch, workspace_of(shell))
    record_id, wanted = _left_during(
        qtbot, shell, action, lambda workspace: workspace.back_action.trigger()
    )
    workspace = workspace_of(shell)
    assert workspace.pages.currentWidget() is workspace.list
    qtbot.waitUntil(lambda: workspace.message.text() == said, timeout=5000)
    assert workspace.message.isVisible()
    assert checked  # a finished interview may go home at once
    assert workspace.pages.currentWidget() is workspace.list  # not taken anywhere else
    assert statuses(shell, record_id) == wanted
    qtbot.waitUntil(lambda: editors_alive() == [], timeout=5000)  # the left editor went too


def test_a_new_interview_opened_meanwhile_stays_open(
    qtbot: Any, shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = sync_checks(monkeypatch, workspace_of(shell))
    record_id, wanted = _left_during(
        qtbot, shell, "finish", lambda workspace: workspace.new_action.trigger()
    )
    workspace = workspace_of(shell)
    editor = editor_opened(qtbot, workspace)
    assert editor is not None and editor.interview.id != record_id
    qtbot.waitUntil(
        lambda: workspace.message.text() == "The interview was finished and saved.",
        timeout=5000,
    )
    assert checked and workspace.editor is editor
    assert workspace.pages.currentWidget() is editor
    assert statuses(shell, record_id) == wanted


@pytest.mark.parametrize("action", ["finish", "delete", "edit"])
def test_back_while_a_change_fails_says_why_on_the_list(
    qtbot: Any, shell: Shell, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    checked = sync_checks(monkeypatch, workspace_of(shell))
    store = shell.service.run(lambda vault: vault.interviews).result(timeout=30)

    def disk_full(*_args: object) -> None:
        raise DiskFull()

    def fill_the_disk() -> None:
        for write in ("save_revision", "delete"):
            monkeypatch.setattr(store, write, disk_full)

    record_id, _wanted = _left_during(
        qtbot, shell, action, lambda workspace: workspace.back_action.trigger(), fill_the_disk
    )
    workspace = workspace_of(shell)
    qtbot.waitUntil(lambda: workspace.message.text() == DiskFull().translated(), timeout=5000)
    assert workspace.message.isVisible()
    assert workspace.pages.currentWidget() is workspace.list
    assert not checked
    if action == "finish":  # nothing lost: the draft is still there
        assert [draft.id for draft in drafts(shell)] == [record_id]
    else:
        assert statuses(shell, record_id) == ["final"]  # as it was
    qtbot.waitUntil(lambda: editors_alive() == [], timeout=5000)


def test_locking_after_going_back_keeps_the_change(qtbot: Any, shell: Shell) -> None:
    record_id, wanted = _change(qtbot, shell, "finish", 1.0)  # longer than a lock waits
    workspace_of(shell).back_action.trigger()
    shell.lock("button")
    assert shell.workspace is None and not shell.service.unlocked
    delivered_so_far(qtbot, shell)
    assert editors_alive() == []
    shell.service.unlock(PASSPHRASE).result(timeout=30)
    assert statuses(shell, record_id) == wanted

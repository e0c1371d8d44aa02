"""`ui.tasks.progress_relay`: progress from a worker thread reaches the GUI thread, thinned to
a number of steps a run (the end always), and never an owner already destroyed."""

from __future__ import annotations

import threading
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from intake_app.ui.tasks import progress_relay


def _on_a_worker_thread(work: Callable[[], None]) -> None:
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def _recorder() -> tuple[list[tuple[int, int]], list[bool], Callable[[int, int], None]]:
    seen: list[tuple[int, int]] = []
    on_gui_thread: list[bool] = []

    def moved(done: int, total: int) -> None:
        seen.append((done, total))
        app = QApplication.instance()
        on_gui_thread.append(app is not None and QThread.currentThread() is app.thread())

    return seen, on_gui_thread, moved


def test_reports_cross_to_the_gui_thread_thinned_to_steps_with_the_end(qtbot: QtBot) -> None:
    owner = QObject()
    seen, on_gui_thread, moved = _recorder()
    report = progress_relay(moved, owner=owner, steps=10)
    _on_a_worker_thread(lambda: [report(done, 1000) for done in range(1, 1001)])
    qtbot.waitUntil(lambda: (1000, 1000) in seen)
    assert seen[0] == (1, 1000) and len(seen) == 11  # steps 0 to 10, each once
    assert all(on_gui_thread)

    seen.clear()  # a second run, lower again: its first report is not swallowed
    big = 3 * 2**31  # a file's bytes
    _on_a_worker_thread(lambda: [report(done, big) for done in (1, big // 2, big)])
    qtbot.waitUntil(lambda: len(seen) == 3)
    assert seen == [(1, big), (big // 2, big), (big, big)]


def test_nothing_reaches_an_owner_already_destroyed(qtbot: QtBot) -> None:
    owner = QObject()
    seen, _threads, moved = _recorder()
    report = progress_relay(moved, owner=owner)
    shiboken6.delete(owner)  # the window went away while the work still runs
    _on_a_worker_thread(lambda: report(5, 5))  # no error on the worker thread either
    qtbot.wait(50)
    assert seen == []

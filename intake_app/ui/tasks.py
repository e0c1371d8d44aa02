"""Bring the result of background work (a `concurrent.futures.Future`) back to the GUI thread.

The one bridge between worker threads and widgets: the future's callback emits a queued signal,
so slots always run on the GUI thread. Known errors arrive as themselves; any other exception
is logged without its message and arrives as a plain `KnownError` ("something went wrong").
Progress while the work runs crosses the same way (`progress_relay`).

A bug inside a slot is never silent either: `guarded` (one slot) and `install_slot_guard` (every
slot, through sys.excepthook) log it without personal data and tell the person "Something went
wrong. Nothing was lost."
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable
from concurrent.futures import Future
from types import TracebackType
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from intake_app import safelog
from intake_app.errors import KnownError
from intake_app.ui.application import WINDOW_TITLE


class _Relay(QObject):
    done = Signal(object, object)  # (result, error)


_running: set[_Relay] = set()


def when_done(
    future: Future[Any],
    on_result: Callable[[Any], None],
    on_error: Callable[[KnownError], None],
    *,
    owner: QObject | None = None,
    context: str = "background work",
) -> None:
    """Call `on_result(value)` or `on_error(known_error)` on the GUI thread when `future` ends.

    Nothing is called when `owner` was destroyed meanwhile (the vault was locked and the screen
    that asked is gone). `context` (no personal data) says where a bug happened in the log.
    """
    relay = _Relay()
    _running.add(relay)

    def deliver(result: object, error: object) -> None:
        _running.discard(relay)
        relay.deleteLater()
        if owner is not None and not shiboken6.isValid(owner):
            return
        if error is None:
            on_result(result)
        else:
            assert isinstance(error, KnownError)
            on_error(error)

    relay.done.connect(deliver, Qt.ConnectionType.QueuedConnection)

    def finished(done: Future[Any]) -> None:
        error = done.exception()
        if error is not None and not isinstance(error, KnownError):
            safelog.log_bug(error, context)
            error = KnownError()
        # The application may be gone (it was quit while the work ran): nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            if shiboken6.isValid(relay):
                relay.done.emit(done.result() if error is None else None, error)

    future.add_done_callback(finished)


class _ProgressRelay(QObject):
    moved = Signal(object, object)  # (done, in all): objects, as a byte count passes 2**31


def progress_relay(
    on_progress: Callable[[int, int], None], *, owner: QObject, steps: int = 100
) -> Callable[[int, int], None]:
    """A `progress(done, total)` callback for work on another thread: it calls
    `on_progress(done, total)` on the GUI thread (queued) at most `steps` times a run, plus the
    end, and never once `owner` is destroyed. Make it once per owner and reuse it."""
    relay = _ProgressRelay(owner)  # a child: it goes with the owner
    relay.moved.connect(on_progress, Qt.ConnectionType.QueuedConnection)
    last = [-1, -1]  # (step, done) last reported; only the thread doing the work touches it

    def report(done: int, total: int) -> None:
        step = steps if total <= 0 else done * steps // total
        same_run = done >= last[1]  # a new run starts lower
        if same_run and step == last[0] and done != total:
            return
        last[:] = [step, done]
        with contextlib.suppress(RuntimeError):  # the owner went away meanwhile
            if shiboken6.isValid(relay):
                relay.moved.emit(done, total)

    return report


# --- Bugs inside slots ------------------------------------------------------------------------
# A bug in a slot must never be silent: it is logged without personal data and the person sees
# "Something went wrong. Nothing was lost." `guarded` wraps one slot; `install_slot_guard`
# catches whatever escapes every other slot (PySide6 hands those to sys.excepthook).

_Slot = TypeVar("_Slot", bound=Callable[..., Any])
_bug_boxes: set[QMessageBox] = set()


def tell_user_of_bug(parent: QWidget | None = None) -> QMessageBox | None:
    """Show "Something went wrong. Nothing was lost." (non-blocking) over `parent` or the
    active window; returns the box (None without a QApplication)."""
    if QApplication.instance() is None:
        return None
    if parent is not None and not shiboken6.isValid(parent):
        parent = None
    if parent is None:
        parent = QApplication.activeWindow()
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        WINDOW_TITLE,
        KnownError().translated(),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("bug_message")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:  # nothing else holds a parentless box: keep it until it is closed
        _bug_boxes.add(box)
        box.finished.connect(lambda _result: _bug_boxes.discard(box))
    box.open()
    return box


def report_bug(error: BaseException, context: str, parent: QWidget | None = None) -> None:
    """Log `error` (type and code locations only) and tell the person."""
    safelog.log_bug(error, context)
    tell_user_of_bug(parent)


def guarded(context: str) -> Callable[[_Slot], _Slot]:
    """Decorate a slot so that a bug in it is logged and shown, never lost. A `KnownError`
    escaping the slot is shown with its own words. The first argument that is a widget (the
    slot's `self`) parents the message."""

    def wrap(slot: _Slot) -> _Slot:
        @functools.wraps(slot)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return slot(*args, **kwargs)
            except Exception as error:
                parent = next((a for a in args if isinstance(a, QWidget)), None)
                if isinstance(error, KnownError):
                    box = tell_user_of_bug(parent)
                    if box is not None:
                        box.setText(error.translated())
                    return None
                report_bug(error, context, parent)
                return None

        return run  # type: ignore[return-value]

    return wrap


def _report_unhandled(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    safelog.log_bug(error.with_traceback(trace), "slot")
    sys.stderr.write(f"intake-app: bug ({safelog.describe_bug(error)}); nothing was lost.\n")
    # Never let the report itself crash the application.
    with contextlib.suppress(Exception):
        tell_user_of_bug()


def install_slot_guard() -> None:
    """Every exception escaping a Qt slot: logged without personal data, and the person told."""
    sys.excepthook = _report_unhandled

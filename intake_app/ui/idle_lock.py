"""Decide when to lock: idle time, the application being suspended, the session locking.

An application-wide event filter notes the time of the last keyboard, mouse or touch input;
a coarse timer checks it, so a mouse move costs a clock read, not a timer restart.

What Qt can tell about the session (see docs in the report): on every platform
`applicationStateChanged` reports Suspended (mobile, some macOS sleeps) and Inactive (another
window has focus). Qt has no signal for screen lock or system sleep; on Linux the session's
screen saver is watched over D-Bus (`intake_app.ui.session_watch`).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)


class IdleLock(QObject):
    """Emits `lock_now` after `timeout_seconds` without input, or when the app is suspended."""

    lock_now = Signal(str)  # the reason: "idle", "suspended", "session"

    def __init__(self, timeout_seconds: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timeout = float(timeout_seconds)
        self._last_input = time.monotonic()
        self._armed = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self._apply_interval()
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.installEventFilter(self)
        app.applicationStateChanged.connect(self._state_changed)

    def _apply_interval(self) -> None:
        # Check often enough to lock within a few percent of the timeout, at most once a second.
        self._timer.setInterval(int(min(1000.0, max(50.0, self._timeout * 1000 / 10))))

    def set_timeout(self, seconds: float) -> None:
        """Change the idle time; counts from the last input."""
        self._timeout = float(seconds)
        self._apply_interval()

    def arm(self) -> None:
        """Start watching (the vault is unlocked)."""
        self._armed = True
        self._last_input = time.monotonic()
        self._timer.start()

    def disarm(self) -> None:
        """Stop watching (the vault is locked)."""
        self._armed = False
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    def seconds_idle(self) -> float:
        """Seconds since the last input."""
        return time.monotonic() - self._last_input

    def _check(self) -> None:
        if self._armed and self.seconds_idle() >= self._timeout:
            self.fire("idle")

    def fire(self, reason: str) -> None:
        """Ask for a lock now (once; arm() again after unlocking)."""
        if self._armed:
            self.disarm()
            self.lock_now.emit(reason)

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationSuspended:
            self.fire("suspended")

    def stop(self) -> None:
        """Remove the event filter (the application is closing)."""
        self.disarm()
        app = QGuiApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

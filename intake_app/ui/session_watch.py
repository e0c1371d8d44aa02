"""Lock when the desktop session locks or the machine goes to sleep, where that can be seen.

Qt itself has no signal for either. On Linux the desktop announces both over D-Bus:
the screen saver's ActiveChanged (freedesktop and GNOME) on the session bus, and logind's
Session.Lock and Manager.PrepareForSleep on the system bus. Elsewhere (Windows' WTS session
messages, macOS workspace notifications) nothing is watched: the idle timer still locks.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

SYSTEM_BUS_SOCKET = Path("/run/dbus/system_bus_socket")
_SCREEN_SAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
)


class SessionWatch(QObject):
    """Emits `session_locked` when the screen locks, the session locks or sleep begins."""

    session_locked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.watching: list[str] = []
        if sys.platform.startswith("linux"):
            self._watch_linux()

    def _watch_linux(self) -> None:
        from PySide6.QtCore import SLOT
        from PySide6.QtDBus import QDBusConnection

        # Only where a bus is there: asking Qt for an absent bus logs warnings.
        if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            session = QDBusConnection.sessionBus()
            if session.isConnected():
                for service, path in _SCREEN_SAVERS:
                    if session.connect(  # type: ignore[call-overload]  # a str slot works
                        service, path, service, "ActiveChanged", self, SLOT("_active(bool)")
                    ):
                        self.watching.append(service)
        if SYSTEM_BUS_SOCKET.exists():
            system = QDBusConnection.systemBus()
            if system.isConnected():
                login = "org.freedesktop.login1"
                if system.connect(  # type: ignore[call-overload]  # a str slot works
                    login, "", login + ".Session", "Lock", self, SLOT("_locked()")
                ):
                    self.watching.append("logind-lock")
                if system.connect(  # type: ignore[call-overload]  # a str slot works
                    login,
                    "/org/freedesktop/login1",
                    login + ".Manager",
                    "PrepareForSleep",
                    self,
                    SLOT("_sleeping(bool)"),
                ):
                    self.watching.append("logind-sleep")

    @Slot(bool)
    def _active(self, active: bool) -> None:
        if active:
            self.session_locked.emit()

    @Slot()
    def _locked(self) -> None:
        self.session_locked.emit()

    @Slot(bool)
    def _sleeping(self, starting: bool) -> None:
        if starting:
            self.session_locked.emit()

"""Quick exit (F12): when someone comes in, every window disappears at once, then the vault
locks (the draft saved), our clipboard text is cleared and Intake ends. No question asked.

F12: one key without a chord, pressed blind with one finger, used by nothing else here, and
the same on every keyboard layout the application's languages use. A QAction's shortcut does
not fire while a modal dialog blocks its window, so the key is also caught for the whole
application here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog

QUICK_EXIT_KEY = QKeySequence(Qt.Key.Key_F12)


def hide_every_window() -> None:
    """Dialogs rejected (they may name someone), then every other window hidden."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.hide()


class QuickExitKey(QObject):
    """Calls `exit_now` when F12 is pressed in any window of the application."""

    def __init__(self, exit_now: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._exit_now = exit_now
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F12
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self._exit_now()
            return True
        return False

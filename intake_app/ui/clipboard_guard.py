"""Remember what this application put on the clipboard, so locking can take it back.

Only a hash of the copied text is kept, never the text. On lock the clipboard is cleared when
this application still owns it or when it holds text that was copied from here.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class ClipboardGuard:
    """Watches the clipboard while the application runs."""

    def __init__(self) -> None:
        self._ours: set[bytes] = set()
        self._clipboard: QClipboard = QGuiApplication.clipboard()
        self._clipboard.dataChanged.connect(self._changed)

    def _changed(self) -> None:
        # Text copied from one of our widgets: the application owns the clipboard (X11,
        # Windows), or, where the platform cannot say (macOS, offscreen), the change came while
        # one of our widgets had the keyboard focus: another program cannot copy then.
        ours = self._clipboard.ownsClipboard() or (
            QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
            and QApplication.focusWidget() is not None
        )
        if ours:
            text = self._clipboard.text()
            if text:
                self._ours.add(_digest(text))

    def holds_our_text(self) -> bool:
        """True when the clipboard holds text that was copied from this application."""
        if self._clipboard.ownsClipboard():
            return bool(self._clipboard.text())
        text = self._clipboard.text()
        return bool(text) and _digest(text) in self._ours

    def clear_if_ours(self) -> bool:
        """Empty the clipboard (and the X11 selection) if it holds our text; True when cleared."""
        cleared = False
        for mode in (QClipboard.Mode.Clipboard, QClipboard.Mode.Selection):
            if mode == QClipboard.Mode.Selection and not self._clipboard.supportsSelection():
                continue
            text = self._clipboard.text(mode)
            owned = (
                self._clipboard.ownsClipboard()
                if mode == QClipboard.Mode.Clipboard
                else self._clipboard.ownsSelection()
            )
            if text and (owned or _digest(text) in self._ours):
                self._clipboard.clear(mode)
                cleared = True
        self._ours.clear()
        return cleared

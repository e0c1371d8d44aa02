"""Small widgets shared by several screens: headings, message lines, passphrase fields."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleEvent,
    QFont,
    QFontDatabase,
    QGuiApplication,
)
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListView, QSizePolicy, QWidget

# Room at each end of a wrapped label's lines (px): some glyphs' ink reaches past their advance,
# and an Arabic alef with hamza at the left end of a right-to-left line was cut off.
INK_ROOM = 5
_Wrapping = TypeVar("_Wrapping", QLabel, QListView)  # what can wrap its text


def wrap_text(label: _Wrapping) -> _Wrapping:
    """Let `label` wrap its text, with room at both sides for ink past the glyphs' advances."""
    label.setWordWrap(True)
    label.setContentsMargins(INK_ROOM, 0, INK_ROOM, 0)
    return label


class Heading(QLabel):
    """A title whose size follows the application's text size (1.5x, or `scale`)."""

    def __init__(self, scale: float = 1.5, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scale = scale
        wrap_text(self)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("")
        self._apply_font()

    def _apply_font(self) -> None:
        font = QFont(QApplication.font())
        font.setPointSizeF(max(font.pointSizeF(), 1.0) * self._scale)
        font.setBold(True)
        self.setFont(font)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationFontChange:
            self._apply_font()
        return super().event(event)


class MessageLine(QLabel):
    """A line that tells the person what went wrong or what is happening; empty is hidden."""

    def __init__(
        self, parent: QWidget | None = None, *, error: bool = True, announced: bool = True
    ) -> None:
        super().__init__(parent)
        wrap_text(self)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.error = error
        self.announced = announced  # False: the control it concerns carries it instead
        if error:
            self.setStyleSheet("color: #b00020;")
        self.hide()

    def show_message(self, text: str) -> None:
        """Show `text` (already translated); an empty text hides the line. A new message is
        announced to screen readers: at once for an error, after what they are saying else."""
        changed = text != self.text()
        self.setText(text)
        self.setVisible(bool(text))
        if text and changed and self.announced:
            announce(self, text, urgent=self.error)


def announce(widget: QWidget, text: str | None = None, *, urgent: bool = True) -> None:
    """Have screen readers say `text` (else the widget's text) now: an urgent one interrupts
    (an alert and an assertive announcement), another waits its turn (a polite one)."""
    if urgent:
        QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.Alert))
    message = text if text is not None else str(getattr(widget, "text", lambda: "")())
    event = QAccessibleAnnouncementEvent(widget, message)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if urgent
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)


class PassphraseEdit(QLineEdit):
    """A password field whose text is never offered to copy, predict or remember."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhSensitiveData
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

    def set_shown(self, shown: bool) -> None:
        """Show the typed text (for checking it) or hide it again."""
        self.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)


def code_label(parent: QWidget, scale: float) -> QLabel:
    """A recovery code or fingerprint: large fixed-width plain text in a dashed box, read left
    to right in every language (a right-to-left paragraph would reorder its groups), not
    selectable."""
    label = QLabel(parent)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(QFont().pointSizeF() * scale)
    label.setFont(font)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setStyleSheet("padding: 12px; border: 2px dashed palette(mid);")
    label.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    return label


# Room for the title bar and frame a window manager adds around a window (logical px).
WINDOW_FRAME = QSize(16, 40)


def usable_area(window: QWidget, available: QRect | None = None) -> QSize:
    """The room for a window's contents on its screen (or in `available`): the screen's
    available geometry less the title bar and frame."""
    if available is None:
        screen = window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return QSize(16777215, 16777215)
        available = screen.availableGeometry()
    return QSize(
        max(available.width() - WINDOW_FRAME.width(), 1),
        max(available.height() - WINDOW_FRAME.height(), 1),
    )


def fit_to_screen(window: QWidget, preferred: QSize, available: QRect | None = None) -> QSize:
    """Resize `window` to `preferred`, but never beyond its screen (a 1366×768 laptop at 125 %
    has room for about 1090×570); returns the size given."""
    size = preferred.boundedTo(usable_area(window, available))
    size = size.expandedTo(window.minimumSize())
    window.resize(size)
    return size


# A focus ring that shows at a glance which control the keyboard is on (the platform's own is
# faint or missing on flat buttons and lists). palette(highlight) follows the theme.
_FOCUS_RULES = {
    "QPushButton": (
        "QPushButton:flat:focus { border: 2px solid palette(highlight); border-radius: 3px; }"
    ),
    "QListView": "QListView:focus { border: 2px solid palette(highlight); }",
}


def visible_focus(widget: QWidget) -> QWidget:
    """Give `widget` (a flat button or a list) a clear focus ring; returns it."""
    for class_name, rule in _FOCUS_RULES.items():
        if widget.inherits(class_name):
            widget.setStyleSheet(widget.styleSheet() + rule)
            break
    return widget

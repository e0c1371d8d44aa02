"""A page whose content scrolls up and down when the window is too small for it (large text,
long translations), and is never narrower than its content: it never scrolls sideways."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QScrollArea, QStyle, QWidget

MIN_VISIBLE_HEIGHT = 120  # px: below this the page is not worth showing
PREFERRED_LINE = 70  # characters: a comfortable line length for the wrapped texts


class ScrollPage(QScrollArea):
    """`content` in a frameless area that follows its width and scrolls vertically.

    The area itself takes no keyboard focus: tabbing goes straight to the controls inside,
    and the area scrolls to show each one.
    """

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)

    def minimumSizeHint(self) -> QSize:
        """As wide as the content needs (with room for the scroll bar), a little high."""
        content = self.widget()
        width = content.minimumSizeHint().width() if content is not None else 0
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        return QSize(width + bar + 2 * self.frameWidth(), MIN_VISIBLE_HEIGHT)

    def sizeHint(self) -> QSize:
        """Lines of a comfortable length, and the whole content's height at that width."""
        minimum = self.minimumSizeHint()
        content = self.widget()
        if content is None:
            return minimum
        bar = minimum.width() - content.minimumSizeHint().width()
        width = max(
            content.sizeHint().width(),
            self.fontMetrics().averageCharWidth() * PREFERRED_LINE,
            minimum.width() - bar,
        )
        layout = content.layout()
        if layout is not None and layout.hasHeightForWidth():
            height = layout.totalHeightForWidth(width)
        else:
            height = content.sizeHint().height()
        return QSize(width + bar, max(height, minimum.height()))


def scrolling(content: QWidget, parent: QWidget) -> ScrollPage:
    """`content` in a `ScrollPage`."""
    return ScrollPage(content, parent)

"""A clear ring round the keyboard focus, in every window and dialog (issue 20).

Two ways, one look (two pixels in the theme's highlight colour):

- a style sheet for toolbar buttons and for tables and lists (their cells too): the platform's
  own mark is a faint tint on a toolbar button and nothing at all on a table without a current
  row;
- a ring drawn just outside buttons, check boxes, radio buttons, text fields, combo boxes and
  spin boxes and tab bars, which all keep their native look (a style sheet would redraw them):
  the platform's one-pixel line is easy to miss, and a tab bar showed nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QFocusFrame,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTabBar,
    QTextEdit,
    QWidget,
)
from shiboken6 import isValid

RING_WIDTH = 2
# Unfocused, the same border width in a quiet colour: nothing moves when the focus comes.
FOCUS_STYLE = """
QToolBar QToolButton { border: 2px solid transparent; border-radius: 3px; padding: 2px 4px; }
QToolBar QToolButton:hover { background: palette(light); }
QToolBar QToolButton:pressed { background: palette(midlight); }
QToolBar QToolButton:focus { border-color: palette(highlight); }
QTableView, QTreeView, QListWidget { border: 1px solid palette(mid); padding: 1px; }
QTableView:focus, QTreeView:focus, QListWidget:focus {
    border: 2px solid palette(highlight); padding: 0px; }
QTableView::item:focus, QTreeView::item:focus, QListWidget::item:focus {
    border: 2px solid palette(text); }
"""
RINGED = (
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QTextEdit,
    QPlainTextEdit,
    QPushButton,
    QCheckBox,
    QRadioButton,
)


class FocusRing(QFocusFrame):
    """Two pixels in the highlight colour just outside the widget it follows."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), RING_WIDTH)
        painter.setPen(pen)
        inset = RING_WIDTH / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), 3, 3)


class TabMark(QWidget):
    """The same ring inside the current tab of the tab bar it lies on (a ring round the whole
    bar would be cut off by the tab widget's edges)."""

    def __init__(self, bar: QTabBar) -> None:
        super().__init__(bar)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setGeometry(bar.rect())
        bar.currentChanged.connect(self.update)
        bar.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        bar = self.parentWidget()
        if bar is not None and watched is bar and event.type() == QEvent.Type.Resize:
            self.setGeometry(bar.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        bar = self.parentWidget()
        if not isinstance(bar, QTabBar) or bar.currentIndex() < 0:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), RING_WIDTH))
        inset = RING_WIDTH / 2 + 1
        tab = QRectF(bar.tabRect(bar.currentIndex()))
        painter.drawRoundedRect(tab.adjusted(inset, inset, -inset, -inset), 3, 3)


def ringed_widget(widget: QWidget | None) -> QWidget | None:
    """The field that shows the ring for `widget` (a combo box's or spin box's own text field
    rings the whole box); None for widgets the style sheet marks."""
    if widget is None:
        return None
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, QComboBox | QAbstractSpinBox):
        return parent
    if isinstance(widget, QPushButton) and widget.isFlat():
        return None  # its own style sheet rule (ui.common.visible_focus)
    return widget if isinstance(widget, RINGED) else None


class FocusRings:
    """Moves one ring to whichever button, field, box or tab bar has the focus."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._ring: FocusRing | None = None
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        for bar in (old, new):
            if isinstance(bar, QTabBar):
                mark = bar.findChild(TabMark) or TabMark(bar)
                mark.setVisible(bar is new)
        target = ringed_widget(new)
        ring = self._ring if self._ring is not None and isValid(self._ring) else None
        if target is None:
            if ring is not None:
                ring.setWidget(None)  # type: ignore[arg-type]  # Qt: hide the ring
            return
        if ring is None:  # the first one, or it went with the window it was drawn in
            ring = self._ring = FocusRing()
        ring.setWidget(target)

    def stop(self) -> None:
        """Follow the focus no more (tests)."""
        self._app.focusChanged.disconnect(self._focus_changed)
        if self._ring is not None and isValid(self._ring):
            self._ring.setWidget(None)  # type: ignore[arg-type]  # Qt: hide the ring
            self._ring.deleteLater()
        self._ring = None

    def follows(self) -> QWidget | None:
        """The widget the ring is round now (None: none)."""
        if self._ring is None or not isValid(self._ring):
            return None
        return self._ring.widget()


_rings: list[FocusRings] = []


def show_focus_clearly(app: QApplication) -> FocusRings:
    """Give the keyboard focus a clear ring everywhere in `app` (once)."""
    app.setStyleSheet(FOCUS_STYLE)
    if not _rings:
        _rings.append(FocusRings(app))
    return _rings[0]


def stop_showing_focus(app: QApplication) -> None:
    """Back to the platform's own focus marks (tests share one application)."""
    app.setStyleSheet("")
    while _rings:
        _rings.pop().stop()

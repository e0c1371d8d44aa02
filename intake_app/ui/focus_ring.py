"""A clear ring round the keyboard focus, in every window and dialog (issue 20).

Two ways, one look (two pixels in the theme's highlight colour):

- a style sheet for toolbar buttons and for tables and lists (their cells too): the platform's
  own mark is a faint tint on a toolbar button and nothing at all on a table without a current
  row;
- a ring drawn just outside buttons, check boxes, radio buttons, text fields, combo boxes and
  spin boxes, and inside the current tab of a tab bar, which all keep their native look (a
  style sheet would redraw them): the platform's one-pixel line is easy to miss, and a tab bar
  showed nothing.

The ring is painted by one transparent layer over each window that never takes the focus or a
click and is never moved to another parent: a QFocusFrame, which Qt moves next to each focused
widget, broke the Tab order of the editor's pages (Tab went round the page and never left it).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
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
    QTabBar,
)
OUTSIDE = 3  # px between the widget's edge and the ring's outer edge
# Moves and size changes of the focused widget or of any widget it lies in (a page scrolled).
MOVES = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide)


def ringed_widget(widget: QWidget | None) -> QWidget | None:
    """The widget the ring goes round for `widget` (a combo box's or spin box's own text field
    rings the whole box); None for widgets the style sheet marks."""
    if widget is None:
        return None
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, QComboBox | QAbstractSpinBox):
        return parent
    if isinstance(widget, QPushButton) and widget.isFlat():
        return None  # its own style sheet rule (ui.common.visible_focus)
    return widget if isinstance(widget, RINGED) else None


class FocusLayer(QWidget):
    """A transparent layer over its window that paints the ring round one widget in it."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("focus_layer")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self._target: QWidget | None = None
        self._watched: list[QWidget] = []
        self._drawn = QRect()

    def follow(self, target: QWidget | None) -> None:
        """Ring `target` (None: nothing)."""
        for widget in self._watched:
            if isValid(widget):
                widget.removeEventFilter(self)
        self._watched = []
        if isinstance(self._target, QTabBar) and isValid(self._target):
            self._target.currentChanged.disconnect(self._moved)
        self._target = target
        window = self.parentWidget()
        inside: QWidget | None = target
        while inside is not None and inside is not window:
            inside.installEventFilter(self)
            self._watched.append(inside)
            inside = inside.parentWidget()
        if isinstance(target, QTabBar):
            target.currentChanged.connect(self._moved)
        if target is not None:
            self.raise_()  # above widgets the window made since
            self.show()
        self._moved()

    def target(self) -> QWidget | None:
        return self._target if self._target is not None and isValid(self._target) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in MOVES and isValid(self):
            window = self.parentWidget()
            if watched is window and window is not None:
                self.setGeometry(window.rect())
            self._moved()
        return False

    def _moved(self, *_args: object) -> None:
        """Repaint where the ring was and where it is now (not the whole window)."""
        ring = self.ring_rect()
        self.update(self._drawn)
        self.update(ring)
        self._drawn = ring

    def ring_rect(self) -> QRect:
        """Where the ring is drawn, in this layer (empty: nowhere)."""
        target = self.target()
        window = self.parentWidget()
        if target is None or window is None or not target.isVisible():
            return QRect()
        shown = target.visibleRegion().boundingRect()  # not what a scroll area hides
        if shown.isEmpty():
            return QRect()
        place = target.mapTo(window, QPoint(0, 0))
        if isinstance(target, QTabBar):
            if target.currentIndex() < 0:
                return QRect()
            tab = target.tabRect(target.currentIndex()).intersected(shown)
            return tab.translated(place)  # inside the tab: the tab widget's edges cut outside
        outside = target.rect().adjusted(-OUTSIDE, -OUTSIDE, OUTSIDE, OUTSIDE)
        return outside.translated(place)

    def paintEvent(self, event: QPaintEvent) -> None:
        ring = self.ring_rect()
        target = self.target()
        if ring.isEmpty() or target is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), RING_WIDTH))
        # Only over what of the widget shows (a page scrolled half out of its area).
        window = self.parentWidget()
        if window is not None:
            shown = target.visibleRegion().boundingRect()
            place = target.mapTo(window, QPoint(0, 0))
            painter.setClipRect(
                shown.translated(place).adjusted(-OUTSIDE, -OUTSIDE, OUTSIDE, OUTSIDE)
            )
        inset = RING_WIDTH / 2 + (1 if isinstance(target, QTabBar) else 0)
        painter.drawRoundedRect(QRectF(ring).adjusted(inset, inset, -inset, -inset), 3, 3)


class FocusRings:
    """Rings whichever button, field, box or tab bar has the focus, in whatever window."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._layer: FocusLayer | None = None
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        target = ringed_widget(new)
        layer = self._layer if self._layer is not None and isValid(self._layer) else None
        window = target.window() if target is not None else None
        if layer is not None and layer.parentWidget() is not window:
            layer.follow(None)
            layer = None
        if target is None or window is None or window is target:
            return
        if layer is None:
            found = window.findChild(
                FocusLayer, "focus_layer", Qt.FindChildOption.FindDirectChildrenOnly
            )
            layer = found if isinstance(found, FocusLayer) else FocusLayer(window)
        self._layer = layer
        layer.follow(target)

    def stop(self) -> None:
        """Follow the focus no more (tests)."""
        self._app.focusChanged.disconnect(self._focus_changed)
        if self._layer is not None and isValid(self._layer):
            self._layer.follow(None)
        self._layer = None

    def follows(self) -> QWidget | None:
        """The widget the ring is round now (None: none)."""
        if self._layer is None or not isValid(self._layer):
            return None
        return self._layer.target()


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

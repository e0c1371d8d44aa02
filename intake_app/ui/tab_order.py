"""Tab order that follows the screen when widgets are made in another order (pages built when
first shown, an editor made after the status bar)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def focus_stops(root: QWidget) -> list[QWidget]:
    """The widgets under `root` that can take the focus (shown or not), in Qt's Tab order."""
    stops: list[QWidget] = []
    start = root.window()
    widget = start.nextInFocusChain()
    while widget is not None and widget is not start:
        if (
            root.isAncestorOf(widget)
            and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
            and widget.focusProxy() is None
            and not any(stop.isAncestorOf(widget) for stop in stops)  # a part of a control
        ):
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


def chain_tabs(widgets: Iterable[QWidget]) -> None:
    """Make Tab go from each widget to the next one."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)

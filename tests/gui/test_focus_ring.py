"""Issue 20, item 3: the keyboard focus shows clearly in both windows: a ring in the highlight
colour on toolbar buttons, on tables (and the current cell) and round text fields and combo
boxes, where the platform's own mark was a faint tint or nothing at all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.ui.focus_ring import show_focus_clearly, stop_showing_focus
from tests.gui.admin.test_window import unlock, window
from tests.gui.worker.test_keyboard_paths import shell
from tests.helpers.ui import OFFSCREEN_NOISE, editor_opened

pytestmark = OFFSCREEN_NOISE
__all__ = ["shell", "window"]  # the fixtures


@pytest.fixture
def clear_focus(qapp) -> Iterator[None]:
    rings = show_focus_clearly(qapp)
    assert rings is not None
    yield
    stop_showing_focus(qapp)


def strongly_changed(a: QImage, b: QImage) -> int:
    """Pixels whose colour changed a lot (not a faint tint)."""
    count = 0
    for y in range(a.height()):
        for x in range(a.width()):
            p, q = QColor(a.pixel(x, y)), QColor(b.pixel(x, y))
            distance = (
                sum((c1 - c2) ** 2 for c1, c2 in zip(p.getRgb()[:3], q.getRgb()[:3], strict=True))
                ** 0.5
            )
            count += distance > 120
    return count


def ring_pixels(widget: QWidget, elsewhere: QWidget, *, outside: bool = False) -> int:
    """How many pixels change strongly when the keyboard comes to `widget` from `elsewhere`:
    on the widget, or (`outside`) in its window just round it, where a ring is drawn."""
    window = widget.window()
    area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()).adjusted(-6, -6, 6, 6)

    def picture() -> QImage:
        QApplication.processEvents()
        return (window.grab(area) if outside else widget.grab()).toImage()

    elsewhere.setFocus(Qt.FocusReason.TabFocusReason)
    without = picture()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    with_focus = picture()
    assert widget.hasFocus()
    return strongly_changed(without, with_focus)


def test_toolbar_buttons_show_a_ring(qtbot, shell, clear_focus) -> None:
    workspace = shell.workspace
    table = workspace.list.table
    for action in (workspace.new_action, workspace.sync_action, workspace.lock_action):
        button = workspace.toolbar.widgetForAction(action)
        assert ring_pixels(button, table) >= button.width() + button.height(), action.text()


def test_the_table_and_its_current_cell_show_a_ring(qtbot, shell, clear_focus) -> None:
    workspace = shell.workspace
    table = workspace.list.table
    button = workspace.toolbar.widgetForAction(workspace.new_action)
    assert ring_pixels(table, button) >= 2 * (table.width() + table.height())
    table.setCurrentIndex(table.model().index(1, 0))
    cell = table.visualRect(table.currentIndex())
    button.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    without = table.viewport().grab(cell).toImage()
    table.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    assert strongly_changed(without, table.viewport().grab(cell).toImage()) >= cell.width()


def test_text_fields_and_combo_boxes_show_a_ring_round_them(qtbot, shell, clear_focus) -> None:
    listing = shell.workspace.list
    table = listing.table
    for field in (listing.search, listing.status_filter, shell.workspace.language):
        ring = ring_pixels(field, table, outside=True)
        assert ring >= 2 * (field.width() + field.height()), field.accessibleName()


def test_the_centres_buttons_and_current_tab_show_a_ring(qtbot, window, clear_focus) -> None:
    window.resize(1280, 800)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    unlock(window, qtbot)
    for button in (window.import_button, window.lock_button):
        ring = ring_pixels(button, window.scan_button, outside=True)
        assert ring >= 2 * (button.width() + button.height()), button.text()
    bar = window.tabs.tabBar()
    tab = bar.tabRect(bar.currentIndex())
    assert ring_pixels(bar, window.scan_button, outside=True) >= 2 * (tab.width() + tab.height())


def test_the_ring_leaves_the_tab_order_alone(qtbot, shell, clear_focus) -> None:
    """A QFocusFrame (moved next to each focused widget) made Tab go round the editor's page
    and never leave it; the ring's layer never moves."""
    workspace = shell.workspace
    workspace.new_action.trigger()
    editor_opened(qtbot, workspace)
    editor = workspace.editor
    start = editor.block("consent_interview").input.buttons["yes"]
    start.setFocus(Qt.FocusReason.TabFocusReason)
    stops = [start]
    for _ in range(80):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is start:
            break
        stops.append(QApplication.focusWidget())
    else:
        raise AssertionError("Tab never came back to the first question")
    for widget in (
        workspace.toolbar.widgetForAction(workspace.new_action),
        editor.actions_bar.withdraw_button,
        editor.nav,
    ):
        assert widget in stops

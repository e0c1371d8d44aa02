"""Issue 16, defect 4: the keyboard focus shows clearly on the "Clear the answer" buttons and
on the section list (before, the focused and unfocused pictures were the same)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.editor.test_repeat_tab_order import editor
from tests.helpers.ui import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE
__all__ = ["editor"]  # the fixture


def _strongly_changed(a: QImage, b: QImage) -> int:
    """Pixels whose colour changed a lot (not a faint tint)."""
    count = 0
    for y in range(0, a.height()):
        for x in range(0, a.width()):
            p, q = QColor(a.pixel(x, y)), QColor(b.pixel(x, y))
            distance = (
                sum((c1 - c2) ** 2 for c1, c2 in zip(p.getRgb()[:3], q.getRgb()[:3], strict=True))
                ** 0.5
            )
            count += distance > 120
    return count


def _focus_ring(widget: QWidget, elsewhere: QWidget) -> int:
    elsewhere.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    without = widget.grab().toImage()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    assert widget.hasFocus()
    return _strongly_changed(without, widget.grab().toImage())


def test_the_clear_answer_button_shows_its_focus(qtbot, editor) -> None:
    editor.show_section("consent")
    answer = editor.block("consent_interview").input
    qtbot.waitUntil(answer.clear_button.isVisible)
    button = answer.clear_button
    ring = _focus_ring(button, editor.nav)
    assert ring >= button.width() + button.height()  # at least half a ring round it


def test_the_section_list_shows_its_focus(qtbot, editor) -> None:
    editor.show_section("consent")
    answer = editor.block("consent_interview").input
    qtbot.waitUntil(answer.clear_button.isVisible)
    nav = editor.nav
    ring = _focus_ring(nav, answer.clear_button)
    assert ring >= nav.width() + nav.height()

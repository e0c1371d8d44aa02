"""Issue 20: what the walk through the real accessibility bus (tests/process/atspi_walk.py)
found, checked here in process so that it fails fast: the toolbar's overflow button had no
name, and a date's parts said "Required. YYYY" (or "hint.. YYYY") on one line."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QToolButton

from tests.gui.editor.test_screen_reader import editor, shell
from tests.helpers.ui import OFFSCREEN_NOISE, speaking

pytestmark = OFFSCREEN_NOISE
__all__ = ["editor", "shell"]  # the fixtures


def _name(widget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


def test_the_toolbar_overflow_button_is_named(qtbot, shell) -> None:
    with speaking("fi"):
        toolbar = shell.workspace.toolbar
        shell.resize(640, 600)  # too narrow for the editor's toolbar in Finnish
        more = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
        assert more is not None
        qtbot.waitUntil(more.isVisible)
        assert _name(more).strip()
        assert more.toolTip() == _name(more)


def test_a_dates_parts_say_required_and_their_format_on_lines_of_their_own(editor) -> None:
    date = editor.block("interview_date").input
    for part, fmt in ((date.year, "YYYY"), (date.month, "MM"), (date.day, "DD")):
        interface = QAccessible.queryAccessibleInterface(part)
        lines = interface.text(QAccessible.Text.Description).split("\n")
        assert "Required" in lines, lines
        assert lines[-1] == part.placeholderText() == fmt
        assert not any(line.endswith("..") for line in lines)

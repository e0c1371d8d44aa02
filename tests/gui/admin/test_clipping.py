"""Nothing in the administrator's Laptops and Alerts tabs, or the approval dialog, is cut off
in any language, at the window's real text size in a 1280×720 window (a screenshot review found
each of these cut in Finnish, Somali, Thai or Arabic):

- the approval dialog grows with the wrong-fingerprint message: the explanation above the field
  stays whole;
- every column title on the Laptops tab is whole (wrapped onto two lines where it must be), each
  column is as wide as its cells, and the tables need no scrolling sideways;
- the Alerts tab's "What happened" (and the held bundles' "Waiting for") wraps inside the window.

With INTAKE_SCREENSHOTS set to a folder, each test saves what it measured there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QStyle, QTableView, QWidget
from pytestqt.qtbot import QtBot

from intake_app.i18n import set_language
from intake_app.sync.centre.sequence import SEQ_FAR_AHEAD
from intake_app.ui.admin.held_panel import COLUMNS as HELD_COLUMNS
from intake_app.ui.admin.log_tab import ALERT_COLUMNS, LOG_COLUMNS, AlertsTab
from intake_app.ui.admin.window import AdminWindow
from intake_app.ui.application import apply_text_size
from tests.gui.admin.test_requests import wait_requests, window
from tests.gui.admin.test_window import profile_share, run, unlock
from tests.helpers.bundles import Laptop
from tests.helpers.centre import register

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")
__all__ = ["window"]  # the fixture

LANGS = ["fi", "so", "th", "ar", "fa-AF"]
SCREEN = QSize(1280, 720)
WAIT = 30_000


@pytest.fixture
def real_text(qapp: QApplication) -> Iterator[None]:
    """The window's real text size (at least 12 points), as the application sets it."""
    font = qapp.font()
    apply_text_size(qapp, 0)
    yield
    qapp.setFont(font)


def screenshot(widget: QWidget, name: str, lang: str) -> None:
    folder = os.environ.get("INTAKE_SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}-{lang}.png"))


def cut_labels(dialog: QWidget) -> list[tuple[str, QSize, int]]:
    """The dialog's shown labels too small for their text: (text, size, height needed)."""
    cut = []
    for label in dialog.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        needed = (label.heightForWidth(label.width()) if label.wordWrap()
                  else label.sizeHint().height())
        too_narrow = not label.wordWrap() and label.width() < label.sizeHint().width()
        if label.height() < needed or too_narrow:
            cut.append((label.text(), label.size(), needed))
    return cut


@pytest.mark.parametrize("lang", LANGS)
def test_the_approval_dialog_grows_with_the_wrong_fingerprint_message(
        window: AdminWindow, qtbot: QtBot, real_text: None, laptop: Laptop, lang: str) -> None:
    set_language(lang)
    window.resize(SCREEN)
    unlock(window, qtbot)
    run(window, lambda centre: register(centre, laptop, active=False))
    devices = window.devices
    window.tabs.setCurrentWidget(devices)
    devices.refresh()
    qtbot.waitUntil(lambda: devices.model.rowCount() == 1, timeout=WAIT)
    flags = devices.table.selectionModel().SelectionFlag  # selectRow() is left to right only
    devices.table.selectionModel().select(devices.model.index(0, 0),
                                          flags.ClearAndSelect | flags.Rows)
    dialog = devices.approve_selected()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert cut_labels(dialog) == []
    dialog.fingerprint.setText("0000 1111 2222 3333 4444")
    dialog.approve()
    qtbot.waitUntil(dialog.message.isVisible, timeout=WAIT)
    qtbot.wait(50)
    assert cut_labels(dialog) == []
    assert dialog.frameGeometry().size().boundedTo(SCREEN) == dialog.frameGeometry().size()
    screenshot(dialog, "admin-approve-wrong-fingerprint-dialog", lang)


def title_cut(table: QTableView, section: int) -> tuple[int, int] | None:
    """(needed, given) when the column title does not fit its section, as the header draws it:
    in its bold font, wrapped at word boundaries within the section's margins."""
    header = table.horizontalHeader()
    text = str(table.model().headerData(section, Qt.Orientation.Horizontal))
    font = QFont(header.font())
    font.setBold(True)
    metrics = QFontMetrics(font)
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    width = header.sectionSize(section) - 2 * margin
    box = metrics.boundingRect(QRect(0, 0, max(width, 1), 10_000),
                               Qt.TextFlag.TextWordWrap, text)
    if box.width() > width or box.height() > header.height():
        return box.width(), width
    return None


def columns_cut(table: QTableView, wrapping: int | None = None) -> list[object]:
    """What is cut in `table`: titles, cells narrower than their text (but the column of
    sentences, which wraps), or a table wider than its viewport."""
    header = table.horizontalHeader()
    cut: list[object] = []
    for section in range(header.count()):
        title = title_cut(table, section)
        if title is not None:
            cut.append((header.model().headerData(section, Qt.Orientation.Horizontal), title))
        if section != wrapping and header.sectionSize(section) < table.sizeHintForColumn(section):
            cut.append(("cells", section, header.sectionSize(section),
                        table.sizeHintForColumn(section)))
    if header.length() > table.viewport().width():
        cut.append(("sideways", header.length(), table.viewport().width()))
    return cut


@pytest.mark.parametrize("lang", LANGS)
def test_the_laptops_tab_shows_every_title_and_cell_whole(
        window: AdminWindow, qtbot: QtBot, real_text: None, laptop: Laptop, lang: str) -> None:
    window.resize(SCREEN)
    unlock(window, qtbot)
    run(window, lambda centre: register(centre, Laptop(name="Laptop 7", worker="W-12"),
                                        active=False))
    devices = window.devices
    window.tabs.setCurrentWidget(devices)
    devices.refresh()
    qtbot.waitUntil(lambda: devices.model.rowCount() == 1, timeout=WAIT)
    set_language(lang)  # the titles change under columns fitted to the English ones
    qtbot.wait(50)
    assert columns_cut(devices.requests_table) == []  # no request yet: the titles alone
    assert columns_cut(devices.table) == []
    laptop.enrol(profile_share(window))
    wait_requests(window, qtbot, 1)
    qtbot.wait(50)
    assert columns_cut(devices.requests_table) == []
    assert columns_cut(devices.table) == []
    screenshot(window, "admin-requests", lang)


def cell_cut(table: QTableView, row: int, column: int) -> tuple[QRect, QRect] | None:
    """(cell, room) when a cell runs past the viewport's edges or its wrapped text is taller
    than its row."""
    index = table.model().index(row, column)
    cell = table.visualRect(index)
    room = table.viewport().rect()
    text = str(index.data())
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    box = table.fontMetrics().boundingRect(
        QRect(0, 0, cell.width() - 2 * margin, 10_000), Qt.TextFlag.TextWordWrap, text)
    if cell.left() < room.left() or cell.right() > room.right() or box.height() > cell.height():
        return cell, room
    return None


@pytest.mark.parametrize("lang", LANGS)
def test_the_alerts_tab_wraps_what_happened_inside_the_window(
        window: AdminWindow, qtbot: QtBot, real_text: None, laptop: Laptop, tmp_path: Path,
        lang: str) -> None:
    set_language(lang)
    window.resize(SCREEN)
    unlock(window, qtbot)
    run(window, lambda centre: register(centre, laptop))
    far = run(window, lambda centre: laptop.bundle(tmp_path / "out", centre,
                                                   seq=SEQ_FAR_AHEAD + 3).path)
    window.import_paths([far])
    alerts = window.alerts
    qtbot.waitUntil(lambda: alerts.count() == 1 and alerts.held.model.rowCount() == 1,
                    timeout=WAIT)
    window.tabs.setCurrentWidget(alerts)
    what_happened = 3
    assert [column.header for column in ALERT_COLUMNS].index("What happened") == what_happened
    assert [column.header for column in HELD_COLUMNS].index("Waiting for") == what_happened
    qtbot.wait(50)
    assert alerts_cut(alerts, what_happened) == []
    for table in (alerts.table, alerts.held.table):  # the detail and the advice take room
        flags = table.selectionModel().SelectionFlag  # selectRow() is left to right only
        table.selectionModel().setCurrentIndex(table.model().index(0, 0),
                                               flags.ClearAndSelect | flags.Rows)
    qtbot.waitUntil(alerts.held.import_button.isEnabled, timeout=WAIT)
    qtbot.wait(50)
    assert alerts.detail.isVisible() and alerts.held.advice.isVisible()
    assert alerts_cut(alerts, what_happened) == []
    screenshot(window, "admin-alerts", lang)
    # The import log's reason (the same held bundle) wraps the same way.
    log = window.log
    window.tabs.setCurrentWidget(log)
    qtbot.waitUntil(lambda: log.model.rowCount() >= 1, timeout=WAIT)
    qtbot.wait(50)
    reason = [column.header for column in LOG_COLUMNS].index("Reason")
    cut = list(columns_cut(log.table, wrapping=reason))
    cut += ["scroll bar"] if log.table.horizontalScrollBar().maximum() != 0 else []
    cut += [cell_cut(log.table, 0, reason)] if cell_cut(log.table, 0, reason) else []
    assert cut == []


def alerts_cut(alerts: AlertsTab, what_happened: int) -> list[object]:
    """What is cut in the alerts' and the held bundles' tables (named)."""
    cut: list[object] = []
    for name, table in (("alerts", alerts.table), ("held", alerts.held.table)):
        cut.extend((name, what) for what in columns_cut(table, wrapping=what_happened))
        if table.horizontalScrollBar().maximum() != 0:
            cut.append((name, "scroll bar"))
        cell = cell_cut(table, 0, what_happened)
        if cell is not None:
            cut.append((name, cell))
    return cut

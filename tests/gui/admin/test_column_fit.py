"""Column fitting measures the cells once and fits as Qt would (review finding: it was slow).

- The widths and the rows' heights are those Qt gives (`sizeHintForColumn`,
  `resizeRowsToContents`) in every script: Thai lines are taller, Arabic ones shorter;
- the changes of one turn of the event loop are fitted once, after it; a resize fits at once
  without measuring the cells again; a new text size measures them again.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QTableView, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from intake_app.i18n import set_language
from intake_app.sync.centre import LogEntry
from intake_app.sync.errors import Outcome, Reason
from intake_app.ui.admin import column_fit
from intake_app.ui.admin.column_fit import Cells, ColumnFit, fit_columns
from intake_app.ui.admin.log_tab import LOG_COLUMNS, REASON
from intake_app.ui.admin.rows_model import RowsModel, make_table
from intake_app.ui.application import apply_text_size

ROWS = 120


def entries(count: int) -> list[LogEntry]:
    """Import attempts with every reason in turn (long and short sentences, and none)."""
    reasons = list(Reason)
    return [LogEntry(num=num, at=f"2026-{1 + num % 12:02d}-{1 + num % 28:02d}T{num % 24:02d}:"
                     f"{num % 60:02d}:00Z", file_name=f"intake-{num:05d}-laptop-{num % 7}.bundle",
                     device_id=f"{(num * 7919) % 65536:04x}" * 8, seq=num * 37,
                     payload_sha256=None,
                     outcome=reasons[num % len(reasons)].outcome if num % 3 else Outcome.ACCEPTED,
                     reason=reasons[num % len(reasons)] if num % 3 else None, records=1,
                     acknowledged=None)
            for num in range(count)]


class Log:
    """A 1,000-row-like import log table (fewer rows) in a window."""

    def __init__(self, qtbot: QtBot) -> None:
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.model = RowsModel(LOG_COLUMNS, self.window)
        self.table: QTableView = make_table(self.window, self.model)
        self.fit: ColumnFit = fit_columns(self.table, wrapping=REASON)
        QVBoxLayout(self.window).addWidget(self.table)
        self.window.resize(1100, 600)
        self.window.show()
        qtbot.waitExposed(self.window)

    def heights(self) -> list[int]:
        return [self.table.rowHeight(row) for row in range(self.model.rowCount())]

    def as_qt_fits(self) -> list[object]:
        """Where the fitted table differs from Qt's own measure of its cells and rows."""
        table, differ = self.table, list[object]()
        for column in range(self.model.columnCount()):
            qt = table.sizeHintForColumn(column)
            if column != REASON and self.fit.cells().widths[column] != qt:
                differ.append(("cells", column, self.fit.cells().widths[column], qt))
            if column != REASON and table.columnWidth(column) < qt:
                differ.append(("column", column, table.columnWidth(column), qt))
        fitted = self.heights()
        table.resizeRowsToContents()
        differ += [("row", row, mine, qt) for row, (mine, qt)
                   in enumerate(zip(fitted, self.heights(), strict=True)) if mine != qt]
        return differ


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many times cells were measured (each entry a measure's row count)."""
    counts: list[int] = []
    measure = Cells.measure

    def counted(table: QTableView, wrapping: int | None) -> Cells:
        counts.append(table.model().rowCount())
        return measure(table, wrapping)

    monkeypatch.setattr(column_fit.Cells, "measure", counted)
    yield counts


@pytest.mark.parametrize("lang", ["en", "fi", "th", "ar", "fa-AF"])
def test_widths_and_rows_are_those_qt_gives_in_every_script(
        qtbot: QtBot, qapp: QApplication, lang: str) -> None:
    set_language(lang)
    font = qapp.font()
    apply_text_size(qapp, 0)  # the window's real text size
    try:
        log = Log(qtbot)
        log.model.set_rows(entries(ROWS))
        qtbot.waitUntil(lambda: len(set(log.heights())) > 1)  # the reasons wrap
        assert log.as_qt_fits() == []
        for width in (760, 1400):  # the reasons take more lines, then fewer
            log.window.resize(width, 600)

            def resized(wide: int = width) -> bool:
                return log.window.width() == wide

            qtbot.waitUntil(resized)
            assert log.as_qt_fits() == []
    finally:
        qapp.setFont(font)


def test_one_turns_changes_are_fitted_once_and_a_resize_measures_nothing(
        qtbot: QtBot, qapp: QApplication, measured: list[int]) -> None:
    log = Log(qtbot)
    QApplication.processEvents()
    before = len(measured)
    log.model.set_rows(entries(ROWS))
    log.model.retranslate()  # every title and cell changed too
    set_language("fi")
    log.model.retranslate()
    assert len(measured) == before  # not yet: after this turn of the event loop
    qtbot.waitUntil(lambda: len(measured) > before)
    QApplication.processEvents()
    assert measured[before:] == [ROWS]
    tall = log.heights()
    assert len(set(tall)) > 1
    log.window.resize(700, 600)  # the reasons take more lines at once, nothing measured again
    assert log.heights() != tall and measured[before:] == [ROWS]
    assert log.as_qt_fits() == []
    font = qapp.font()
    try:
        apply_text_size(qapp, 6)  # larger text: measured again
        qtbot.waitUntil(lambda: len(measured) > before + 1)
        QApplication.processEvents()
        assert log.as_qt_fits() == []
    finally:
        qapp.setFont(font)

"""Table columns that show their titles and cells whole, in every language.

A title longer than its column's cells wraps onto a second line when the table has no room for
it on one (Somali's "Last bundle allowed" is 350 pixels on one line). A column of sentences
(`wrapping`) takes the room the others leave and wraps its cells, so nothing runs off the edge.
Only when the texts cannot fit at all does the table scroll sideways; nothing is cut short.
Columns are fitted again when the rows, the titles (the language) or the table's width change.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TypeGuard

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import QHeaderView, QStyleOptionViewItem, QTableView

TITLE_LINES = 2
SENTENCE_CHARS = 24  # a column of sentences is never narrower than this many average characters


class WrappingHeader(QHeaderView):
    """A horizontal header whose titles wrap onto `TITLE_LINES` lines while `wrapping` is on."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(Qt.Orientation.Horizontal, table)
        self.wrapping = False
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)  # a title is wrapped, never cut short
        self.setSectionsClickable(True)
        self.setHighlightSections(True)

    def title_metrics(self) -> QFontMetrics:
        """The metrics of a title as drawn at its widest (bold, as Qt measures it)."""
        font = QFont(self.font())
        font.setBold(True)
        return QFontMetrics(font)

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        size = super().sectionSizeFromContents(logicalIndex)
        model = self.model()
        if not self.wrapping or model is None:
            return size
        text = str(model.headerData(logicalIndex, self.orientation()) or "")
        metrics = self.title_metrics()
        one_line = metrics.size(0, text)
        width = narrowest_width(text, metrics, TITLE_LINES)
        extra_lines = TITLE_LINES - 1
        return QSize(size.width() - one_line.width() + width,
                     size.height() + metrics.lineSpacing() * extra_lines)


def narrowest_width(text: str, metrics: QFontMetrics, lines: int) -> int:
    """The narrowest width at which `text` wraps onto at most `lines` lines (its one-line width
    when it cannot break, as a Thai word or a long name)."""
    full = metrics.size(0, text).width()
    tallest = metrics.height() + metrics.lineSpacing() * (lines - 1)

    def fits(width: int) -> bool:
        box = metrics.boundingRect(QRect(0, 0, width, tallest * 4),
                                   Qt.TextFlag.TextWordWrap, text)
        return box.width() <= width and box.height() <= tallest

    low, high = 1, full  # fits(full) holds: one line
    while low < high:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle + 1
    return high


class ColumnFit(QObject):
    """Keeps `table`'s columns fitted (see the module); `wrapping` is a column of sentences.

    Fitting is cheap enough for every resize: the cells are measured once until the model or the
    font changes (`Cells`), after every change of one turn of the event loop (`schedule`); a
    resize only sets the widths from them, and the rows' heights when the width of the column of
    sentences changed (as `resizeRowsToContents` would, without measuring every cell again)."""

    def __init__(self, table: QTableView, wrapping: int | None = None) -> None:
        super().__init__(table)
        self._table = table
        self._wrapping = wrapping
        self._fitting = False
        self._cells: Cells | None = None  # until the model or the font changes
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        stretch = table.horizontalHeader().stretchLastSection()
        self.header = WrappingHeader(table)
        table.setHorizontalHeader(self.header)
        self.header.setStretchLastSection(stretch)
        if wrapping is not None:
            table.setWordWrap(True)
        model = table.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted,
                       model.rowsRemoved, model.rowsMoved, model.columnsInserted,
                       model.columnsRemoved, model.dataChanged):
            signal.connect(self.cells_changed)
        model.headerDataChanged.connect(self._titles_changed)
        table.installEventFilter(self)
        table.viewport().installEventFilter(self)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._table and kind in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.cells_changed()
        elif watched is not self._table and kind == QEvent.Type.Resize:
            # Cheap with the cells measured: fitted before the new size is painted.
            if self._cells is None or self._fitting:
                self.schedule()
            else:
                self.fit()
        return False

    def schedule(self, *_args: object) -> None:
        """Fit once the event loop has done what it is doing (every signal of one change, every
        resize of one layout: one fit)."""
        self._timer.start()

    def _titles_changed(self, orientation: Qt.Orientation, *_sections: int) -> None:
        if orientation == Qt.Orientation.Vertical:  # the rows' titles are measured with them
            self.cells_changed()
        else:
            self.schedule()

    def cells_changed(self, *_args: object) -> None:
        """The cells' texts or font changed: measure them again, then fit."""
        self._cells = None
        self.schedule()

    def cells(self) -> Cells:
        """The cells as last measured (measured now when they changed, or when the view
        resizes while the model tells it about rows before it tells this fit)."""
        model = self._table.model()
        cells = self._cells
        if cells is None or (len(cells.lines), len(cells.widths)) != (model.rowCount(),
                                                                       model.columnCount()):
            cells = self._cells = Cells.measure(self._table, self._wrapping)
        return cells

    def needs(self) -> list[int]:
        """Each column's least width for its cells and its title, as the header measures titles
        now (the column of sentences wraps its cells: it needs room for a few words)."""
        table, header, widths = self._table, self.header, self.cells().widths
        sentence = table.fontMetrics().averageCharWidth() * SENTENCE_CHARS
        return [max(sentence if column == self._wrapping else widths[column],
                    header.sectionSizeHint(column))
                for column in range(header.count())]

    def fit(self) -> None:
        """Size the columns to their texts and the table's width now (see the module)."""
        self._timer.stop()
        if self._fitting:
            return
        self._fitting = True
        try:
            self._fit()
        finally:
            self._fitting = False

    def _fit(self) -> None:
        table, header = self._table, self.header
        if header.count() == 0:
            return
        room = table.viewport().width()
        wrapped = sum(self._one_line_needs()) > room
        if wrapped != header.wrapping:
            header.wrapping = wrapped
            header.headerDataChanged(Qt.Orientation.Horizontal, 0, header.count() - 1)
        needs = self.needs()
        if self._wrapping is not None:
            others = sum(need for column, need in enumerate(needs) if column != self._wrapping)
            needs[self._wrapping] = max(needs[self._wrapping], room - others)
            header.setStretchLastSection(False)
        else:
            header.setStretchLastSection(sum(needs) <= room)
        for column, need in enumerate(needs):
            if header.sectionSize(column) != need:
                header.resizeSection(column, need)
        table.updateGeometries()  # the header's height follows its titles' lines
        if self._wrapping is not None:
            self._fit_rows()

    def _one_line_needs(self) -> list[int]:
        wrapping = self.header.wrapping
        self.header.wrapping = False
        try:
            return self.needs()
        finally:
            self.header.wrapping = wrapping

    def _fit_rows(self) -> None:
        """Each row as tall as its tallest cell, its sentence wrapped at the column's width
        (what `resizeRowsToContents` does), when the rows or that width changed."""
        column = self._wrapping
        assert column is not None
        cells, width = self.cells(), self.header.sectionSize(column)
        if width == cells.rows_width:
            return
        cells.rows_width = width
        wrapped = {text: self._wrapped_height(row, column, width)
                   for text, row in cells.first_row.items()}
        vertical = self._table.verticalHeader()
        grid = 1 if self._table.showGrid() else 0
        least, most = vertical.minimumSectionSize(), vertical.maximumSectionSize()
        for row, (line, text) in enumerate(zip(cells.lines, cells.sentences, strict=True)):
            height = min(max(max(line, wrapped[text]) + grid, cells.titles[row], least), most)
            if vertical.sectionSize(row) != height:
                vertical.resizeSection(row, height)

    def _wrapped_height(self, row: int, column: int, width: int) -> int:
        """The height of a cell's text wrapped in a column `width` wide, as the table measures
        it (`sizeHintForRow`)."""
        table = self._table
        index = table.model().index(row, column)
        option = QStyleOptionViewItem()
        table.initViewItemOption(option)
        grid = 1 if table.showGrid() else 0  # the grid's line takes a pixel of the cell
        option.rect = QRect(0, 0, max(width - grid, 1), max(table.rowHeight(row), 1))
        return table.itemDelegateForIndex(index).sizeHint(option, index).height()


@dataclass
class Cells:
    """What a table's cells need, measured once as the table would (`sizeHintForColumn`,
    `sizeHintForRow`) but without asking the delegate about every cell:

    - `widths`: each column's widest cell (0 for the column of sentences). A cell's width
      follows its text's advance (the delegate adds its margins), so only the texts within a
      pixel or two of the widest are measured, one of each advance;
    - `lines`: each row's tallest one-line cell outside the column of sentences. A line is as
      tall as the fonts its characters are drawn in (a Thai or Arabic fallback font is taller
      or shorter), so one cell is measured for each set of characters;
    - `sentences`: each row's text in the column of sentences, `first_row` the first row of
      each such text (a sentence's height at a width depends only on its text);
    - `titles`: each row's title in the vertical header (its least height).
    """

    widths: list[int]
    lines: list[int]
    sentences: list[str]
    first_row: dict[str, int]
    titles: list[int]
    rows_width: int = -1  # the column of sentences' width when the rows were last sized

    @classmethod
    def measure(cls, table: QTableView, wrapping: int | None) -> Cells:
        model = table.model()
        rows, columns = model.rowCount(), model.columnCount()
        grid = 1 if table.showGrid() else 0
        metrics = QFontMetricsF(table.font())
        heights = _LineHeights(table)
        lines = [0] * rows
        widths = [0] * columns
        sentences = [""] * rows
        first_row: dict[str, int] = {}
        for column in range(columns):
            indexes = [model.index(row, column) for row in range(rows)]
            values = [model.data(index) for index in indexes]
            if column == wrapping:
                sentences = [str(value or "") for value in values]
                for row, sentence in enumerate(sentences):
                    first_row.setdefault(sentence, row)
                continue
            texts = [value if _plain(value) else None for value in values]
            widths[column] = grid + _widest(table, indexes, texts, metrics)
            if table.isColumnHidden(column):
                continue
            for row, (index, text) in enumerate(zip(indexes, texts, strict=True)):
                lines[row] = max(lines[row], heights.height(index, text))
        vertical = table.verticalHeader()
        titles = [vertical.sectionSizeHint(row) for row in range(rows)]
        return cls(widths, lines, sentences, first_row, titles)


class _LineHeights:
    """One-line cells' heights, measured once for each set of characters drawn in the same
    fonts (each decimal digit stands for its script's ten)."""

    def __init__(self, table: QTableView) -> None:
        self._table = table
        self._fonts: dict[frozenset[str], frozenset[str]] = {}
        self._heights: dict[frozenset[str], int] = {}

    def height(self, index: QModelIndex, text: str | None) -> int:
        """The height of the cell at `index` showing `text` (None when not plain text)."""
        if text is None:  # measured as it is
            return self._table.sizeHintForIndex(index).height()
        chars = frozenset(text)
        fonts = self._fonts.get(chars)
        if fonts is None:
            fonts = self._fonts[chars] = frozenset(
                chr(ord(char) - unicodedata.decimal(char)) if char.isdecimal() else char
                for char in chars)
        height = self._heights.get(fonts)
        if height is None:
            height = self._heights[fonts] = self._table.sizeHintForIndex(index).height()
        return height


ADVANCE_SLACK = 2.0  # pixels: a cell's width and its text's advance differ by less than one
BREAKS = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029")  # not drawn as advanced


def _plain(value: object) -> TypeGuard[str]:
    """Whether `value` is text drawn as it is, on one line (its advance is its width)."""
    return isinstance(value, str) and (value.isprintable() or BREAKS.isdisjoint(value))


def _widest(table: QTableView, indexes: list[QModelIndex], texts: list[str | None],
            metrics: QFontMetricsF) -> int:
    """The widest of the cells at `indexes`, as the table's delegate measures them."""
    advances = [-1.0 if text is None else metrics.horizontalAdvance(text) for text in texts]
    top = max(advances, default=0.0)
    measured: dict[float, QModelIndex] = {}
    others: list[QModelIndex] = []
    for index, advance in zip(indexes, advances, strict=True):
        if advance < 0:
            others.append(index)
        elif advance >= top - ADVANCE_SLACK:
            measured.setdefault(advance, index)
    return max((table.sizeHintForIndex(index).width()
                for index in [*measured.values(), *others]), default=0)


def fit_columns(table: QTableView, wrapping: int | None = None) -> ColumnFit:
    """Keep `table`'s columns fitted to their texts and its width (see the module)."""
    return ColumnFit(table, wrapping)

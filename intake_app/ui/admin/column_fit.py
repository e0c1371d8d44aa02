"""Table columns that show their titles and cells whole, in every language.

A title longer than its column's cells wraps onto a second line when the table has no room for
it on one (Somali's "Last bundle allowed" is 350 pixels on one line). A column of sentences
(`wrapping`) takes the room the others leave and wraps its cells, so nothing runs off the edge.
Only when the texts cannot fit at all does the table scroll sideways; nothing is cut short.
Columns are fitted again when the rows, the titles (the language) or the table's width change.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

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
    """Keeps `table`'s columns fitted (see the module); `wrapping` is a column of sentences."""

    def __init__(self, table: QTableView, wrapping: int | None = None) -> None:
        super().__init__(table)
        self._table = table
        self._wrapping = wrapping
        self._fitting = False
        stretch = table.horizontalHeader().stretchLastSection()
        self.header = WrappingHeader(table)
        table.setHorizontalHeader(self.header)
        self.header.setStretchLastSection(stretch)
        if wrapping is not None:
            table.setWordWrap(True)
        model = table.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted,
                       model.rowsRemoved, model.headerDataChanged, model.dataChanged):
            signal.connect(self.fit)
        table.viewport().installEventFilter(self)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def needs(self) -> list[int]:
        """Each column's least width for its cells and its title, as the header measures titles
        now (the column of sentences wraps its cells: it needs room for a few words)."""
        table, header = self._table, self.header
        sentence = table.fontMetrics().averageCharWidth() * SENTENCE_CHARS
        return [max(sentence if column == self._wrapping else table.sizeHintForColumn(column),
                    header.sectionSizeHint(column))
                for column in range(header.count())]

    def fit(self) -> None:
        """Size the columns to their texts and the table's width (see the module)."""
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
            header.resizeSection(column, need)
        table.updateGeometries()  # the header's height follows its titles' lines
        if self._wrapping is not None:
            table.resizeRowsToContents()

    def _one_line_needs(self) -> list[int]:
        wrapping = self.header.wrapping
        self.header.wrapping = False
        try:
            return self.needs()
        finally:
            self.header.wrapping = wrapping


def fit_columns(table: QTableView, wrapping: int | None = None) -> ColumnFit:
    """Keep `table`'s columns fitted to their texts and its width (see the module)."""
    return ColumnFit(table, wrapping)

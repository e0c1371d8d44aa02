"""The pieces of the statistics report's pages: wrapped text, a horizontal bar chart's rows and a
table's rows, each measured first and painted later (stats_pdf lays them out on pages).

Bars are plain and accessible: every bar has its count written beside it, so nothing depends on
colour; a hidden count has no bar (its length would tell its size) but the same word as in the
tables. Long labels are cut with "…" in the chart and shown whole in the table below it. In a
right-to-left language the whole chart is mirrored: labels on the right, bars growing left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPaintDevice, QPainter, QPen

from intake_app.i18n.formatting import format_number
from intake_app.sync.centre import ReportRow
from intake_app.ui.admin.paged import text_option

BAR_FILL = QColor("#3d5a80")
RULE_PEN = QColor("#666666")
LABEL_SHARE = 0.34  # of the width, for the chart's labels
VALUE_SHARE = 0.14  # kept free after the longest bar, for its count
COUNT_SHARE = 0.22  # of the width, for a table's count column

Paint = Callable[[QPainter, QRectF], None]


@dataclass(frozen=True)
class Block:
    """Something of a known height to place on a page."""

    height: float
    paint: Paint
    keep_with_next: bool = False  # a heading: never last on a page
    group: int = 0  # blocks of one group start a new page together when they fit on one


class Ink:
    """Fonts and measures on one paint device."""

    def __init__(self, device: QPaintDevice, base: QFont, rtl: bool) -> None:
        self.device = device
        self.rtl = rtl
        self.base = QFont(base)

    def font(self, points: float, *, bold: bool = False, italic: bool = False) -> QFont:
        font = QFont(self.base)
        font.setPointSizeF(points)
        font.setBold(bold)
        # Arabic script has no italics: Qt slants the glyphs one by one, and a PDF reader (or a
        # screen reader) then finds the words in pieces.
        font.setItalic(italic and not self.rtl)
        return font

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.device)

    def text_height(self, font: QFont, text: str, width: float) -> float:
        """The height of `text` wrapped to `width`."""
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        bound = self.metrics(font).boundingRect(QRectF(0, 0, width, 1e7), flags, text)
        return max(bound.height(), self.metrics(font).height())

    def mirrored(self, rect: QRectF, outer: QRectF) -> QRectF:
        """`rect` (laid out left to right inside `outer`) as a right-to-left page has it."""
        if not self.rtl:
            return rect
        left = outer.left() + outer.right() - rect.right()
        return QRectF(left, rect.top(), rect.width(), rect.height())

    def draw(
        self,
        painter: QPainter,
        rect: QRectF,
        text: str,
        font: QFont,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeading,
    ) -> None:
        painter.setFont(font)
        painter.drawText(rect, text, text_option(self.rtl, align))


def text_block(
    ink: Ink,
    text: str,
    font: QFont,
    width: float,
    *,
    space: float = 0.0,
    keep_with_next: bool = False,
) -> Block:
    """A paragraph wrapped to the page's width, `space` below it."""
    height = ink.text_height(font, text, width)

    def paint(painter: QPainter, rect: QRectF) -> None:
        ink.draw(painter, QRectF(rect.left(), rect.top(), rect.width(), height), text, font)

    return Block(height + space, paint, keep_with_next)


def bar_blocks(
    ink: Ink, rows: tuple[ReportRow, ...], largest: int, hidden: str, width: float
) -> list[Block]:
    """One block per group: its label, its bar and its count (or the hidden word)."""
    font = ink.font(9.0)
    hidden_font = ink.font(9.0, italic=True)
    line = ink.metrics(font).height()
    height = line * 1.7
    label_width = width * LABEL_SHARE
    gap = line * 0.6
    bar_room = width - label_width - gap - width * VALUE_SHARE

    def block(row: ReportRow) -> Block:
        label = " › ".join(label for label in row.labels if label)
        shown = ink.metrics(font).elidedText(label, Qt.TextElideMode.ElideRight, label_width - gap)

        def paint(painter: QPainter, rect: QRectF) -> None:
            outer = QRectF(rect.left(), rect.top(), width, height)
            label_rect = QRectF(rect.left(), rect.top(), label_width - gap, height)
            ink.draw(
                painter,
                ink.mirrored(label_rect, outer),
                shown,
                font,
                Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter,
            )
            start = rect.left() + label_width
            painter.save()  # the chart's base line, drawn row by row
            painter.setPen(QPen(RULE_PEN, line * 0.05))
            base = ink.mirrored(QRectF(start, rect.top(), 0, height), outer)
            painter.drawLine(base.topLeft(), base.bottomLeft())
            painter.restore()
            length = 0.0
            if row.count is not None and largest:
                length = max(bar_room * row.count / largest, line * 0.15)
                bar = QRectF(start, rect.top() + height * 0.18, length, height * 0.64)
                painter.save()
                painter.setPen(QPen(Qt.GlobalColor.black, line * 0.04))
                painter.setBrush(QBrush(BAR_FILL))
                painter.drawRect(ink.mirrored(bar, outer))
                painter.restore()
            text, text_font = (
                (format_number(row.count), font) if row.count is not None else (hidden, hidden_font)
            )
            value_rect = QRectF(
                start + length + gap * 0.5, rect.top(), width - label_width - length, height
            )
            ink.draw(
                painter,
                ink.mirrored(value_rect, outer),
                text,
                text_font,
                Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter,
            )

        return Block(height, paint)

    return [block(row) for row in rows]


def table_blocks(
    ink: Ink,
    headings: tuple[str, ...],
    count_heading: str,
    rows: list[tuple[tuple[str, ...], str, bool]],
    width: float,
) -> list[Block]:
    """The table under a chart: a header row, then (labels, count text, bold) rows whole."""
    font = ink.font(9.0)
    bold = ink.font(9.0, bold=True)
    pad = ink.metrics(font).height() * 0.25
    count_width = width * COUNT_SHARE
    label_width = (width - count_width) / max(len(headings), 1)

    def block(labels: tuple[str, ...], count: str, strong: bool, header: bool) -> Block:
        use = bold if strong or header else font
        height = (
            max(ink.text_height(use, text, label_width - 2 * pad) for text in (*labels, count))
            + 2 * pad
        )

        def paint(painter: QPainter, rect: QRectF) -> None:
            outer = QRectF(rect.left(), rect.top(), width, height)
            for index, text in enumerate(labels):
                cell = QRectF(
                    rect.left() + index * label_width + pad,
                    rect.top() + pad,
                    label_width - 2 * pad,
                    height - 2 * pad,
                )
                ink.draw(painter, ink.mirrored(cell, outer), text, use)
            cell = QRectF(
                rect.left() + width - count_width + pad,
                rect.top() + pad,
                count_width - 2 * pad,
                height - 2 * pad,
            )
            ink.draw(painter, ink.mirrored(cell, outer), count, use, Qt.AlignmentFlag.AlignTrailing)
            painter.save()
            painter.setPen(QPen(RULE_PEN, pad * 0.2))
            y = rect.top() + height
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.left() + width, y))
            painter.restore()

        return Block(height, paint, keep_with_next=header)

    return [
        block(headings, count_heading, False, True),
        *(block(labels, count, strong, False) for labels, count, strong in rows),
    ]

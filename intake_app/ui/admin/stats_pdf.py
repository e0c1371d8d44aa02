"""The statistics report as a PDF with charts (or on paper): for every table a heading, a
horizontal bar chart, the rule under it, then the table itself with its total row.

The data and every word come ready from `sync.centre.stats_report`; this draws them with
QPainter (stats_chart) on the pages of paged.py, whose header carries the report's title and
whose footer the page's number. Laid out twice: once to know how many pages there are, once to
paint them.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QGuiApplication, QPagedPaintDevice, QPainter

from intake_app.i18n import current_language
from intake_app.i18n.languages import direction_of
from intake_app.sync.centre import (
    ReportTable,
    StatsReport,
    count_cell,
    count_text,
    hidden_text,
    rule_lines,
    total_row,
)
from intake_app.ui.admin.paged import PageFrame, draw_bands, pdf_bytes
from intake_app.ui.admin.stats_chart import Block, Ink, bar_blocks, table_blocks, text_block

TITLE_POINTS = 16.0
HEADING_POINTS = 13.0
BODY_POINTS = 10.0
RULE_POINTS = 8.5


def _table(ink: Ink, table: ReportTable, width: float, group: int) -> list[Block]:
    """A table's heading, chart and rule (one group), then the table itself (the next)."""
    line = ink.metrics(ink.font(BODY_POINTS)).height()
    blocks = [
        text_block(
            ink,
            table.title,
            ink.font(HEADING_POINTS, bold=True),
            width,
            space=line * 0.4,
            keep_with_next=True,
        )
    ]
    if table.rows:
        blocks += bar_blocks(ink, table.rows, table.largest, hidden_text(), width)
    rule_font = ink.font(RULE_POINTS, italic=True)
    blocks += [
        text_block(ink, line_text, rule_font, width, space=line * 0.15)
        for line_text in rule_lines(table)
    ]
    blocks.append(Block(line * 0.6, lambda _painter, _rect: None))
    blocks = [replace(block, group=group) for block in blocks]
    rows = [(row.labels, count_cell(row.count), False) for row in table.rows]
    total = total_row(table)
    listed = table_blocks(
        ink, table.headings, count_text(), [*rows, (total.labels, count_cell(total.count), True)],
        width,
    )
    blocks += [replace(block, group=group + 1) for block in listed]
    return [*blocks, Block(line * 1.6, lambda _painter, _rect: None)]


def report_blocks(ink: Ink, report: StatsReport, width: float) -> list[Block]:
    """Everything the report shows, top to bottom."""
    body = ink.font(BODY_POINTS)
    line = ink.metrics(body).height()
    blocks = [
        text_block(ink, report.title, ink.font(TITLE_POINTS, bold=True), width, space=line * 0.5),
        text_block(ink, report.scope, body, width, space=line * 0.2),
        text_block(ink, report.made, body, width, space=line * 1.2),
    ]
    for number, table in enumerate(report.tables):
        blocks += _table(ink, table, width, 2 * number + 1)
    return blocks


def _grouped(blocks: list[Block], group: int) -> list[Block]:
    return [block for block in blocks if block.group == group] if group else []


def paginate(blocks: list[Block], height: float) -> list[list[Block]]:
    """Blocks in pages of `height`: a block that does not fit starts the next page, a heading
    goes with what follows it, and a group (a chart, a table) that fits on a page of its own
    is not split."""
    pages: list[list[Block]] = [[]]
    used = 0.0
    for index, block in enumerate(blocks):
        following = (
            blocks[index + 1].height if block.keep_with_next and index + 1 < len(blocks) else 0.0
        )
        starts = block.group and (index == 0 or blocks[index - 1].group != block.group)
        together = sum(b.height for b in _grouped(blocks, block.group)) if starts else 0.0
        if pages[-1] and (
            used + block.height + following > height or used + together > height >= together
        ):
            pages.append([])
            used = 0.0
        pages[-1].append(block)
        used += block.height
    return pages


def paint_report(device: QPagedPaintDevice, report: StatsReport) -> None:
    """Lay the report out on `device`'s pages (a PDF writer or a printer)."""
    rtl = direction_of(current_language()) == "rtl"
    frame = PageFrame.of(device)
    body = frame.body
    ink = Ink(device, QFont(QGuiApplication.font()), rtl)
    pages = paginate(report_blocks(ink, report, body.width()), body.height())
    painter = QPainter(device)
    try:
        for number, blocks in enumerate(pages, start=1):
            if number > 1:
                device.newPage()
            draw_bands(painter, frame, report.title, number, len(pages), rtl)
            top = body.top()
            for block in blocks:
                block.paint(painter, QRectF(body.left(), top, body.width(), block.height))
                top += block.height
    finally:
        painter.end()


def report_pdf(report: StatsReport) -> bytes:
    """The report as a PDF made in memory."""
    return pdf_bytes(lambda writer: paint_report(writer, report))

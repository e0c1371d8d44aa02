"""Pages for the centre's documents (the referral summary, the statistics report), on paper or
in a PDF: A4 portrait, a header band and a footer band on every page.

The header says what the document is ("Confidential: contains personal data.", or the report's
title); the footer carries the page's number ("2 / 3"). The same painting serves a `QPdfWriter`
(a PDF made in memory, never a temporary file) and a `QPrinter` (the print dialog's choice).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextOption,
)
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from intake_app.i18n import _
from intake_app.i18n.formatting import format_number
from intake_app.ui.application import WINDOW_TITLE

BAND_POINTS = 8.0  # the header's and the footer's text
BAND_INCHES = 0.3  # the header's and the footer's height
PDF_DPI = 300


def set_up_pages(device: QPagedPaintDevice) -> None:
    """A4 portrait with 15 mm at the sides and 12 mm at the top and bottom."""
    device.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 12, 15, 12),
            QPageLayout.Unit.Millimeter,
        )
    )


@dataclass(frozen=True)
class PageFrame:
    """Where things go on a page, in the device's pixels."""

    width: float
    height: float
    band: float

    @classmethod
    def of(cls, device: QPagedPaintDevice) -> PageFrame:
        return cls(
            float(device.width()), float(device.height()), device.logicalDpiY() * BAND_INCHES
        )

    @property
    def body(self) -> QRectF:
        """The page between the header and the footer."""
        return QRectF(0, self.band, self.width, self.height - 2 * self.band)


def text_option(
    rtl: bool, alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeading
) -> QTextOption:
    """Wrapping text in the language's direction."""
    option = QTextOption(alignment)
    option.setTextDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    return option


def _band(painter: QPainter, rect: QRectF, text: str, rtl: bool, bold: bool = False) -> None:
    font = QFont(painter.font())
    font.setPointSizeF(BAND_POINTS)
    font.setBold(bold)
    font.setItalic(False)
    painter.setFont(font)
    painter.drawText(rect, text, text_option(rtl, Qt.AlignmentFlag.AlignCenter))


def draw_bands(
    painter: QPainter, frame: PageFrame, header: str, page: int, pages: int, rtl: bool
) -> None:
    """The header (bold) and the footer "page / pages" of page `page` (from 1)."""
    painter.save()
    height = frame.band * 0.8
    _band(painter, QRectF(0, 0, frame.width, height), header, rtl, bold=True)
    _band(
        painter,
        QRectF(0, frame.height - height, frame.width, height),
        _("{page} / {pages}", page=format_number(page), pages=format_number(pages)),
        rtl,
    )
    painter.restore()


def pdf_bytes(paint: Callable[[QPdfWriter], None]) -> bytes:
    """A PDF made in memory: `paint` draws its pages on an A4 writer (no metadata but the
    program's name: PDF properties are easily overlooked)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    set_up_pages(writer)
    writer.setTitle(WINDOW_TITLE)
    paint(writer)
    del writer  # finishes the PDF
    buffer.close()
    return bytes(buffer.data().data())


def open_print_dialog(
    parent: QWidget, title: str, paint: Callable[[QPrinter], None], printer: QPrinter | None = None
) -> QPrintDialog:
    """Open the print dialog (window-modal, not blocking); `paint` draws the pages on the
    printer when the administrator accepts. `printer`: a test's printer writing a PDF."""
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        set_up_pages(printer)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    # No "Print to File": a PDF of personal data is written only through "Save as PDF…"
    # (owner-only, whole or not at all, and the administrator is told where it is).
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
    dialog.accepted.connect(lambda: paint(printer))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # QPrintDialog.open() in PySide6 knows only open(receiver, member): call QDialog's own.
    QDialog.open(dialog)
    return dialog

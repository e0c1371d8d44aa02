"""A printable referral summary of one interview, as a PDF, for the assistance system.

The PDF holds personal data in clear text by design: it is written only where the administrator
chooses, readable by its owner only (made in memory, then written to a 0600 temporary file
beside the target, synced and renamed over it). Every value is escaped before it enters the
document's HTML, so nothing an interview holds can become markup.

Every page says it is confidential in its header and carries its number ("2 / 3") in its
footer; the answers are laid out as in the detail pane (one renderer), dates in the current
language's format, the laptop by its name, and right to left for Arabic and Dari.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from intake_app.errors import KnownError
from intake_app.i18n import _, current_language
from intake_app.i18n.formatting import format_number, format_size
from intake_app.services.centre import CentreService, save_referral
from intake_app.sync.centre import ReferralData, short_id, when
from intake_app.ui.admin.answers_html import answers_html, direction, esc
from intake_app.ui.admin.attachments_box import attachment_title
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.interview_model import STATUS_LABELS
from intake_app.ui.tasks import when_done

BODY_POINTS = 10.0
BAND_POINTS = 8.0  # the header and footer lines
ALIAS = "alias"  # shown on top; not again among the answers


def confidential_text() -> str:
    return _("Confidential: contains personal data.")


def referral_html(data: ReferralData) -> str:
    """The summary as simple HTML; every value escaped."""
    head = data.interview
    dir_ = direction()
    laptop = data.laptop or short_id(head.device_id)
    facts = [
        (_("Alias"), head.alias or ""),
        (_("Status"), _(STATUS_LABELS.get(head.status, head.status))),
        (_("Interview made"), when(head.created)),
        (_("Last changed"), when(head.modified)),
        (_("Revision"), format_number(head.revision)),
        (_("Laptop"), laptop),
        (_("Interview id"), head.id),
    ]
    align = "right" if dir_ == "rtl" else "left"
    rows = "".join(f"<tr><th align='{align}' valign='top'>{esc(label)}</th>"
                   f"<td>{esc(value)}</td></tr>" for label, value in facts)
    files = ""
    if data.attachments:
        items = "".join(f"<li>{esc(attachment_title(info))} ({esc(format_size(info.size))})"
                        f"</li>" for info in data.attachments)
        files = (f"<h3 dir='{dir_}'>{esc(_('Attached files'))}</h3>"
                 f"<ul dir='{dir_}'>{items}</ul>")
    title = _("Referral summary")
    return (f"<h1 dir='{dir_}'>{esc(title)}</h1>"
            f"<p dir='{dir_}'>{esc(data.centre)}</p>"
            f"<table dir='{dir_}' cellspacing='0' cellpadding='4' border='1' width='100%'>"
            f"{rows}</table>"
            f"{answers_html(data.answers, skip=[ALIAS], table=True)}{files}")


def _band(painter: QPainter, rect: QRectF, text: str, rtl: bool, bold: bool = False) -> None:
    font = QFont(painter.font())
    font.setPointSizeF(BAND_POINTS)
    font.setBold(bold)
    painter.setFont(font)
    option = QTextOption(Qt.AlignmentFlag.AlignCenter)
    option.setTextDirection(Qt.LayoutDirection.RightToLeft if rtl else
                            Qt.LayoutDirection.LeftToRight)
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    painter.drawText(rect, text, option)


def pdf_bytes(markup: str) -> bytes:
    """The HTML laid out on A4 pages as a PDF, made in memory: "confidential" in every page's
    header, "page / pages" in its footer."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(15, 12, 15, 12),
                                     QPageLayout.Unit.Millimeter))
    writer.setTitle(WINDOW_TITLE)  # never the alias: PDF metadata is easily overlooked
    rtl = direction() == "rtl"
    width, height = float(writer.width()), float(writer.height())
    band = writer.resolution() * 0.3  # the header's and the footer's height (0.3 inch)
    body_height = height - 2 * band
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    font = QFont(document.defaultFont())
    font.setPointSizeF(BODY_POINTS)
    document.setDefaultFont(font)
    option = QTextOption(document.defaultTextOption())
    option.setTextDirection(Qt.LayoutDirection.RightToLeft if rtl else
                            Qt.LayoutDirection.LeftToRight)
    document.setDefaultTextOption(option)
    document.setHtml(markup)
    document.setPageSize(QSizeF(width, body_height))
    pages = max(document.pageCount(), 1)
    header = confidential_text()
    painter = QPainter(writer)
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            _band(painter, QRectF(0, 0, width, band * 0.8), header, rtl, bold=True)
            _band(painter, QRectF(0, height - band * 0.8, width, band * 0.8),
                  _("{page} / {pages}", page=format_number(page + 1),
                    pages=format_number(pages)), rtl)
            painter.save()
            painter.translate(QPointF(0, band - page * body_height))
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, page * body_height, width, body_height)
            painter.setClipRect(context.clip)
            document.documentLayout().draw(painter, context)
            painter.restore()
    finally:
        painter.end()
    del writer  # finishes the PDF
    buffer.close()
    return bytes(buffer.data().data())


def write_pdf(markup: str, path: Path) -> None:
    """Write the summary to `path`, readable by its owner only, whole or not at all.

    Raises `ReferralNotSaved` when the folder cannot be written, `DiskFull` when it is full.
    """
    save_referral(path, pdf_bytes(markup))


class ReferralPrinter:
    """Asks where to save, reads the interview, writes the PDF."""

    def __init__(self, service: CentreService, parent: QWidget) -> None:
        self._service = service
        self._parent = parent

    def ask_and_print(self, record_id: str) -> None:
        name, _filter = QFileDialog.getSaveFileName(self._parent, WINDOW_TITLE, "referral.pdf",
                                                    _("PDF files (*.pdf)"))
        if name:
            self.print_to(record_id, Path(name))

    def print_to(self, record_id: str, path: Path) -> None:
        lang = current_language()

        def failed(error: KnownError) -> None:
            QMessageBox.warning(self._parent, WINDOW_TITLE, error.translated())

        def done(data: object) -> None:
            assert isinstance(data, ReferralData)
            try:
                write_pdf(referral_html(data), path)
            except KnownError as error:
                failed(error)

        when_done(self._service.referral(record_id, lang), done, failed, owner=self._parent,
                  context="centre referral")

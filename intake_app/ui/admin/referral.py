"""A referral summary of one interview for the assistance system, printed or saved as a PDF.

The PDF holds personal data in clear text by design: it is written only where the administrator
chooses, readable by its owner only (made in memory, then written to a 0600 temporary file
beside the target, synced and renamed over it), and the window then says where it is. Printing
goes through the print dialog and writes no file of its own. Every value is escaped before it
enters the document's HTML, so nothing an interview holds can become markup.

Every page says it is confidential in its header and carries its number ("2 / 3") in its
footer (paged.py: on paper as in the PDF); the answers are laid out as in the detail pane (one
renderer), dates in the current language's format, the laptop by its name, and right to left
for Arabic and Dari.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QPagedPaintDevice,
    QPainter,
    QTextDocument,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QMenu, QMessageBox, QPushButton, QWidget

from intake_app.errors import KnownError
from intake_app.i18n import _, current_language
from intake_app.i18n.formatting import format_number, format_size, isolate
from intake_app.i18n.qt import register
from intake_app.services.centre import CentreService, save_referral
from intake_app.sync.centre import ReferralData, short_id, when
from intake_app.ui.admin.answers_html import answers_html, direction, esc
from intake_app.ui.admin.attachments_box import attachment_title
from intake_app.ui.admin.paged import PageFrame, draw_bands, open_print_dialog
from intake_app.ui.admin.paged import pdf_bytes as paged_pdf
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.file_dialogs import choose_new_file
from intake_app.ui.interview_model import STATUS_LABELS
from intake_app.ui.tasks import guarded, when_done

BODY_POINTS = 10.0
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
    rows = "".join(
        f"<tr><th align='{align}' valign='top'>{esc(label)}</th><td>{esc(value)}</td></tr>"
        for label, value in facts
    )
    files = ""
    if data.attachments:
        items = "".join(
            f"<li>{esc(attachment_title(info))} ({esc(format_size(info.size))})</li>"
            for info in data.attachments
        )
        heading = esc(_("Attached files"))
        files = f"<h3 dir='{dir_}'>{heading}</h3><ul dir='{dir_}'>{items}</ul>"
    title = _("Referral summary")
    return (
        f"<h1 dir='{dir_}'>{esc(title)}</h1>"
        f"<p dir='{dir_}'>{esc(data.centre)}</p>"
        f"<table dir='{dir_}' cellspacing='0' cellpadding='4' border='1' width='100%'>"
        f"{rows}</table>"
        f"{answers_html(data.answers, skip=[ALIAS], table=True)}{files}"
    )


def paint_referral(device: QPagedPaintDevice, markup: str) -> None:
    """Lay the HTML out on `device`'s pages (a PDF writer or a printer): "confidential" in
    every page's header, "page / pages" in its footer."""
    rtl = direction() == "rtl"
    frame = PageFrame.of(device)
    body = frame.body
    document = QTextDocument()
    document.documentLayout().setPaintDevice(device)
    font = QFont(document.defaultFont())
    font.setPointSizeF(BODY_POINTS)
    document.setDefaultFont(font)
    option = QTextOption(document.defaultTextOption())
    option.setTextDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    document.setDefaultTextOption(option)
    document.setHtml(markup)
    document.setPageSize(QSizeF(body.width(), body.height()))
    pages = max(document.pageCount(), 1)
    painter = QPainter(device)
    try:
        for page in range(pages):
            if page:
                device.newPage()
            draw_bands(painter, frame, confidential_text(), page + 1, pages, rtl)
            painter.save()
            painter.translate(QPointF(0, body.top() - page * body.height()))
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, page * body.height(), body.width(), body.height())
            painter.setClipRect(context.clip)
            document.documentLayout().draw(painter, context)
            painter.restore()
    finally:
        painter.end()


def pdf_bytes(markup: str) -> bytes:
    """The HTML laid out on A4 pages as a PDF, made in memory (`paint_referral`)."""
    return paged_pdf(lambda writer: paint_referral(writer, markup))


def write_pdf(markup: str, path: Path) -> None:
    """Write the summary to `path`, readable by its owner only, whole or not at all.

    Raises `ReferralNotSaved` when the folder cannot be written, `DiskFull` when it is full.
    """
    save_referral(path, pdf_bytes(markup))


def saved_text(path: Path) -> str:
    """Where the clear-text copy now is, and what that asks of the administrator."""
    return _(
        "The referral summary was saved to {file}. It holds personal data in clear text, "
        "outside the centre's vault: keep it only where the centre keeps personal data, "
        "and delete it when it is no longer needed.",
        file=isolate(path),
    )


class ReferralPrinter:
    """Reads the interview, then prints its summary (the print dialog) or saves it as a PDF
    and says where the clear-text copy is."""

    def __init__(self, service: CentreService, parent: QWidget) -> None:
        self._service = service
        self._parent = parent
        self.print_dialog: QPrintDialog | None = None
        self.message_box: QMessageBox | None = None

    def attach(self, button: QPushButton, current: Callable[[], str | None]) -> ReferralMenu:
        """Give `button` the menu Print… / Save as PDF… for the interview `current()` names."""
        menu = ReferralMenu(self, current, button)
        button.setMenu(menu)
        return menu

    def ask_and_print(self, record_id: str) -> None:
        """Ask where to save the PDF, then save it."""
        name = choose_new_file(
            self._parent,
            WINDOW_TITLE,
            _("PDF files (*.pdf)"),
            # TRANSLATORS: the file name proposed for a saved referral summary; keep it a
            # valid file name (no slashes) and keep the ".pdf" ending.
            _("referral.pdf"),
        )
        if name:
            self.print_to(record_id, Path(name))

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        box = QMessageBox(icon, WINDOW_TITLE, text, QMessageBox.StandardButton.Ok, self._parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.message_box = box

    def _failed(self, error: KnownError) -> None:
        self._tell(QMessageBox.Icon.Warning, error.translated())

    def print_to(self, record_id: str, path: Path) -> None:
        """Save the summary as a PDF at `path` and say where it is."""

        def done(data: object) -> None:
            assert isinstance(data, ReferralData)
            try:
                write_pdf(referral_html(data), path)
            except KnownError as error:
                self._failed(error)
            else:
                self._tell(QMessageBox.Icon.Information, saved_text(path))

        when_done(
            self._service.referral(record_id, current_language()),
            done,
            self._failed,
            owner=self._parent,
            context="centre referral",
        )

    def print_on_paper(self, record_id: str, printer: QPrinter | None = None) -> None:
        """Read the interview, then open the print dialog (`printer`: tests print to a PDF)."""

        def done(data: object) -> None:
            assert isinstance(data, ReferralData)
            markup = referral_html(data)
            self.print_dialog = open_print_dialog(
                self._parent,
                _("Print the referral summary"),
                lambda device: paint_referral(device, markup),
                printer,
            )

        when_done(
            self._service.referral(record_id, current_language()),
            done,
            self._failed,
            owner=self._parent,
            context="centre referral print",
        )


class ReferralMenu(QMenu):
    """The referral button's menu: print on paper, or save a PDF."""

    def __init__(
        self, printer: ReferralPrinter, current: Callable[[], str | None], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._printer = printer
        self._current = current
        self.print_action = self.addAction("")
        self.save_action = self.addAction("")
        self.print_action.triggered.connect(self._print)
        self.save_action.triggered.connect(self._save)
        register(self)

    def retranslate(self) -> None:
        self.print_action.setText(_("&Print…"))
        self.save_action.setText(_("&Save as PDF…"))
        self.setAccessibleName(_("Referral summary"))

    @guarded("referral print")
    def _print(self, _checked: bool = False) -> None:
        record_id = self._current()
        if record_id is not None:
            self._printer.print_on_paper(record_id)

    @guarded("referral save")
    def _save(self, _checked: bool = False) -> None:
        record_id = self._current()
        if record_id is not None:
            self._printer.ask_and_print(record_id)

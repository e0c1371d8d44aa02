"""A printable referral summary of one interview, as a PDF, for the assistance system.

The PDF holds personal data in clear text by design: it is written only where the administrator
chooses, readable by its owner only (made in memory, then written to a 0600 temporary file
beside the target, synced and renamed over it). Every value is escaped before it enters the
document's HTML, so nothing an interview holds can become markup.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from intake_app.errors import KnownError
from intake_app.i18n import _, current_language
from intake_app.services.centre import CentreService, save_referral
from intake_app.sync.centre import ReferralData, short_id, when
from intake_app.ui.application import WINDOW_TITLE
from intake_app.ui.interview_model import STATUS_LABELS
from intake_app.ui.tasks import when_done


def referral_html(data: ReferralData) -> str:
    """The summary as simple HTML; every value escaped."""
    def esc(text: object) -> str:
        return html.escape(str(text), quote=True)

    head = data.interview
    facts = [
        (_("Alias"), head.alias or ""),
        (_("Status"), _(STATUS_LABELS.get(head.status, head.status))),
        (_("Interview made"), when(head.created)),
        (_("Last changed"), when(head.modified)),
        (_("Revision"), str(head.revision)),
        (_("Laptop"), short_id(head.device_id)),
        (_("Interview id"), head.id),
    ]
    rows = "".join(f"<tr><th align='left' valign='top'>{esc(label)}</th><td>{esc(value)}</td></tr>"
                   for label, value in [*facts, *data.answers])
    title = _("Referral summary")
    confidential = _("Confidential: contains personal data.")
    return (f"<h1>{esc(title)}</h1>"
            f"<p>{esc(data.centre)}</p>"
            f"<table cellspacing='0' cellpadding='4' border='1' width='100%'>{rows}</table>"
            f"<p><small>{esc(confidential)}</small></p>")


def pdf_bytes(markup: str) -> bytes:
    """The HTML laid out on A4 pages as a PDF, made in memory."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(15, 15, 15, 15),
                                     QPageLayout.Unit.Millimeter))
    writer.setTitle(WINDOW_TITLE)  # never the alias: PDF metadata is easily overlooked
    document = QTextDocument()
    document.setHtml(markup)
    document.print_(writer)
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

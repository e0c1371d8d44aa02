"""Print the recovery code on paper (or to a PDF the person chooses in the print dialog)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from intake_app.i18n import _


def recovery_sheet(code: str) -> QTextDocument:
    """The page to print: what the code is for, the code in large type, where to keep it."""
    document = QTextDocument()
    document.setHtml(
        "<h1>{title}</h1><p>{why}</p>"
        "<p style='font-family: monospace; font-size: 20pt; letter-spacing: 2px'>{code}</p>"
        "<p>{keep}</p>".format(
            title=html.escape(_("Intake — recovery code")),
            why=html.escape(
                _("This code opens the vault on this computer if the passphrase is forgotten.")
            ),
            code=html.escape(code),
            keep=html.escape(
                _(
                    "Keep this paper locked away, apart from the computer. Anyone with the code "
                    "and the computer can read the interviews."
                )
            ),
        )
    )
    return document


def print_recovery_code(parent: QWidget, code: str) -> QPrintDialog:
    """Open the print dialog (non-blocking); the sheet is printed when the person accepts."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print the recovery code"))

    def accepted() -> None:
        recovery_sheet(code).print_(printer)

    dialog.accepted.connect(accepted)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # QPrintDialog.open() in PySide6 knows only open(receiver, member): call QDialog's own.
    QDialog.open(dialog)
    return dialog

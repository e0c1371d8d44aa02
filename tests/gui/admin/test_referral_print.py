"""Issue 17, printing: "Referral summary" prints through the print dialog (a printer set to
write a PDF here: no real printer) or saves a PDF and says where the clear-text copy is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from intake_app.i18n import _, set_language
from intake_app.services.centre import CentreService
from intake_app.ui.admin import referral
from intake_app.ui.admin.referral import ReferralMenu
from intake_app.ui.admin.window import AdminWindow
from tests.gui.admin.test_interview_details import (
    BIDI_MARKS,
    bare,
    import_full,
    needs_poppler,
    pdf_pages,
    show_first,
)
from tests.gui.admin.test_window import shown_window, unlock
from tests.helpers.centre import make_centre
from tests.unit.sync.centre.real_form import installed_forms

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot, qapp: object) -> Iterator[AdminWindow]:
    make_centre(tmp_path).close()
    service = CentreService(tmp_path / "centre-data", registry=installed_forms())
    with shown_window(service, qtbot, qapp) as made:
        yield made


def bug_boxes() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "bug_message" and w.isVisible()
    ]


def test_the_menu_opens_the_print_dialog_without_a_bug(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    unlock(window, qtbot)
    import_full(window, tmp_path)
    show_first(window, qtbot)
    menu = window.interviews.print_button.menu()
    assert isinstance(menu, ReferralMenu)
    assert [a.text() for a in menu.actions()] == ["&Print…", "&Save as PDF…"]
    menu.print_action.trigger()  # QPrintDialog.open() once raised TypeError here
    qtbot.waitUntil(lambda: window.referral.print_dialog is not None, timeout=20_000)
    dialog = window.referral.print_dialog
    assert isinstance(dialog, QPrintDialog) and dialog.isVisible()
    assert dialog.windowTitle() == "Print the referral summary"
    # No "Print to File": a PDF is saved only through "Save as PDF…" (owner-only, atomic, told).
    assert not dialog.testOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile)
    assert not bug_boxes()
    dialog.reject()


def test_save_as_pdf_asks_through_the_shared_dialog(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlock(window, qtbot)
    import_full(window, tmp_path)
    show_first(window, qtbot)
    asked: list[tuple[str, str]] = []

    def choose(parent: object, title: str, name_filter: str, suggested: str) -> str:
        asked.append((name_filter, suggested))
        return str(tmp_path / suggested)

    monkeypatch.setattr(referral, "choose_new_file", choose)
    menu = window.interviews.print_button.menu()
    assert isinstance(menu, ReferralMenu)
    menu.save_action.trigger()
    qtbot.waitUntil(lambda: window.referral.message_box is not None, timeout=30_000)
    assert asked == [("PDF files (*.pdf)", "referral.pdf")]
    assert (tmp_path / "referral.pdf").read_bytes()[:5] == b"%PDF-"
    box = window.referral.message_box
    assert box is not None and box.icon() is QMessageBox.Icon.Information
    box.close()


@needs_poppler
@pytest.mark.parametrize("lang", ["en", "fi", "ar"])
def test_printing_puts_confidential_and_numbers_on_every_page(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, lang: str
) -> None:
    unlock(window, qtbot)
    long_account = "\n\n".join(f"Paragraph {n} of a long account." for n in range(1, 80))
    document = import_full(window, tmp_path, account={"text": long_account, "lang": "en"})
    set_language(lang)
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    window.referral.print_on_paper(document["id"], printer)
    qtbot.waitUntil(lambda: window.referral.print_dialog is not None, timeout=20_000)
    dialog = window.referral.print_dialog
    assert dialog is not None and dialog.isVisible()
    # Accepted as a printer would be: accept() would take the dialog's choice of printer, and
    # with no "Print to File" and no printer here that is no device at all.
    dialog.done(QDialog.DialogCode.Accepted)
    assert out.exists()
    pages = pdf_pages(out)
    assert len(pages) >= 2
    words = bare(_("Confidential: contains personal data.")).split()
    for page in pages:
        flat = bare("".join(page.translate(BIDI_MARKS).split()))
        found = sum(word.strip(".:") in flat for word in words)
        assert found == len(words) or (lang == "ar" and found >= len(words) - 1)
    assert "\n".join(pages).count("Fictional Amina") == 1


def test_saving_says_where_the_clear_text_copy_is(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    unlock(window, qtbot)
    document = import_full(window, tmp_path)
    pdf = tmp_path / "referral.pdf"
    window.referral.print_to(document["id"], pdf)
    qtbot.waitUntil(lambda: window.referral.message_box is not None, timeout=30_000)
    box = window.referral.message_box
    assert box is not None and box.icon() is QMessageBox.Icon.Information
    assert str(pdf) in box.text() and "clear text" in box.text()
    assert pdf.read_bytes()[:5] == b"%PDF-"
    box.close()

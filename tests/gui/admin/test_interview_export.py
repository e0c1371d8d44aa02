"""The Exports tab's interview file (issue 17): a spreadsheet or a CSV file written off the GUI
thread with progress, the CSV file's separator as chosen, the clear-text warning before and
where the copy went after, a known error when the folder cannot be written to; no accelerator
shared in any language; screenshots in fi, en and ar."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from intake_app.i18n import LANGUAGE_CODES, set_language
from intake_app.services.centre import CentreService
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.vault import Centre
from intake_app.ui import file_dialogs
from intake_app.ui.admin import interview_export
from intake_app.ui.admin.window import AdminWindow
from intake_app.ui.application import apply_text_size
from tests.gui.admin.test_window import run, shown_window, unlock
from tests.gui.worker.test_accelerators import accelerator_clashes
from tests.helpers.bundles import Laptop
from tests.helpers.centre import make_centre, register
from tests.unit.sync.centre.real_form import full_document, installed_forms

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)
SCREEN = QSize(1280, 720)


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot, qapp: object) -> Iterator[AdminWindow]:
    make_centre(tmp_path).close()
    service = CentreService(tmp_path / "centre-data", registry=installed_forms())
    with shown_window(service, qtbot, qapp) as made:
        made.resize(SCREEN)
        unlock(made, qtbot)
        laptop = Laptop()
        documents = [full_document(n) for n in range(1, 13)]

        def work(centre: Centre) -> None:
            register(centre, laptop)
            bundle = laptop.bundle(tmp_path / "out", centre, records=documents)
            assert import_bundle(centre, bundle.path).delivered

        run(made, work)
        made.tabs.setCurrentWidget(made.exports)
        yield made


def test_the_spreadsheet_is_written_with_progress_and_says_where_the_clear_copy_is(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    box = window.exports.interview_export
    assert "clear text" in box.notice.text()
    out = tmp_path / "interviews.xlsx"
    box.save(out, "xlsx")
    assert not box.xlsx_button.isEnabled() and box.progress.isVisibleTo(box)
    qtbot.waitUntil(box.xlsx_button.isEnabled, timeout=30_000)
    assert (box.progress.maximum(), box.progress.value()) == (12, 12)
    assert not box.progress.isVisibleTo(box)
    assert box.result.text().startswith(f"12 interviews written to {out}.\n")
    assert "clear text" in box.result.text()
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Interviews", "Other languages", "Needs"]
    assert book.worksheets[0].max_row == 2 + 12


def test_the_buttons_ask_where_through_the_shared_dialog(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str]] = []

    def choose(parent: object, title: str, name_filter: str, suggested: str) -> str:
        asked.append((name_filter, suggested))
        return str(tmp_path / suggested)

    monkeypatch.setattr(interview_export, "choose_new_file", choose)
    box = window.exports.interview_export
    box.language.setCurrentIndex(box.language.findData("fi"))
    box.csv_button.click()
    qtbot.waitUntil(lambda: (tmp_path / "interviews.csv").exists(), timeout=30_000)
    qtbot.waitUntil(box.csv_button.isEnabled, timeout=30_000)
    assert (tmp_path / "interviews.csv").read_bytes().decode("utf-8-sig").startswith("id;")
    box.xlsx_button.click()
    qtbot.waitUntil(lambda: (tmp_path / "interviews.xlsx").exists(), timeout=30_000)
    qtbot.waitUntil(box.xlsx_button.isEnabled, timeout=30_000)
    assert asked == [
        ("CSV files (*.csv)", "interviews.csv"),
        ("Spreadsheets (*.xlsx)", "interviews.xlsx"),
    ]


def test_the_save_dialog_proposes_the_name_and_asks_before_replacing(
    monkeypatch: pytest.MonkeyPatch, qapp: object, tmp_path: Path
) -> None:
    seen: list[QFileDialog] = []

    def answer(dialog: QFileDialog) -> list[str]:
        seen.append(dialog)
        return [str(tmp_path / "chosen.xlsx")]

    monkeypatch.setattr(file_dialogs, "_run", answer)
    chosen = file_dialogs.choose_new_file(None, "Save", "Spreadsheets (*.xlsx)", "x.xlsx")
    [dialog] = seen
    assert chosen == str(tmp_path / "chosen.xlsx")
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert dialog.defaultSuffix() == "xlsx"
    assert not dialog.testOption(QFileDialog.Option.DontConfirmOverwrite)


def test_a_folder_that_cannot_be_written_to_is_said_and_the_buttons_come_back(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    box = window.exports.interview_export
    box.save(tmp_path / "missing" / "interviews.xlsx", "xlsx")
    qtbot.waitUntil(lambda: box.error.isVisibleTo(box), timeout=30_000)
    assert str(tmp_path / "missing") in box.error.text()
    assert box.xlsx_button.isEnabled() and box.csv_button.isEnabled()
    assert not box.result.isVisibleTo(box)


@pytest.mark.parametrize("lang", ["en", "fi", "ar"])
def test_it_fits_follows_the_language_and_shares_no_accelerator(
    window: AdminWindow, qtbot: QtBot, qapp: QApplication, tmp_path: Path, lang: str
) -> None:
    font = qapp.font()
    apply_text_size(qapp, 0)  # the window's real text size
    try:
        set_language(lang)
        box = window.exports.interview_export
        assert box.language.currentData() == lang  # until the administrator picks one
        box.save(tmp_path / "interviews.xlsx", "xlsx")
        qtbot.waitUntil(box.xlsx_button.isEnabled, timeout=30_000)
        window.resize(SCREEN)
        qtbot.wait(50)
        hint = window.minimumSizeHint()
        assert hint.boundedTo(SCREEN) == hint, hint
        assert box.result.isVisible() and box.xlsx_button.isVisible()
        assert box.isRightToLeft() == (lang == "ar")
        for control in (box.language, box.delimiter, box.xlsx_button, box.csv_button):
            assert control.accessibleName()
        assert box.progress.accessibleName()
        assert box.delimiter_label.buddy() is box.delimiter
        set_language("en")  # the outcome is said again in the new language
        assert box.result.text().startswith("12 interviews written to ")
        set_language(lang)
        folder = os.environ.get("INTAKE_SCREENSHOTS")
        if folder:
            window.grab().save(str(Path(folder) / f"admin-exports-interview-file-{lang}.png"))
    finally:
        qapp.setFont(font)


@pytest.mark.parametrize(
    ("delimiter", "separator"),
    [("auto", ";"), ("comma", ","), ("semicolon", ";"), ("tab", "\t")],
)
def test_the_csv_file_is_separated_as_chosen(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, delimiter: str, separator: str
) -> None:
    box = window.exports.interview_export
    box.language.setCurrentIndex(box.language.findData("fi"))
    box.delimiter.setCurrentIndex(box.delimiter.findData(delimiter))
    assert box.chosen_delimiter() == delimiter
    out = tmp_path / "interviews.csv"
    box.save(out, "csv")
    assert not box.delimiter.isEnabled()
    qtbot.waitUntil(box.csv_button.isEnabled, timeout=30_000)
    assert box.delimiter.isEnabled() and box.chosen_delimiter() == delimiter
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline=""),
                           delimiter=separator))
    assert len(rows) == 1 + 12 and rows[0][:2] == ["id", "revision"]
    assert {len(row) for row in rows} == {len(rows[0])}  # every row splits into the columns
    set_language("ar")  # the choice stays through a change of language
    assert box.chosen_delimiter() == delimiter and box.delimiter.currentText()


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_no_two_controls_share_an_accelerator_in_any_language(
    window: AdminWindow, lang: str
) -> None:
    set_language(lang)
    assert accelerator_clashes(window) == []


@pytest.mark.parametrize("lang", ["fi", "ar"])
def test_screenshot_of_the_box(
    window: AdminWindow, qtbot: QtBot, qapp: QApplication, lang: str
) -> None:
    font = qapp.font()
    apply_text_size(qapp, 0)
    try:
        set_language(lang)
        box = window.exports.interview_export
        box.delimiter.setCurrentIndex(box.delimiter.findData("semicolon"))
        window.resize(SCREEN)
        qtbot.wait(50)
        assert box.isRightToLeft() == (lang == "ar")
        for control in (box.language_label, box.delimiter_label, box.csv_button):
            assert control.width() >= control.sizeHint().width()  # nothing cut off
        folder = os.environ.get("INTAKE_SCREENSHOTS")
        image = box.grab()
        assert not image.isNull()
        if folder:
            image.save(str(Path(folder) / f"admin-export-dialog-{lang}.png"))
    finally:
        qapp.setFont(font)

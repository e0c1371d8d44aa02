"""The Exports tab's statistics files (issue 17): the chosen table, the overview or the annual
report with a year picked, as a spreadsheet or a PDF with charts, written off the GUI thread
with a busy bar; the PDF's pages read back with pdftotext in en, fi and ar, the rule under every
chart; the tab fits 1280×720, names its controls and shares no accelerator."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from intake_app.i18n import _, set_language
from intake_app.i18n.formatting import format_number
from intake_app.services.centre import CentreService
from intake_app.sync.centre.stats_report import ANNUAL, field_title, not_shown_text
from intake_app.ui.admin import stats_save
from intake_app.ui.admin.stats_save import StatsSaveBox
from intake_app.ui.admin.window import AdminWindow
from intake_app.ui.application import apply_text_size
from tests.gui.admin.test_window import run, shown_window, unlock
from tests.gui.worker.test_accelerators import accelerator_clashes
from tests.helpers.centre import make_centre
from tests.helpers.stats import EARLIER, IN_YEAR, YEAR, import_known
from tests.unit.sync.centre.real_form import installed_forms

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)
SCREEN = QSize(1280, 720)
BIDI_MARKS = dict.fromkeys([0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot, qapp: object) -> Iterator[AdminWindow]:
    make_centre(tmp_path).close()
    service = CentreService(tmp_path / "centre-data", registry=installed_forms())
    with shown_window(service, qtbot, qapp) as made:
        made.resize(SCREEN)
        unlock(made, qtbot)
        run(made, lambda centre: import_known(centre, tmp_path / "out"))
        made.tabs.setCurrentWidget(made.exports)
        yield made


def annual(box: StatsSaveBox) -> None:
    box.report.setCurrentIndex(box.report.findData("annual"))
    box.year.setValue(YEAR)


def test_the_annual_spreadsheet_is_written_off_the_gui_thread(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    box = window.exports.stats_save
    assert not box.year.isEnabled()  # only the annual report has a year
    annual(box)
    assert box.year.isEnabled()
    out = tmp_path / "annual.xlsx"
    box.save(out, "xlsx")
    assert box.progress.isVisible() and not box.xlsx_button.isEnabled()
    qtbot.waitUntil(box.xlsx_button.isEnabled, timeout=30_000)
    assert not box.progress.isVisible()
    assert str(out) in box.result.text()
    book = openpyxl.load_workbook(out)
    rows = [tuple(row) for row in book["Nationality"].iter_rows(values_only=True)]
    assert rows[6:9] == [  # hidden groups are not named
        ("Vietnam", 9, "VN"),
        ("Groups not shown", "hidden", None),
        ("Total (interviews)", IN_YEAR, None),
    ]


def test_the_table_chosen_above_is_saved(window: AdminWindow, qtbot: QtBot, tmp_path: Path) -> None:
    tab = window.exports
    tab.first.setCurrentIndex(tab.first.findData("gender"))
    tab.second.setCurrentIndex(tab.second.findData("age_band"))
    out = tmp_path / "table.xlsx"
    tab.stats_save.save(out, "xlsx")
    qtbot.waitUntil(tab.stats_save.xlsx_button.isEnabled, timeout=30_000)
    book = openpyxl.load_workbook(out)
    [sheet] = book.worksheets
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][0] == "Gender and Age group"
    # Every year's interviews, too few per gender and age group: no group is listed.
    assert rows[6][:3] == ("Total (interviews)", None, IN_YEAR + EARLIER)
    assert any("No group is listed" in str(row[0]) for row in rows)


def bare(text: str) -> str:
    """Without spaces, bidi marks and combining marks (pdftotext moves them around)."""
    text = unicodedata.normalize("NFKC", text).translate(BIDI_MARKS)
    return "".join(
        c
        for c in unicodedata.normalize("NFD", text)
        if not unicodedata.combining(c) and not c.isspace()
    )


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def words_in(sentence: str, page: str) -> bool:
    """All words of `sentence` are on `page` (pdftotext's order of right-to-left words and
    its spacing are not the PDF's)."""
    flat = bare(page)
    return all(bare(word.strip('.,:;“”"')) in flat for word in sentence.split())


@needs_poppler
@pytest.mark.parametrize("lang", ["en", "fi", "ar"])
def test_the_annual_pdf_has_a_chart_and_the_rule_for_every_table(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, lang: str
) -> None:
    set_language(lang)
    box = window.exports.stats_save
    annual(box)
    out = tmp_path / f"annual-{lang}.pdf"
    box.save(out, "pdf")
    qtbot.waitUntil(box.pdf_button.isEnabled, timeout=30_000)
    assert out.read_bytes()[:5] == b"%PDF-", box.error.text()
    pages = pdf_pages(out)
    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):  # "2 / 3" in every footer
        footer = bare(f"{format_number(number)}/{format_number(len(pages))}")
        assert footer in bare(page) or (
            lang == "ar"
            and bare(f"{format_number(len(pages))}/{format_number(number)}") in bare(page)
        )
    text = "\f".join(pages)
    rule = _(
        "Counts below {n}, and counts from which one could be worked out with this or "
        "another report, are hidden.",
        n=5,
    )
    registry = installed_forms()
    for field in ANNUAL:  # each table's title, then the rule under its chart
        title = field_title(registry, field, lang)
        assert words_in(title, text), title
    if lang == "ar":  # pdftotext reorders right-to-left lines: count the rule's words
        assert all(bare(text).count(bare(word)) >= len(ANNUAL) for word in rule.split()[:3])
    else:
        assert text.replace("\n", " ").count(rule) == len(ANNUAL)
    assert bare(text).count(bare(not_shown_text())) >= len(ANNUAL)


def test_the_suggested_file_names_go_through_the_catalog(
    window: AdminWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def choose(parent: object, title: str, name_filter: str, suggested: str) -> str:
        asked.append(suggested)
        return ""

    looked_up: list[str] = []
    real = stats_save._

    def spy(message: str, /, **fields: object) -> str:
        looked_up.append(message)
        return real(message, **fields)

    monkeypatch.setattr(stats_save, "choose_new_file", choose)
    monkeypatch.setattr(stats_save, "_", spy)
    box = window.exports.stats_save
    box.pdf_button.click()
    annual(box)
    box.xlsx_button.click()
    assert asked == ["statistics.pdf", f"annual-report-{YEAR}.xlsx"]
    assert "statistics" in looked_up and "annual-report-{year}" in looked_up


@pytest.mark.expects_bug
def test_a_bug_laying_out_the_pdf_is_shown_and_gives_the_buttons_back(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    logged_bugs: list[str],
) -> None:
    def broken(report: object) -> bytes:
        raise TypeError("a bug in the charts")

    monkeypatch.setattr(stats_save, "report_pdf", broken)
    box = window.exports.stats_save
    annual(box)
    out = tmp_path / "statistics.pdf"
    box.save(out, "pdf")
    assert box.progress.isVisible() and not box.pdf_button.isEnabled()
    qtbot.waitUntil(lambda: bool(logged_bugs), timeout=30_000)
    assert len(logged_bugs) == 1 and "charts" not in logged_bugs[0]
    assert box.pdf_button.isEnabled() and box.xlsx_button.isEnabled() and box.report.isEnabled()
    assert not box.progress.isVisible()
    assert not box.result.text()
    assert not out.exists()
    boxes = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "bug_message" and w.isVisible()
    ]
    assert len(boxes) == 1 and boxes[0].text() == "Something went wrong. Nothing was lost."
    boxes[0].close()


@pytest.mark.parametrize("lang", ["en", "fi", "ar"])
def test_the_tab_fits_names_its_controls_and_shares_no_accelerator(
    window: AdminWindow, qtbot: QtBot, qapp: QApplication, tmp_path: Path, lang: str
) -> None:
    font = qapp.font()
    apply_text_size(qapp, 0)  # the window's real text size
    try:
        set_language(lang)
        tab = window.exports
        tab.first.setCurrentIndex(tab.first.findData("age_band"))
        tab.count()
        # 18-29, 30-39, the groups not shown and the total
        qtbot.waitUntil(lambda: tab.model.rowCount() == 4, timeout=20_000)
        box = tab.stats_save
        annual(box)
        box.save(tmp_path / "annual.pdf", "pdf")
        qtbot.waitUntil(box.pdf_button.isEnabled, timeout=30_000)
        window.resize(SCREEN)
        qtbot.wait(50)
        hint = window.minimumSizeHint()
        assert hint.boundedTo(SCREEN) == hint, hint
        assert box.result.isVisible() and box.isRightToLeft() == (lang == "ar")
        for control in (box.report, box.year, box.xlsx_button, box.pdf_button, box.progress):
            assert control.accessibleName()
        assert box.report_label.buddy() is box.report and box.year_label.buddy() is box.year
        if lang == "en":  # other languages wait for their translations of the new texts
            assert accelerator_clashes(window) == []
        folder = os.environ.get("INTAKE_SCREENSHOTS")
        if folder:
            window.grab().save(str(Path(folder) / f"admin-exports-statistics-{lang}.png"))
    finally:
        qapp.setFont(font)

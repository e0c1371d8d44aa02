"""Issue 17: the administrator's window looks finished — the worker's text size, a narrow
centred unlock column with the language picker and the recovery-code path, import-log reasons
shown whole, "Count interviews by" grouped by section without twins, and a window that fits
1280×720."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from intake_app.i18n import set_language
from intake_app.services.centre import CentreService
from intake_app.sync.centre import reason_text
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.setup import init_centre
from intake_app.sync.centre.vault import Centre
from intake_app.ui.admin.window import AdminWindow
from intake_app.ui.application import MIN_POINT_SIZE
from tests.gui.admin.test_window import run, shown_window, unlock
from tests.helpers.bundles import Laptop
from tests.helpers.centre import PASSPHRASE
from tests.helpers.storage import FAST
from tests.unit.sync.centre.real_form import installed_forms

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")

SCREEN = QSize(1280, 720)
NEW_PASSPHRASE = "a new centre passphrase for 2027"


@pytest.fixture
def recovery_code(tmp_path: Path) -> str:
    (tmp_path / "share").mkdir()
    made = init_centre(tmp_path / "centre-data", name="Example reception centre",
                       share=str(tmp_path / "share"), passphrase=PASSPHRASE, kdf=FAST)
    return made.recovery_code


@pytest.fixture
def window(recovery_code: str, tmp_path: Path, qtbot: QtBot,
           qapp: object) -> Iterator[AdminWindow]:
    service = CentreService(tmp_path / "centre-data", registry=installed_forms())
    with shown_window(service, qtbot, qapp) as made:
        yield made


def test_count_by_is_grouped_by_section_without_twins(window: AdminWindow,
                                                      qtbot: QtBot) -> None:
    unlock(window, qtbot)
    combo = window.exports.first
    model = combo.model()
    assert isinstance(model, QStandardItemModel)
    choices = [combo.itemText(row) for row in range(combo.count())
               if combo.itemData(row) is not None]
    headings = [combo.itemText(row) for row in range(combo.count())
                if combo.itemData(row) is None and combo.itemText(row)]
    assert len(choices) == len(set(choices)), "two entries read the same"
    assert "Coercive recruitment › Violence on victims" in choices
    assert "Coercion at destination › Violence on victims" in choices
    assert "8 Indicators › Coercive recruitment" in headings
    for row in range(combo.count()):
        if combo.itemData(row) is None and combo.itemText(row):
            assert not model.item(row).flags() & Qt.ItemFlag.ItemIsSelectable
    names = [combo.itemData(row) for row in range(combo.count())]
    assert "other_language" not in names  # inside a repeat: cannot be counted


def test_the_administrators_window_uses_the_workers_text_size(
        tmp_path: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    from intake_app import app as composition
    from intake_app.ui import application

    font = qapp.font()
    small = qapp.font()
    small.setPointSizeF(7.0)
    qapp.setFont(small)
    monkeypatch.setattr(application, "_system_points", [7.0])
    monkeypatch.setattr(QApplication, "exec", lambda *_args: 0)
    shown: list[float] = []
    monkeypatch.setattr(AdminWindow, "show", lambda self: shown.append(
        QApplication.font().pointSizeF()))
    try:
        assert composition.run_admin(tmp_path / "data", language="en") == 0
    finally:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, AdminWindow):
                widget.watch.stop()
                widget.deleteLater()
        qapp.setFont(font)
    assert shown and shown[0] >= MIN_POINT_SIZE


def test_the_unlock_column_is_narrow_centred_and_speaks_the_chosen_language(
        window: AdminWindow, qtbot: QtBot) -> None:
    window.resize(SCREEN)
    page = window.unlock_page
    qtbot.waitUntil(lambda: page.column.width() > 0)
    assert page.passphrase.width() < SCREEN.width() / 2
    middle = page.column.geometry().center().x()
    assert abs(middle - page.width() / 2) < 20
    english = page.title.text()
    page.language.chosen.emit("fi")
    assert page.title.text() != english
    set_language("en")


def test_the_centre_opens_with_its_recovery_code_and_a_new_passphrase(
        window: AdminWindow, qtbot: QtBot, recovery_code: str) -> None:
    page = window.unlock_page
    page.recovery_link.click()
    assert page.views.currentWidget() is page.recovery_view
    page.code.setText(recovery_code)
    page.new_fields.passphrase.setText(NEW_PASSPHRASE)
    page.new_fields.confirmation.setText(NEW_PASSPHRASE)
    qtbot.waitUntil(page.recovery_button.isEnabled, timeout=10_000)
    page.recovery_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=30_000)
    window.lock()
    assert page.views.currentWidget() is page.passphrase_view
    page.passphrase.setText(NEW_PASSPHRASE)
    page.open_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=30_000)


def test_an_import_log_reason_is_shown_whole(window: AdminWindow, qtbot: QtBot,
                                             tmp_path: Path) -> None:
    unlock(window, qtbot)
    stranger = Laptop()

    def work(centre: Centre) -> None:
        import_bundle(centre, stranger.bundle(tmp_path / "out", centre).path)

    run(window, work)
    window.refresh()
    qtbot.waitUntil(lambda: window.log.model.rowCount() == 1, timeout=20_000)
    window.log.table.selectRow(0)
    entry = window.log.model.row_object(0)
    reason = reason_text(entry.reason)
    assert len(reason) > 40
    assert reason in window.log.detail.text() and window.log.detail.wordWrap()


def fits(window: AdminWindow) -> None:
    hint = window.minimumSizeHint()
    assert hint.boundedTo(SCREEN) == hint, hint
    window.resize(SCREEN)
    assert window.size() == SCREEN


@pytest.mark.parametrize("lang", ["en", "fi", "ar"])
def test_every_page_of_the_window_fits_1280_by_720(window: AdminWindow, qtbot: QtBot,
                                                   lang: str) -> None:
    set_language(lang)
    window.unlock_page.show_view(recovery=True)
    fits(window)
    window.unlock_page.show_view(recovery=False)
    unlock(window, qtbot)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        fits(window)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_centre_name_starts_the_top_row_in_either_direction(
    window: AdminWindow, qtbot: QtBot, lang: str
) -> None:
    set_language(lang)
    unlock(window, qtbot)
    window.resize(SCREEN)
    qtbot.wait(20)
    name = window.centre_name
    middle = window.workspace.width() // 2
    # The name's text hugs the row's start: the left edge in English, the right one in Arabic
    # (it was drawn at the left, beside the buttons, in Arabic: a Latin name follows its own
    # direction inside a stretched label).
    text_width = name.fontMetrics().horizontalAdvance(name.text())
    left = name.mapTo(window.workspace, name.rect().topLeft()).x()
    if lang == "ar":
        assert left + name.width() > window.workspace.width() - 40
        assert name.width() < text_width + 40
        assert left > middle
    else:
        assert left < 40 and left + name.width() < middle

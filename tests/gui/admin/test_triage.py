"""Issue 17, triage in the administrator's window: the list's columns (laptop by name and
worker, risk, danger, urgent needs, referral consent) in the chosen language, sorted by meaning,
filtered, danger and high risk marked in words and for screen readers; the follow-up saved and
kept across a lock; possible duplicates named and opened, or marked not the same person."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from PySide6.QtCore import QItemSelectionModel, QSize, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from intake_app.i18n import set_language
from intake_app.services.centre import CentreService
from intake_app.sync.centre import FollowUpRecord
from intake_app.sync.centre.follow_up import MAX_NOTE, follow_up, set_follow_up
from intake_app.sync.centre.vault import Centre
from intake_app.ui.admin import duplicates_box
from intake_app.ui.admin.follow_up_box import FollowUpBox
from intake_app.ui.admin.interviews_tab import InterviewsTab
from intake_app.ui.admin.triage_model import CHANGED_COLUMN, URGENCY_COLUMN, TriageModel
from intake_app.ui.admin.window import AdminWindow
from intake_app.ui.application import apply_text_size
from tests.gui.admin.test_lock_hang import HangingRead, feed
from tests.gui.admin.test_window import run, shown_window, unlock
from tests.gui.worker.test_accelerators import accelerator_clashes
from tests.helpers.bundles import Laptop
from tests.helpers.triage import (
    import_documents,
    make_real_centre,
    open_real_centre,
    triage_document,
)
from tests.unit.sync.centre.real_form import installed_forms

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)

SCREEN = QSize(1280, 720)
TOO_LONG = "x" * (MAX_NOTE + 1)  # a note the centre refuses to store
COLUMNS = {
    "alias": 0,
    "urgency": 1,
    "risk": 2,
    "danger": 3,
    "needs": 4,
    "consent": 5,
    "follow_up": 6,
    "duplicates": 7,
    "date": 8,
    "laptop": 9,
    "worker": 10,
}


@pytest.fixture
def laptops() -> tuple[Laptop, Laptop]:
    """Two laptops (north, south), new for each test: their bundle numbers count on."""
    return Laptop(name="Laptop North", worker="W-1"), Laptop(name="Laptop South", worker="W-2")


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot, qapp: object) -> Iterator[AdminWindow]:
    make_real_centre(tmp_path).close()
    service = CentreService(tmp_path / "centre-data", registry=installed_forms())
    with shown_window(service, qtbot, qapp) as made:
        yield made


def cases() -> list[dict[str, Any]]:
    """Four interviews: in danger; high risk; low risk; medium risk and a possible duplicate
    of the first (same month of birth, similar alias, another worker)."""
    danger = triage_document(
        "Amína",
        immediate_danger="yes",
        risk_level="medium",
        date_of_birth="1994-05",
        worker_code="W-1",
        interview_date="2026-12-01",
        consent_referral="yes",
        needs=[{"need": "safe_housing", "need_urgency": "now"}],
    )
    danger["modified"] = "2026-12-09T10:00:00Z"
    high = triage_document(
        "Bao",
        immediate_danger="no",
        risk_level="high",
        date_of_birth="1980",
        worker_code="W-1",
        interview_date="2026-11-20",
        consent_referral="no",
        legal_name=None,  # only with consent to referral
        referral_actions=["anonymous_consultation"],
        needs=[{"need": "legal_aid", "need_urgency": "later"}],
    )
    high["modified"] = "2026-12-10T10:00:00Z"  # "Dec 10" sorts before "Dec 9" as text
    low = triage_document(
        "Chidi",
        immediate_danger="no",
        risk_level="low",
        date_of_birth="1970",
        worker_code="W-2",
        interview_date="2026-10-02",
    )
    low["modified"] = "2026-11-02T10:00:00Z"
    twin = triage_document(
        "AMINA",
        immediate_danger="unknown",
        risk_level="medium",
        date_of_birth="1994-05-12",
        worker_code="W-2",
        interview_date="2027-01-15",
        nationality=["SO"],
    )
    twin["modified"] = "2026-12-08T10:00:00Z"
    return [danger, high, low, twin]


def import_cases(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, laptops: tuple[Laptop, Laptop]
) -> list[dict[str, Any]]:
    made = cases()
    north, south = laptops

    def work(centre: Centre) -> None:
        import_documents(centre, north, made[:2], tmp_path / "north")
        import_documents(centre, south, made[2:], tmp_path / "south")

    run(window, work)
    window.interviews.refresh()
    qtbot.waitUntil(lambda: window.interviews.model.rowCount() == 4, timeout=30_000)
    window.tabs.setCurrentWidget(window.interviews)
    return made


def shown(window: AdminWindow, column: str) -> list[str]:
    """A column's texts in the order the list shows them."""
    proxy = window.interviews.proxy
    return [proxy.index(row, COLUMNS[column]).data() for row in range(proxy.rowCount())]


def choose(window: AdminWindow, qtbot: QtBot, alias: str) -> None:
    row = shown(window, "alias").index(alias)
    # Not selectRow: right to left, it looks for its column past the last one when the
    # columns do not fill the table, and selects nothing.
    table = window.interviews.table
    table.selectionModel().setCurrentIndex(
        window.interviews.proxy.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.waitUntil(
        lambda: (
            window.interviews.follow_up.loaded is not None
            and window.interviews.follow_up.loaded.current.record_id
            == window.interviews.current.record_id
        ),
        timeout=20_000,
    )


class FollowUpCase(NamedTuple):
    """An interview's follow-up shown: the four cases, the tab and its follow-up box."""

    made: list[dict[str, Any]]
    tab: InterviewsTab
    box: FollowUpBox


def show_follow_up(
    window: AdminWindow,
    qtbot: QtBot,
    tmp_path: Path,
    laptops: tuple[Laptop, Laptop],
    alias: str = "Bao",
) -> FollowUpCase:
    """Unlock, import the four cases and show `alias`'s follow-up (read, nothing changed)."""
    unlock(window, qtbot)
    made = import_cases(window, qtbot, tmp_path, laptops)
    choose(window, qtbot, alias)
    return FollowUpCase(made, window.interviews, window.interviews.follow_up)


@pytest.fixture
def bao(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, laptops: tuple[Laptop, Laptop]
) -> FollowUpCase:
    """Bao's follow-up shown (Bao is `made[1]`; Chidi, `made[2]`, is the next row)."""
    return show_follow_up(window, qtbot, tmp_path, laptops, "Bao")


def stored(window: AdminWindow, record_id: str) -> FollowUpRecord:
    """The follow-up as the centre vault holds it."""
    return run(window, lambda c: follow_up(c.vault, record_id))


def test_the_columns_name_the_laptop_and_say_the_answers_in_the_chosen_language(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, laptops: tuple[Laptop, Laptop]
) -> None:
    unlock(window, qtbot)
    import_cases(window, qtbot, tmp_path, laptops)
    by_alias = dict(zip(shown(window, "alias"), range(4), strict=True))
    proxy = window.interviews.proxy

    def cell(alias: str, column: str) -> str:
        return str(proxy.index(by_alias[alias], COLUMNS[column]).data())

    assert cell("Amína", "laptop") == "Laptop North" and cell("Amína", "worker") == "W-1"
    assert cell("Chidi", "laptop") == "Laptop South"
    assert cell("Bao", "risk") == "High" and cell("Amína", "danger") == "Yes"
    assert cell("Amína", "needs") == "Safe housing" and cell("Bao", "needs") == ""
    assert cell("Amína", "consent") == "Yes" and cell("Bao", "consent") == "No"
    assert cell("Amína", "follow_up") == "New"
    assert cell("Amína", "date") == "Dec 1, 2026"
    set_language("fi")
    assert cell("Bao", "risk") == "Korkea" and cell("Amína", "danger") == "Kyllä"
    assert cell("Amína", "needs") == "Turvallinen asuminen"
    assert cell("Amína", "date") == "1.12.2026"


def test_danger_and_high_risk_stand_out_in_words_icon_and_description(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, laptops: tuple[Laptop, Laptop]
) -> None:
    unlock(window, qtbot)
    import_cases(window, qtbot, tmp_path, laptops)
    proxy = window.interviews.proxy
    rows = {proxy.index(r, 0).data(): r for r in range(proxy.rowCount())}
    mark = {alias: proxy.index(row, URGENCY_COLUMN) for alias, row in rows.items()}
    assert mark["Amína"].data() == "In danger" and mark["Bao"].data() == "High risk"
    assert mark["Chidi"].data() == ""
    for alias in ("Amína", "Bao"):
        assert not mark[alias].data(Qt.ItemDataRole.DecorationRole).isNull()
        assert mark[alias].data(Qt.ItemDataRole.FontRole).bold()
    assert mark["Chidi"].data(Qt.ItemDataRole.DecorationRole) is None
    description = proxy.index(rows["Amína"], COLUMNS["alias"]).data(
        Qt.ItemDataRole.AccessibleDescriptionRole
    )
    assert description == "The person is in immediate danger."
    assert proxy.index(rows["Chidi"], 0).data(Qt.ItemDataRole.AccessibleDescriptionRole) is None


def test_sorting_goes_by_meaning_and_most_urgent_first_on_request(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, laptops: tuple[Laptop, Laptop]
) -> None:
    unlock(window, qtbot)
    import_cases(window, qtbot, tmp_path, laptops)
    tab = window.interviews
    assert shown(window, "alias") == ["Bao", "Amína", "AMINA", "Chidi"]  # newest change first
    tab.table.sortByColumn(COLUMNS["risk"], Qt.SortOrder.AscendingOrder)
    assert shown(window, "risk") == ["Low", "Medium", "Medium", "High"]
    tab.table.sortByColumn(COLUMNS["danger"], Qt.SortOrder.DescendingOrder)
    assert shown(window, "danger") == ["Yes", "Unknown", "No", "No"]
    tab.table.sortByColumn(COLUMNS["date"], Qt.SortOrder.AscendingOrder)
    assert shown(window, "alias") == ["Chidi", "Bao", "Amína", "AMINA"]
    tab.filters.urgent.setChecked(True)
    assert shown(window, "alias")[:2] == ["Amína", "Bao"]  # danger, then high risk
    assert tab.proxy.sortColumn() == URGENCY_COLUMN
    tab.table.sortByColumn(COLUMNS["alias"], Qt.SortOrder.AscendingOrder)
    assert not tab.filters.urgent.isChecked()
    tab.filters.urgent.setChecked(True)
    tab.filters.urgent.setChecked(False)
    assert tab.proxy.sortColumn() == CHANGED_COLUMN
    assert shown(window, "alias") == ["Bao", "Amína", "AMINA", "Chidi"]


def test_filters_have_buddies_names_and_narrow_the_list(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, laptops: tuple[Laptop, Laptop]
) -> None:
    unlock(window, qtbot)
    made = import_cases(window, qtbot, tmp_path, laptops)
    filters = window.interviews.filters
    for combo in (filters.status, filters.risk, filters.laptop):
        assert combo.accessibleName()
        [label] = [lab for lab in filters.findChildren(QLabel) if lab.buddy() is combo]
        assert "&" in label.text()
    assert accelerator_clashes(window) == []
    filters.risk.setCurrentIndex(filters.risk.findData("urgent"))
    assert sorted(shown(window, "alias")) == ["Amína", "Bao"]
    assert "2 of 4" in filters.shown.text()
    filters.risk.setCurrentIndex(filters.risk.findData("medium"))
    assert sorted(shown(window, "alias")) == ["AMINA", "Amína"]
    filters.risk.setCurrentIndex(0)
    filters.laptop.setCurrentIndex(filters.laptop.findData(laptops[1].device_id))
    assert filters.laptop.currentText() == "Laptop South"
    assert sorted(shown(window, "alias")) == ["AMINA", "Chidi"]
    filters.laptop.setCurrentIndex(0)
    run(window, lambda c: set_follow_up(c.vault, made[2]["id"], status="closed", by="test"))
    window.interviews.refresh()
    filters.status.setCurrentIndex(filters.status.findData("closed"))
    qtbot.waitUntil(lambda: shown(window, "alias") == ["Chidi"], timeout=20_000)
    assert shown(window, "follow_up") == ["Closed"]


def test_a_follow_up_is_saved_and_kept_across_a_lock(
    window: AdminWindow, qtbot: QtBot, bao: FollowUpCase
) -> None:
    box = bao.box
    assert box.status.accessibleName() and box.note_label.buddy() is box.note
    assert not box.save_button.isEnabled()
    box.status.setCurrentIndex(box.status.findData("in_review"))
    box.note.setPlainText("Shelter called back.")
    assert box.is_dirty() and box.save_button.isEnabled()
    box.save_button.click()
    qtbot.waitUntil(lambda: box.loaded is not None and len(box.loaded.history) == 1, timeout=20_000)
    assert not box.is_dirty()
    assert "Shelter called back." in box.history.toPlainText()
    qtbot.waitUntil(lambda: "In review" in shown(window, "follow_up"), timeout=20_000)

    # Typed but not saved, then the window locks (as the idle lock does): nothing is lost.
    box.note.setPlainText("Shelter called back.\nA place on Monday.")
    window.lock()
    unlock(window, qtbot)
    qtbot.waitUntil(lambda: window.interviews.model.rowCount() == 4, timeout=30_000)
    window.tabs.setCurrentWidget(window.interviews)
    choose(window, qtbot, "Bao")
    box = window.interviews.follow_up
    assert box.status.currentData() == "in_review"
    assert box.note.toPlainText() == "Shelter called back.\nA place on Monday."
    assert len(box.loaded.history) == 2


def test_leaving_an_unsaved_follow_up_asks(
    window: AdminWindow, qtbot: QtBot, bao: FollowUpCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    made, tab, _box = bao
    tab.follow_up.note.setPlainText("Unsaved words")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: answers.pop(0))
    tab.table.selectRow(shown(window, "alias").index("Chidi"))
    assert tab.current.record_id == made[1]["id"]  # Cancel: stays on Bao
    assert tab.follow_up.note.toPlainText() == "Unsaved words"
    assert shown(window, "alias")[tab.table.currentIndex().row()] == "Bao"
    tab.table.selectRow(shown(window, "alias").index("Chidi"))  # Save: saved, then moves
    qtbot.waitUntil(lambda: tab.current.record_id == made[2]["id"], timeout=20_000)
    qtbot.waitUntil(
        lambda: stored(window, made[1]["id"]).current.note == "Unsaved words", timeout=20_000
    )
    assert answers == []


def test_possible_duplicates_are_named_opened_and_can_be_dismissed(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, laptops: tuple[Laptop, Laptop]
) -> None:
    unlock(window, qtbot)
    made = import_cases(window, qtbot, tmp_path, laptops)
    marks = dict(zip(shown(window, "alias"), shown(window, "duplicates"), strict=True))
    assert marks == {"Amína": "1 possible", "AMINA": "1 possible", "Bao": "", "Chidi": ""}
    choose(window, qtbot, "Amína")
    box = window.interviews.duplicates
    assert box.isVisible() and box.list.count() == 1
    text = box.list.item(0).text()
    assert text.startswith("AMINA: Laptop South, worker W-2") and "similar alias" in text
    box.list.setCurrentRow(0)
    window.interviews.filters.laptop.setCurrentIndex(
        window.interviews.filters.laptop.findData(laptops[0].device_id)
    )  # hides the other one
    box.open_button.click()
    qtbot.waitUntil(lambda: window.interviews.current.record_id == made[3]["id"], timeout=20_000)
    assert window.interviews.filters.laptop.currentData() == ""  # the filter made way
    qtbot.waitUntil(
        lambda: box.list.count() == 1 and box.list.item(0).text().startswith("Amína:"),
        timeout=20_000,
    )
    question = box.ask_not_same()
    assert question is not None
    question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: shown(window, "duplicates") == ["", "", "", ""], timeout=20_000)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=20_000)


def test_the_duplicates_window_is_said_with_its_plural(
    window: AdminWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = window.interviews.duplicates
    assert "within 180 days." in box.explanation.text()
    monkeypatch.setattr(duplicates_box, "WINDOW_DAYS", 1)
    box.retranslate()
    assert "within 1 day." in box.explanation.text()


def test_the_models_pass_the_model_tester_and_the_tab_fits_1280_by_720(
    window: AdminWindow,
    qtbot: QtBot,
    tmp_path: Path,
    laptops: tuple[Laptop, Laptop],
    qtmodeltester: Any,
) -> None:
    unlock(window, qtbot)
    import_cases(window, qtbot, tmp_path, laptops)
    assert isinstance(window.interviews.model, TriageModel)
    qtmodeltester.check(window.interviews.model)
    qtmodeltester.check(window.interviews.proxy)
    choose(window, qtbot, "Amína")
    for lang in ("en", "fi", "ar"):
        set_language(lang)
        hint = window.minimumSizeHint()
        assert hint.boundedTo(SCREEN) == hint, (lang, hint)
        window.resize(SCREEN)
        assert window.size() == SCREEN


@pytest.mark.parametrize("lang", ["en", "fi", "ar"])
def test_the_triage_tab_at_its_real_size_in_three_languages(
    window: AdminWindow,
    qtbot: QtBot,
    qapp: QApplication,
    tmp_path: Path,
    laptops: tuple[Laptop, Laptop],
    lang: str,
) -> None:
    """Screenshots of the list and the detail pane (INTAKE_SCREENSHOTS=folder)."""
    font = qapp.font()
    apply_text_size(qapp, 0)  # the window's real text size
    try:
        unlock(window, qtbot)
        import_cases(window, qtbot, tmp_path, laptops)
        set_language(lang)
        tab = window.interviews
        tab.filters.urgent.setChecked(True)
        choose(window, qtbot, "Amína")
        box = tab.follow_up
        box.status.setCurrentIndex(box.status.findData("in_review"))
        box.note.setPlainText("Safe housing asked for on 9.12.; waiting for an answer.")
        box.save()
        qtbot.waitUntil(
            lambda: box.loaded is not None and len(box.loaded.history) == 1, timeout=20_000
        )
        window.resize(SCREEN)
        qtbot.wait(50)
        hint = window.minimumSizeHint()
        assert hint.boundedTo(SCREEN) == hint, hint
        assert tab.isRightToLeft() == (lang == "ar")
        assert tab.duplicates.isVisible()
        if lang == "en":  # other languages wait for their translations of the new texts
            assert accelerator_clashes(window) == []
        folder = os.environ.get("INTAKE_SCREENSHOTS")
        if folder:
            tab.details_tabs.setCurrentIndex(0)
            window.grab().save(str(Path(folder) / f"admin-interviews-{lang}.png"))
            tab.details_tabs.setCurrentWidget(tab.follow_up)
            window.grab().save(str(Path(folder) / f"admin-interviews-follow-up-{lang}.png"))
    finally:
        qapp.setFont(font)


def test_the_list_of_2000_interviews_loads_whole_with_the_urgent_first(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, laptops: tuple[Laptop, Laptop]
) -> None:
    """One query for the rows; the GUI thread only lays them out. Prints the figures (speed is
    measured, not asserted: see bench/ and the closing notes)."""
    unlock(window, qtbot)
    documents = [
        triage_document(
            f"Person {n}",
            date_of_birth=f"{1960 + n % 40}",
            risk_level=("low", "medium", "high")[n % 3],
            immediate_danger="no",
            interview_date=f"2026-{1 + n % 12:02}-{1 + n % 28:02}",
        )
        for n in range(2000)
    ]

    def work(centre: Centre) -> None:
        import_documents(centre, laptops[0], documents[:1000], tmp_path / "one")
        import_documents(centre, laptops[1], documents[1000:], tmp_path / "two")

    run(window, work)
    tab = window.interviews
    laid_out: list[float] = []
    real = tab._listed

    def timed(listed: object) -> None:
        started = time.perf_counter()
        real(listed)
        laid_out.append(time.perf_counter() - started)

    tab._listed = timed  # type: ignore[method-assign]
    started = time.perf_counter()
    tab.refresh()
    qtbot.waitUntil(lambda: bool(laid_out), timeout=60_000)
    total = time.perf_counter() - started
    print(
        f"\n2000 interviews: {total * 1000:.0f} ms from asking to shown, "
        f"{laid_out[0] * 1000:.0f} ms of it on the GUI thread"
    )
    assert tab.model.rowCount() == 2000 and tab.proxy.rowCount() == 2000
    tab.filters.urgent.setChecked(True)
    assert tab.proxy.index(0, URGENCY_COLUMN).data() == "High risk"


def test_the_search_narrows_the_list_with_the_filters(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, laptops: tuple[Laptop, Laptop]
) -> None:
    unlock(window, qtbot)
    import_cases(window, qtbot, tmp_path, laptops)
    tab = window.interviews
    tab.search.setText("amina")  # the index's trigrams ignore the accent
    qtbot.waitUntil(lambda: sorted(shown(window, "alias")) == ["AMINA", "Amína"], timeout=20_000)
    tab.filters.risk.setCurrentIndex(tab.filters.risk.findData("danger"))
    assert shown(window, "alias") == ["Amína"]
    assert "1 of 4" in tab.filters.shown.text()
    tab.search.clear()
    qtbot.waitUntil(lambda: tab.proxy.matches is None, timeout=20_000)
    assert shown(window, "alias") == ["Amína"]
    tab.filters.risk.setCurrentIndex(0)
    assert len(shown(window, "alias")) == 4


def test_closing_the_window_waits_for_the_follow_up_to_be_stored(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, bao: FollowUpCase
) -> None:
    """The window closed at once and the save queued behind slow work was given up when the
    vault closed after it: the change was lost, and nobody was told."""
    box = bao.box
    slow = HangingRead(tmp_path / "share")  # the vault thread is busy (a slow share)
    slow.start(window.service)
    box.status.setCurrentIndex(box.status.findData("closed"))
    box.note.setPlainText("Moved to another city.")
    window.close()
    assert window.isVisible()  # waits for the save, and says so
    assert "Saving the follow-up" in window.status.text() and window.progress.isVisible()
    qtbot.wait(300)
    assert window.isVisible() and not slow.finished.is_set()
    slow.timer.cancel()
    # The share answers (fed until its reader, which may not have opened it yet, is done).
    qtbot.waitUntil(lambda: (feed(slow.fifo), slow.finished.is_set())[1], timeout=20_000)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    window.service.shutdown()  # as the application does once its window is closed
    centre = open_real_centre(tmp_path)
    try:
        kept = follow_up(centre.vault, bao.made[1]["id"])
    finally:
        centre.close()
    assert kept.current.status == "closed" and kept.current.note == "Moved to another city."
    assert len(kept.history) == 1


def test_a_follow_up_that_cannot_be_saved_at_close_keeps_the_window_open_and_says_why(
    window: AdminWindow, qtbot: QtBot, bao: FollowUpCase
) -> None:
    box = bao.box
    box.note.setPlainText(TOO_LONG)
    window.close()
    qtbot.waitUntil(lambda: window.close_refused is not None, timeout=20_000)
    refused = window.close_refused
    assert refused is not None and refused.isVisible() and window.isVisible()
    assert "could not be saved" in refused.text() and "longer than" in refused.informativeText()
    assert not window.progress.isVisible() and "Saving" not in window.status.text()
    assert window.interviews.details_tabs.currentWidget() is box
    assert box.note.toPlainText() == TOO_LONG and box.note.isEnabled() and box.is_dirty()
    assert refused.defaultButton() is refused.escapeButton()  # keeping it open is the default
    refused.escapeButton().click()
    assert window.isVisible() and window.close_refused is None
    window.close()  # again: asked again, and this time closed without the change
    qtbot.waitUntil(lambda: window.close_refused is not None, timeout=20_000)
    refused = window.close_refused
    assert refused is not None
    [close_anyway] = [b for b in refused.buttons() if b is not refused.escapeButton()]
    assert close_anyway.text() == "Close without saving"
    close_anyway.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    assert stored(window, bao.made[1]["id"]).history == ()


def test_a_follow_up_that_cannot_be_saved_keeps_its_text_and_its_interview(
    window: AdminWindow, qtbot: QtBot, bao: FollowUpCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    made, tab, box = bao
    box.note.setPlainText(TOO_LONG)
    answers = [QMessageBox.StandardButton.Save]
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: answers.pop(0))
    tab.table.selectRow(shown(window, "alias").index("Chidi"))
    qtbot.waitUntil(lambda: "longer than" in box.message.text(), timeout=20_000)
    qtbot.wait(200)  # nothing moves on afterwards either
    assert not box.message.isHidden() and answers == []
    assert tab.current is not None and tab.current.record_id == made[1]["id"]
    assert box.record_id == made[1]["id"]
    assert shown(window, "alias")[tab.table.currentIndex().row()] == "Bao"
    assert box.note.toPlainText() == TOO_LONG and box.note.isEnabled() and box.is_dirty()
    assert box.save_button.isEnabled()
    kept = stored(window, made[1]["id"])
    assert kept.current.note == "" and kept.history == ()


def test_discarding_puts_the_stored_follow_up_back(
    window: AdminWindow, qtbot: QtBot, bao: FollowUpCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    made, tab, box = bao
    box.status.setCurrentIndex(box.status.findData("closed"))
    box.note.setPlainText("Not wanted")
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: QMessageBox.StandardButton.Discard)
    tab.table.selectRow(shown(window, "alias").index("Chidi"))
    assert box.note.toPlainText() == "" and box.status.currentData() == "new"
    assert not box.is_dirty()
    qtbot.waitUntil(
        lambda: tab.current is not None and tab.current.record_id == made[2]["id"],
        timeout=20_000,
    )
    assert stored(window, made[1]["id"]).history == ()


def test_while_another_follow_up_is_read_nothing_can_be_typed_or_saved_into_it(
    window: AdminWindow, qtbot: QtBot, bao: FollowUpCase
) -> None:
    made, _tab, box = bao
    box.load(made[0]["id"])  # an older answer, about to be overtaken
    box.load(made[2]["id"])
    assert box.loaded is None and box.record_id == made[2]["id"]
    assert box.note.toPlainText() == "" and box.history.toPlainText() == ""
    for widget in (box.status, box.note, box.save_button):
        assert not widget.isEnabled()
    assert box.save() is None
    box.save_if_changed(lambda _error: pytest.fail("nothing to save"))
    qtbot.waitUntil(lambda: box.loaded is not None, timeout=20_000)
    qtbot.wait(100)  # the older answer came first and was left aside
    assert box.loaded is not None and box.loaded.current.record_id == made[2]["id"]
    assert box.note.isEnabled() and box.record_id == made[2]["id"]
    box.load("no-such-interview")  # a follow-up that cannot be read stays disabled
    qtbot.waitUntil(lambda: not box.message.isHidden(), timeout=20_000)
    assert box.loaded is None and not box.note.isEnabled() and not box.save_button.isEnabled()
    for record in made:
        assert stored(window, record["id"]).history == ()


def test_a_follow_up_that_cannot_be_saved_on_lock_is_said_on_the_unlock_page(
    window: AdminWindow, qtbot: QtBot, bao: FollowUpCase
) -> None:
    bao.box.note.setPlainText(TOO_LONG)
    window.lock()
    message = window.unlock_page.error
    qtbot.waitUntil(lambda: "could not be saved" in message.text(), timeout=20_000)
    assert "longer than" in message.text() and message.isVisible()


def test_a_save_still_running_when_the_window_locks_is_not_lost_silently(
    window: AdminWindow, qtbot: QtBot, bao: FollowUpCase
) -> None:
    """Saved with the button, then locked before the answer came: the box that was to say
    the save failed is gone with the workspace; the unlock page says it instead."""
    bao.box.note.setPlainText(TOO_LONG)
    assert bao.box.save() is not None
    window.lock()
    message = window.unlock_page.error
    qtbot.waitUntil(lambda: "could not be saved" in message.text(), timeout=20_000)
    assert "longer than" in message.text() and message.isVisible()


def test_laptop_and_worker_names_show_hidden_characters_escaped(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """Names come from laptops: a U+202E must not turn the rest of the text round."""
    spoofed = (
        Laptop(name="Laptop \u202eNorth", worker="W\u202e-1"),
        Laptop(name="South\u202e", worker="W-2"),
    )
    unlock(window, qtbot)
    import_cases(window, qtbot, tmp_path, spoofed)
    names = dict(zip(shown(window, "alias"), shown(window, "laptop"), strict=True))
    workers = dict(zip(shown(window, "alias"), shown(window, "worker"), strict=True))
    assert names["Amína"] == "Laptop \\u202eNorth" and workers["Amína"] == "W\\u202e-1"
    assert names["Chidi"] == "South\\u202e"
    filters = window.interviews.filters
    laptops = [filters.laptop.itemText(i) for i in range(filters.laptop.count())]
    assert "Laptop \\u202eNorth" in laptops and not any("\u202e" in t for t in laptops)
    choose(window, qtbot, "AMINA")
    text = window.interviews.duplicates.list.item(0).text()
    assert text.startswith("Amína: Laptop \\u202eNorth, worker W\\u202e-1")
    assert "\u202e" not in text

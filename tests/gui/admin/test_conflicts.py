"""The Conflicts tab (bundle-format.md "Record conflicts") with a real centre vault and a real
conflicting bundle: the conflict is listed, both versions shown answer by answer with the
differing answers marked (not by colour alone), the held bundle leads there, and keeping the
laptop's version after one question makes it current, keeps the centre's in the history and
empties the list. In Arabic the tab is right to left. With INTAKE_SCREENSHOTS set to a folder,
the Arabic and English views are saved there (admin-conflict-{en,ar}.png) at 1280×720."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from intake_app.i18n import set_language
from intake_app.services.centre import CentreService
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.records import get_document, history
from intake_app.sync.centre.setup import init_centre
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Outcome, Reason
from intake_app.ui.admin.conflicts import DIFFERS, ConflictsView
from intake_app.ui.admin.window import AdminWindow
from tests.gui.admin.test_requests import answer_next_box
from tests.gui.admin.test_window import run, shown_window, unlock
from tests.gui.worker.test_accessibility import unnamed_controls
from tests.helpers.bundles import Laptop
from tests.helpers.centre import PASSPHRASE, REGISTRY, make_centre, register
from tests.helpers.documents import make_document
from tests.helpers.storage import FAST
from tests.unit.sync.centre.real_form import full_document, installed_forms

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")

WAIT = 30_000
SCREEN = QSize(1280, 720)


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot, qapp: object) -> Iterator[AdminWindow]:
    make_centre(tmp_path).close()
    with shown_window(CentreService(tmp_path / "centre-data", registry=REGISTRY), qtbot,
                      qapp) as made:
        yield made


def make_conflict(window: AdminWindow, out: Path, first: dict[str, Any] | list[dict[str, Any]],
                  second: dict[str, Any] | list[dict[str, Any]], laptop: Laptop | None = None
                  ) -> Laptop:
    """A laptop's first bundle imported, its second carrying the same revision(s) with other
    answers: held as `record-conflict` (done on the centre's own thread)."""
    laptop = laptop or Laptop(name="Laptop 7")
    firsts = first if isinstance(first, list) else [first]
    seconds = second if isinstance(second, list) else [second]

    def work(centre: Centre) -> None:
        register(centre, laptop)
        assert import_bundle(centre, laptop.bundle(out / "a", centre, records=firsts).path
                             ).delivered
        held = import_bundle(centre, laptop.bundle(out / "b", centre, records=seconds).path)
        assert (held.outcome, held.reason) == (Outcome.QUARANTINED, Reason.RECORD_CONFLICT)

    run(window, work)
    return laptop


def cell(model: Any, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return model.data(model.index(row, column), role)


def open_conflicts(window: AdminWindow, qtbot: QtBot, count: int) -> ConflictsView:
    window.refresh()
    view = window.conflicts
    qtbot.waitUntil(lambda: view.model.rowCount() == count, timeout=WAIT)
    return view


def test_a_conflict_is_compared_and_the_laptops_version_kept(
        window: AdminWindow, qtbot: QtBot, tmp_path: Path) -> None:
    unlock(window, qtbot)
    first = make_document(alias="Amina K.", setting="street")
    second = dict(first, answers=dict(first["answers"], setting="workplace"))
    laptop = make_conflict(window, tmp_path, first, second)
    view = open_conflicts(window, qtbot, 1)

    # The list: the interview's alias, revision, the laptop by name, when it was held.
    qtbot.waitUntil(lambda: "Laptop 7" in cell(view.model, 0, 2), timeout=WAIT)
    assert [cell(view.model, 0, c) for c in (0, 1)] == ["Amina K.", "1"]
    assert laptop.device_id.split("-")[0] in cell(view.model, 0, 2)
    assert cell(view.model, 0, 3)
    assert window.tabs.tabText(window.tabs.indexOf(view)) == "Conflicts (1)"
    assert "1" in view.title.text()

    # Both versions, answer by answer; the differing one marked by "≠" and bold, and named.
    assert view.selected() is not None
    labels = [cell(view.pairs, row, 1) for row in range(view.pairs.rowCount())]
    setting = labels.index("Setting")
    assert [cell(view.pairs, setting, c) for c in range(4)] == [
        DIFFERS, "Setting", "Street", "Workplace"]
    assert cell(view.pairs, setting, 1, Qt.ItemDataRole.FontRole).bold()
    assert cell(view.pairs, setting, 0, Qt.ItemDataRole.AccessibleTextRole) == "Differs"
    alias = labels.index("Alias")
    assert [cell(view.pairs, alias, c) for c in range(4)] == ["", "Alias", "Amina K.",
                                                              "Amina K."]
    assert cell(view.pairs, alias, 1, Qt.ItemDataRole.FontRole) is None
    assert view.summary.text().startswith("1 answer differs")
    assert "Amina K." in view.compare_title.text()

    # The held bundle leads to this tab.
    held = window.alerts.held
    qtbot.waitUntil(lambda: held.model.rowCount() == 1, timeout=WAIT)
    held.table.selectRow(0)
    assert not held.compare_button.isHidden()
    assert "Conflicts tab" in held.advice.text()
    held.compare_button.click()
    assert window.tabs.currentWidget() is view
    assert unnamed_controls(window) == []

    # Keep the laptop's version: asked once, naming the interview and the history.
    asked: list[str] = []
    answer_next_box(QMessageBox.StandardButton.Yes, asked)
    view.keep_laptop.click()
    assert len(asked) == 1
    # Busy until the centre's thread has answered: nothing can be chosen twice.
    assert not view.keep_laptop.isEnabled() and not view.keep_centre.isEnabled()
    assert view.message.text() == "Saving the choice…"
    assert "Amina K." in asked[0] and "laptop's version" in asked[0]
    assert "history" in asked[0]
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=WAIT)
    assert "now current" in view.message.text()
    assert window.tabs.tabText(window.tabs.indexOf(view)) == "Conflicts"
    assert view.pairs.rowCount() == 0 and not view.keep_laptop.isEnabled()

    assert run(window, lambda c: get_document(c.vault, first["id"])) == second
    versions = run(window, lambda c: history(c.vault, first["id"]))
    [aside] = [v for v in versions if v.set_aside is not None]
    assert aside.set_aside is not None and aside.set_aside.kept == "laptop"
    assert run(window, lambda c: c.vault.connection.execute(
        "SELECT COUNT(*) FROM centre_held").fetchone()[0]) == 0
    qtbot.waitUntil(lambda: held.model.rowCount() == 0, timeout=WAIT)


def test_saying_no_keeps_the_conflict_open(window: AdminWindow, qtbot: QtBot,
                                           tmp_path: Path) -> None:
    unlock(window, qtbot)
    first = make_document(alias="B.")
    make_conflict(window, tmp_path, first, dict(first, answers=dict(first["answers"],
                                                                    alias="C.")))
    view = open_conflicts(window, qtbot, 1)
    asked: list[str] = []
    answer_next_box(QMessageBox.StandardButton.No, asked)
    view.keep_centre.click()
    assert len(asked) == 1 and "centre's version" in asked[0]
    assert run(window, lambda c: get_document(c.vault, first["id"])) == first
    assert view.model.rowCount() == 1 and view.keep_centre.isEnabled()


def test_a_bundle_with_two_conflicts_waits_for_the_second_choice(
        window: AdminWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    unlock(window, qtbot)
    first = [make_document(alias="D."), make_document(alias="E.")]
    second = [dict(doc, answers=dict(doc["answers"], setting="street")) for doc in first]
    make_conflict(window, tmp_path, first, second)
    view = open_conflicts(window, qtbot, 2)
    monkeypatch.setattr(view, "confirm", lambda _conflict, _keep: True)
    done = view.selected()
    assert done is not None
    view.keep_centre.click()
    qtbot.waitUntil(lambda: "once its other interviews" in view.message.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: any(cell(view.model, row, 4) for row in range(2)), timeout=WAIT)
    row = next(row for row in range(2) if cell(view.model, row, 4))
    assert cell(view.model, row, 4) == "the centre's version"
    view.select(row)
    assert "Chosen already: the centre's version" in view.summary.text()
    view.select(1 - row)
    view.keep_laptop.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=WAIT)
    documents = {doc["id"]: run(window, lambda c, doc=doc: get_document(c.vault, doc["id"]))
                 for doc in first}
    assert sorted(d["answers"].get("setting", "") for d in documents.values()) == ["", "street"]


@pytest.fixture
def real_window(tmp_path: Path, qtbot: QtBot, qapp: object) -> Iterator[AdminWindow]:
    """A centre on the installed form (its Arabic labels), named as a real one is."""
    (tmp_path / "share").mkdir()
    init_centre(tmp_path / "centre-data", name="Example reception centre",
                share=str(tmp_path / "share"), passphrase=PASSPHRASE, kdf=FAST)
    service = CentreService(tmp_path / "centre-data", registry=installed_forms())
    with shown_window(service, qtbot, qapp) as made:
        yield made


@pytest.mark.parametrize("lang", ["en", "fi", "ar"])
def test_the_comparison_fits_and_reads_right_to_left_in_arabic(
        real_window: AdminWindow, qtbot: QtBot, tmp_path: Path, lang: str) -> None:
    window = real_window
    set_language(lang)
    unlock(window, qtbot)
    first = full_document(alias="Fictional Amina")
    second = dict(first, answers=dict(first["answers"], alias="Amina",
                                      interview_date="2026-12-08"))
    make_conflict(window, tmp_path, first, second,
                  Laptop(name={"en": "Laptop 7", "fi": "Kannettava 7"}.get(lang, "الحاسوب 7")))
    window.resize(SCREEN)
    window.tabs.setCurrentWidget(window.conflicts)
    view = open_conflicts(window, qtbot, 1)
    view.select(0)  # through the selection model: selectRow() selects nothing right to left
    assert view.selected() is not None
    assert view.isRightToLeft() == (lang == "ar")
    assert view.compare.isRightToLeft() == (lang == "ar")
    differing = [row for row in range(view.pairs.rowCount())
                 if cell(view.pairs, row, 0) == DIFFERS]
    assert len(differing) == 2
    hint = window.minimumSizeHint()
    assert hint.boundedTo(SCREEN) == hint, hint
    assert window.size() == SCREEN
    assert view.keep_laptop.isVisible() and view.keep_centre.isVisible()
    assert unnamed_controls(view) == []
    folder = os.environ.get("INTAKE_SCREENSHOTS")
    if folder:
        qtbot.waitUntil(lambda: "7" in cell(view.model, 0, 2), timeout=WAIT)
        view.compare.scrollTo(view.pairs.index(differing[0], 0))
        qtbot.wait(100)
        window.grab().save(str(Path(folder) / f"admin-conflict-{lang}.png"))

"""The interview list: search through the store, filters, counts; item models pass the tester."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from intake_app.domain.document import new_interview
from intake_app.ui.editor.section_nav import SectionNavModel
from intake_app.ui.interview_model import ID_ROLE, InterviewFilter, InterviewTableModel
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, make_preferences, make_service

pytestmark = OFFSCREEN_NOISE


def saved(service, alias: str, account: str, status: str = "final") -> str:
    form = service.forms.current_form()
    interview = (
        new_interview(form.id, form.version)
        .with_answers(
            {
                "consent_interview": "yes",
                "consent_data": "yes",
                "alias": alias,
                "account": {"text": account, "lang": "en"},
            }
        )
        .with_status(status)
    )
    service.queue_revision(interview.to_dict()).result(timeout=30)
    return interview.id


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    service = make_service(tmp_path)
    service.create_vault(PASSPHRASE).result()
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    yield window
    service.shutdown()


def test_search_finds_an_interview_by_a_word_of_its_account(qtbot, shell) -> None:
    service = shell.service
    wanted = saved(service, "Fictional Lily", "We picked blueberries near Kuusamo every day.")
    saved(service, "Fictional Omar", "The restaurant kept my passport.")
    saved(service, "Fictional Mai", "Nail salon work, twelve hours a day.", status="draft")
    shell.show_workspace()
    listing = shell.workspace.list
    qtbot.waitUntil(lambda: not listing.is_reading(), timeout=5000)  # read in the background
    assert listing.model.rowCount() == 3
    assert "3 of 3" in listing.counts.text()
    qtbot.keyClicks(listing.search, "blueberries")
    qtbot.waitUntil(lambda: listing.proxy.rowCount() == 1, timeout=2000)
    assert listing.proxy.index(0, 0).data(ID_ROLE) == wanted
    assert listing.proxy.index(0, 0).data() == "Fictional Lily"
    assert "found by the search" in listing.counts.text()
    listing.search.clear()
    qtbot.waitUntil(lambda: listing.proxy.rowCount() == 3, timeout=2000)
    listing.status_filter.setCurrentIndex(1)  # not finished
    assert listing.proxy.rowCount() == 1
    listing.status_filter.setCurrentIndex(0)
    listing.delivered_filter.setCurrentIndex(2)  # delivered
    assert listing.proxy.rowCount() == 0


def test_unfinished_new_interviews_are_listed_and_found(qtbot, shell) -> None:
    service = shell.service
    form = service.forms.current_form()
    draft = new_interview(form.id, form.version).with_answers({"alias": "Fictional Draftee"})
    service.save_draft(draft.to_dict()).result()
    shell.show_workspace()
    listing = shell.workspace.list
    qtbot.waitUntil(lambda: not listing.is_reading(), timeout=5000)  # read in the background
    assert listing.model.rowCount() == 1
    qtbot.keyClicks(listing.search, "draftee")
    qtbot.waitUntil(lambda: "found" in listing.counts.text(), timeout=2000)
    assert listing.proxy.rowCount() == 1


def test_sorting_by_alias(qtbot, shell) -> None:
    for alias in ("Fictional C", "Fictional A", "Fictional B"):
        saved(shell.service, alias, "text")
    shell.show_workspace()
    listing = shell.workspace.list
    qtbot.waitUntil(lambda: not listing.is_reading(), timeout=5000)  # read in the background
    listing.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [listing.proxy.index(r, 0).data() for r in range(3)] == [
        "Fictional A",
        "Fictional B",
        "Fictional C",
    ]


def test_item_models_pass_the_model_tester(qtmodeltester, shell) -> None:
    service = shell.service
    for n in range(5):
        saved(service, f"Fictional {n}", "words", status="final" if n % 2 else "draft")
    model = InterviewTableModel()
    model.set_summaries(service.interviews())
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    proxy = InterviewFilter()
    proxy.setSourceModel(model)
    proxy.set_status("final")
    qtmodeltester.check(proxy, force_py=True)
    nav = SectionNavModel(service.forms.current_form())
    qtmodeltester.check(nav, force_py=True)
    qtmodeltester.check(nav)

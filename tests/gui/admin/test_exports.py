"""The administrator's Exports tab: a CSV file and a statistics table, from a real centre vault
with interviews imported from real bundles."""

from __future__ import annotations

import csv
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from intake_app.services.centre import CentreService
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.vault import Centre
from intake_app.ui.admin.window import AdminWindow
from tests.gui.admin.test_window import run, shown_window, unlock
from tests.helpers.bundles import Laptop
from tests.helpers.centre import REGISTRY, make_centre, register
from tests.helpers.documents import make_document

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot, qapp: object) -> Iterator[AdminWindow]:
    make_centre(tmp_path).close()
    service = CentreService(tmp_path / "centre-data", registry=REGISTRY)
    with shown_window(service, qtbot, qapp) as made:
        yield made


def fill(window: AdminWindow, tmp_path: Path) -> None:
    laptop = Laptop()
    docs = [make_document(answers={"consent_interview": "yes", "setting": "street"})
            for _ in range(6)]
    docs += [make_document(answers={"consent_interview": "yes", "setting": "workplace"})
             for _ in range(2)]

    def work(centre: Centre) -> None:
        register(centre, laptop)
        bundle = laptop.bundle(tmp_path / "out", centre, records=docs)
        assert import_bundle(centre, bundle.path).delivered

    run(window, work)


def test_the_csv_is_written_private_with_labels(window: AdminWindow, qtbot: QtBot,
                                               tmp_path: Path) -> None:
    unlock(window, qtbot)
    fill(window, tmp_path)
    box = window.exports.interview_export
    window.tabs.setCurrentWidget(window.exports)
    box.language.setCurrentIndex(box.language.findData("fi"))
    out = tmp_path / "interviews.csv"
    box.save(out, "csv")
    qtbot.waitUntil(box.csv_button.isEnabled, timeout=20_000)
    assert box.result.text().startswith(f"8 interviews written to {out}.\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines(), delimiter=";"))  # Finnish labels: ";"
    assert len(rows) == 8 and {r["setting"] for r in rows} == {"street", "workplace"}
    assert {r["setting_label"] for r in rows} == {"Katu", "Työpaikka"}


def test_statistics_hide_the_small_group_and_what_would_reveal_it(
        window: AdminWindow, qtbot: QtBot, tmp_path: Path) -> None:
    unlock(window, qtbot)
    fill(window, tmp_path)
    tab = window.exports
    tab.first.setCurrentIndex(tab.first.findData("setting"))
    tab.count()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=20_000)
    shown = {tab.model.data(tab.model.index(r, 0)): tab.model.data(tab.model.index(r, 1))
             for r in range(2)}
    # Workplace (2) is hidden, and so is Street (6): 8 in all minus 6 would give it away.
    # Neither is named: the groups not shown are counted together, their count hidden.
    assert shown == {"Groups not shown": "hidden", "Total (interviews)": "8"}
    assert "hidden" in tab.stats_notice.text()
    tab.first.setCurrentIndex(tab.first.findData("month"))
    tab.count()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2
                    and tab.model.data(tab.model.index(0, 1)) == "8", timeout=20_000)

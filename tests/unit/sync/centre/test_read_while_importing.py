"""Reads never wait for an import: the administrator's lists and search run in read
transactions of their own (BEGIN DEFERRED on a read-only connection, WAL) while an import
holds the vault's write transaction, and see what was committed before it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from intake_app.sync.centre import importer
from intake_app.sync.centre.devices import list_devices
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.log import import_log
from intake_app.sync.centre.quarantine import held_bundles
from intake_app.sync.centre.records import get_interview, list_interviews, search_interviews
from intake_app.sync.centre.search import refresh_search_index
from tests.helpers.bundles import Laptop
from tests.helpers.centre import make_centre, register
from tests.helpers.documents import make_document

WAIT = 10.0


def _within(action: Callable[[], Any], seconds: float) -> Any:
    """Run `action` on a thread of its own; fail if it does not finish in time."""
    done: list[Any] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(action())
        except BaseException as exc:  # handed to the test
            failed.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the read waited for the import's write transaction"
    if failed:
        raise failed[0]
    return done[0]


def test_search_and_lists_complete_while_an_import_holds_its_transaction(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    centre = make_centre(tmp_path)
    laptop = Laptop()
    register(centre, laptop)
    first = make_document(account="Worked nights at a car wash near Tampere")
    assert import_bundle(centre, laptop.bundle(tmp_path / "out", centre,
                                               records=[first]).path).delivered
    refresh_search_index(centre.vault)
    second = make_document(account="Worked nights at a car wash near Tampere too")
    bundle = laptop.bundle(tmp_path / "out", centre, records=[second]).path

    inside, release = threading.Event(), threading.Event()
    applying = importer.apply_payload

    def held(*args: Any, **kwargs: Any) -> Any:
        result = applying(*args, **kwargs)
        inside.set()
        assert release.wait(WAIT * 3)
        return result

    monkeypatch.setattr(importer, "apply_payload", held)
    outcome: list[Any] = []
    writer = threading.Thread(target=lambda: outcome.append(import_bundle(centre, bundle)))
    writer.start()
    try:
        assert inside.wait(WAIT)
        vault = centre.vault
        found = _within(lambda: search_interviews(vault, "Tampere"), WAIT)
        assert [found_one.id for found_one in found] == [first["id"]]  # not the uncommitted one
        assert [i.id for i in _within(lambda: list_interviews(vault), WAIT)] == [first["id"]]
        assert _within(lambda: get_interview(vault, first["id"]), WAIT).id == first["id"]
        assert len(_within(lambda: list_devices(vault), WAIT)) == 1
        assert len(_within(lambda: import_log(vault), WAIT)) == 1
        assert _within(lambda: held_bundles(vault), WAIT) == []
    finally:
        release.set()
        writer.join(WAIT)
    assert outcome and outcome[0].delivered
    ids = {i.id for i in list_interviews(centre.vault)}
    assert ids == {first["id"], second["id"]}  # committed now, and seen
    assert {i.id for i in search_interviews(centre.vault, "Tampere")} == ids
    centre.close()

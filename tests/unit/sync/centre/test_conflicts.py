"""Record conflicts (bundle-format.md "Record conflicts", issue 14), with a real centre vault and
real bundles: held, listed with both versions, settled by either choice in one transaction
with the other version kept in the history (set aside, who, when), the receipt's `conflicts`,
and a real laptop vault marking the revision delivered from it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from intake_app.storage import Vault
from intake_app.sync.centre import receipts
from intake_app.sync.centre.apply import Kept
from intake_app.sync.centre.conflicts import (
    compare_answers,
    open_conflicts,
    resolve_conflict,
)
from intake_app.sync.centre.devices import list_devices
from intake_app.sync.centre.errors import ChooserInvalid, ConflictAmbiguous, ConflictNotFound
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.inbox import scan_inbox
from intake_app.sync.centre.quarantine import held_bundles
from intake_app.sync.centre.records import get_document, get_interview, history
from intake_app.sync.centre.release import approve_device, release_number
from intake_app.sync.centre.search import refresh_search_index
from intake_app.sync.centre.vault import Centre, profile_file
from intake_app.sync.centre.who import DEFAULT_CHOOSER, default_chooser
from intake_app.sync.device.enrol import accept_profile, read_profile_file, write_enrolment_request
from intake_app.sync.device.identity import load_device
from intake_app.sync.device.outbox import Outbox, OutboxState
from intake_app.sync.device.round import sync_once
from intake_app.sync.device.status import SyncState
from intake_app.sync.device.transport import write_bundle
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format.contents import BundleContents
from intake_app.sync.format.receipt import Receipt, parse_receipt
from intake_app.sync.share import receipt_path
from tests.helpers.bundles import Laptop
from tests.helpers.centre import REGISTRY, make_centre, open_centre, record_digest, register
from tests.helpers.device import Clock, open_vault, save_interview
from tests.helpers.documents import make_document


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    made = make_centre(tmp_path)
    yield made
    made.close()


def _conflicting(centre: Centre, out: Path, *, records: int = 1
                 ) -> tuple[Laptop, list[dict[str, Any]], list[dict[str, Any]]]:
    """A laptop whose first bundle was imported and whose second carries the same revisions
    with other answers: held as `record-conflict`."""
    laptop = Laptop()
    register(centre, laptop)
    first = [make_document(alias=f"First {n}") for n in range(records)]
    assert import_bundle(centre, laptop.bundle(out / "a", centre, records=first).path).delivered
    second = [dict(doc, answers=dict(doc["answers"], alias=f"Second {n}"))
              for n, doc in enumerate(first)]
    held = import_bundle(centre, laptop.bundle(out / "b", centre, records=second).path)
    assert (held.outcome, held.reason) == (Outcome.QUARANTINED, Reason.RECORD_CONFLICT)
    return laptop, first, second


def _receipt(centre: Centre, laptop: Laptop, seq: int) -> Receipt:
    return parse_receipt(receipt_path(centre.share, laptop.device_id, seq).read_bytes())


def test_a_conflicting_bundle_is_held_and_listed_with_both_versions(
        centre: Centre, tmp_path: Path) -> None:
    laptop, [first], [second] = _conflicting(centre, tmp_path)
    [conflict] = open_conflicts(centre)
    assert (conflict.record_id, conflict.revision, conflict.device_id, conflict.seq) == (
        first["id"], 1, laptop.device_id, 2)
    assert conflict.centre_document == first and conflict.laptop_document == second
    assert conflict.chosen is None
    assert conflict.to_json()["id"] == first["id"] and conflict.to_json()["chosen"] is None
    assert _receipt(centre, laptop, 2).reason is Reason.RECORD_CONFLICT
    # Releasing it by hand conflicts again: only a choice lets it in.
    assert release_number(centre, conflict.held_num).reason is Reason.RECORD_CONFLICT


@pytest.mark.parametrize("kept", [Kept.LAPTOP, Kept.CENTRE])
def test_resolving_imports_the_bundle_and_keeps_the_other_version_set_aside(
        centre: Centre, tmp_path: Path, kept: Kept) -> None:
    laptop, [first], [second] = _conflicting(centre, tmp_path)
    resolution = resolve_conflict(centre, first["id"][:8], kept, by="Ada")
    assert not resolution.waiting
    result = resolution.result
    assert (result.outcome, result.conflicts, result.records) == (Outcome.ACCEPTED, 1, 1)
    assert held_bundles(centre.vault) == [] and open_conflicts(centre) == []

    current = second if kept is Kept.LAPTOP else first
    assert get_document(centre.vault, first["id"]) == current
    assert get_document(centre.vault, first["id"], 1) == current
    assert get_interview(centre.vault, first["id"]).alias == current["answers"]["alias"]
    versions = history(centre.vault, first["id"])
    assert [v.revision for v in versions] == [1, 1]
    [aside] = [v for v in versions if v.set_aside is not None]
    [live] = [v for v in versions if v.set_aside is None]
    marked = aside.set_aside
    assert marked is not None and (marked.kept, marked.by) == (kept.value, "Ada")
    assert marked.chosen.endswith("Z") and aside.has_content
    assert (aside.seq, live.seq) == ((2, 1) if kept is Kept.CENTRE else (1, 2))

    receipt = _receipt(centre, laptop, 2)
    assert receipt.outcome is Outcome.ACCEPTED
    assert [(c.id, c.revision, c.kept) for c in receipt.conflicts] == [
        (first["id"], 1, kept.value)]
    assert [(r.id, r.revision) for r in receipt.records] == [(first["id"], 1)]
    # The same bundle again is a duplicate with that receipt; the set-aside version is not a
    # conflict any more, and the search index follows the current version.
    again = import_bundle(centre, laptop.bundle(tmp_path / "c", centre, seq=3,
                                                records=[second]).path)
    assert again.outcome is Outcome.ACCEPTED and again.conflicts == 0
    refresh_search_index(centre.vault)


def test_a_bundle_with_two_conflicts_waits_for_both_choices(centre: Centre,
                                                            tmp_path: Path) -> None:
    laptop, first, _second = _conflicting(centre, tmp_path, records=2)
    assert len(open_conflicts(centre)) == 2
    waiting = resolve_conflict(centre, first[0]["id"], "laptop", by="Ada")
    assert waiting.waiting and waiting.result.outcome is Outcome.QUARANTINED
    chosen = {c.record_id: c.chosen for c in open_conflicts(centre)}
    assert chosen[first[1]["id"]] is None
    made = chosen[first[0]["id"]]
    assert made is not None and made.kept is Kept.LAPTOP
    assert len(history(centre.vault, first[0]["id"])) == 1  # nothing settled yet
    done = resolve_conflict(centre, first[1]["id"], "centre", by="Bo")
    assert done.result.outcome is Outcome.ACCEPTED and done.result.conflicts == 2
    receipt = _receipt(centre, laptop, 2)
    assert sorted((c.id, c.kept) for c in receipt.conflicts) == sorted(
        [(first[0]["id"], "laptop"), (first[1]["id"], "centre")])
    bys = {h.record_id: h.set_aside.by for d in first for h in history(centre.vault, d["id"])
           if h.set_aside is not None}
    assert bys == {first[0]["id"]: "Ada", first[1]["id"]: "Bo"}


def test_an_unknown_or_ambiguous_id_is_a_known_error(centre: Centre, tmp_path: Path) -> None:
    _conflicting(centre, tmp_path, records=2)
    before = record_digest(centre.vault)
    with pytest.raises(ConflictNotFound):
        resolve_conflict(centre, "00000000-0000-4000-8000-000000000000", "centre")
    with pytest.raises(ConflictNotFound):
        resolve_conflict(centre, "", "centre")
    conflicts = open_conflicts(centre)
    with pytest.raises(ConflictNotFound):
        resolve_conflict(centre, conflicts[0].record_id, "centre", revision=7)
    with pytest.raises(ChooserInvalid):
        resolve_conflict(centre, conflicts[0].record_id, "centre", by="  ")
    common = _common_prefix(conflicts[0].record_id, conflicts[1].record_id)
    if len(common) >= 4:
        with pytest.raises(ConflictAmbiguous):
            resolve_conflict(centre, common, "centre")
    assert record_digest(centre.vault) == before


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def test_resolving_is_all_or_nothing(centre: Centre, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _laptop, [first], _ = _conflicting(centre, tmp_path)
    before = record_digest(centre.vault)

    def broken(*_args: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(receipts, "store_receipt", broken)
    with pytest.raises(RuntimeError):
        resolve_conflict(centre, first["id"], "laptop", by="Ada")
    monkeypatch.undo()
    assert record_digest(centre.vault) == before  # nothing chosen, nothing set aside
    [conflict] = open_conflicts(centre)
    assert conflict.chosen is None
    assert resolve_conflict(centre, first["id"], "laptop").result.delivered


def test_who_chose_defaults_to_the_user_name() -> None:
    name = default_chooser()
    assert name and name.isprintable() and len(name) <= 100
    assert DEFAULT_CHOOSER == "administrator"


def test_answers_side_by_side() -> None:
    centre_doc = make_document(alias="Centre", setting="urban")
    laptop_doc = dict(centre_doc, answers=dict(centre_doc["answers"], alias="Laptop",
                                               needs=["housing"]))
    laptop_doc["answers"].pop("setting")
    pairs = {p.name: p for p in compare_answers(REGISTRY, centre_doc, laptop_doc, "en")}
    assert (pairs["alias"].label, pairs["alias"].centre, pairs["alias"].laptop) == (
        "Alias", "Centre", "Laptop")
    assert pairs["alias"].differs and pairs["setting"].laptop == ""
    assert not pairs["consent_interview"].differs
    names = [p.name for p in compare_answers(REGISTRY, centre_doc, laptop_doc, "en")]
    assert names.index("consent_interview") < names.index("alias")  # the form's order
    assert all(p.centre == "" for p in compare_answers(REGISTRY, None, laptop_doc, "en"))


# --- a real laptop vault ------------------------------------------------------------------


@pytest.fixture
def laptop_vault(tmp_path: Path) -> Iterator[Vault]:
    make_centre(tmp_path).close()
    vault = open_vault(tmp_path / "laptop")
    accept_profile(vault, read_profile_file(profile_file(tmp_path / "centre-data")),
                   device_name="Laptop 7", worker="W-12")
    write_enrolment_request(vault)
    try:
        yield vault
    finally:
        vault.lock()


@pytest.mark.parametrize("kept", ["centre", "laptop"])
def test_a_real_laptop_marks_a_settled_conflict_delivered(
        tmp_path: Path, laptop_vault: Vault, kept: str) -> None:
    clock = Clock(datetime.now(UTC))
    record_id = save_interview(laptop_vault)
    # The centre already holds another version of the same revision, signed by this laptop's
    # key (a laptop restored from an older backup sent it, say).
    device = load_device(laptop_vault)
    mine = laptop_vault.interviews.get(record_id)
    other = dict(mine, answers=dict(mine["answers"], alias="Another"))
    (tmp_path / "other").mkdir()
    bundle = write_bundle(tmp_path / "other", profile=device.profile,
                          device_id=device.device_id, device_key=device.secret_key, seq=50,
                          created=datetime(2026, 11, 28, 16, 2, 11, tzinfo=UTC),
                          contents=BundleContents((other,)))
    with open_centre(tmp_path) as centre:
        assert import_bundle(centre, bundle.path).reason is Reason.DEVICE_PENDING
        [registered] = list_devices(centre.vault)
        _device, results = approve_device(centre, registered.device_id, registered.fingerprint)
        assert [r.outcome for r in results] == [Outcome.ACCEPTED]

    assert sync_once(laptop_vault, clock=clock).uploaded == (1,)
    with open_centre(tmp_path) as centre:
        assert [(r.outcome, r.reason) for r in scan_inbox(centre)] == [
            (Outcome.QUARANTINED, Reason.RECORD_CONFLICT)]
    sync_once(laptop_vault, clock=clock)
    [sent] = Outbox(laptop_vault).bundles()
    assert sent.state is OutboxState.HELD
    assert {s.id: s.delivered for s in laptop_vault.interviews.list()} == {record_id: False}

    with open_centre(tmp_path) as centre:
        assert resolve_conflict(centre, record_id, kept, by="Ada").result.delivered
        expected = mine if kept == "laptop" else other
        stored = get_document(centre.vault, record_id)
        assert stored is not None and stored["answers"] == expected["answers"]
    assert sync_once(laptop_vault, clock=clock).status.state is SyncState.DELIVERED
    assert Outbox(laptop_vault).bundles() == []
    assert {s.id: s.delivered for s in laptop_vault.interviews.list()} == {record_id: True}

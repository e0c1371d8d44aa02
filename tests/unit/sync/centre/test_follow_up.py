"""The centre's follow-up (issue 17): status and note per interview with a history of who and
when, kept when a newer revision arrives, never in a receipt, notes gone with a tombstone; and
the triage list's one query with laptops, answers and possible duplicates."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intake_app.errors import NotFound
from intake_app.sync.centre.errors import ChooserInvalid
from intake_app.sync.centre.follow_up import (
    CLOSED,
    IN_REVIEW,
    MAX_NOTE,
    NEW,
    REFERRED,
    FollowUpStatusInvalid,
    InterviewAmbiguous,
    NoteOnDeleted,
    NoteTooLong,
    find_record,
    follow_up,
    set_follow_up,
    statuses,
)
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.triage import mark_not_duplicate, triage_rows
from intake_app.sync.centre.vault import Centre
from intake_app.sync.format.manifest import Tombstone
from tests.helpers.bundles import Laptop
from tests.helpers.triage import (
    import_documents,
    make_real_centre,
    open_real_centre,
    triage_document,
)


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    made = make_real_centre(tmp_path)
    try:
        yield made
    finally:
        made.close()


def test_a_change_is_one_row_and_one_history_entry_with_who_and_when(
    centre: Centre, tmp_path: Path
) -> None:
    document = triage_document("Amina")
    import_documents(centre, Laptop(), [document], tmp_path / "out")
    record = document["id"]
    assert follow_up(centre.vault, record).current.status == NEW
    set_follow_up(centre.vault, record, status=IN_REVIEW, by="Sanna")
    set_follow_up(centre.vault, record, note="Called the shelter.\r\nWaiting.  ", by="Sanna")
    same = set_follow_up(
        centre.vault, record, status=IN_REVIEW, note="Called the shelter.\nWaiting.", by="Other"
    )  # nothing changes: no history entry
    assert same.by == "Sanna"
    set_follow_up(centre.vault, record, status=REFERRED)  # the OS user by default
    shown = follow_up(centre.vault, record)
    assert shown.current.status == REFERRED
    assert shown.current.note == "Called the shelter.\nWaiting."
    assert [(c.status, c.note, c.by) for c in shown.history][:2] == [
        (IN_REVIEW, None, "Sanna"),
        (IN_REVIEW, "Called the shelter.\nWaiting.", "Sanna"),
    ]
    assert shown.history[2].note is None and shown.history[2].by
    assert all(c.at.endswith("Z") for c in shown.history)
    assert statuses(centre.vault) == {record: REFERRED}


def test_bad_changes_change_nothing(centre: Centre, tmp_path: Path) -> None:
    document = triage_document("Amina")
    import_documents(centre, Laptop(), [document], tmp_path / "out")
    record = document["id"]
    with pytest.raises(FollowUpStatusInvalid):
        set_follow_up(centre.vault, record, status="done")
    with pytest.raises(NoteTooLong):
        set_follow_up(centre.vault, record, note="x" * (MAX_NOTE + 1))
    with pytest.raises(ChooserInvalid):
        set_follow_up(centre.vault, record, status=CLOSED, by="   ")
    with pytest.raises(NotFound):
        set_follow_up(centre.vault, "00000000-0000-4000-8000-000000000000", status=CLOSED)
    assert follow_up(centre.vault, record).history == ()


def test_follow_up_survives_a_newer_revision_and_never_reaches_a_receipt(
    centre: Centre, tmp_path: Path
) -> None:
    laptop = Laptop()
    document = triage_document("Amina")
    import_documents(centre, laptop, [document], tmp_path / "one")
    set_follow_up(
        centre.vault, document["id"], status=IN_REVIEW, note="Private note 7731", by="Sanna"
    )
    newer = {**document, "revision": 2, "modified": "2026-12-10T10:00:00Z"}
    bundle = laptop.bundle(tmp_path / "two", centre, records=[newer])
    assert import_bundle(centre, bundle.path).delivered
    kept = follow_up(centre.vault, document["id"]).current
    assert (kept.status, kept.note) == (IN_REVIEW, "Private note 7731")
    receipts = list((centre.share / "receipts").rglob("*"))
    assert receipts and all(b"7731" not in p.read_bytes() for p in receipts if p.is_file())
    assert all(b"in_review" not in p.read_bytes() for p in receipts if p.is_file())


def test_a_tombstone_clears_the_notes_but_keeps_who_and_when(
    centre: Centre, tmp_path: Path
) -> None:
    laptop = Laptop()
    document = triage_document("Amina")
    import_documents(centre, laptop, [document], tmp_path / "one")
    set_follow_up(
        centre.vault, document["id"], status=IN_REVIEW, note="Lives at the camp", by="Sanna"
    )
    gone = Tombstone(document["id"], 2, "consent-withdrawn")
    bundle = laptop.bundle(tmp_path / "two", centre, records=[], deleted=[gone])
    assert import_bundle(centre, bundle.path).delivered
    shown = follow_up(centre.vault, document["id"])
    assert shown.deleted and shown.current.note == "" and shown.current.status == IN_REVIEW
    assert [(c.note, c.by) for c in shown.history] == [("", "Sanna")]
    with centre.vault.reading() as conn:
        dump = "".join(
            str(tuple(r))
            for table in ("centre_follow_up", "centre_follow_up_change")
            for r in conn.execute(f"SELECT * FROM {table}")
        )
    assert "camp" not in dump
    with pytest.raises(NoteOnDeleted):
        set_follow_up(centre.vault, document["id"], note="again")
    assert set_follow_up(centre.vault, document["id"], status=CLOSED).status == CLOSED


def test_an_interview_is_found_by_the_beginning_of_its_id(centre: Centre, tmp_path: Path) -> None:
    first, second = triage_document("A"), triage_document("B")
    second["id"] = first["id"][:6] + second["id"][6:]
    import_documents(centre, Laptop(), [first, second], tmp_path / "out")
    assert find_record(centre.vault, first["id"].upper()) == first["id"]
    with pytest.raises(InterviewAmbiguous):
        find_record(centre.vault, first["id"][:6])
    with pytest.raises(NotFound):
        find_record(centre.vault, first["id"][:3])
    with pytest.raises(NotFound):
        find_record(centre.vault, "ffffffff")


def test_the_triage_rows_carry_laptop_answers_status_and_duplicates(
    centre: Centre, tmp_path: Path
) -> None:
    one, two = Laptop(name="Laptop North", worker="W-1"), Laptop(name="Laptop South", worker="W-2")
    first = triage_document(
        "Amína",
        date_of_birth="1994-05",
        nationality=["SO"],
        risk_level="high",
        immediate_danger="no",
        worker_code="W-1",
        interview_date="2026-12-01",
        consent_referral="yes",
    )
    second = triage_document(
        "AMINA",
        date_of_birth="1994-05-12",
        nationality=["IQ"],
        risk_level="low",
        immediate_danger="yes",
        worker_code="W-2",
        interview_date="2027-03-01",
        needs=[
            {"need": "medical_care", "need_urgency": "now"},
            {"need": "legal_aid", "need_urgency": "later"},
        ],
    )
    other = triage_document(
        "Someone", date_of_birth=None, risk_level=None, immediate_danger=None, worker_code="W-2"
    )
    other["status"] = "draft"  # a draft need not answer the required risk and danger
    import_documents(centre, one, [first], tmp_path / "one")
    import_documents(centre, two, [second, other], tmp_path / "two")
    set_follow_up(centre.vault, first["id"], status=REFERRED, by="Sanna")
    rows = {row.record_id: row for row in triage_rows(centre.vault)}
    a, b, c = rows[first["id"]], rows[second["id"]], rows[other["id"]]
    assert (a.device_name, a.device_worker, a.follow_up) == ("Laptop North", "W-1", REFERRED)
    assert (b.device_name, b.follow_up) == ("Laptop South", NEW)
    assert a.high_risk and not a.in_danger and b.in_danger and not b.high_risk
    assert b.urgent_needs() == ["medical_care"] and a.urgent_needs() == ["safe_housing"]
    assert a.answers["consent_referral"] == "yes"
    assert "risk_level" not in c.answers
    [pair] = a.duplicates
    assert b.duplicates == (pair,) and pair.other(a.record_id) == b.record_id
    assert pair.reasons == ("alias",)
    assert c.duplicates == ()
    mark_not_duplicate(centre.vault, b.record_id, a.record_id, by="Sanna")
    assert all(not row.duplicates for row in triage_rows(centre.vault))
    with pytest.raises(NotFound):
        mark_not_duplicate(centre.vault, a.record_id, a.record_id)


def test_the_follow_up_survives_a_lock_and_unlock(centre: Centre, tmp_path: Path) -> None:
    document = triage_document("Amina")
    import_documents(centre, Laptop(), [document], tmp_path / "out")
    set_follow_up(centre.vault, document["id"], status=CLOSED, note="Done", by="Sanna")
    centre.close()
    again = open_real_centre(tmp_path)
    try:
        current = follow_up(again.vault, document["id"]).current
        assert (current.status, current.note) == (CLOSED, "Done")
    finally:
        again.close()


NAMES = ("Amina", "Hoa", "Olena", "Nasrin", "Chidi", "Malee", "Jamal", "Rosa", "Tuyet", "Farah")


@pytest.mark.parametrize("count", [2000])
def test_the_list_of_2000_interviews_is_one_quick_query(
    centre: Centre, tmp_path: Path, count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptops = [Laptop(name=f"Laptop {n}", worker=f"W-{n}") for n in range(4)]
    for n, laptop in enumerate(laptops):
        documents = [
            triage_document(
                f"{NAMES[(n * 7 + k) % len(NAMES)]} {k}",
                date_of_birth=f"{1960 + k % 40}" if k % 3 else f"{1960 + k % 40}-{1 + k % 12:02}",
                interview_date=(dt.date(2025, 1, 1) + dt.timedelta(days=k % 700)).isoformat(),
                worker_code=laptop.worker,
            )
            for k in range(count // len(laptops))
        ]
        import_documents(centre, laptop, documents, tmp_path / f"out{n}")
    triage_rows(centre.vault)  # warm
    statements: list[str] = []
    real = centre.vault.reading

    @contextlib.contextmanager
    def traced() -> Iterator[Any]:
        with real() as conn:
            conn.set_trace_callback(statements.append)
            try:
                yield conn
            finally:
                conn.set_trace_callback(None)

    monkeypatch.setattr(centre.vault, "reading", traced)
    started = time.perf_counter()
    rows = triage_rows(centre.vault)
    elapsed = time.perf_counter() - started
    print(f"\ntriage_rows for {len(rows)} interviews: {elapsed * 1000:.0f} ms")
    assert len(rows) == count
    assert len(statements) == 2  # the rows, and the pairs marked not the same person
    assert elapsed < 5.0

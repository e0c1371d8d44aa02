"""The interview store on a real vault: drafts, the revision chain, tombstones, delivery, purge."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlcipher3

from intake_app.errors import DiskFull, InvalidDocument, NotFound
from intake_app.storage import Vault, verify_chain
from intake_app.storage.chain import GENESIS, canonical_json
from tests.helpers.documents import make_document


def test_draft_upsert_get_list_discard(vault: Vault) -> None:
    store = vault.interviews
    document = make_document(revision=0, status="draft")
    store.save_draft(document)
    document["answers"]["alias"] = "B."
    store.save_draft(document)
    assert store.get_draft(document["id"]) == document
    [info] = store.drafts()
    assert info.id == document["id"] and info.base_revision == 0
    assert store.list() == []  # a draft alone is not a saved interview
    store.discard_draft(document["id"])
    assert store.get_draft(document["id"]) is None
    assert store.drafts() == []


def test_saving_a_revision_discards_the_draft_and_chains(vault: Vault) -> None:
    store = vault.interviews
    document = make_document(revision=0)
    store.save_draft(document)
    first = store.save_revision(document)
    assert store.get_draft(document["id"]) is None
    assert (first.revision, first.prev_sha256, first.status) == (1, GENESIS, "final")
    document["answers"]["alias"] = "C."
    second = store.save_revision(document)
    assert second.revision == 2 and second.prev_sha256 == first.sha256
    stored = store.get(document["id"])
    assert stored["revision"] == 2 and stored["answers"]["alias"] == "C."
    assert store.get_revision(document["id"], 1)["answers"]["alias"] == "A."
    assert store.history(document["id"]) == [first, second]
    # The hash is exactly the contract's formula over the canonical JSON.
    expected = hashlib.sha256(
        (first.sha256 + "\n" + canonical_json(stored)).encode("utf-8")
    ).hexdigest()
    assert second.sha256 == expected
    assert document["revision"] == 0  # the caller's dict is not changed


def test_a_draft_remembers_the_revision_it_started_from(vault: Vault) -> None:
    store = vault.interviews
    document = make_document()
    store.save_revision(document)
    store.save_draft(store.get(document["id"]))
    assert store.drafts()[0].base_revision == 1
    assert store.list()[0].has_draft


def test_canonical_json_keeps_non_ascii_as_utf8(vault: Vault) -> None:
    document = make_document(alias="Мария", account="كانت تعمل في المطعم", lang="ar")
    vault.interviews.save_revision(document)
    stored = vault.connection.execute("SELECT document FROM revision").fetchone()[0]
    assert "Мария" in stored and "\\u" not in stored
    assert json.loads(stored)["answers"]["account"]["text"] == "كانت تعمل في المطعم"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.__setitem__("id", "not-a-uuid"), "its id is not a UUID"),
        (lambda d: d.__setitem__("format", "other"), "it is not an interview document"),
        (lambda d: d.__setitem__("version", 2), "its format version is not supported"),
        (lambda d: d.__setitem__("status", "deleted"), "its status is not known"),
        (lambda d: d.__setitem__("answers", []), "its answers are not a JSON object"),
        (lambda d: d.pop("form"), "it does not name its form"),
        (lambda d: d.__setitem__("modified", "yesterday"), "a date is not an ISO 8601"),
        (lambda d: d.__setitem__("modified", "2026-11-28T16:05:00"), "a date is not an ISO 8601"),
        (lambda d: d["answers"].__setitem__("age", float("nan")), "cannot be written as JSON"),
        (lambda d: d["answers"].__setitem__("x", "\ud800"), "cannot be written as JSON"),
        (lambda d: d["answers"].__setitem__("x", object()), "cannot be written as JSON"),
    ],
)
def test_invalid_documents_are_refused_and_change_nothing(
    vault: Vault, change: Any, problem: str
) -> None:
    document = make_document()
    change(document)
    with pytest.raises(InvalidDocument) as caught:
        vault.interviews.save_revision(document)
    assert problem in str(caught.value)
    assert vault.interviews.list() == []
    assert vault.connection.execute("SELECT count(*) FROM revision").fetchone()[0] == 0


def test_get_of_unknown_records_is_not_found(vault: Vault) -> None:
    store = vault.interviews
    missing = make_document()["id"]
    for call in (
        lambda: store.get(missing),
        lambda: store.get_revision(missing, 1),
        lambda: store.history(missing),
        lambda: store.delete(missing, "x"),
        lambda: store.purge(missing),
    ):
        with pytest.raises(NotFound):
            call()


def test_list_filters(vault: Vault) -> None:
    store = vault.interviews
    old = make_document(status="draft")
    old["modified"] = "2026-01-01T10:00:00+02:00"  # normalized to UTC for comparison
    new = make_document(status="final")
    new["modified"] = "2026-06-01T10:00:00Z"
    withdrawn = make_document(status="withdrawn")
    sent = store.save_revision(old)
    store.save_revision(new)
    store.save_revision(withdrawn)
    assert {s.id for s in store.list()} == {old["id"], new["id"], withdrawn["id"]}
    assert [s.id for s in store.list(status="final")] == [new["id"]]
    since = datetime(2026, 3, 1, tzinfo=UTC)
    assert {s.id for s in store.list(modified_since=since)} == {new["id"], withdrawn["id"]}
    assert store.list(modified_since="2026-01-01T08:00:00Z")[-1].modified == "2026-01-01T08:00:00Z"
    assert store.mark_delivered([(old["id"], 1, sent.sha256)]) == 1
    assert [s.id for s in store.list(delivered=True)] == [old["id"]]
    assert old["id"] not in {s.id for s in store.list(delivered=False)}


def test_mark_delivered_needs_the_right_hash_and_counts_new_marks(vault: Vault) -> None:
    store = vault.interviews
    document = make_document()
    first = store.save_revision(document)
    assert store.mark_delivered([(document["id"], 1, "0" * 64)]) == 0
    assert store.mark_delivered([(document["id"], 1, first.sha256)]) == 1
    assert store.mark_delivered([(document["id"], 1, first.sha256)]) == 0
    assert store.list()[0].delivered
    store.save_revision(document)  # a newer revision is not delivered yet
    assert not store.list()[0].delivered


def test_delete_leaves_a_chained_tombstone(vault: Vault) -> None:
    store = vault.interviews
    document = make_document(revision=0, alias="Tombstoned")
    store.save_revision(document)
    store.save_draft(document)
    tombstone = store.delete(document["id"], "entered twice")
    assert tombstone.revision == 2 and tombstone.status == "deleted"
    body = store.get(document["id"])
    assert body["answers"] == {} and body["status"] == "deleted"
    assert body["reason"] == "entered twice"
    assert store.get_draft(document["id"]) is None
    assert store.search("Tombstoned") == []
    [summary] = store.list()
    assert summary.deleted and summary.status == "deleted"
    assert store.delete(document["id"], "again") == tombstone  # idempotent
    with pytest.raises(InvalidDocument):
        store.save_revision(document)
    with pytest.raises(InvalidDocument):
        store.save_draft(document)
    assert vault.check().ok


def test_purge_keeps_the_chain_verifiable(vault: Vault) -> None:
    store = vault.interviews
    kept, purged = make_document(), make_document(alias="Purged person")
    store.save_revision(kept)
    for _ in range(3):
        store.save_revision(purged)
    history = store.history(purged["id"])
    store.purge(purged["id"])
    assert store.history(purged["id"]) == history
    with pytest.raises(NotFound):
        store.get(purged["id"])
    with pytest.raises(NotFound):
        store.get_revision(purged["id"], 2)
    assert [s.id for s in store.list()] == [kept["id"]]
    assert store.search("Purged") == []
    remaining = vault.connection.execute(
        "SELECT count(*) FROM revision WHERE document IS NOT NULL"
    ).fetchone()[0]
    assert remaining == 1
    report = vault.check()
    assert report.ok and report.chain.records == 2 and report.chain.revisions == 4
    with pytest.raises(InvalidDocument):
        store.save_revision(purged)


def test_revisions_cannot_be_rewritten_or_deleted(vault: Vault) -> None:
    vault.interviews.save_revision(make_document())
    conn = vault.connection
    for statement in (
        "DELETE FROM revision",
        "UPDATE revision SET sha256 = 'x'",
        "UPDATE revision SET document = '{}'",
    ):
        with pytest.raises(sqlcipher3.IntegrityError, match=r"append-only|only be purged"):
            conn.execute(statement)


def _tamper(vault: Vault, statement: str, *params: Any) -> None:
    conn = vault.connection
    conn.execute("PRAGMA ignore_check_constraints = ON")  # as anyone editing the file would
    conn.execute("DROP TRIGGER revision_no_rewrite")
    conn.execute("DROP TRIGGER revision_document_only_purged")
    conn.execute("DROP TRIGGER revision_no_delete")
    conn.execute(statement, params)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE revision SET document = replace(document, '\"A.\"', '\"Z.\"') WHERE revision = 1",
        "UPDATE revision SET prev_sha256 = sha256 WHERE revision = 2",
        "DELETE FROM revision WHERE revision = 2",
        "UPDATE revision SET revision = 7 WHERE revision = 3",
        "UPDATE revision SET num = num + 1 WHERE revision = 3",
        "UPDATE interview SET head_sha256 = '00'",
    ],
)
def test_tampering_is_found_by_the_chain(vault: Vault, statement: str) -> None:
    document = make_document()
    for _ in range(3):
        vault.interviews.save_revision(document)
    assert verify_chain(vault.connection).ok
    _tamper(vault, statement)
    report = verify_chain(vault.connection)
    assert not report.ok
    assert document["id"] in report.problems[0]
    assert "A." not in " ".join(report.problems)  # problems name ids, never content


def test_a_revision_copied_onto_another_record_is_found(vault: Vault) -> None:
    one, other = make_document(), make_document()
    vault.interviews.save_revision(one)
    vault.interviews.save_revision(other)
    _tamper(
        vault,
        "UPDATE revision SET document = (SELECT document FROM revision WHERE interview_id = ?), "
        "sha256 = (SELECT sha256 FROM revision WHERE interview_id = ?) WHERE interview_id = ?",
        one["id"],
        one["id"],
        other["id"],
    )
    assert not verify_chain(vault.connection).ok


def test_batch_save_is_all_or_nothing(vault: Vault) -> None:
    good = [make_document() for _ in range(3)]
    bad = make_document()
    bad["status"] = "unknown"
    with pytest.raises(InvalidDocument):
        vault.interviews.save_revisions([*good, bad])
    assert vault.interviews.list() == []
    infos = vault.interviews.save_revisions(good)
    assert [i.id for i in infos] == [d["id"] for d in good]
    assert len(vault.interviews.list()) == 3


def test_disk_full_is_a_known_error_and_loses_nothing_committed(vault: Vault) -> None:
    store = vault.interviews
    kept = make_document()
    store.save_revision(kept)
    pages = vault.connection.execute("PRAGMA page_count").fetchone()[0]
    # SQLite reports SQLITE_FULL ("database or disk is full") once this limit is reached.
    vault.connection.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = make_document(revision=0, account="x" * 200_000)
    with pytest.raises(DiskFull):
        store.save_revision(big)
    with pytest.raises(DiskFull):
        store.save_draft(big)
    vault.connection.execute("PRAGMA max_page_count = 1073741823")
    assert [s.id for s in store.list()] == [kept["id"]]
    store.save_revision(big)
    assert vault.check().ok

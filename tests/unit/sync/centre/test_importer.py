"""What an import stores and what it answers: records, history, tombstones, receipts, sequence.

Real centre vaults (SQLCipher, minimum KDF), real bundles from the format core's writer, real
receipts checked with the device side's verifier.
"""

from __future__ import annotations

import os
from pathlib import Path

from intake_app.sync.centre.devices import lookup_by_key_id
from intake_app.sync.centre.importer import _Attempt, _decide, import_bundle
from intake_app.sync.centre.log import alerts
from intake_app.sync.centre.quarantine import held_bundles
from intake_app.sync.centre.records import (
    attachments,
    get_document,
    get_interview,
    history,
    list_interviews,
    search_interviews,
    tombstones,
)
from intake_app.sync.centre.release import approve_device, release_number, revoke_device
from intake_app.sync.centre.sequence import SEQ_FAR_AHEAD, Gap, gaps
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format.check import check_bundle
from intake_app.sync.format.manifest import Tombstone
from intake_app.sync.format.receipt import SentBundle, read_receipt
from intake_app.sync.share import receipt_path
from tests.helpers.bundles import Laptop, attachment
from tests.helpers.centre import open_centre, record_digest, register, table_count
from tests.helpers.documents import make_document


def test_accepted_bundle_is_stored_with_its_origin(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    doc = make_document()
    photo = os.urandom(300_000)
    written = laptop.bundle(tmp_path / "out", centre, records=[doc],
                            attachments=[attachment(photo, doc["id"])])
    result = import_bundle(centre, written.path)
    assert (result.outcome, result.device_id, result.seq, result.records) == (
        Outcome.ACCEPTED, laptop.device_id, 1, 1)
    assert get_document(centre.vault, doc["id"]) == doc
    head = get_interview(centre.vault, doc["id"])
    assert (head.device_id, head.revision, head.alias, head.deleted) == (
        laptop.device_id, 1, "A.", False)
    [revision] = history(centre.vault, doc["id"])
    assert (revision.device_id, revision.seq, revision.file_name) == (
        laptop.device_id, 1, written.path.name)
    [stored] = attachments(centre.vault, doc["id"])
    with centre.vault.interviews.open_attachment(stored.sha256) as reader:
        assert reader.read() == photo
    receipt = read_receipt(receipt_path(centre.share, laptop.device_id, 1),
                           profile=centre.profile, bundle=SentBundle.from_written(written))
    assert receipt.outcome is Outcome.ACCEPTED
    assert [(r.id, r.revision) for r in receipt.records] == [(doc["id"], 1)]


def test_duplicate_reissues_the_original_receipt(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    written = laptop.bundle(tmp_path / "out", centre)
    first = import_bundle(centre, written.path)
    assert first.receipt is not None
    original = first.receipt.read_bytes()
    signature = first.receipt.with_name(first.receipt.name + ".minisig").read_bytes()
    first.receipt.unlink()
    again = import_bundle(centre, written.path)
    assert again.outcome is Outcome.DUPLICATE and again.receipt == first.receipt
    assert first.receipt.read_bytes() == original
    assert first.receipt.with_name(first.receipt.name + ".minisig").read_bytes() == signature


def test_revisions_are_added_skipped_and_kept_in_history(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    doc = make_document()
    assert import_bundle(centre, laptop.bundle(tmp_path / "1", centre, records=[doc]).path
                         ).delivered
    before = record_digest(centre.vault)
    # The same revision again in another bundle: skipped, nothing changes but the bundle row.
    same = import_bundle(centre, laptop.bundle(tmp_path / "2", centre, records=[doc]).path)
    assert same.outcome is Outcome.ACCEPTED and record_digest(centre.vault) != before
    assert len(history(centre.vault, doc["id"])) == 1
    newer = dict(doc, revision=2, answers={"consent_interview": "yes", "alias": "B."})
    assert import_bundle(centre, laptop.bundle(tmp_path / "3", centre, records=[newer]).path
                         ).delivered
    assert [(r.revision, r.seq) for r in history(centre.vault, doc["id"])] == [(1, 1), (2, 3)]
    assert get_interview(centre.vault, doc["id"]).alias == "B."
    assert get_document(centre.vault, doc["id"], 1) == doc


def test_tombstone_removes_content_and_keeps_the_tombstone(centre: Centre,
                                                           tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    doc = make_document(consent_interview="yes", alias="Zebedee",
                   account={"text": "kitchen without pay", "lang": "en"})
    written = laptop.bundle(tmp_path / "1", centre, records=[doc],
                            attachments=[attachment(b"photo" * 100, doc["id"])])
    assert import_bundle(centre, written.path).delivered
    assert [i.id for i in search_interviews(centre.vault, "kitchen")] == [doc["id"]]
    gone = Tombstone(doc["id"], 2, "consent-withdrawn")
    assert import_bundle(centre, laptop.bundle(tmp_path / "2", centre, records=[],
                                               deleted=[gone]).path).delivered
    head = get_interview(centre.vault, doc["id"])
    assert (head.deleted, head.alias, head.revision) == (True, None, 2)
    assert get_document(centre.vault, doc["id"], 1) is None
    assert [r.has_content for r in history(centre.vault, doc["id"])] == [False]
    assert [(t.revision, t.reason) for t in tombstones(centre.vault, doc["id"])] == [
        (2, "consent-withdrawn")]
    assert search_interviews(centre.vault, "kitchen") == []
    assert search_interviews(centre.vault, "Zebedee") == []
    assert attachments(centre.vault, doc["id"]) == []
    # The words left the index itself: no index segment is left (not just a "deleted" mark).
    assert table_count(centre.vault, "centre_record_text_idx") == 0


def test_revision_arriving_after_its_tombstone_has_no_content(centre: Centre,
                                                              tmp_path: Path,
                                                              laptop: Laptop) -> None:
    register(centre, laptop)
    doc = make_document()
    late = laptop.bundle(tmp_path / "1", centre, seq=1, records=[doc])
    tomb = laptop.bundle(tmp_path / "2", centre, seq=2, records=[],
                         deleted=[Tombstone(doc["id"], 2, "consent-withdrawn")])
    assert import_bundle(centre, tomb.path).delivered
    assert import_bundle(centre, late.path).delivered
    assert [(r.revision, r.has_content) for r in history(centre.vault, doc["id"])] == [
        (1, False)]
    assert get_interview(centre.vault, doc["id"]).deleted
    assert list_interviews(centre.vault, include_deleted=False) == []


def test_gaps_are_tracked_and_closed_by_abandoned_numbers(centre: Centre,
                                                          tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    for seq in (1, 4):
        assert import_bundle(centre, laptop.bundle(tmp_path / str(seq), centre, seq=seq).path
                             ).delivered
    assert gaps(centre.vault, laptop.device_id) == [Gap(2, 3)]
    closing = laptop.bundle(tmp_path / "5", centre, seq=5, abandoned=[2])
    assert import_bundle(centre, closing.path).delivered
    assert gaps(centre.vault, laptop.device_id) == [Gap(3, 3)]


def test_pending_device_bundles_are_imported_on_approval(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop, active=False)
    docs = [make_document(), make_document()]
    for seq, doc in enumerate(docs, start=1):
        result = import_bundle(centre, laptop.bundle(tmp_path / str(seq), centre, seq=seq,
                                                     records=[doc]).path)
        assert result.reason is Reason.DEVICE_PENDING
    assert list_interviews(centre.vault) == []
    _device, results = approve_device(centre, laptop.device_id, laptop.fingerprint)
    assert [(r.outcome, r.seq) for r in results] == [(Outcome.ACCEPTED, 1), (Outcome.ACCEPTED, 2)]
    assert held_bundles(centre.vault) == []
    assert {i.id for i in list_interviews(centre.vault)} == {d["id"] for d in docs}
    receipt = receipt_path(centre.share, laptop.device_id, 2).read_bytes()
    assert b'"outcome":"accepted"' in receipt


def test_revoking_refuses_what_the_device_had_waiting(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop, active=False)
    import_bundle(centre, laptop.bundle(tmp_path, centre).path)
    before = record_digest(centre.vault)
    _device, results = revoke_device(centre, laptop.device_id)
    assert [(r.outcome, r.reason) for r in results] == [(Outcome.REJECTED, Reason.DEVICE_REVOKED)]
    assert held_bundles(centre.vault) == []
    assert record_digest(centre.vault) != before  # only the held copy went
    assert list_interviews(centre.vault) == []


def test_far_ahead_bundle_is_released_by_the_administrator(centre: Centre,
                                                           tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    seq = SEQ_FAR_AHEAD + 50
    import_bundle(centre, laptop.bundle(tmp_path, centre, seq=seq).path)
    [held] = held_bundles(centre.vault)
    assert any(a.reason is Reason.SEQ_FAR_AHEAD for a in alerts(centre.vault))
    result = release_number(centre, held.num)
    assert (result.outcome, result.seq) == (Outcome.ACCEPTED, seq)
    assert held_bundles(centre.vault) == []
    assert gaps(centre.vault, laptop.device_id) == [Gap(1, seq - 1)]


def test_import_finished_by_another_process_meanwhile_is_a_duplicate(
    centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    written = laptop.bundle(tmp_path, centre)
    # This importer has checked the bundle (checks 1 to 6) ...
    attempt = _Attempt(centre, written.path, written.path.name, None, False)
    verdict = check_bundle(written.path, lookup=lambda k: lookup_by_key_id(centre.vault, k),
                           identities=centre.identities, centre_id=centre.centre_id,
                           validate_record=centre.validate_record)
    assert verdict.outcome is Outcome.ACCEPTED and verdict.payload is not None
    # ... when a second connection (another process) imports the same bundle and commits.
    other = open_centre(tmp_path)
    try:
        assert import_bundle(other, written.path).outcome is Outcome.ACCEPTED
    finally:
        other.close()
    before = record_digest(centre.vault)
    try:
        result = _decide(attempt, verdict)
    finally:
        verdict.payload.close()
    assert result.outcome is Outcome.DUPLICATE
    assert record_digest(centre.vault) == before


def test_receipt_that_cannot_be_written_is_reissued_later(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    written = laptop.bundle(tmp_path / "out", centre)
    blocker = centre.share / "receipts"
    blocker.rmdir()  # made empty at set-up
    blocker.write_text("a file where the receipts folder should be")
    result = import_bundle(centre, written.path)
    assert result.outcome is Outcome.ACCEPTED and result.receipt_error is not None
    assert result.receipt is None
    blocker.unlink()
    again = import_bundle(centre, written.path)
    assert again.outcome is Outcome.DUPLICATE and again.receipt is not None
    read_receipt(again.receipt, profile=centre.profile, bundle=SentBundle.from_written(written))


def test_no_plaintext_reaches_the_disk(centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    marker = "Quirinus-" + os.urandom(8).hex()
    doc = make_document(consent_interview="yes", alias=marker,
                   account={"text": marker + " account", "lang": "en"})
    written = laptop.bundle(tmp_path / "out", centre, records=[doc])
    assert import_bundle(centre, written.path).delivered
    centre.close()
    needle = marker.encode()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path.name


def test_search_index_catches_up_with_imports_before_a_search(centre: Centre,
                                                              tmp_path: Path,
                                                              laptop: Laptop) -> None:
    from intake_app.sync.centre.search import refresh_search_index

    register(centre, laptop)
    first = make_document(consent_interview="yes", alias="Kalle",
                     account={"text": "kitchen without pay", "lang": "en"})
    gone = make_document(consent_interview="yes", alias="Zebedee",
                    account={"text": "kitchen at night", "lang": "en"})
    assert import_bundle(centre, laptop.bundle(tmp_path / "1", centre,
                                               records=[first, gone]).path).delivered
    assert table_count(centre.vault, "centre_record_text") == 0  # the import did not index
    # Deleted before anything was indexed: the catch-up must not bring it back.
    assert import_bundle(centre, laptop.bundle(
        tmp_path / "2", centre, records=[],
        deleted=[Tombstone(gone["id"], 2, "consent-withdrawn")]).path).delivered
    newer = dict(first, revision=2, answers={"consent_interview": "yes", "alias": "Kalle",
                                             "account": {"text": "factory", "lang": "en"}})
    assert import_bundle(centre, laptop.bundle(tmp_path / "3", centre,
                                               records=[newer]).path).delivered
    assert [i.id for i in search_interviews(centre.vault, "factory")] == [first["id"]]
    assert search_interviews(centre.vault, "kitchen") == []  # the old text left with revision 1
    assert search_interviews(centre.vault, "Zebedee") == []
    assert table_count(centre.vault, "centre_record_text") == 1
    assert refresh_search_index(centre.vault) == 0  # nothing new since the search

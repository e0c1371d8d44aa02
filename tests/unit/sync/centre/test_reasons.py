"""Every outcome and reason code of bundle-format.md, through the centre's importer.

One real centre vault for the module; each test uses its own laptops, so the tests do not
depend on each other. A rejected bundle must leave every record table unchanged and add one
import log row; a quarantined one is held in the vault.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.sync.centre.devices import retire, revoke
from intake_app.sync.centre.importer import ImportResult, import_bundle
from intake_app.sync.centre.log import import_log
from intake_app.sync.centre.quarantine import held_bundles
from intake_app.sync.centre.sequence import SEQ_FAR_AHEAD
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format.spec import MAX_BUNDLE_SIZE
from tests.helpers.bundles import Laptop, build_zip, comment_for, hand_payload, seal, zip_entries
from tests.helpers.centre import make_centre, record_digest, register
from tests.helpers.documents import make_document

SEEN: set[Reason] = set()


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Centre]:
    made = make_centre(tmp_path_factory.mktemp("reasons"))
    yield made
    made.close()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


def refused(centre: Centre, source: Path | bytes, reason: Reason) -> ImportResult:
    """Import and expect `reason`; a rejection must change no record data."""
    before = record_digest(centre.vault)
    log_before = len(import_log(centre.vault))
    result = import_bundle(centre, source, file_name="test.ibundle")
    assert (result.outcome, result.reason) == (reason.outcome, reason)
    if reason.outcome is Outcome.REJECTED:
        assert record_digest(centre.vault) == before
    entries = import_log(centre.vault)
    assert len(entries) == log_before + 1
    assert (entries[0].outcome, entries[0].reason) == (reason.outcome, reason)
    SEEN.add(reason)
    return result


def active(centre: Centre) -> Laptop:
    laptop = Laptop()
    register(centre, laptop)
    return laptop


def test_accepted_and_duplicate(centre: Centre, out: Path) -> None:
    laptop = active(centre)
    written = laptop.bundle(out, centre)
    first = import_bundle(centre, written.path)
    assert (first.outcome, first.reason, first.records) == (Outcome.ACCEPTED, None, 1)
    before = record_digest(centre.vault)
    again = import_bundle(centre, written.path)
    assert (again.outcome, again.reason, again.records) == (Outcome.DUPLICATE, None, 1)
    assert record_digest(centre.vault) == before


def test_not_a_bundle(centre: Centre, tmp_path: Path) -> None:
    path = tmp_path / "notes.ibundle"
    path.write_text("just some text, not a ZIP at all\n" * 10)
    refused(centre, path, Reason.NOT_A_BUNDLE)


def test_too_large(centre: Centre, tmp_path: Path) -> None:
    path = tmp_path / "huge.ibundle"
    with open(path, "wb") as handle:  # sparse: the size check comes before any reading
        handle.truncate(MAX_BUNDLE_SIZE + 1)
    refused(centre, path, Reason.TOO_LARGE)


def test_bad_container(centre: Centre, out: Path) -> None:
    laptop = active(centre)
    entries = zip_entries(laptop.bundle(out, centre).path.read_bytes())
    refused(centre, build_zip([*entries, ("extra.txt", b"x")]), Reason.BAD_CONTAINER)


def test_unknown_device(centre: Centre, out: Path) -> None:
    stranger = Laptop()
    refused(centre, stranger.bundle(out, centre).path, Reason.UNKNOWN_DEVICE)


def test_device_revoked(centre: Centre, out: Path) -> None:
    laptop = active(centre)
    revoke(centre.vault, laptop.device_id)
    result = refused(centre, laptop.bundle(out, centre).path, Reason.DEVICE_REVOKED)
    assert result.device_id == laptop.device_id and result.receipt is not None


def test_key_retired(centre: Centre, out: Path) -> None:
    laptop = active(centre)
    assert import_bundle(centre, laptop.bundle(out, centre, seq=1).path).delivered
    retire(centre.vault, laptop.device_id, 1)
    refused(centre, laptop.bundle(out, centre, seq=2).path, Reason.KEY_RETIRED)


def test_bad_signature(centre: Centre, out: Path) -> None:
    laptop = active(centre)
    entries = zip_entries(laptop.bundle(out, centre).path.read_bytes())
    age = bytearray(entries[0][1])
    age[-30] ^= 1
    refused(centre, build_zip([("payload.age", bytes(age)), *entries[1:]]),
            Reason.BAD_SIGNATURE)


def test_bad_trusted_comment(centre: Centre) -> None:
    laptop = active(centre)
    payload = hand_payload(centre, laptop, 1, [make_document()])
    wrong = comment_for(laptop, 1, payload[0][1]).replace("seq=1 ", "seq=01 ")
    refused(centre, seal(payload, centre, laptop, seq=1, comment=wrong),
            Reason.BAD_TRUSTED_COMMENT)


def test_trusted_comment_naming_another_device(centre: Centre) -> None:
    laptop, other = active(centre), active(centre)
    payload = hand_payload(centre, laptop, 1, [make_document()])
    comment = comment_for(other, 1, payload[0][1])
    refused(centre, seal(payload, centre, laptop, seq=1, comment=comment),
            Reason.BAD_TRUSTED_COMMENT)


def test_seq_conflict_is_an_alert(centre: Centre, out: Path) -> None:
    laptop = active(centre)
    assert import_bundle(centre, laptop.bundle(out / "a", centre, seq=1).path).delivered
    result = refused(centre, laptop.bundle(out / "b", centre, seq=1).path, Reason.SEQ_CONFLICT)
    assert import_log(centre.vault)[0].is_alert
    assert result.receipt is not None  # the device learns of it


def test_not_for_this_centre(centre: Centre, out: Path, tmp_path: Path) -> None:
    other = make_centre(tmp_path / "other")
    laptop = active(centre)
    written = laptop.bundle(out, other)
    other.close()
    refused(centre, written.path, Reason.NOT_FOR_THIS_CENTRE)


def test_manifest_naming_another_centre(centre: Centre) -> None:
    laptop = active(centre)
    payload = hand_payload(centre, laptop, 1, [make_document()],
                           centre_id="8a4c3f0e-5d5b-4b61-9d1c-2f0c4b8e9a11")
    refused(centre, seal(payload, centre, laptop, seq=1), Reason.NOT_FOR_THIS_CENTRE)


def test_bad_payload(centre: Centre) -> None:
    laptop = active(centre)
    refused(centre, seal(b"PK\x03\x04 this is not a zip", centre, laptop, seq=1,
                         comment=comment_for(laptop, 1, b"")), Reason.BAD_PAYLOAD)


def test_manifest_mismatch(centre: Centre) -> None:
    laptop = active(centre)
    payload = hand_payload(centre, laptop, 2, [make_document()])  # the manifest says seq 2
    refused(centre, seal(payload, centre, laptop, seq=1,
                         comment=comment_for(laptop, 1, payload[0][1])),
            Reason.MANIFEST_MISMATCH)


def test_hash_mismatch(centre: Centre) -> None:
    laptop = active(centre)
    payload = hand_payload(centre, laptop, 1, [make_document()])
    name, data = payload[1]
    payload[1] = (name, data.replace(b'"A."', b'"B."'))
    refused(centre, seal(payload, centre, laptop, seq=1), Reason.HASH_MISMATCH)


def test_unknown_form(centre: Centre, out: Path) -> None:
    laptop = active(centre)
    doc = make_document()
    doc["form"] = "another-form"
    refused(centre, laptop.bundle(out, centre, records=[doc]).path, Reason.UNKNOWN_FORM)


def test_invalid_record(centre: Centre, out: Path) -> None:
    laptop = active(centre)
    doc = make_document(answers={"consent_interview": "maybe", "alias": "A."})
    refused(centre, laptop.bundle(out, centre, records=[doc]).path, Reason.INVALID_RECORD)


def test_record_that_is_not_an_interview_document(centre: Centre) -> None:
    laptop = active(centre)
    doc = make_document()
    doc["extra"] = "field"
    refused(centre, seal(hand_payload(centre, laptop, 1, [doc]), centre, laptop, seq=1),
            Reason.INVALID_RECORD)


def test_foreign_record(centre: Centre, out: Path) -> None:
    owner, thief = active(centre), active(centre)
    doc = make_document()
    assert import_bundle(centre, owner.bundle(out / "a", centre, records=[doc]).path).delivered
    doc["revision"] = 2
    refused(centre, thief.bundle(out / "b", centre, records=[doc]).path, Reason.FOREIGN_RECORD)


def test_device_pending_is_held(centre: Centre, out: Path, laptop: Laptop) -> None:
    register(centre, laptop, active=False)
    result = refused(centre, laptop.bundle(out, centre).path, Reason.DEVICE_PENDING)
    held = held_bundles(centre.vault, device_id=laptop.device_id)
    assert [(h.seq, h.reason) for h in held] == [(1, Reason.DEVICE_PENDING)]
    assert result.receipt is not None
    receipt = json.loads(result.receipt.read_bytes())
    assert (receipt["outcome"], receipt["reason"], receipt["records"]) == (
        "quarantined", "device-pending", [])


def test_record_conflict_is_held(centre: Centre, out: Path) -> None:
    laptop = active(centre)
    doc = make_document()
    assert import_bundle(centre, laptop.bundle(out / "a", centre, records=[doc]).path).delivered
    changed = dict(doc, answers={"consent_interview": "yes", "alias": "Changed"})
    refused(centre, laptop.bundle(out / "b", centre, records=[changed]).path,
            Reason.RECORD_CONFLICT)
    assert [h.reason for h in held_bundles(centre.vault, device_id=laptop.device_id)] == [
        Reason.RECORD_CONFLICT]


def test_seq_far_ahead_is_held(centre: Centre, out: Path) -> None:
    laptop = active(centre)
    refused(centre, laptop.bundle(out, centre, seq=SEQ_FAR_AHEAD + 1).path,
            Reason.SEQ_FAR_AHEAD)
    near = laptop.bundle(out, centre, seq=SEQ_FAR_AHEAD)
    assert import_bundle(centre, near.path).outcome is Outcome.ACCEPTED


def test_every_reason_code_was_exercised() -> None:
    # Runs last in this module (pytest keeps file order): the corpus covers the whole table.
    assert set(Reason) - SEEN == set()

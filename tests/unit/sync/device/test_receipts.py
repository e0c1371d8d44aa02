"""Receipts: only a verified receipt for the exact bundle marks anything delivered."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from intake_app.storage import Vault
from intake_app.sync.device.errors import BundleRefusedByCentre
from intake_app.sync.device.export import export_changes
from intake_app.sync.device.identity import DeviceIdentity, load_device
from intake_app.sync.device.outbox import Outbox, OutboxState
from intake_app.sync.device.receipts import collect_receipts
from intake_app.sync.device.transport import copy_bundle, prepare_inbox
from intake_app.sync.errors import Outcome, Reason, ReceiptProblem, ReceiptRejected
from intake_app.sync.format import keys
from intake_app.sync.format.receipt import ReceiptRecord
from tests.helpers.bundles import CentreKeys
from tests.helpers.device import (
    change_interview,
    enrolled,
    manifest_of,
    random_bytes,
    revisions_delivered,
    save_interview,
)

NOW = "2026-11-28T19:00:00Z"


def _send(vault: Vault, identity: DeviceIdentity, centre: CentreKeys) -> list[Path]:
    """Export and upload everything; return the bundles in the inbox."""
    export_changes(vault)
    inbox = prepare_inbox(centre.share, identity.device_id)
    return [copy_bundle(vault, b, inbox) for b in Outbox(vault).bundles((OutboxState.READY,))]


def _collect(vault: Vault, centre: CentreKeys) -> list[object]:
    return list(collect_receipts(vault, load_device(vault), centre.share, NOW))


def _chunks(vault: Vault, seq: int) -> int:
    """How many bytes of bundle `seq` the outbox still keeps (0 once its file is gone)."""
    outbox = Outbox(vault)
    bundle = outbox.get(seq)
    assert bundle is not None and bundle.name is not None
    return outbox.files.size(bundle.name) or 0


def _assert_nothing_delivered(vault: Vault, problem: ReceiptProblem, results: list[object]
                              ) -> None:
    [result] = results
    assert isinstance(result.problem, ReceiptRejected)  # type: ignore[attr-defined]
    assert result.problem.problem is problem  # type: ignore[attr-defined]
    assert not any(revisions_delivered(vault).values())
    bundle = Outbox(vault).get(1)
    assert bundle is not None and bundle.state is OutboxState.READY
    assert _chunks(vault, 1) > 0  # the outbox copy stays, to be sent again


def test_a_valid_receipt_marks_delivered_and_drops_the_outbox_copy(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    ids = [save_interview(vault, attachment=random_bytes(5000)) for _ in range(2)]
    gone = save_interview(vault)
    vault.interviews.delete(gone, "consent-withdrawn")
    [bundle] = _send(vault, identity, centre)
    centre.receipt_for(bundle, identity)
    [result] = _collect(vault, centre)
    assert result.outcome is Outcome.ACCEPTED and result.marked == 3  # type: ignore[attr-defined]
    assert revisions_delivered(vault) == {ids[0]: True, ids[1]: True, gone: True}
    row = Outbox(vault).get(1)
    assert row is not None and row.state is OutboxState.DELIVERED
    assert _chunks(vault, 1) == 0
    assert Outbox(vault).last_receipt() == NOW
    # Delivered things are not exported again.
    assert export_changes(vault).bundles == ()


def test_forged_receipt_marks_nothing(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    save_interview(vault)
    [bundle] = _send(vault, identity, centre)
    path = centre.receipt_for(bundle, identity)
    path.write_bytes(path.read_bytes().replace(b'"accepted"', b'"accepted" '))
    _assert_nothing_delivered(vault, ReceiptProblem.BAD_SIGNATURE, _collect(vault, centre))


def test_receipt_for_another_bundle_marks_nothing(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    save_interview(vault)
    [bundle] = _send(vault, identity, centre)
    # Signed by the centre, but for other bytes under the same seq.
    centre.receipt_for(bundle, identity, payload_sha256=hashlib.sha256(b"other").hexdigest())
    _assert_nothing_delivered(vault, ReceiptProblem.OTHER_BUNDLE, _collect(vault, centre))


def test_receipt_of_seq_2_placed_under_seq_1_marks_nothing(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    first = save_interview(vault)
    [bundle1] = _send(vault, identity, centre)
    change_interview(vault, first, alias="B.")
    bundle2 = next(p for p in _send(vault, identity, centre) if p.name.endswith("2.ibundle"))
    receipt2 = centre.receipt_for(bundle2, identity)
    receipt1 = receipt2.with_name(receipt2.name.replace("00000002", "00000001"))
    receipt2.rename(receipt1)
    receipt2.with_name(receipt2.name + ".minisig").rename(receipt1.with_name(
        receipt1.name + ".minisig"))
    results = _collect(vault, centre)
    assert [r.problem.problem for r in results] == [  # type: ignore[attr-defined]
        ReceiptProblem.OTHER_BUNDLE]
    assert not any(revisions_delivered(vault).values())
    assert bundle1.exists()


def test_receipt_signed_with_another_key_marks_nothing(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    save_interview(vault)
    [bundle] = _send(vault, identity, centre)
    stranger = keys.generate_signing_key()
    centre.receipt_for(bundle, identity, signer=stranger.secret_key)
    _assert_nothing_delivered(vault, ReceiptProblem.BAD_SIGNATURE, _collect(vault, centre))


def test_receipt_listing_records_the_bundle_did_not_carry_marks_nothing(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    carried = save_interview(vault)
    [bundle] = _send(vault, identity, centre)
    later = save_interview(vault)  # saved after the bundle was made
    manifest = manifest_of(bundle, centre)
    listed = [ReceiptRecord(r.id, r.revision, r.sha256) for r in manifest.records]
    extra = ReceiptRecord(later, 1, hashlib.sha256(b"x").hexdigest())
    centre.receipt_for(bundle, identity, records=[*listed, extra])
    _assert_nothing_delivered(vault, ReceiptProblem.RECORDS_NOT_CARRIED, _collect(vault, centre))
    assert carried in revisions_delivered(vault)


def test_receipt_with_a_wrong_record_hash_marks_nothing(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    record = save_interview(vault)
    [bundle] = _send(vault, identity, centre)
    centre.receipt_for(bundle, identity,
                       records=[ReceiptRecord(record, 1, hashlib.sha256(b"y").hexdigest())])
    _assert_nothing_delivered(vault, ReceiptProblem.RECORDS_NOT_CARRIED, _collect(vault, centre))


def test_receipt_without_signature_file_marks_nothing(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    save_interview(vault)
    [bundle] = _send(vault, identity, centre)
    path = centre.receipt_for(bundle, identity)
    path.with_name(path.name + ".minisig").unlink()
    _assert_nothing_delivered(vault, ReceiptProblem.UNREADABLE, _collect(vault, centre))


def test_quarantined_bundle_is_held_then_delivered(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    save_interview(vault)
    [bundle] = _send(vault, identity, centre)
    centre.receipt_for(bundle, identity, outcome=Outcome.QUARANTINED,
                       reason=Reason.DEVICE_PENDING)
    [held] = _collect(vault, centre)
    assert held.outcome is Outcome.QUARANTINED  # type: ignore[attr-defined]
    assert Outbox(vault).get(1).state is OutboxState.HELD  # type: ignore[union-attr]
    assert _chunks(vault, 1) > 0 and not any(revisions_delivered(vault).values())
    assert export_changes(vault).bundles == ()  # held contents are on their way
    centre.receipt_for(bundle, identity)  # approved and imported: a new receipt
    [accepted] = _collect(vault, centre)
    assert accepted.outcome is Outcome.ACCEPTED  # type: ignore[attr-defined]
    assert all(revisions_delivered(vault).values())


def test_rejected_bundle_releases_its_contents_for_a_new_bundle(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    record = save_interview(vault, attachment=random_bytes(3000))
    [bundle] = _send(vault, identity, centre)
    centre.receipt_for(bundle, identity, outcome=Outcome.REJECTED, reason=Reason.BAD_SIGNATURE)
    [result] = _collect(vault, centre)
    assert isinstance(result.problem, BundleRefusedByCentre)  # type: ignore[attr-defined]
    assert "bundle 1" in result.problem.translated()  # type: ignore[attr-defined]
    assert Outbox(vault).get(1).state is OutboxState.REFUSED  # type: ignore[union-attr]
    assert not any(revisions_delivered(vault).values())
    [again] = export_changes(vault).bundles
    assert again.seq == 2
    new = [p for p in _send(vault, identity, centre) if p.name.endswith("2.ibundle")]
    manifest = manifest_of(new[0], centre) if new else None
    assert manifest is not None
    assert [r.id for r in manifest.records] == [record] and len(manifest.attachments) == 1


def test_a_receipt_applies_once(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    save_interview(vault)
    [bundle] = _send(vault, identity, centre)
    centre.receipt_for(bundle, identity)
    assert len(_collect(vault, centre)) == 1
    assert _collect(vault, centre) == []  # delivered bundles are not looked at again


@pytest.mark.parametrize("change", ["revision", "draft"])
def test_changes_after_sending_stay_undelivered(tmp_path: Path, change: str) -> None:
    vault, centre, identity = enrolled(tmp_path)
    record = save_interview(vault)
    [bundle] = _send(vault, identity, centre)
    if change == "revision":
        change_interview(vault, record, alias="C.")
    else:
        vault.interviews.save_draft({**vault.interviews.get(record), "answers": {}})
    centre.receipt_for(bundle, identity)
    _collect(vault, centre)
    summary = vault.interviews.list()[0]
    assert summary.delivered is (change == "draft")  # a draft is not a revision yet

"""Receipts: written by the centre, verified by the device before anything counts as delivered."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from intake_app.sync.centre.receipts import write_receipt
from intake_app.sync.errors import Outcome, Reason, ReceiptProblem, ReceiptRejected
from intake_app.sync.format import keys
from intake_app.sync.format.bundle_file import WrittenBundle
from intake_app.sync.format.receipt import (
    Receipt,
    ReceiptConflict,
    ReceiptRecord,
    SentBundle,
    parse_receipt,
    read_receipt,
    sign_receipt,
    verify_receipt,
)
from intake_app.sync.format.strict_json import FormatProblem
from intake_app.sync.share import receipt_path
from tests.helpers.bundles import CentreKeys, Laptop, needs_cli, run, write
from tests.helpers.documents import make_document, new_id


@pytest.fixture
def sent(tmp_path: Path, centre_keys: CentreKeys, laptop: Laptop
         ) -> tuple[CentreKeys, Laptop, WrittenBundle]:
    """A bundle written for `centre_keys`, whose share is `tmp_path/share`."""
    written = write(tmp_path / "outbox", centre_keys, laptop, seq=17,
                    records=[make_document(), make_document(revision=2)])
    return centre_keys, laptop, written


def _receipt(written: WrittenBundle, centre: CentreKeys, **changes: object) -> Receipt:
    receipt = Receipt(
        centre_id=centre.profile.centre_id, device_id=written.device_id, seq=written.seq,
        payload_sha256=written.payload_sha256, outcome=Outcome.ACCEPTED, reason=None,
        imported="2026-11-28T18:40:00Z",
        records=tuple(ReceiptRecord(r.id, r.revision, r.sha256) for r in written.records))
    return replace(receipt, **changes)  # type: ignore[arg-type]


def _verify(data: bytes, signature: bytes, centre: CentreKeys, written: WrittenBundle) -> Receipt:
    return verify_receipt(data, signature, profile=centre.profile,
                          bundle=SentBundle.from_written(written))


def _problem(data: bytes, signature: bytes, centre: CentreKeys, written: WrittenBundle
             ) -> ReceiptProblem:
    with pytest.raises(ReceiptRejected) as rejected:
        _verify(data, signature, centre, written)
    return rejected.value.problem


def test_receipt_is_written_where_the_device_looks_and_verifies(
        sent: tuple[CentreKeys, Laptop, WrittenBundle]) -> None:
    centre, device, written = sent
    share = Path(centre.profile.share)
    receipt = _receipt(written, centre)
    path = write_receipt(share, receipt, centre.keys.receipt.secret_key)
    assert path == share / "receipts" / device.device_id / \
        f"{device.device_id}-00000017.receipt.json"
    assert path == receipt_path(share, device.device_id, 17)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, path.name + ".minisig"]
    got = read_receipt(path, profile=centre.profile, bundle=SentBundle.from_written(written))
    assert got == receipt
    assert list(json.loads(path.read_bytes())) == [
        "format", "version", "centre_id", "device_id", "seq", "payload_sha256", "outcome",
        "reason", "imported", "records"]


@needs_cli
def test_receipt_verifies_with_the_minisign_tool(sent: tuple[CentreKeys, Laptop, WrittenBundle]
                                                 ) -> None:
    centre, device, written = sent
    path = write_receipt(Path(centre.profile.share), _receipt(written, centre),
                         centre.keys.receipt.secret_key)
    result = run("minisign", "-Vm", path, "-P", centre.profile.receipt_key)
    assert result.returncode == 0, result.stderr
    assert (f"Trusted comment: intake-receipt v1 device={device.device_id} seq=17 "
            f"outcome=accepted payload={written.payload_sha256}\n").encode() in result.stdout


def test_refusals_verify_and_list_nothing(sent: tuple[CentreKeys, Laptop, WrittenBundle]) -> None:
    centre, _, written = sent
    for outcome, reason in ((Outcome.QUARANTINED, Reason.DEVICE_PENDING),
                            (Outcome.REJECTED, Reason.INVALID_RECORD)):
        receipt = _receipt(written, centre, outcome=outcome, reason=reason, records=())
        data, signature = sign_receipt(receipt, centre.keys.receipt.secret_key)
        assert _verify(data, signature, centre, written) == receipt


def test_forged_and_mismatched_receipts_mark_nothing(
        sent: tuple[CentreKeys, Laptop, WrittenBundle]) -> None:
    centre, _, written = sent
    key = centre.keys.receipt.secret_key
    data, signature = sign_receipt(_receipt(written, centre), key)
    forger = keys.generate_signing_key().secret_key
    other_bundle = _receipt(written, centre, payload_sha256="0" * 64)
    other_seq = _receipt(written, centre, seq=16)
    other_centre = _receipt(written, centre, centre_id=new_id())
    extra = _receipt(written, centre, records=(
        *_receipt(written, centre).records, ReceiptRecord(new_id(), 1, "a" * 64)))
    newer = _receipt(written, centre, records=(ReceiptRecord(
        written.records[0].id, written.records[0].revision + 1, written.records[0].sha256),))
    cases = {
        "signed with another key": (*sign_receipt(_receipt(written, centre), forger),
                                    ReceiptProblem.BAD_SIGNATURE),
        "changed after signing": (data.replace(b"accepted", b"duplicate"), signature,
                                  ReceiptProblem.BAD_SIGNATURE),
        "signature garbage": (data, b"garbage", ReceiptProblem.UNREADABLE),
        "for another bundle": (*sign_receipt(other_bundle, key), ReceiptProblem.OTHER_BUNDLE),
        "for another seq": (*sign_receipt(other_seq, key), ReceiptProblem.OTHER_BUNDLE),
        "from another centre id": (*sign_receipt(other_centre, key),
                                   ReceiptProblem.OTHER_BUNDLE),
        "lists a record not carried": (*sign_receipt(extra, key),
                                       ReceiptProblem.RECORDS_NOT_CARRIED),
        "lists another revision": (*sign_receipt(newer, key),
                                   ReceiptProblem.RECORDS_NOT_CARRIED),
        "comment disagrees": (data, _signed(data, key, _receipt(
            written, centre, outcome=Outcome.DUPLICATE).comment()),
            ReceiptProblem.FIELDS_MISMATCH),
        "legacy signature": (data, _signed(data, key, _receipt(written, centre).comment(),
                                           prehash=False), ReceiptProblem.BAD_SIGNATURE),
    }
    assert _verify(data, signature, centre, written).outcome is Outcome.ACCEPTED
    for name, (body, sig, problem) in cases.items():
        assert _problem(body, sig, centre, written) is problem, name


def _signed(data: bytes, key: object, comment: str, prehash: bool = True) -> bytes:
    return bytes(key.sign(data, prehash=prehash, trusted_comment=comment)) + b"\n"  # type: ignore[attr-defined]


def test_signed_but_malformed_receipts_are_unreadable(
        sent: tuple[CentreKeys, Laptop, WrittenBundle]) -> None:
    centre, _, written = sent
    key = centre.keys.receipt.secret_key
    good = _receipt(written, centre).to_json()
    variants = [
        {**good, "extra": 1},
        {**good, "outcome": "rejected", "reason": "bad-payload"},  # refused yet lists records
        {**good, "reason": "bad-payload"},
        {**good, "outcome": "rejected", "reason": "device-pending", "records": []},
        {**good, "outcome": "maybe"},
        {**good, "seq": "17"},
        {**good, "records": [{"id": written.records[0].id, "revision": 1}]},
        {**good, "imported": "today"},
    ]
    for obj in variants:
        data = json.dumps(obj).encode()
        receipt_comment = _receipt(written, centre).comment().replace(
            "outcome=accepted", f"outcome={obj['outcome']}")
        problem = _problem(data, _signed(data, key, receipt_comment), centre, written)
        assert problem is ReceiptProblem.UNREADABLE, obj
        with pytest.raises(FormatProblem):
            parse_receipt(data)


def test_missing_signature_file_is_unreadable(sent: tuple[CentreKeys, Laptop, WrittenBundle]
                                              ) -> None:
    centre, _, written = sent
    path = write_receipt(Path(centre.profile.share), _receipt(written, centre),
                         centre.keys.receipt.secret_key)
    path.with_name(path.name + ".minisig").unlink()
    with pytest.raises(ReceiptRejected) as rejected:
        read_receipt(path, profile=centre.profile, bundle=SentBundle.from_written(written))
    assert rejected.value.problem is ReceiptProblem.UNREADABLE
    assert "Nothing was marked as delivered" in rejected.value.translated()


def test_conflicts_are_listed_only_when_there_are_some(
        sent: tuple[CentreKeys, Laptop, WrittenBundle]) -> None:
    centre, _, written = sent
    plain = _receipt(written, centre)
    assert "conflicts" not in json.loads(plain.to_bytes())  # what earlier versions wrote
    assert parse_receipt(plain.to_bytes()).conflicts == ()
    first = written.records[0]
    settled = replace(plain, conflicts=(ReceiptConflict(first.id, first.revision, "centre"),))
    data, signature = sign_receipt(settled, centre.keys.receipt.secret_key)
    assert json.loads(data)["conflicts"] == [
        {"id": first.id, "revision": first.revision, "kept": "centre"}]
    assert _verify(data, signature, centre, written) == settled


def test_malformed_conflicts_are_unreadable(sent: tuple[CentreKeys, Laptop, WrittenBundle]
                                            ) -> None:
    centre, _, written = sent
    first = written.records[0]
    good = _receipt(written, centre).to_json()
    entry = {"id": first.id, "revision": first.revision, "kept": "laptop"}
    variants = [
        [],  # an empty list is left out
        [{**entry, "kept": "both"}],
        [{**entry, "revision": 99}],  # not among the records
        [entry, entry],
        [{"id": first.id, "revision": first.revision}],
        [{**entry, "by": "Ada"}],
        {"id": first.id},
    ]
    for conflicts in variants:
        data = json.dumps({**good, "conflicts": conflicts}).encode()
        with pytest.raises(FormatProblem):
            parse_receipt(data)
        problem = _problem(data, _signed(data, centre.keys.receipt.secret_key,
                                         _receipt(written, centre).comment()), centre, written)
        assert problem is ReceiptProblem.UNREADABLE, conflicts

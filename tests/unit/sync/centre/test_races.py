"""The importer against another process changing the centre while a bundle is being checked.

Checks 1 to 6 read the vault without holding it; check 7's transaction must decide on what the
vault holds at commit time. "Another process" is simulated in process: a hook inside the checks
(the record validator, the device look-up, check 3, the receipt write) commits a change through
the real functions an administrator's command would use, on the same real centre vault. Also
here: receipts never replaced on the share for another payload, `key-retired` receipts, the
manifest checks' order and a negative last sequence number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from intake_app.storage.database import Connection
from intake_app.sync.centre import importer as centre_import
from intake_app.sync.centre import receipts as centre_receipts
from intake_app.sync.centre.devices import approve, get_device, retire, revoke
from intake_app.sync.centre.errors import LastSeqNegative
from intake_app.sync.centre.importer import ImportResult, import_bundle
from intake_app.sync.centre.log import alerts, import_log
from intake_app.sync.centre.quarantine import held_bundles
from intake_app.sync.centre.records import list_interviews
from intake_app.sync.centre.sequence import SEQ_FAR_AHEAD
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format.payload_reader import FormCheck
from intake_app.sync.format.reader import DeviceState, KnownDevice, SignedBundle
from intake_app.sync.format.receipt import SentBundle, read_receipt
from intake_app.sync.share import receipt_path
from tests.helpers.bundles import Laptop, comment_for, hand_payload, seal
from tests.helpers.centre import record_digest, register
from tests.helpers.documents import make_document
from tests.process.test_centre_cli import cli  # noqa: F401 - the command-line fixture

Run = Callable[..., tuple[int, str, str]]


def on_validate(centre: Centre, change: Callable[[], object]) -> None:
    """Make `change` (once) while check 6 validates the bundle's first record."""
    real = centre.validate_record
    done: list[bool] = []

    def validate(doc: Mapping[str, Any]) -> FormCheck:
        if not done:
            done.append(True)
            change()
        return real(doc)

    centre.validate_record = validate


def on_lookup(monkeypatch: pytest.MonkeyPatch, change: Callable[[], object]) -> None:
    """Make `change` (once) right after check 2 looked the signing device up."""
    real = centre_import.device_for_key
    done: list[bool] = []

    def lookup(conn: Connection, key_id: str) -> KnownDevice | None:
        found = real(conn, key_id)
        if not done:
            done.append(True)
            change()
        return found

    monkeypatch.setattr(centre_import, "device_for_key", lookup)


def share_receipt(centre: Centre, laptop: Laptop, seq: int) -> tuple[bytes, bytes]:
    path = receipt_path(centre.share, laptop.device_id, seq)
    return path.read_bytes(), path.with_name(path.name + ".minisig").read_bytes()


def refused_cleanly(centre: Centre, result: ImportResult, reason: Reason, before: str) -> None:
    """Rejected for `reason`, logged under the device, and no record data changed."""
    assert (result.outcome, result.reason) == (Outcome.REJECTED, reason)
    assert record_digest(centre.vault) == before
    entry = import_log(centre.vault)[0]
    assert (entry.outcome, entry.reason, entry.device_id) == (Outcome.REJECTED, reason,
                                                              result.device_id)


# --- D2: revoked or retired while the bundle is checked --------------------------------------


def test_device_revoked_while_checked_is_rejected(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    before = record_digest(centre.vault)
    on_validate(centre, lambda: revoke(centre.vault, laptop.device_id))
    result = import_bundle(centre, laptop.bundle(tmp_path, centre).path)
    refused_cleanly(centre, result, Reason.DEVICE_REVOKED, before)
    assert result.device_id == laptop.device_id
    # The signature verified: the laptop is told, so that it stops sending (the spec).
    assert result.receipt == receipt_path(centre.share, laptop.device_id, 1)
    assert b'"reason":"device-revoked"' in result.receipt.read_bytes()
    assert list_interviews(centre.vault) == []
    assert alerts(centre.vault)[0].reason is Reason.DEVICE_REVOKED


def test_key_retired_while_checked_is_rejected_with_a_receipt(centre: Centre,
                                                               tmp_path: Path,
                                                               laptop: Laptop) -> None:
    register(centre, laptop)
    assert import_bundle(centre, laptop.bundle(tmp_path / "1", centre).path).delivered
    written = laptop.bundle(tmp_path / "2", centre)  # seq 2
    before = record_digest(centre.vault)
    on_validate(centre, lambda: retire(centre.vault, laptop.device_id, 1))
    result = import_bundle(centre, written.path)
    refused_cleanly(centre, result, Reason.KEY_RETIRED, before)
    receipt = read_receipt(receipt_path(centre.share, laptop.device_id, 2),
                           profile=centre.profile, bundle=SentBundle.from_written(written))
    assert (receipt.outcome, receipt.reason) == (Outcome.REJECTED, Reason.KEY_RETIRED)


def test_device_revoked_before_a_duplicate_is_settled(centre: Centre, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      laptop: Laptop) -> None:
    register(centre, laptop)
    written = laptop.bundle(tmp_path, centre)
    assert import_bundle(centre, written.path).delivered
    accepted = share_receipt(centre, laptop, 1)
    real = centre_import.sequence_verdict

    def sequence(conn: Connection, signed: SignedBundle, **options: bool) -> Outcome | None:
        if get_device(centre.vault, laptop.device_id).state is not DeviceState.REVOKED:
            revoke(centre.vault, laptop.device_id)  # after check 2, during check 3
        return real(conn, signed, **options)

    monkeypatch.setattr(centre_import, "sequence_verdict", sequence)
    before = record_digest(centre.vault)
    result = import_bundle(centre, written.path)
    refused_cleanly(centre, result, Reason.DEVICE_REVOKED, before)
    assert share_receipt(centre, laptop, 1) == accepted


def test_device_revoked_before_the_hold_is_rejected(centre: Centre, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    laptop: Laptop) -> None:
    register(centre, laptop, active=False)
    on_lookup(monkeypatch, lambda: revoke(centre.vault, laptop.device_id))
    before = record_digest(centre.vault)
    result = import_bundle(centre, laptop.bundle(tmp_path, centre).path)
    refused_cleanly(centre, result, Reason.DEVICE_REVOKED, before)
    assert held_bundles(centre.vault) == []


# --- D5: approved while the bundle is checked -------------------------------------------------


def test_device_approved_while_checked_is_imported(centre: Centre, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   laptop: Laptop) -> None:
    register(centre, laptop, active=False)
    doc = make_document()
    written = laptop.bundle(tmp_path, centre, records=[doc])
    on_lookup(monkeypatch, lambda: approve(centre.vault, laptop.device_id, laptop.fingerprint))
    result = import_bundle(centre, written.path)
    assert (result.outcome, result.reason, result.records) == (Outcome.ACCEPTED, None, 1)
    assert held_bundles(centre.vault) == []
    assert [i.id for i in list_interviews(centre.vault)] == [doc["id"]]
    receipt = read_receipt(receipt_path(centre.share, laptop.device_id, 1),
                           profile=centre.profile, bundle=SentBundle.from_written(written))
    assert receipt.outcome is Outcome.ACCEPTED
    assert [e.outcome for e in import_log(centre.vault)] == [Outcome.ACCEPTED]


def test_last_seq_raised_while_checked_is_imported(centre: Centre, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   laptop: Laptop) -> None:
    register(centre, laptop)
    assert import_bundle(centre, laptop.bundle(tmp_path / "1", centre).path).delivered
    retire(centre.vault, laptop.device_id, 1)
    on_lookup(monkeypatch, lambda: retire(centre.vault, laptop.device_id, 2))
    result = import_bundle(centre, laptop.bundle(tmp_path / "2", centre).path)
    assert (result.outcome, result.seq) == (Outcome.ACCEPTED, 2)


def test_pending_device_still_pending_is_held(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop, active=False)
    result = import_bundle(centre, laptop.bundle(tmp_path, centre).path)
    assert (result.outcome, result.reason) == (Outcome.QUARANTINED, Reason.DEVICE_PENDING)
    assert [h.seq for h in held_bundles(centre.vault)] == [1]


# --- D3: the accepted bundle's receipt stays on the share -------------------------------------


def test_seq_conflict_keeps_the_accepted_receipt(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    first = laptop.bundle(tmp_path / "a", centre, seq=1)
    assert import_bundle(centre, first.path).delivered
    accepted = share_receipt(centre, laptop, 1)
    result = import_bundle(centre, laptop.bundle(tmp_path / "b", centre, seq=1).path)
    assert (result.outcome, result.reason) == (Outcome.REJECTED, Reason.SEQ_CONFLICT)
    assert alerts(centre.vault)[0].reason is Reason.SEQ_CONFLICT
    assert share_receipt(centre, laptop, 1) == accepted
    receipt = read_receipt(receipt_path(centre.share, laptop.device_id, 1),
                           profile=centre.profile, bundle=SentBundle.from_written(first))
    assert receipt.outcome is Outcome.ACCEPTED


def test_seq_conflict_puts_a_lost_accepted_receipt_back(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    assert import_bundle(centre, laptop.bundle(tmp_path / "a", centre, seq=1).path).delivered
    accepted = share_receipt(centre, laptop, 1)
    receipt_path(centre.share, laptop.device_id, 1).unlink()
    import_bundle(centre, laptop.bundle(tmp_path / "b", centre, seq=1).path)
    assert share_receipt(centre, laptop, 1) == accepted


def test_refusal_racing_an_acceptance_leaves_the_accepted_receipt(
        centre: Centre, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, laptop: Laptop) -> None:
    """Bundle B (damaged) is refused; before its receipt reaches the share, another process
    accepts bundle A under the same number and writes A's receipt first."""
    register(centre, laptop)
    good = laptop.bundle(tmp_path / "a", centre, seq=1)
    payload = hand_payload(centre, laptop, 1, [make_document()])
    name, data = payload[1]
    payload[1] = (name, data.replace(b'"A."', b'"B."'))
    damaged = seal(payload, centre, laptop, seq=1)
    real = centre_receipts.write_receipt_files
    other: list[ImportResult] = []

    def write(share: Path, signed: SignedBundle, receipt: tuple[bytes, bytes]) -> Path:
        if not other and signed.payload_sha256 != good.payload_sha256:
            other.append(import_bundle(centre, good.path))
        return real(share, signed, receipt)

    monkeypatch.setattr(centre_receipts, "write_receipt_files", write)
    result = import_bundle(centre, damaged)
    assert (result.outcome, result.reason) == (Outcome.REJECTED, Reason.HASH_MISMATCH)
    assert other[0].outcome is Outcome.ACCEPTED
    receipt = read_receipt(receipt_path(centre.share, laptop.device_id, 1),
                           profile=centre.profile, bundle=SentBundle.from_written(good))
    assert receipt.outcome is Outcome.ACCEPTED


def test_far_ahead_bundle_accepted_meanwhile_is_a_duplicate(
        centre: Centre, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, laptop: Laptop) -> None:
    """Check 3 says far ahead; before the hold, an administrator's release accepts it."""
    register(centre, laptop)
    far = laptop.bundle(tmp_path, centre, seq=SEQ_FAR_AHEAD + 5)
    real = centre_import.sequence_verdict
    other: list[ImportResult] = []
    started: list[bool] = []

    def sequence(conn: Connection, signed: SignedBundle, **options: bool) -> Outcome | None:
        try:
            return real(conn, signed, **options)
        finally:
            if not started:
                started.append(True)
                other.append(import_bundle(centre, far.path, waive_far_ahead=True))

    monkeypatch.setattr(centre_import, "sequence_verdict", sequence)
    result = import_bundle(centre, far.path)
    assert other[0].outcome is Outcome.ACCEPTED
    assert (result.outcome, result.reason) == (Outcome.DUPLICATE, None)
    assert held_bundles(centre.vault) == []
    receipt = read_receipt(receipt_path(centre.share, laptop.device_id, far.seq),
                           profile=centre.profile, bundle=SentBundle.from_written(far))
    assert receipt.outcome is Outcome.ACCEPTED


# --- D6: key-retired after the signature verified gets a receipt ------------------------------


def test_key_retired_gets_a_rejected_receipt(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    assert import_bundle(centre, laptop.bundle(tmp_path / "1", centre).path).delivered
    retire(centre.vault, laptop.device_id, 1)
    written = laptop.bundle(tmp_path / "2", centre)
    result = import_bundle(centre, written.path)
    assert (result.outcome, result.reason, result.device_id, result.seq) == (
        Outcome.REJECTED, Reason.KEY_RETIRED, laptop.device_id, 2)
    assert result.receipt == receipt_path(centre.share, laptop.device_id, 2)
    receipt = read_receipt(result.receipt, profile=centre.profile,
                           bundle=SentBundle.from_written(written))
    assert (receipt.outcome, receipt.reason, receipt.records) == (
        Outcome.REJECTED, Reason.KEY_RETIRED, ())


def test_revoked_device_gets_a_device_revoked_receipt(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    revoke(centre.vault, laptop.device_id)
    written = laptop.bundle(tmp_path, centre)
    result = import_bundle(centre, written.path)
    assert (result.reason, result.receipt) == (
        Reason.DEVICE_REVOKED, receipt_path(centre.share, laptop.device_id, 1))
    receipt = read_receipt(result.receipt, profile=centre.profile,
                           bundle=SentBundle.from_written(written))
    assert (receipt.outcome, receipt.reason) == (Outcome.REJECTED, Reason.DEVICE_REVOKED)


# --- D7: check 5 validates the manifest before comparing its hash -----------------------------


def test_invalid_manifest_with_another_hash_is_bad_payload(centre: Centre, laptop: Laptop) -> None:
    register(centre, laptop)
    payload = hand_payload(centre, laptop, 1, [make_document()], unknown_key=1)
    comment = comment_for(laptop, 1, b"some other manifest")
    result = import_bundle(centre, seal(payload, centre, laptop, seq=1, comment=comment))
    assert result.reason is Reason.BAD_PAYLOAD


def test_valid_manifest_with_another_hash_is_manifest_mismatch(
        centre: Centre, laptop: Laptop) -> None:
    register(centre, laptop)
    payload = hand_payload(centre, laptop, 1, [make_document()])
    comment = comment_for(laptop, 1, payload[0][1] + b" ")
    result = import_bundle(centre, seal(payload, centre, laptop, seq=1, comment=comment))
    assert result.reason is Reason.MANIFEST_MISMATCH


# --- D8: a negative last sequence number is a known error -------------------------------------


def test_retire_below_zero_is_a_known_error(centre: Centre, laptop: Laptop) -> None:
    register(centre, laptop)
    with pytest.raises(LastSeqNegative):
        retire(centre.vault, laptop.device_id, -1)
    assert get_device(centre.vault, laptop.device_id).state is DeviceState.ACTIVE


def test_retire_below_zero_on_the_command_line(cli: Run, tmp_path: Path) -> None:  # noqa: F811
    share = tmp_path / "share"
    assert cli("init", "--name", "Centre A", "--share", str(share))[0] == 0
    laptop = Laptop()
    laptop.enrol(share)
    assert cli("register", "--all")[0] == 0
    assert cli("approve", laptop.device_id, "--fingerprint", laptop.fingerprint)[0] == 0
    code, out, err = cli("retire", laptop.device_id, "--last-seq", "-1")
    assert code == 2
    assert "cannot be negative" in err and out == ""
    code, out, _err = cli("devices", "--json")
    assert code == 0 and '"active"' in out

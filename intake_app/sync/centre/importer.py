"""The centre's importer: the spec's checks in order, then one transaction, then the receipt.

Checks 1 to 6 are the format core's (`check_bundle`); check 3 reads this centre's import
records. Check 7 is one `BEGIN IMMEDIATE` transaction, whatever the verdict, that first makes
checks 2 and 3 again: another process may have revoked, retired or approved the device, or
imported the same bundle (then this one is a duplicate) or another under its number. Only then
does it add the revisions, apply the tombstones, record `(device, seq, payload hash)`, the log
row and the receipt; or hold the bundle, or log its refusal. A device approved while its bundle
was checked gets the bundle checked again as active instead of held. Only after the commit is
the receipt written to the share.

Whatever the outcome, the attempt is logged (`centre_log`). A rejected bundle writes nothing
else; a quarantined one is held in the vault (`centre_quarantine`). The payload is decrypted as
a stream, twice (`payload_reader`); its attachments are encrypted into the vault's attachment
files while they are checked (`apply.FileSink`), and check 7's transaction names them in rows.
A file no row names is removed when the import ends (or swept at the next unlock after a
crash), so a failed or killed import leaves neither a row nor, for long, a file.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast

from intake_app.errors import KnownError
from intake_app.storage import AttachmentFiles, Connection, VaultBusy, WrittenFile
from intake_app.sync.centre import receipts
from intake_app.sync.centre.apply import (
    AttachmentsGone,
    Choice,
    FileSink,
    apply_payload,
    conflicting_records,
    foreign_records,
    record_owner,
    settle_conflicts,
    undecided,
)
from intake_app.sync.centre.devices import (
    device_for_key,
    device_now,
    register_in,
    request_for_key,
)
from intake_app.sync.centre.errors import HeldCapReached
from intake_app.sync.centre.log import log_import
from intake_app.sync.centre.quarantine import (
    drop_held,
    hold,
    keep_choices,
    note_cap_alert,
    settle_files,
)
from intake_app.sync.centre.sequence import record_bundle, sequence_verdict
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import BundleRefused, Outcome, Reason
from intake_app.sync.format.check import BundleCheck, check_bundle
from intake_app.sync.format.enrolment import EnrolmentRequest
from intake_app.sync.format.payload_reader import VerifiedPayload
from intake_app.sync.format.reader import DeviceState, KnownDevice, SignedBundle, device_refusal
from intake_app.sync.format.receipt import parse_receipt
from intake_app.sync.share import ShareFile, open_share_file

BUSY_RETRIES = 5
CHECK_AGAIN = 3  # times a bundle is checked again when its checked files were lost
_T = TypeVar("_T")
# A refusal decided from the key id alone, before the signature proved anything: the log names
# the device the key belongs to (for the alert) but no receipt is written.
_NAMED_BY_KEY = (Reason.DEVICE_REVOKED,)
# Refusals for the device's state found after the signature verified; check 3 has not run.
_STATE_REASONS = (Reason.DEVICE_PENDING, Reason.KEY_RETIRED, Reason.DEVICE_REVOKED)
# A revoked laptop's bundle is refused only after its signature verified, and it gets a
# `device-revoked` receipt (the spec: "device-revoked and key-retired included"), which stops
# all sending from that laptop. An unknown key proves nothing, so it gets none.
_NO_RECEIPT = (Reason.UNKNOWN_DEVICE,)


@dataclass(frozen=True)
class ImportResult:
    """What happened to one bundle."""

    file: str
    outcome: Outcome
    reason: Reason | None
    device_id: str | None = None
    seq: int | None = None
    records: int = 0
    log_num: int | None = None
    conflicts: int = 0  # record conflicts settled by the administrator's choices
    receipt: Path | None = None
    receipt_error: KnownError | None = None

    @property
    def delivered(self) -> bool:
        """Accepted or a duplicate: the centre holds what the bundle carried."""
        return self.outcome in (Outcome.ACCEPTED, Outcome.DUPLICATE)

    def to_json(self) -> dict[str, Any]:
        """The command line's JSON object for this bundle."""
        return {"file": self.file, "outcome": self.outcome.value,
                "reason": None if self.reason is None else self.reason.value,
                "device_id": self.device_id, "seq": self.seq, "records": self.records}


@dataclass
class _Attempt:
    """One import in progress: the source, the verdict so far, the receipt to write."""

    centre: Centre
    source: bytes | BinaryIO  # the bytes, or the one handle every check and the hold read
    file_name: str
    held_num: int | None
    waive_far_ahead: bool
    # The administrator's choices for record conflicts, by (record id, revision).
    choices: Mapping[tuple[str, int], Choice] = field(default_factory=dict)
    looked_up: KnownDevice | None = None
    # The device as check 7 read it, when another process approved it (or moved its retired
    # key's last sequence number) while the bundle was checked: it is checked again with this.
    rechecked: KnownDevice | None = None
    receipt: receipts.SignedReceipt | None = None
    # The enrolment request on the share whose key signed the bundle, when no registry row
    # has that key: check 7 registers it (pending) once the signature verified.
    request: EnrolmentRequest | None = None
    written: list[WrittenFile] = field(default_factory=list)  # held files of this transaction
    dropped: list[str] = field(default_factory=list)  # held files it forgot


def _retrying(action: Callable[[], _T]) -> _T:
    """Run a transaction again when another process holds the vault a little too long."""
    for attempt in range(BUSY_RETRIES):
        try:
            return action()
        except VaultBusy:
            if attempt == BUSY_RETRIES - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def import_bundle(centre: Centre, source: Path | bytes | ShareFile, *,
                  file_name: str | None = None, held_num: int | None = None,
                  waive_far_ahead: bool = False,
                  choices: Mapping[tuple[str, int], Choice] | None = None) -> ImportResult:
    """Import one bundle file (its path, its bytes, or a share file already open) and write
    its receipt; never raises for bad input.

    A path is opened by the share's reading rule (`open_share_file`); every check, and the
    quarantine, read that one handle, never the name again. `held_num` releases a bundle from
    quarantine (it is forgotten unless held again); `waive_far_ahead` is the administrator's
    decision to accept a far-ahead sequence number; `choices` settle record conflicts (kept
    with the held bundle when others still wait). Raises `ShareNotAFile` (a link, pipe,
    device...), `ShareNotAnswering`, `ShareFileChanged` (what was read is not what was verified:
    nothing stored), `HeldCapReached` (a bundle to hold would pass a cap of the quarantine:
    nothing stored or answered, the administrator alerted once), `OSError` when the file
    cannot be read at all, and known errors of the vault.
    """
    if isinstance(source, Path):
        with open_share_file(source) as handle:
            return import_bundle(centre, handle, file_name=file_name or source.name,
                                 held_num=held_num, waive_far_ahead=waive_far_ahead,
                                 choices=choices)
    name = file_name if file_name is not None else (
        source.path.name if isinstance(source, ShareFile) else "bundle")
    attempt = _Attempt(centre, source if isinstance(source, bytes) else cast(BinaryIO, source),
                       name, held_num, waive_far_ahead, dict(choices or {}))
    lost = 0
    while True:
        try:
            return _attempt(attempt, source)
        except AttachmentsGone:
            lost += 1
            if lost >= CHECK_AGAIN:
                raise
        except HeldCapReached as reached:
            # Not held and not answered: the file stays where it is; the alert comes once.
            _retrying(functools.partial(note_cap_alert, centre.vault, reached))
            raise


def _attempt(attempt: _Attempt, source: bytes | ShareFile | BinaryIO) -> ImportResult:
    """Check and decide; again with the device's new state when it changed meanwhile."""
    while True:
        verdict = _check(attempt)
        if isinstance(source, ShareFile) and source.error is not None:
            # The share stopped answering during the checks: their verdict proves nothing.
            if verdict.payload is not None:
                verdict.payload.close()
            raise source.error
        try:
            result = _decide(attempt, verdict)
        finally:
            if verdict.payload is not None:
                verdict.payload.close()
        if isinstance(result, ImportResult):
            return _deliver(attempt, verdict.signed, result)
        # The device's state changed for the better while its bundle was checked: check it
        # again with that state (once: `_settle` asks only while `rechecked` is None).
        attempt.rechecked = result


def _check(attempt: _Attempt) -> BundleCheck:
    """Checks 1 to 6. Their look-ups read without a transaction of their own: each is one
    SELECT, and check 7 makes the decisive ones again inside its transaction."""
    centre = attempt.centre
    conn = centre.vault.connection

    def lookup(key_id: str) -> KnownDevice | None:
        # Checking again after an approval: the device as check 7 just read it.
        attempt.request = None
        attempt.looked_up = attempt.rechecked or device_for_key(conn, key_id)
        if attempt.looked_up is None:
            # A laptop that enrolled and sent at once: its request on the share has the key.
            attempt.request = request_for_key(centre.share, key_id)
            if attempt.request is not None:
                attempt.looked_up = KnownDevice(attempt.request.device_id,
                                                attempt.request.public_key,
                                                DeviceState.PENDING, None)
        return attempt.looked_up

    def sequence(signed: SignedBundle) -> Outcome | None:
        return sequence_verdict(conn, signed, waive_far_ahead=attempt.waive_far_ahead)

    return check_bundle(attempt.source, lookup=lookup, identities=centre.identities,
                        centre_id=centre.centre_id, validate_record=centre.validate_record,
                        record_owner=lambda record_id: record_owner(conn, record_id),
                        sequence=sequence, sink=FileSink(_files(centre)))


def _files(centre: Centre) -> AttachmentFiles:
    return AttachmentFiles(centre.vault.folder)


def _decide(attempt: _Attempt, verdict: BundleCheck) -> ImportResult | KnownDevice:
    """Check 7 for any verdict; a device when the bundle must be checked again with it."""
    signed = verdict.signed
    if signed is None:
        assert verdict.reason is not None
        reason = verdict.reason
        return _retrying(lambda: _in_transaction(attempt, lambda c: _reject(attempt, c, None,
                                                                             reason)))
    return _retrying(lambda: _in_transaction(attempt, lambda c: _settle(attempt, c, verdict,
                                                                         signed)))


def _in_transaction(attempt: _Attempt, step: Callable[[Connection], _T]) -> _T:
    attempt.receipt = None  # what an earlier try (rolled back) decided does not count
    attempt.written, attempt.dropped = [], []
    vault = attempt.centre.vault
    try:
        with vault.transaction() as conn:
            result = step(conn)
    except BaseException:
        settle_files(vault, attempt.written, attempt.dropped, committed=False)
        raise
    settle_files(vault, attempt.written, attempt.dropped, committed=True)
    return result


def _settle(attempt: _Attempt, conn: Connection, verdict: BundleCheck, signed: SignedBundle
            ) -> ImportResult | KnownDevice:
    """Check 7's transaction: checks 2 and 3 again on what the vault holds now, in the spec's
    order, then what checks 4 to 6 decided. A device: approved meanwhile, check it again."""
    device = device_now(conn, signed.device_id)
    if device is None and attempt.request is not None:
        # No registry row, but the signature verified with the key of the laptop's enrolment
        # request on the share: that request becomes a pending device, the bundle is held.
        device = register_in(conn, attempt.request)
    now = device_refusal(device, signed.seq)
    if now is not None:
        return _refuse(attempt, conn, signed, now)
    assert device is not None
    if verdict.reason in _STATE_REASONS and attempt.rechecked is None:
        return device  # nothing written: checks 3 to 6 have not run on this bundle yet
    if verdict.reason not in _STATE_REASONS:  # check 3 ran before; make it again
        try:
            again = sequence_verdict(conn, signed, waive_far_ahead=attempt.waive_far_ahead)
        except BundleRefused as refusal:
            return _refuse(attempt, conn, signed, refusal.reason)
        if again is Outcome.DUPLICATE:
            return _duplicate(attempt, conn, signed)
    if verdict.reason is not None:
        return _refuse(attempt, conn, signed, verdict.reason)
    assert verdict.outcome is Outcome.ACCEPTED and verdict.payload is not None
    return _accept(attempt, conn, signed, verdict.payload)


def _refuse(attempt: _Attempt, conn: Connection, signed: SignedBundle, reason: Reason
            ) -> ImportResult:
    if reason.outcome is Outcome.QUARANTINED:
        return _quarantine(attempt, conn, signed, reason)
    return _reject(attempt, conn, signed, reason)


def _accept(attempt: _Attempt, conn: Connection, signed: SignedBundle, payload: VerifiedPayload
            ) -> ImportResult:
    """Store an accepted bundle (or quarantine or refuse it for its records)."""
    if foreign_records(conn, payload, signed.device_id):
        return _reject(attempt, conn, signed, Reason.FOREIGN_RECORD)
    conflicts = conflicting_records(conn, payload)
    if undecided(conflicts, attempt.choices):
        result = _quarantine(attempt, conn, signed, Reason.RECORD_CONFLICT)
        if attempt.choices:  # the choices made so far wait with the bundle for the others
            keep_choices(conn, signed, attempt.choices.values())
        return result
    count = len(payload.records)
    num = log_import(conn, file_name=attempt.file_name, outcome=Outcome.ACCEPTED,
                     reason=None, device_id=signed.device_id, seq=signed.seq,
                     payload_sha256=signed.payload_sha256, records=count)
    settled = settle_conflicts(conn, payload, signed, num, conflicts, attempt.choices)
    carried = apply_payload(conn, _files(attempt.centre), payload, signed, num)
    record_bundle(conn, signed, payload.manifest, num)
    attempt.receipt = receipts.make_receipt(attempt.centre, signed, Outcome.ACCEPTED, None,
                                            carried, settled)
    receipts.store_receipt(conn, signed, attempt.receipt)
    _drop(attempt, conn)
    return replace(_result(attempt, Outcome.ACCEPTED, None, signed, num, count),
                   conflicts=len(settled))


def _result(attempt: _Attempt, outcome: Outcome, reason: Reason | None,
            signed: SignedBundle | None, num: int, records: int = 0) -> ImportResult:
    device = signed.device_id if signed is not None else None
    if device is None and reason in _NAMED_BY_KEY and attempt.looked_up is not None:
        device = attempt.looked_up.device_id
    return ImportResult(attempt.file_name, outcome, reason, device,
                        signed.seq if signed is not None else None, records, num)


def _log(attempt: _Attempt, conn: Connection, outcome: Outcome, reason: Reason | None,
         signed: SignedBundle | None, records: int = 0) -> ImportResult:
    result = _result(attempt, outcome, reason, signed, 0, records)
    num = log_import(conn, file_name=attempt.file_name, outcome=outcome, reason=reason,
                     device_id=result.device_id, seq=result.seq,
                     payload_sha256=None if signed is None else signed.payload_sha256,
                     records=records)
    return replace(result, log_num=num)


def _duplicate(attempt: _Attempt, conn: Connection, signed: SignedBundle) -> ImportResult:
    attempt.receipt = receipts.stored_receipt(conn, signed)
    if attempt.receipt is None:  # accepted before receipts were kept: sign a new one
        attempt.receipt = receipts.make_receipt(attempt.centre, signed, Outcome.DUPLICATE, None)
    _drop(attempt, conn)
    count = len(parse_receipt(attempt.receipt[0]).records)
    return _log(attempt, conn, Outcome.DUPLICATE, None, signed, count)


def _drop(attempt: _Attempt, conn: Connection) -> None:
    """Forget the held copy being released (its file goes after the commit)."""
    if attempt.held_num is not None and (name := drop_held(conn, attempt.held_num)):
        attempt.dropped.append(name)


def _quarantine(attempt: _Attempt, conn: Connection, signed: SignedBundle,
                reason: Reason) -> ImportResult:
    # Raises ShareFileChanged (the transaction is rolled back) when the bytes read now are not
    # those verified: the file is left for a later look, nothing is logged or answered.
    hold(conn, attempt.centre.vault, signed, reason, attempt.file_name, attempt.source,
         attempt.written)
    attempt.receipt = receipts.refusal_receipt(conn, attempt.centre, signed,
                                               Outcome.QUARANTINED, reason)
    return _log(attempt, conn, Outcome.QUARANTINED, reason, signed)


def _reject(attempt: _Attempt, conn: Connection, signed: SignedBundle | None,
            reason: Reason) -> ImportResult:
    if signed is not None and reason not in _NO_RECEIPT:
        attempt.receipt = receipts.refusal_receipt(conn, attempt.centre, signed,
                                                   Outcome.REJECTED, reason)
    _drop(attempt, conn)
    return _log(attempt, conn, Outcome.REJECTED, reason, signed)


def _deliver(attempt: _Attempt, signed: SignedBundle | None, result: ImportResult
             ) -> ImportResult:
    """Write the receipt to the share after the commit; a failure is reported, not raised."""
    if attempt.receipt is None or signed is None:
        return result
    share = attempt.centre.share
    try:
        path = receipts.write_receipt_files(share, signed, attempt.receipt)
        if not result.delivered:
            written = attempt.receipt
            _retrying(lambda: receipts.keep_accepted_receipt(attempt.centre.vault, share, signed,
                                                             written))
    except KnownError as error:
        return replace(result, receipt_error=error)
    return replace(result, receipt=path)

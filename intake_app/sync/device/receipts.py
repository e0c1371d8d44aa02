"""Receipts on the laptop: read, verify, and only then mark revisions delivered.

A receipt counts only if it verifies with the profile's receipt key, its signed comment
agrees with its contents, it is for the exact bundle in the outbox (same seq, same hash of
`payload.age`) and lists only records that bundle carried (`sync.receipt.verify_receipt`).
Then, in one vault transaction: the listed revisions (and, for an accepted bundle, the
tombstones it carried) are marked delivered and the receipt is kept; after the commit the
outbox file is dropped. A refusal for the bundle's contents is noted (`sync.device_refusals`)
so that the contents do not simply go again together.

A receipt whose bytes equal the copy kept for its bundle (a held bundle's, read again each
round) was applied already and is passed over. The centre replaces a receipt by renaming the
new `.minisig` into place and then the new receipt, so a pair read in between does not verify:
a pair whose signature fails is read once more, after a pause, before it counts as bad.

Receipts are read by the share's reading rules (`sync.share`): never through a link (a file or
a folder level below the share), never a pipe or device (those are left alone and logged
once, as if no receipt were there), each read with a time limit.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from intake_app.errors import KnownError
from intake_app.storage import Vault
from intake_app.sync.device.errors import (
    BundleRefusedByCentre,
    BundleRefusedInterviewKept,
    BundleRefusedSplit,
)
from intake_app.sync.device.identity import Device
from intake_app.sync.device.outbox import (
    WAITING,
    CarriedItem,
    Outbox,
    OutboxBundle,
    OutboxState,
    carried_items,
)
from intake_app.sync.device.refusals import RefusalEffect, clear_delivered, note_refusal
from intake_app.sync.device.share_pause import reread_pause
from intake_app.sync.errors import (
    Outcome,
    Reason,
    ReceiptProblem,
    ReceiptRejected,
    ShareNotAFile,
)
from intake_app.sync.format.receipt import (
    MAX_RECEIPT_SIZE,
    Receipt,
    verify_receipt,
)
from intake_app.sync.format.spec import MAX_SIGNATURE_SIZE, signature_path
from intake_app.sync.share import look_at, note_left_alone, read_share_file, receipt_path

_DELIVERING = (Outcome.ACCEPTED, Outcome.DUPLICATE)
_REFUSAL_PROBLEMS: dict[RefusalEffect, type[BundleRefusedByCentre]] = {
    RefusalEffect.RESENT: BundleRefusedByCentre,
    RefusalEffect.SPLIT: BundleRefusedSplit,
    RefusalEffect.KEPT: BundleRefusedInterviewKept,
}


@dataclass(frozen=True, slots=True)
class ReceiptResult:
    """What one receipt did: its outcome, how many revisions it marked, or why it was refused."""

    seq: int
    outcome: Outcome | None = None
    reason: Reason | None = None
    marked: int = 0
    problem: KnownError | None = None


def collect_receipts(vault: Vault, device: Device, share: Path, now: str, *,
                     pause: Callable[[], None] = reread_pause) -> list[ReceiptResult]:
    """Look for a receipt for every waiting bundle and apply those that verify.

    A receipt identical to the one kept for its bundle gives no result (applied already).
    `pause` is what happens before a pair whose signature fails is read again.
    """
    outbox = Outbox(vault)
    results: list[ReceiptResult] = []
    for bundle in outbox.bundles(WAITING):
        path = receipt_path(share, device.device_id, bundle.seq)
        info = look_at(path)
        if info is None:
            continue
        if not stat.S_ISREG(info.st_mode):
            note_left_alone(path, "not a file")
            continue
        try:
            result = take_receipt(vault, device, bundle, path, now, pause=pause, root=share)
        except ShareNotAFile:
            continue  # a link or a pipe where the receipt or its signature should be: logged
        if result is not None:
            results.append(result)
    return results


def take_receipt(vault: Vault, device: Device, bundle: OutboxBundle, path: Path, now: str, *,
                 pause: Callable[[], None] = reread_pause, root: Path | None = None
                 ) -> ReceiptResult | None:
    """Verify the receipt at `path` against `bundle` and apply it; nothing changes if it fails.

    None: the receipt is byte for byte the one already applied for this bundle. `root`: the
    share, whose folder levels down to `path` must not be links. Raises `ShareNotAFile` and
    `ShareNotAnswering` from the share's reading rules.
    """
    kept = _kept_receipt(vault, bundle.seq)
    try:
        return _take(vault, device, bundle, path, now, kept, root)
    except ReceiptRejected as problem:
        if problem.problem is not ReceiptProblem.BAD_SIGNATURE:
            return ReceiptResult(bundle.seq, problem=problem)
    pause()  # perhaps read between the centre's two renames: once more
    try:
        return _take(vault, device, bundle, path, now, kept, root)
    except ReceiptRejected as problem:
        return ReceiptResult(bundle.seq, problem=problem)


def _take(vault: Vault, device: Device, bundle: OutboxBundle, path: Path, now: str,
          kept: bytes | None, root: Path | None) -> ReceiptResult | None:
    data = _read_receipt(path, root)
    if kept is not None and data == kept:
        return None
    signature = _read_signature(path, root)
    sent = Outbox(vault).sent_bundle(device.device_id, bundle.seq)
    receipt = verify_receipt(data, signature, profile=device.profile, bundle=sent)
    return apply_receipt(vault, bundle.seq, receipt, data, signature, now)


def _kept_receipt(vault: Vault, seq: int) -> bytes | None:
    """The bytes of the receipt already applied for bundle `seq` (a held bundle's), if any."""
    with vault.transaction() as conn:
        row = conn.execute("SELECT data FROM device_receipt WHERE seq = ?", (seq,)).fetchone()
    return None if row is None else bytes(row[0])


def apply_receipt(vault: Vault, seq: int, receipt: Receipt, data: bytes, signature: bytes,
                  now: str) -> ReceiptResult:
    """Apply a verified receipt in one transaction (see the module docstring)."""
    with vault.transaction() as conn:
        row = conn.execute(
            "SELECT state, name FROM device_outbox WHERE seq = ?", (seq,)
        ).fetchone()
        if row is None or OutboxState(row[0]) not in WAITING:
            return ReceiptResult(seq, receipt.outcome, receipt.reason)
        marked = 0
        effect = RefusalEffect.RESENT
        if receipt.outcome in _DELIVERING:
            state = OutboxState.DELIVERED
            marked = _mark_delivered(vault, conn, seq, receipt)
        elif receipt.outcome is Outcome.QUARANTINED:
            state = OutboxState.HELD
        else:
            state = OutboxState.REFUSED
            if receipt.reason is not None:
                effect = note_refusal(conn, seq, receipt.reason, now)
        closed = None if state is OutboxState.HELD else now
        conn.execute(
            "UPDATE device_outbox SET state = ?, outcome = ?, reason = ?, closed = ? "
            "WHERE seq = ?",
            (state.value, receipt.outcome.value,
             None if receipt.reason is None else receipt.reason.value, closed, seq),
        )
        conn.execute(
            "INSERT INTO device_receipt (seq, outcome, reason, imported, received, data, "
            "signature) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (seq) DO UPDATE SET "
            "outcome = excluded.outcome, reason = excluded.reason, imported = excluded.imported,"
            " received = excluded.received, data = excluded.data, signature = excluded.signature",
            (seq, receipt.outcome.value,
             None if receipt.reason is None else receipt.reason.value, receipt.imported, now,
             data, signature),
        )
    if closed is not None and row[1]:
        Outbox(vault).files.remove(str(row[1]))  # a crash before this: the next sweep
    problem = None
    if state is OutboxState.REFUSED and receipt.reason is not None:
        problem = _REFUSAL_PROBLEMS[effect](seq, receipt.reason)
    return ReceiptResult(seq, receipt.outcome, receipt.reason, marked, problem)


def _mark_delivered(vault: Vault, conn: object, seq: int, receipt: Receipt) -> int:
    """Mark the receipt's records (by their file hashes) and the bundle's tombstones, and
    clear the refusal marks the delivery settles."""
    items = carried_items(conn, seq)
    clear_delivered(conn, _settled(items, receipt).items())
    revision_of = {
        (i.record_id, i.revision, i.sha256): i.revision_sha256
        for i in items if i.kind == "record"
    }
    triples: list[tuple[str, int, str]] = []
    for record in receipt.records:
        revision_sha = revision_of[(record.id, record.revision, record.sha256)]
        if revision_sha is not None:
            triples.append((record.id, record.revision, revision_sha))
    # An accepted bundle was imported in one transaction, tombstones included.
    triples += [(i.record_id, int(i.revision or 0), i.sha256)
                for i in items if i.kind == "tombstone"]
    return vault.interviews.mark_delivered(triples)


def _settled(items: list[CarriedItem], receipt: Receipt) -> dict[str, int | None]:
    """Record id -> the newest revision this delivery carried (None: attachments only)."""
    settled: dict[str, int | None] = {
        i.record_id: None for i in items if i.kind == "attachment"
    }
    revisions = [(r.id, r.revision) for r in receipt.records]
    revisions += [(i.record_id, int(i.revision or 0)) for i in items if i.kind == "tombstone"]
    for record_id, revision in revisions:
        settled[record_id] = max(revision, settled.get(record_id) or 0)
    return settled


def _read_receipt(path: Path, root: Path | None) -> bytes:
    try:
        data = read_share_file(path, MAX_RECEIPT_SIZE, root=root)
    except OSError as exc:
        raise ReceiptRejected(ReceiptProblem.UNREADABLE, "file unreadable") from exc
    if len(data) > MAX_RECEIPT_SIZE:
        raise ReceiptRejected(ReceiptProblem.UNREADABLE, "receipt too large")
    return data


def _read_signature(path: Path, root: Path | None) -> bytes:
    try:
        return read_share_file(signature_path(path), MAX_SIGNATURE_SIZE, root=root)
    except OSError as exc:
        raise ReceiptRejected(ReceiptProblem.UNREADABLE, "file unreadable") from exc

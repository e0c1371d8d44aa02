"""Receipts at the centre: signed with the receipt key, kept for accepted bundles, written out.

An accepted bundle's receipt is stored in the vault in the import's own transaction and then
written to `<share>/receipts/<device>/`. A duplicate gets that stored receipt again, byte for
byte. Receipts for other outcomes are signed when needed and not stored.

The share holds one receipt per (device, seq), so once a bundle was accepted under that pair,
its receipt is the only one ever written there: a bundle refused under the same pair (a
`seq-conflict`) reissues the accepted bundle's stored receipt, never one for its own payload,
and a refusal that raced with such an acceptance puts the accepted receipt back.

A receipt is written only when the bundle's signature has proved which device and which
sequence number it is for: the receipt's file name and fields come from them, and a file that
failed the signature check must not be able to replace a real receipt on the share.
"""

from __future__ import annotations

from pathlib import Path

import minisign

from intake_app.domain.utc_time import utc_now
from intake_app.storage import Connection, Vault
from intake_app.sync.centre.sequence import imported_payload
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format.reader import SignedBundle
from intake_app.sync.format.receipt import Receipt, ReceiptConflict, ReceiptRecord, sign_receipt
from intake_app.sync.share import receipt_path, share_folder, write_signed_file

SignedReceipt = tuple[bytes, bytes]
"""The receipt file's bytes and its `.minisig` file's bytes."""


def make_receipt(centre: Centre, signed: SignedBundle, outcome: Outcome, reason: Reason | None,
                 records: tuple[ReceiptRecord, ...] = (),
                 conflicts: tuple[ReceiptConflict, ...] = ()) -> SignedReceipt:
    """Sign a receipt for a bundle whose signature verified."""
    receipt = Receipt(
        centre_id=centre.centre_id, device_id=signed.device_id, seq=signed.seq,
        payload_sha256=signed.payload_sha256, outcome=outcome, reason=reason,
        imported=utc_now(), records=records, conflicts=conflicts,
    )
    return sign_receipt(receipt, centre.receipt_key)


def store_receipt(conn: Connection, signed: SignedBundle, receipt: SignedReceipt) -> None:
    """Keep an accepted bundle's receipt (inside the import's transaction)."""
    data, signature = receipt
    conn.execute(
        "INSERT OR REPLACE INTO centre_receipt (device_id, seq, payload_sha256, data, signature, "
        "issued) VALUES (?, ?, ?, ?, ?, ?)",
        (signed.device_id, signed.seq, signed.payload_sha256, data, signature, utc_now()),
    )


def stored_receipt(conn: Connection, signed: SignedBundle) -> SignedReceipt | None:
    """The receipt issued when this exact bundle was accepted, if any."""
    row = conn.execute(
        "SELECT data, signature FROM centre_receipt WHERE device_id = ? AND seq = ? AND "
        "payload_sha256 = ?", (signed.device_id, signed.seq, signed.payload_sha256)
    ).fetchone()
    return None if row is None else (bytes(row[0]), bytes(row[1]))


def accepted_receipt(conn: Connection, device_id: str, seq: int) -> SignedReceipt | None:
    """The stored receipt of the bundle accepted under (device, seq), whatever its payload."""
    row = conn.execute(
        "SELECT r.data, r.signature FROM centre_bundle AS b JOIN centre_receipt AS r "
        "ON r.device_id = b.device_id AND r.seq = b.seq AND r.payload_sha256 = b.payload_sha256 "
        "WHERE b.device_id = ? AND b.seq = ?", (device_id, seq)
    ).fetchone()
    return None if row is None else (bytes(row[0]), bytes(row[1]))


def refusal_receipt(conn: Connection, centre: Centre, signed: SignedBundle, outcome: Outcome,
                    reason: Reason) -> SignedReceipt | None:
    """The receipt for a quarantined or rejected bundle (inside the import's transaction).

    When a bundle was already accepted under the same (device, seq), the share must keep that
    bundle's receipt: it is issued again (None when it was not kept), never a new one.
    """
    if imported_payload(conn, signed.device_id, signed.seq) is None:
        return make_receipt(centre, signed, outcome, reason)
    return accepted_receipt(conn, signed.device_id, signed.seq)


def keep_accepted_receipt(vault: Vault, share: Path, signed: SignedBundle,
                          written: SignedReceipt) -> None:
    """After a refusal's receipt was written: put back the receipt of a bundle that another
    process accepted under the same (device, seq) meanwhile and may have written before ours.

    That process writes its receipt only after its commit, so when it commits after this read
    its own write comes later than ours anyway.
    """
    with vault.transaction() as conn:
        accepted = accepted_receipt(conn, signed.device_id, signed.seq)
    if accepted is not None and accepted != written:
        write_receipt_files(share, signed, accepted)


def write_receipt_files(share: Path, signed: SignedBundle, receipt: SignedReceipt) -> Path:
    """Write the receipt and its signature to the share (signature first, both atomically)."""
    return _write_pair(share, signed.device_id, signed.seq, receipt)


def write_receipt(share: Path, receipt: Receipt, secret_key: minisign.SecretKey) -> Path:
    """Sign `receipt` and write it with its `.minisig` under `<share>/receipts/<device_id>/`."""
    return _write_pair(share, receipt.device_id, receipt.seq, sign_receipt(receipt, secret_key))


def _write_pair(share: Path, device_id: str, seq: int, receipt: SignedReceipt) -> Path:
    data, signature = receipt
    path = receipt_path(share, device_id, seq)
    share_folder(share, path.parent)  # never into a folder planted as a link
    return write_signed_file(path, data, signature)

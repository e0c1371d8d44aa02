"""Receipts: the centre's signed word on what it did with a bundle, checked by the device.

`conflicts` (bundle-format.md "Receipts") lists the revisions held as a `record-conflict` and
settled by the administrator. It is written only when there is one, so a receipt without
conflicts is byte for byte what earlier versions wrote and read; a receipt without the key
parses as having none. Each conflict is also among `records` (the centre holds the carried
version, current or set aside), names a distinct revision, and comes only with a delivery.

A device marks revisions delivered only from a receipt that verifies with the profile's
receipt key, whose signed comment agrees with its contents, that is for the exact bundle in
the outbox, and that lists only records that bundle carried.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import minisign

from intake_app.sync.errors import Outcome, Reason, ReceiptProblem, ReceiptRejected
from intake_app.sync.format.bundle_file import WrittenBundle
from intake_app.sync.format.keys import parse_public_key
from intake_app.sync.format.profile import CentreProfile
from intake_app.sync.format.spec import MAX_PAYLOAD_ENTRIES, MAX_SIGNATURE_SIZE, read_signed_file
from intake_app.sync.format.strict_json import (
    SHA256_RE,
    UUID_RE,
    FormatProblem,
    dumps_ordered,
    exact_keys,
    expect,
    get_int,
    get_list,
    get_match,
    get_object,
    get_timestamp,
    loads_object,
)

RECEIPT_FORMAT = "intake-receipt"
RECEIPT_VERSION = 1
MAX_RECEIPT_SIZE = 4 * 1024 * 1024
_KEYS = frozenset({"format", "version", "centre_id", "device_id", "seq", "payload_sha256",
                   "outcome", "reason", "imported", "records"})
_OPTIONAL_KEYS = frozenset({"conflicts"})
_RECORD_KEYS = frozenset({"id", "revision", "sha256"})
_CONFLICT_KEYS = frozenset({"id", "revision", "kept"})
KEPT_VALUES = ("centre", "laptop")
_DELIVERING = (Outcome.ACCEPTED, Outcome.DUPLICATE)
_COMMENT_RE = re.compile(
    r"intake-receipt v1 device=(\S+) seq=([1-9][0-9]*) outcome=([a-z]+) payload=([0-9a-f]{64})"
)


@dataclass(frozen=True, slots=True)
class ReceiptRecord:
    """A record revision the centre now holds; `sha256` is that of `records/<id>.json`."""

    id: str
    revision: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ReceiptConflict:
    """A revision held as a record conflict and settled: `kept` is "centre" or "laptop"."""

    id: str
    revision: int
    kept: str


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the centre did with one bundle."""

    centre_id: str
    device_id: str
    seq: int
    payload_sha256: str
    outcome: Outcome
    reason: Reason | None
    imported: str
    records: tuple[ReceiptRecord, ...] = ()
    conflicts: tuple[ReceiptConflict, ...] = ()

    def comment(self) -> str:
        """The exact trusted comment of the receipt's signature."""
        return (f"intake-receipt v1 device={self.device_id} seq={self.seq} "
                f"outcome={self.outcome.value} payload={self.payload_sha256}")

    def file_name(self) -> str:
        return receipt_file_name(self.device_id, self.seq)

    def to_json(self) -> dict[str, Any]:
        obj: dict[str, Any] = {
            "format": RECEIPT_FORMAT, "version": RECEIPT_VERSION, "centre_id": self.centre_id,
            "device_id": self.device_id, "seq": self.seq,
            "payload_sha256": self.payload_sha256, "outcome": self.outcome.value,
            "reason": None if self.reason is None else self.reason.value,
            "imported": self.imported,
            "records": [{"id": r.id, "revision": r.revision, "sha256": r.sha256}
                        for r in self.records],
        }
        if self.conflicts:
            obj["conflicts"] = [{"id": c.id, "revision": c.revision, "kept": c.kept}
                                for c in self.conflicts]
        return obj

    def to_bytes(self) -> bytes:
        """The receipt file's bytes; checked by parsing them back."""
        data = dumps_ordered(self.to_json())
        parse_receipt(data)
        return data


def receipt_file_name(device_id: str, seq: int) -> str:
    """`<device_id>-<seq, 8 digits>.receipt.json`, the same stem as the bundle's name."""
    return f"{device_id}-{seq:08d}.receipt.json"


def _outcome_and_reason(obj: dict[str, Any]) -> tuple[Outcome, Reason | None]:
    try:
        outcome = Outcome(obj["outcome"])
        reason = None if obj["reason"] is None else Reason(obj["reason"])
    except (ValueError, TypeError) as exc:
        raise FormatProblem("unknown outcome or reason") from exc
    if (reason is None) != (outcome in _DELIVERING) or (
        reason is not None and reason.outcome is not outcome
    ):
        raise FormatProblem("reason does not fit the outcome")
    return outcome, reason


def _record(obj: dict[str, Any]) -> ReceiptRecord:
    exact_keys(obj, _RECORD_KEYS)
    return ReceiptRecord(get_match(obj, "id", UUID_RE), get_int(obj, "revision", minimum=1),
                         get_match(obj, "sha256", SHA256_RE))


def _conflict(obj: dict[str, Any]) -> ReceiptConflict:
    exact_keys(obj, _CONFLICT_KEYS)
    kept = obj["kept"]
    if kept not in KEPT_VALUES:
        raise FormatProblem("unknown kept")
    return ReceiptConflict(get_match(obj, "id", UUID_RE), get_int(obj, "revision", minimum=1),
                           str(kept))


def _conflicts(obj: dict[str, Any], records: tuple[ReceiptRecord, ...]
               ) -> tuple[ReceiptConflict, ...]:
    if "conflicts" not in obj:
        return ()
    conflicts = tuple(_conflict(get_object(item))
                      for item in get_list(obj, "conflicts", max_len=MAX_PAYLOAD_ENTRIES))
    if not conflicts:
        raise FormatProblem("an empty conflicts list is left out")
    pairs = [(c.id, c.revision) for c in conflicts]
    if len(set(pairs)) != len(pairs):
        raise FormatProblem("a conflict listed twice")
    if not set(pairs) <= {(r.id, r.revision) for r in records}:
        raise FormatProblem("a conflict not among the records")
    return conflicts


def parse_receipt(data: bytes) -> Receipt:
    """Parse a receipt strictly; raises `FormatProblem`."""
    if len(data) > MAX_RECEIPT_SIZE:
        raise FormatProblem("receipt too large")
    obj = loads_object(data)
    exact_keys(obj, _KEYS | (_OPTIONAL_KEYS & obj.keys()))
    expect(obj, "format", RECEIPT_FORMAT)
    expect(obj, "version", RECEIPT_VERSION)
    outcome, reason = _outcome_and_reason(obj)
    records = tuple(_record(get_object(item))
                    for item in get_list(obj, "records", max_len=MAX_PAYLOAD_ENTRIES))
    if records and outcome not in _DELIVERING:
        raise FormatProblem("a refused bundle's receipt lists records")
    conflicts = _conflicts(obj, records)
    return Receipt(
        centre_id=get_match(obj, "centre_id", UUID_RE),
        device_id=get_match(obj, "device_id", UUID_RE),
        seq=get_int(obj, "seq", minimum=1),
        payload_sha256=get_match(obj, "payload_sha256", SHA256_RE),
        outcome=outcome, reason=reason,
        imported=get_timestamp(obj, "imported"),
        records=records, conflicts=conflicts,
    )


def sign_receipt(receipt: Receipt, secret_key: minisign.SecretKey) -> tuple[bytes, bytes]:
    """The receipt's bytes and its minisign signature file (prehashed, receipt key)."""
    data = receipt.to_bytes()
    signature = secret_key.sign(data, prehash=True, trusted_comment=receipt.comment())
    return data, bytes(signature) + b"\n"


def _verified_comment(data: bytes, signature_data: bytes, receipt_key: str) -> str:
    if len(signature_data) > MAX_SIGNATURE_SIZE:
        raise ReceiptRejected(ReceiptProblem.UNREADABLE, "signature too large")
    try:
        signature = minisign.Signature.from_bytes(signature_data)
    except (minisign.Error, ValueError):
        raise ReceiptRejected(ReceiptProblem.UNREADABLE, "signature unreadable") from None
    try:
        if not signature.is_prehashed():
            raise minisign.VerifyError("not prehashed")
        parse_public_key(receipt_key).verify(data, signature)
    except (minisign.Error, FormatProblem, ValueError):
        raise ReceiptRejected(ReceiptProblem.BAD_SIGNATURE) from None
    return str(signature.trusted_comment)


@dataclass(frozen=True, slots=True)
class SentBundle:
    """The outbox's facts about a bundle, against which its receipt is checked."""

    device_id: str
    seq: int
    payload_sha256: str
    carried: frozenset[tuple[str, int, str]]  # (record id, revision, sha256 of its file)

    @classmethod
    def from_written(cls, bundle: WrittenBundle) -> SentBundle:
        return cls(bundle.device_id, bundle.seq, bundle.payload_sha256,
                   frozenset((r.id, r.revision, r.sha256) for r in bundle.records))


def verify_receipt(
    data: bytes, signature_data: bytes, *, profile: CentreProfile, bundle: SentBundle
) -> Receipt:
    """Verify a receipt for a bundle in the outbox; raises `ReceiptRejected`.

    Only a receipt returned from here may mark the revisions it lists as delivered.
    """
    comment = _verified_comment(data, signature_data, profile.receipt_key)
    try:
        receipt = parse_receipt(data)
    except FormatProblem:
        raise ReceiptRejected(ReceiptProblem.UNREADABLE, "receipt unreadable") from None
    if comment != receipt.comment() or not _COMMENT_RE.fullmatch(comment):
        raise ReceiptRejected(ReceiptProblem.FIELDS_MISMATCH)
    if (receipt.centre_id, receipt.device_id, receipt.seq, receipt.payload_sha256) != (
        profile.centre_id, bundle.device_id, bundle.seq, bundle.payload_sha256
    ):
        raise ReceiptRejected(ReceiptProblem.OTHER_BUNDLE)
    if any((r.id, r.revision, r.sha256) not in bundle.carried for r in receipt.records):
        raise ReceiptRejected(ReceiptProblem.RECORDS_NOT_CARRIED)
    return receipt


def read_receipt(path: Path, *, profile: CentreProfile, bundle: SentBundle) -> Receipt:
    """Read a receipt file and the `.minisig` beside it and verify them (`verify_receipt`)."""
    try:
        data, signature_data = read_signed_file(path, MAX_RECEIPT_SIZE)
    except OSError as exc:
        raise ReceiptRejected(ReceiptProblem.UNREADABLE, "file unreadable") from exc
    if len(data) > MAX_RECEIPT_SIZE:
        raise ReceiptRejected(ReceiptProblem.UNREADABLE, "receipt too large")
    return verify_receipt(data, signature_data, profile=profile, bundle=bundle)

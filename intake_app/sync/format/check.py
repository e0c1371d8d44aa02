"""Run the importer's checks 1 to 6 on one bundle and give a verdict with a stable reason code.

Check 7 (the one transaction that stores the contents) belongs to the centre's importer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pyrage import x25519

from intake_app.sync.errors import BundleRefused, Outcome, Reason
from intake_app.sync.format.payload_reader import (
    AttachmentSink,
    RecordOwner,
    RecordValidator,
    VerifiedPayload,
    no_owner,
    open_payload,
)
from intake_app.sync.format.reader import (
    BundleSource,
    DeviceLookup,
    SignedBundle,
    VerifiedRefusal,
    open_container,
    verify_signature,
)
from intake_app.sync.format.spec import MAX_BUNDLE_SIZE

SequenceCheck = Callable[[SignedBundle], Outcome | None]
"""Check 3 against the centre's import log: `None` to go on, `duplicate`, or raise."""


@dataclass(frozen=True, slots=True)
class BundleCheck:
    """The verdict on one bundle: outcome, reason code, and what was verified so far."""

    outcome: Outcome
    reason: Reason | None
    signed: SignedBundle | None = None
    payload: VerifiedPayload | None = None


def check_bundle(
    source: BundleSource,
    *,
    lookup: DeviceLookup,
    identities: Sequence[x25519.Identity],
    centre_id: str,
    validate_record: RecordValidator,
    record_owner: RecordOwner = no_owner,
    sequence: SequenceCheck | None = None,
    max_size: int = MAX_BUNDLE_SIZE,
    sink: AttachmentSink | None = None,
) -> BundleCheck:
    """Run checks 1 to 6 in order and stop at the first failure.

    `sequence` is check 3 (see `check_sequence`); without it check 3 is skipped. `sink`
    keeps the attachments while they are checked (default: in memory). On `accepted` the
    caller must close `payload` once the transaction (check 7) is done.
    """
    signed: SignedBundle | None = None
    try:
        with open_container(source, max_size=max_size) as container:
            signed = verify_signature(container, lookup)
            verdict = sequence(signed) if sequence is not None else None
            if verdict is not None:
                return BundleCheck(verdict, None, signed)
            payload = open_payload(container, signed, identities=identities,
                                   centre_id=centre_id, validate_record=validate_record,
                                   record_owner=record_owner, sink=sink)
    except VerifiedRefusal as refusal:  # device pending or key retired: the signature verified
        return BundleCheck(refusal.outcome, refusal.reason, refusal.signed)
    except BundleRefused as refusal:
        return BundleCheck(refusal.outcome, refusal.reason, signed)
    return BundleCheck(Outcome.ACCEPTED, None, signed, payload)

"""Export: put everything new or changed into bundles in the vault's outbox.

For each bundle: reserve its sequence number (committed) -> write its file into the vault's
outbox folder (partial name, fsync, rename) -> store it as ready with what it carried
(committed). A crash anywhere in between leaves a `building` row, which the next export
abandons and reports in `abandoned_seqs`, and at most a stray file, which it sweeps away.
Copying to the share or a USB stick is the transports' job, from the stored bytes.

Records the centre's refusals marked to travel alone (`sync.device_refusals`) each get bundles
of their own, after the bundles of everything else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from intake_app.errors import KnownError
from intake_app.storage import Vault
from intake_app.sync.device.changes import PendingChanges, pending_changes
from intake_app.sync.device.errors import InterviewsIncomplete, InterviewsTooLarge
from intake_app.sync.device.identity import Device, load_device
from intake_app.sync.device.outbox import CarriedItem, Outbox, OutboxBundle, export_lock
from intake_app.sync.device.plan import plan_bundles
from intake_app.sync.errors import ExportTooLarge
from intake_app.sync.format.bundle_file import BundleContents
from intake_app.sync.format.spec import MAX_BUNDLE_SIZE, bundle_name
from intake_app.sync.format.strict_json import format_timestamp
from intake_app.sync.format.writer import BundleFacts, write_bundle_to

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class ExportResult:
    """The bundles made, the abandoned seqs they report, and records that could not go."""

    bundles: tuple[OutboxBundle, ...] = ()
    abandoned_reported: tuple[int, ...] = ()
    incomplete: tuple[str, ...] = ()  # record ids lacking fields every interview must have
    too_large: tuple[str, ...] = ()  # record ids too large for any bundle

    @property
    def skipped(self) -> tuple[str, ...]:
        """Every record id that could not go, for whatever reason."""
        return self.incomplete + self.too_large

    def problems(self) -> list[KnownError]:
        """What the worker is told about the records that could not go."""
        problems: list[KnownError] = []
        if self.too_large:
            problems.append(InterviewsTooLarge(len(self.too_large)))
        if self.incomplete:
            problems.append(InterviewsIncomplete(len(self.incomplete)))
        return problems


def _now() -> datetime:
    return datetime.now(UTC)


def export_changes(
    vault: Vault,
    *,
    max_size: int = MAX_BUNDLE_SIZE,
    clock: Clock = _now,
    device: Device | None = None,
) -> ExportResult:
    """Make bundles of everything not yet delivered or on its way; return what was made.

    Makes nothing when there is nothing to carry and no abandoned seq to report.
    """
    device = device or load_device(vault)
    outbox = Outbox(vault)
    with export_lock(vault):
        outbox.recover_interrupted(format_timestamp(clock()))
        changes = pending_changes(vault)
        abandoned = outbox.unreported_abandoned()
        if changes.empty and not abandoned:
            return ExportResult(incomplete=tuple(changes.incomplete))
        plans, changes = _plan(changes, abandoned, device, max_size)
        made = [
            _make_bundle(vault, outbox, device, contents, changes, clock, max_size)
            for contents in plans
            if contents.records or contents.attachments or contents.deleted
            or contents.abandoned_seqs
        ]
    return ExportResult(tuple(made), tuple(abandoned), tuple(changes.incomplete),
                        tuple(changes.too_large))


def _plan(changes: PendingChanges, abandoned: list[int], device: Device, max_size: int
          ) -> tuple[list[BundleContents], PendingChanges]:
    """Plan the bundles; a record too large for any bundle stays behind, the rest go."""
    recipients = len(device.profile.age_recipients)

    def plan(c: PendingChanges, seqs: Sequence[int] = ()) -> list[BundleContents]:
        return plan_bundles(c.records, c.attachments, c.tombstones, seqs,
                            recipients=recipients, max_size=max_size)

    def plan_all(c: PendingChanges) -> list[BundleContents]:
        alone = sorted(c.alone & c.record_ids())
        plans = plan(c.only(c.record_ids() - set(alone)), abandoned)
        for record_id in alone:
            plans += plan(c.only({record_id}))
        return plans

    try:
        return plan_all(changes), changes
    except ExportTooLarge:
        too_large = {
            record_id for record_id in sorted(changes.record_ids())
            if not _fits(plan, changes.only({record_id}))
        }
        changes = changes.too_large_left_out(too_large)
        return plan_all(changes), changes


def _fits(plan: Callable[[PendingChanges], object], changes: PendingChanges) -> bool:
    try:
        plan(changes)
    except ExportTooLarge:
        return False
    return True


def _make_bundle(vault: Vault, outbox: Outbox, device: Device, contents: BundleContents,
                 changes: PendingChanges, clock: Clock, max_size: int) -> OutboxBundle:
    created = clock()
    seq = outbox.reserve(format_timestamp(created))
    name = bundle_name(device.device_id, seq)
    try:
        with outbox.files.writing(name) as handle:
            facts = write_bundle_to(
                handle, profile=device.profile, device_id=device.device_id,
                device_key=device.secret_key, seq=seq, created=created, contents=contents,
                max_size=max_size,
            )
        return outbox.store(facts, _carried(facts, changes), contents.abandoned_seqs)
    except BaseException:
        with contextlib.suppress(Exception):
            outbox.abandon(seq, format_timestamp(clock()))
            outbox.files.remove(name)
        raise


def _carried(facts: BundleFacts, changes: PendingChanges) -> list[CarriedItem]:
    manifest = facts.manifest
    items = [
        CarriedItem("record", r.id, r.revision, r.sha256, changes.revision_hashes[r.id])
        for r in manifest.records
    ]
    items += [CarriedItem("attachment", a.record_id, None, a.sha256, None)
              for a in manifest.attachments]
    for tombstone in manifest.deleted:
        revision_hash = changes.revision_hashes[tombstone.id]
        items.append(CarriedItem("tombstone", tombstone.id, tombstone.revision, revision_hash,
                                 revision_hash))
    return items

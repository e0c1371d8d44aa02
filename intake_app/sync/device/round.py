"""One sync round on the laptop: export, upload, receipts, the centre's forms, purge; and the
status it ends in.

Used by `intake-app sync` and by the watcher. Known errors met on the way become the status's
problem (with what to do); anything else is a bug and propagates. The forms are the exception:
whatever happens while they are picked up (`form_pickup`) is logged and never touches the
round's status, so the interviews' sync goes on regardless.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from intake_app.errors import KnownError, VaultLocked
from intake_app.safelog import log_bug
from intake_app.storage import InterviewSummary, Vault
from intake_app.sync.device.errors import (
    InterviewsRefusedByCentre,
    NotEnrolled,
    OutboxCopyDamaged,
    ShareNotResponding,
    ShareNotWritable,
)
from intake_app.sync.device.export import export_changes
from intake_app.sync.device.form_pickup import FormPickup, pick_up_forms
from intake_app.sync.device.identity import Device, load_device
from intake_app.sync.device.outbox import WAITING, Outbox, OutboxBundle, OutboxState
from intake_app.sync.device.probe import Reachability, ShareProbe
from intake_app.sync.device.purge import purge_due
from intake_app.sync.device.receipts import ReceiptResult, collect_receipts
from intake_app.sync.device.refusals import refused_interviews
from intake_app.sync.device.status import SyncState, SyncStatus
from intake_app.sync.device.transport import copy_bundle, prepare_inbox, same_file_there
from intake_app.sync.format.spec import MAX_BUNDLE_SIZE
from intake_app.sync.format.strict_json import format_timestamp, parse_timestamp

ProgressCallback = Callable[[SyncStatus], None]
Clock = Callable[[], datetime]
# A bundle the importer took (it is no longer in the inbox) without a receipt yet is copied
# again this long after its last copy (bundle-format.md, "Resending"); at once on Sync now.
RESEND_AFTER = timedelta(minutes=15)
# A held bundle (a `device-pending` receipt) is copied again this long after its last copy, so
# that a centre restored from a backup that lost it gets it again; at once on Sync now. Longer
# than RESEND_AFTER: each copy of a held bundle lands in the centre's `processed/` folder.
RESEND_HELD_AFTER = timedelta(hours=6)


class ExportWhen(StrEnum):
    ALWAYS = "always"
    WHEN_REACHABLE = "when-reachable"
    NEVER = "never"


@dataclass(frozen=True, slots=True)
class SyncOptions:
    """How a round behaves. `share` overrides the profile's share folder."""

    export: ExportWhen = ExportWhen.WHEN_REACHABLE
    purge: bool = True
    force_resend: bool = False
    max_bundle_size: int = MAX_BUNDLE_SIZE
    resend_after: timedelta = RESEND_AFTER
    resend_held_after: timedelta = RESEND_HELD_AFTER
    share: Path | None = None


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What a round did and the status it ended in."""

    status: SyncStatus
    exported: tuple[int, ...] = ()
    uploaded: tuple[int, ...] = ()
    receipts: tuple[ReceiptResult, ...] = ()
    purged: int = 0
    problems: tuple[KnownError, ...] = ()
    forms: FormPickup | None = None  # None: the share's forms were not looked at

    def as_dict(self) -> dict[str, Any]:
        """Codes, numbers and times only: nothing personal."""
        return {
            **self.status.as_dict(),
            "exported": list(self.exported),
            "uploaded": list(self.uploaded),
            "receipts": [
                {"seq": r.seq, "outcome": r.outcome and r.outcome.value,
                 "reason": r.reason and r.reason.value, "marked": r.marked,
                 "problem": r.problem and r.problem.code}
                for r in self.receipts
            ],
            "purged": self.purged,
            "problems": [{"code": p.code, "message": p.translated()} for p in self.problems],
            "forms": None if self.forms is None else self.forms.as_dict(),
        }


def _now() -> datetime:
    return datetime.now(UTC)


def sync_once(
    vault: Vault,
    *,
    options: SyncOptions | None = None,
    probe: ShareProbe | None = None,
    on_progress: ProgressCallback | None = None,
    clock: Clock = _now,
) -> SyncReport:
    """Run one round and return its report.

    Known errors met during the round become the report's problems; only a locked vault or
    a damaged device key raise before the round starts. Bugs propagate.
    """
    try:
        device = load_device(vault)
    except NotEnrolled:
        return SyncReport(SyncStatus(SyncState.NOT_ENROLLED))
    round_ = _Round(vault, device, options or SyncOptions(), clock, on_progress)
    return round_.run(probe or ShareProbe())


@dataclass
class _Round:
    vault: Vault
    device: Device
    options: SyncOptions
    clock: Clock
    on_progress: ProgressCallback | None
    reach: Reachability = Reachability.OFFLINE
    exported: list[int] = field(default_factory=list)
    uploaded: list[int] = field(default_factory=list)
    receipts: list[ReceiptResult] = field(default_factory=list)
    problems: list[KnownError] = field(default_factory=list)
    purged: int = 0
    revoked: bool = False
    forms: FormPickup | None = None

    def run(self, probe: ShareProbe) -> SyncReport:
        share = self.options.share or Path(self.device.profile.share)
        # A `device-revoked` receipt stops all sending: no bundles are made or copied, and
        # every interview stays in the vault (receipts are still read).
        self.revoked = Outbox(self.vault).revoked()
        if self.options.export is ExportWhen.ALWAYS and not self.revoked:
            self._guarded(self._export)
        self.reach = probe.check(share, self.device.device_id)
        if self.reach is Reachability.REACHABLE:
            if self.options.export is ExportWhen.WHEN_REACHABLE and not self.revoked:
                self._guarded(self._export)
            self._guarded(lambda: self._receipts(share))
            self.revoked = self.revoked or Outbox(self.vault).revoked()
            if not self.revoked:
                self._guarded(lambda: self._upload(share))
                self._forms(share)
        elif self.reach is Reachability.NOT_WRITABLE:
            self.problems.append(ShareNotWritable(folder=str(share)))
        elif self.reach is Reachability.NOT_RESPONDING:
            self.problems.append(ShareNotResponding())
        if self.options.purge:
            self._guarded(self._purge)
        undelivered = self.vault.interviews.list(delivered=False)
        refused = len(refused_interviews(self.vault, undelivered))
        if refused:  # lasting: shown every round until the worker corrects them
            self.problems.append(InterviewsRefusedByCentre(refused))
        return SyncReport(self._status(undelivered, refused), tuple(self.exported),
                          tuple(self.uploaded), tuple(self.receipts), self.purged,
                          tuple(self.problems), self.forms)

    def _guarded(self, step: Callable[[], object]) -> None:
        try:
            step()
        except KnownError as problem:
            self.problems.append(problem)

    def _stamp(self) -> str:
        return format_timestamp(self.clock())

    def _export(self) -> None:
        self._report(SyncStatus(SyncState.SENDING))
        result = export_changes(self.vault, max_size=self.options.max_bundle_size,
                                clock=self.clock, device=self.device)
        self.exported += [bundle.seq for bundle in result.bundles]
        self.problems += result.problems()

    def _forms(self, share: Path) -> None:
        """The centre's forms, after the interviews went (they never wait for the forms). A
        share that went away mid-round is not looked at again."""
        if self.reach is not Reachability.REACHABLE:
            return
        try:
            self.forms = pick_up_forms(self.vault, self.device, share, self._stamp())
        except VaultLocked:  # locked mid-round: the round ends as every other step ends it
            raise
        except KnownError as problem:  # a full disk, a damaged vault: said like any step's
            self.problems.append(problem)
        except Exception as bug:  # never lets the forms stop the interviews' round
            log_bug(bug, "form pickup")

    def _purge(self) -> None:
        self.purged = len(purge_due(self.vault, self.clock()))

    def _receipts(self, share: Path) -> None:
        for result in collect_receipts(self.vault, self.device, share, self._stamp()):
            self.receipts.append(result)
            if result.problem is not None:
                self.problems.append(result.problem)

    def _upload(self, share: Path) -> None:
        inbox = prepare_inbox(share, self.device.device_id)
        outbox = Outbox(self.vault)
        todo = [b for b in outbox.bundles(WAITING) if self._needs_upload(b, inbox)]
        for index, bundle in enumerate(todo, start=1):
            sending = SyncStatus(SyncState.SENDING, sent=index, total=len(todo),
                                 bytes_total=bundle.size or 0)
            self._report(sending)
            try:
                copy_bundle(self.vault, bundle, inbox, on_bytes=self._bytes_reporter(sending))
            except OutboxCopyDamaged as problem:
                outbox.abandon(bundle.seq, self._stamp())  # its contents go in a new bundle
                self.problems.append(problem)
                continue
            except KnownError:
                if not share.is_dir():
                    self.reach = Reachability.OFFLINE  # the share went away mid-copy
                    return
                raise
            outbox.mark_sent(bundle.seq, self._stamp(), to_share=True)
            self.uploaded.append(bundle.seq)

    def _bytes_reporter(self, sending: SyncStatus) -> Callable[[int, int], None]:
        return lambda done, _total: self._report(replace(sending, bytes_sent=done))

    def _needs_upload(self, bundle: OutboxBundle, inbox: Path) -> bool:
        if same_file_there(bundle, inbox):
            if bundle.uploaded is None:  # copied before a crash that came before the mark
                Outbox(self.vault).mark_sent(bundle.seq, self._stamp(), to_share=True)
            return False  # still there: the importer has not taken it yet
        if bundle.uploaded is None and bundle.state is OutboxState.READY:
            return True
        if self.options.force_resend:  # Sync now: whatever the centre has not answered for good
            return True
        # Taken by the importer but no final receipt: give the import time, then copy it again
        # (the centre may have lost it: moved without a receipt, or restored from a backup).
        wait = (self.options.resend_held_after if bundle.state is OutboxState.HELD
                else self.options.resend_after)
        last = bundle.uploaded or bundle.exported
        return last is None or self.clock() - parse_timestamp(last) >= wait

    def _report(self, status: SyncStatus) -> None:
        if self.on_progress is not None:
            self.on_progress(status)

    def _status(self, undelivered: Sequence[InterviewSummary], refused: int) -> SyncStatus:
        outbox = Outbox(self.vault)
        waiting = outbox.bundles(WAITING)
        counts: dict[str, Any] = {
            "waiting": len(waiting),
            "held": sum(1 for b in waiting if b.state is OutboxState.HELD),
            "undelivered": len(undelivered),
            "refused": refused,
            "last_receipt": outbox.last_receipt(),
            "approved": outbox.approved(),
        }
        if self.revoked:
            return SyncStatus(SyncState.REVOKED, **counts)
        if self.problems:
            return SyncStatus(SyncState.PROBLEM, problem=self.problems[0], **counts)
        if self.reach is not Reachability.REACHABLE:
            return SyncStatus(SyncState.OFFLINE, **counts)
        if waiting or counts["undelivered"]:
            return SyncStatus(SyncState.WAITING, **counts)
        return SyncStatus(SyncState.DELIVERED, **counts)

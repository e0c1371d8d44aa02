"""The administrator window's way to the centre: all vault work on the centre's vault thread.

The window never touches the vault or keys itself. It asks this service for what the
administrator does (approve a laptop, read the import log, export the interviews), each
request run on one `VaultThread` (so requests never overlap on the one SQLCipher connection),
and gets back a `concurrent.futures.Future` of plain values. No Qt here; the window brings the
results to its own thread (`intake_app.ui.tasks.when_done`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from intake_app import safelog
from intake_app.domain.registry import FormRegistry
from intake_app.errors import KnownError, VaultLocked
from intake_app.i18n import N_
from intake_app.services.vault_thread import VaultThread, lock_soon
from intake_app.storage import (
    AttachmentInfo,
    KdfParams,
    PageCheck,
    Vault,
    atomic_write_bytes,
    atomic_writer,
)
from intake_app.sync.centre import conflicts, devices, log, records, release, reports
from intake_app.sync.centre.answer_text import AnswerLine, answer_lines
from intake_app.sync.centre.conflicts import AnswerPair, OpenConflict, Resolution
from intake_app.sync.centre.devices import RegisteredDevice, RequestOnShare, RequestRead
from intake_app.sync.centre.errors import HeldCapReached
from intake_app.sync.centre.forms import published_registry, registry_validator
from intake_app.sync.centre.importer import ImportResult, import_bundle
from intake_app.sync.centre.inbox import ScanProgress, scan_inbox
from intake_app.sync.centre.log import LogEntry
from intake_app.sync.centre.quarantine import (
    CapAlert,
    HeldBundle,
    acknowledge_cap_alert,
    cap_alerts,
    held_bundles,
)
from intake_app.sync.centre.records import ImportedInterview, ImportedRevision, ImportedTombstone
from intake_app.sync.centre.referral_data import ReferralData, load_referral
from intake_app.sync.centre.reports import StatsTable
from intake_app.sync.centre.search import refresh_search_index
from intake_app.sync.centre.sequence import Gap, gaps
from intake_app.sync.centre.setup import CentreSetup, init_centre
from intake_app.sync.centre.vault import Centre, centre_dir
from intake_app.sync.errors import ShareFileChanged, ShareNotAFile

_T = TypeVar("_T")

DeviceRow = tuple[RegisteredDevice, list[Gap]]  # a laptop and the bundles still missing from it
DeviceChange = tuple[RegisteredDevice, list[ImportResult]]  # and its held bundles, handled again
CapAlertRow = tuple[CapAlert, RegisteredDevice | None]  # and its laptop, when registered
ScanReport = Callable[[ScanProgress], None]  # called on the vault thread


CHUNK = 1024 * 1024


class AttachmentNotSaved(KnownError):
    code = "attachment-not-saved"
    message = N_("The copy of the file could not be saved there. Check that the folder exists "
                 "and can be written to, then try again.")


class ReferralNotSaved(KnownError):
    code = "referral-not-saved"
    message = N_("The referral summary could not be saved there. Check that the folder exists "
                 "and can be written to, then try again.")


@dataclass(frozen=True)
class InterviewDetails:
    """One revision of an imported interview as the administrator reads it."""

    record_id: str
    revision: int | None  # None: the newest
    history: list[ImportedRevision]
    tombstones: list[ImportedTombstone]
    answers: list[AnswerLine] | None  # None: the content was removed by a tombstone
    attachments: tuple[AttachmentInfo, ...] = ()  # the files the centre holds for it


def save_referral(path: Path, pdf: bytes) -> None:
    """Write a referral summary to `path`, readable by its owner only, whole or not at all.

    Raises `ReferralNotSaved` when the folder cannot be written, `DiskFull` when it is full.
    """
    try:
        atomic_write_bytes(path, pdf, mode=0o600)
    except OSError as exc:
        raise ReferralNotSaved() from exc


class CentreService:
    """Opens the centre in `data_dir` and runs work on it, one request at a time."""

    def __init__(self, data_dir: Path, *, share: Path | None = None,
                 registry: FormRegistry | None = None, kdf: KdfParams | None = None) -> None:
        self.data_dir = Path(data_dir)
        self._share = share
        self._registry = registry
        self._published: FormRegistry | None = None  # and the centre's published forms
        self._kdf = kdf  # None: calibrated on this computer; tests pass KdfParams.MINIMUM
        self._centre: Centre | None = None
        self._thread = VaultThread()
        self._page_check = PageCheck("centre-check")

    def exists(self) -> bool:
        """Whether this data folder holds a centre vault."""
        return Vault.exists(centre_dir(self.data_dir))

    def set_up(self, *, name: str, share: str, passphrase: str,
               backup_identity: Path | None = None) -> Future[CentreSetup]:
        """Make a new centre in this data folder (`init_centre`); the vault stays locked."""
        def work() -> CentreSetup:
            return init_centre(self.data_dir, name=name, share=share, passphrase=passphrase,
                               kdf=self._kdf, backup_identity=backup_identity)
        return self._thread.submit(work)

    def unlock(self, passphrase: str) -> Future[str]:
        """Open the centre; the future's result is the centre's name."""
        thread = self._thread

        def work() -> str:
            centre = self._centre
            if centre is None:
                centre = Centre.open(self.data_dir, passphrase, share=self._share,
                                     validator=lambda: registry_validator(self.built_in_forms()))
                opened = centre
                self.use_published_forms(opened)

                def keep() -> None:
                    self._centre = opened
                if not thread.adopt(keep):  # locked meanwhile: never left open
                    opened.close()
                    raise VaultLocked()
            return centre.profile.name
        return thread.submit(work)

    def unlock_with_recovery(self, recovery_code: str, new_passphrase: str) -> Future[str]:
        """Open the centre with its recovery code and set `new_passphrase` (slow); the
        future's result is the centre's name."""
        thread = self._thread

        def work() -> str:
            centre = self._centre
            if centre is None:
                centre = Centre.open_with_recovery(
                    self.data_dir, recovery_code, new_passphrase, share=self._share,
                    validator=lambda: registry_validator(self.built_in_forms()))
                opened = centre
                self.use_published_forms(opened)

                def keep() -> None:
                    self._centre = opened
                if not thread.adopt(keep):  # locked meanwhile: never left open
                    opened.close()
                    raise VaultLocked()
            return centre.profile.name
        return thread.submit(work)

    def registry(self) -> FormRegistry:
        """The forms records are checked and shown with: the built-in ones (the installed ones
        by default) and, once the centre is open, the versions it published."""
        return self._published or self.built_in_forms()

    def built_in_forms(self) -> FormRegistry:
        """The forms installed with the application (or given), without published ones."""
        if self._registry is None:
            self._registry = FormRegistry.load()
        return self._registry

    def use_published_forms(self, centre: Centre) -> None:
        """Read the centre's published form versions into `registry()` (vault thread); a bug
        here is logged and leaves the built-in forms (interviews then show raw, never lost)."""
        try:
            self._published = published_registry(centre.vault, self.built_in_forms())
        except Exception as bug:
            safelog.log_bug(bug, "published forms")

    @property
    def is_unlocked(self) -> bool:
        return self._centre is not None

    def run(self, work: Callable[[Centre], _T]) -> Future[_T]:
        """Run `work(centre)` on the vault thread (raises `VaultLocked` there when locked).
        The building block of the methods below; the window asks those."""
        def call() -> _T:
            if self._centre is None:
                raise VaultLocked()
            return work(self._centre)
        return self._thread.submit(call)

    def lock(self) -> Future[None]:
        """Close the centre after the work already asked for, within half a second: when the
        vault thread hangs (a share that stopped answering), its work is given up and the
        vault closed from here, its keys dropped. The future is done when it returns."""
        thread = self._thread
        locked: Future[None] = Future()
        locked.set_result(None)
        if thread.closed:
            return locked

        def close(wait: bool = True) -> None:
            centre, self._centre = self._centre, None
            if centre is not None:
                centre.vault.lock(wait=wait)

        def interrupt() -> None:
            centre = self._centre
            if centre is not None:
                centre.vault.interrupt()

        if lock_soon(thread, close, interrupt, lambda: close(wait=False)):
            self._thread = VaultThread()  # for the next unlock; the old one is left to end
        return locked

    def shutdown(self) -> None:
        """Lock and stop the vault thread (waits for running work)."""
        self.lock()  # closing the vault also cuts a running page check short
        self._thread.shutdown()
        self._page_check.shutdown()

    def check_pages_if_needed(self) -> Future[bool | None] | None:
        """After unlocking a centre vault too large to check whole at unlock: check every page
        on a thread of its own while imports and reading go on. None when the unlock checked
        them; the result is False when damage was found, None when locked meanwhile."""
        return self._page_check.start(None if self._centre is None else self._centre.vault)

    def devices(self) -> Future[list[DeviceRow]]:
        """Every registered laptop with the bundle numbers still missing from it."""
        return self.run(lambda c: [(device, gaps(c.vault, device.device_id))
                                   for device in devices.list_devices(c.vault)])

    def read_enrolment_requests(self, files: Sequence[Path]) -> Future[list[RequestRead]]:
        """Verify and register request files the administrator picked (a USB stick). The
        requests on the share are listed (`enrolment_requests`) and registered by choice
        (`register_requests`), never all at once by reading them."""
        chosen = list(files)
        return self.run(lambda c: devices.read_requests(c.vault, chosen))

    def enrolment_requests(self) -> Future[list[RequestOnShare]]:
        """The enrolment requests on the share that are not registered laptops (a request that
        does not verify comes with its error)."""
        return self.run(lambda c: devices.unregistered_requests(c.vault, c.share))

    def register_requests(self, request_ids: Sequence[str] | None = None
                          ) -> Future[list[RequestRead]]:
        """Register the chosen requests on the share (by device id; None: all of them) as
        laptops waiting for approval."""
        chosen = None if request_ids is None else list(request_ids)
        return self.run(lambda c: devices.register_requests(c.vault, c.share, chosen))

    def dismiss_requests(self, request_ids: Sequence[str]) -> Future[list[str]]:
        """Dismiss requests (and laptops still waiting for approval) in one action: each
        request moves to `enrol/dismissed/`, what its laptop had held is deleted."""
        chosen = list(request_ids)
        return self.run(lambda c: release.dismiss_requests(c, chosen))

    def cap_alerts(self) -> Future[list[CapAlertRow]]:
        """Laptops whose bundles are left in the inbox because a quarantine cap was reached
        (alerts not yet marked as seen, newest first), each with its registered laptop."""
        def work(centre: Centre) -> list[CapAlertRow]:
            known = {device.device_id: device for device in devices.list_devices(centre.vault)}
            return [(alert, known.get(alert.device_id)) for alert in cap_alerts(centre.vault)]
        return self.run(work)

    def mark_cap_alerts_seen(self, numbers: Sequence[int]) -> Future[None]:
        """Mark these caps' alerts as seen."""
        chosen = list(numbers)

        def work(centre: Centre) -> None:
            for num in chosen:
                acknowledge_cap_alert(centre.vault, num)
        return self.run(work)

    def approve_device(self, device_id: str, fingerprint: str) -> Future[DeviceChange]:
        """Approve a pending laptop whose key has `fingerprint`; its held bundles are imported."""
        return self.run(lambda c: release.approve_device(c, device_id, fingerprint))

    def retire_device(self, device_id: str, last_seq: int) -> Future[RegisteredDevice]:
        """Accept no bundle numbered after `last_seq` from this laptop."""
        return self.run(lambda c: devices.retire(c.vault, device_id, last_seq))

    def revoke_device(self, device_id: str) -> Future[DeviceChange]:
        """Accept nothing more from this laptop; the bundles it had waiting are refused."""
        return self.run(lambda c: release.revoke_device(c, device_id))

    def scan_inbox(self, progress: ScanReport | None = None) -> Future[list[ImportResult]]:
        """Import every bundle waiting in the share's inbox, reporting after each file."""
        return self.run(lambda c: _indexed(c, scan_inbox(c, progress=progress)))

    def import_files(self, paths: Sequence[Path], progress: ScanReport | None = None
                     ) -> Future[list[ImportResult]]:
        """Import bundle files the administrator chose (a USB stick); an unreadable one (the
        stick was pulled out), a link, pipe or device (never followed nor waited on) and a file
        that changed while it was read are left out of the results: nothing of them was
        imported."""
        chosen = list(paths)
        report = progress or (lambda _progress: None)

        def work(centre: Centre) -> list[ImportResult]:
            results: list[ImportResult] = []
            for index, path in enumerate(chosen):
                report(ScanProgress(index, len(chosen), path.name, None))
                try:
                    result = import_bundle(centre, path, file_name=path.name)
                except (OSError, ShareNotAFile, ShareFileChanged, HeldCapReached):
                    continue  # a cap reached: left alone, and the administrator alerted
                results.append(result)
                report(ScanProgress(index + 1, len(chosen), None, result))
            return _indexed(centre, results)
        return self.run(work)

    def held_bundles(self) -> Future[list[HeldBundle]]:
        """The bundles held in quarantine and what each waits for."""
        return self.run(lambda c: held_bundles(c.vault))

    def import_held_now(self, num: int) -> Future[ImportResult]:
        """Import held bundle `num` now, even though the bundles before it have not arrived."""
        return self.run(lambda c: release.release_number(c, num))

    def conflicts(self) -> Future[list[OpenConflict]]:
        """The record conflicts waiting for the administrator's choice, both versions each."""
        return self.run(conflicts.open_conflicts)

    def resolve_conflict(self, record_id: str, revision: int, keep: str,
                         by: str | None = None) -> Future[Resolution]:
        """Make the centre's or the laptop's version current (`keep`: "centre" or "laptop";
        the other stays in the history, set aside) and import the held bundle; `by` is who
        chose (the user name on this computer by default)."""
        def work(centre: Centre) -> Resolution:
            resolution = conflicts.resolve_conflict(centre, record_id, keep, revision=revision,
                                                    by=by)
            if resolution.result.delivered:
                refresh_search_index(centre.vault)
            return resolution
        return self.run(work)

    def compare_versions(self, conflict: OpenConflict, lang: str) -> list[AnswerPair]:
        """Both versions answer by answer, in words (no vault work: runs on the caller)."""
        return conflicts.compare_answers(self.registry(), conflict.centre_document,
                                         conflict.laptop_document, lang)

    def import_log(self, limit: int | None = None) -> Future[list[LogEntry]]:
        """What happened to each bundle, newest first (the last `limit` attempts)."""
        return self.run(lambda c: log.import_log(c.vault, limit=limit))

    def alerts(self) -> Future[list[LogEntry]]:
        """The alerts not yet marked as seen."""
        return self.run(lambda c: log.alerts(c.vault))

    def mark_seen(self, alert_numbers: Sequence[int]) -> Future[None]:
        """Mark these alerts (their log numbers) as seen."""
        numbers = list(alert_numbers)

        def work(centre: Centre) -> None:
            for num in numbers:
                log.acknowledge(centre.vault, num)
        return self.run(work)

    def interviews(self, query: str = "") -> Future[list[ImportedInterview]]:
        """The imported interviews, or those matching `query` when it holds words."""
        def work(centre: Centre) -> list[ImportedInterview]:
            if query.strip():
                return records.search_interviews(centre.vault, query)
            return records.list_interviews(centre.vault)
        return self.run(work)

    def interview(self, record_id: str, revision: int | None, lang: str
                  ) -> Future[InterviewDetails]:
        """An interview's revisions and deletions, and one revision's answers in `lang`."""
        def work(centre: Centre) -> InterviewDetails:
            document = records.get_document(centre.vault, record_id, revision)
            answers = (None if document is None
                       else answer_lines(self.registry(), document, lang))
            return InterviewDetails(record_id, revision, records.history(centre.vault, record_id),
                                    records.tombstones(centre.vault, record_id), answers,
                                    tuple(records.attachments(centre.vault, record_id)))
        return self.run(work)

    def read_attachment(self, sha256: str, limit: int) -> Future[bytes]:
        """An attachment's content, decrypted into memory, at most `limit` bytes (previews;
        never a file)."""
        def work(centre: Centre) -> bytes:
            parts: list[bytes] = []
            size = 0
            with contextlib.closing(centre.vault.interviews.open_attachment(sha256)) as reader:
                while size < limit:
                    chunk = reader.read(min(CHUNK, limit - size))
                    if not chunk:
                        break
                    parts.append(chunk)
                    size += len(chunk)
            return b"".join(parts)
        return self.run(work)

    def save_attachment(self, sha256: str, path: Path) -> Future[int]:
        """Decrypt an attachment into a copy at `path` (in clear, readable by its owner only,
        whole or not at all); the bytes written. Raises `AttachmentNotSaved` when the folder
        cannot be written, `DiskFull` when it is full, `AttachmentDamaged` when the stored
        file proves damaged."""
        target = Path(path)

        def work(centre: Centre) -> int:
            written = 0
            try:
                with contextlib.closing(centre.vault.interviews.open_attachment(sha256)
                                        ) as reader, atomic_writer(target) as out:
                    while chunk := reader.read(CHUNK):
                        out.write(chunk)
                        written += len(chunk)
            except OSError as exc:
                raise AttachmentNotSaved() from exc
            return written
        return self.run(work)

    def referral(self, record_id: str, lang: str) -> Future[ReferralData]:
        """What a referral summary of the interview shows, answers labelled in `lang`."""
        return self.run(lambda c: load_referral(c, self.registry(), record_id, lang))

    def statistics(self, by: Sequence[str]) -> Future[StatsTable]:
        """Count the interviews by these coded fields; small groups hidden."""
        fields = list(by)
        return self.run(lambda c: reports.statistics(c.vault, fields))


def _indexed(centre: Centre, results: list[ImportResult]) -> list[ImportResult]:
    """Let the search index catch up after imports, still off the GUI thread."""
    if results:
        refresh_search_index(centre.vault)
    return results

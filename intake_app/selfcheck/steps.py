"""The self-check's steps, in order; each takes the shared `Context` and returns a short note.

Every step uses the application's own services (storage, the device side of sync, the centre)
on folders inside the self-check's temporary folder, with the fastest allowed key derivation.
The interviews are fictional; a random marker in their texts, aliases and photos is what the
last steps look for on disk.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from intake_app.selfcheck import device
from intake_app.selfcheck.scan import files_holding

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from intake_app.storage import Vault
    from intake_app.sync.centre.vault import Centre

PASSPHRASE = "self-check passphrase, fictional data only"  # noqa: S105 - a throwaway vault
INTERVIEWS = 3
CENTRE_NAME = "Self-check centre"
_T = TypeVar("_T")


class StepFailed(Exception):
    """A step found something wrong; the message says what (never personal data)."""


@dataclass
class Context:
    """What the steps share: the folders, the marker, and what earlier steps made."""

    root: Path
    marker: str
    app: QApplication | None = None
    worker: Vault | None = None
    centre: Centre | None = None
    device: device.Device | None = None
    records: list[str] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)
    closed: bool = False

    @classmethod
    def new(cls, root: Path) -> Context:
        """A context over an empty folder, with a fresh marker."""
        return cls(root=root, marker="Selfcheck" + secrets.token_hex(8))

    @property
    def worker_folder(self) -> Path:
        return self.root / "worker" / "vault"

    @property
    def centre_data(self) -> Path:
        return self.root / "centre-data"

    @property
    def share(self) -> Path:
        return self.root / "share"

    def close(self) -> None:
        """Lock whatever is still open (the vault files stay until the folder is removed)."""
        if self.closed:
            return
        self.closed = True
        for vault in (self.worker, self.centre.vault if self.centre else None):
            if vault is not None and not vault.is_locked:
                vault.lock()


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


# -- steps ------------------------------------------------------------------------------------


def start_qt(ctx: Context) -> str:
    from intake_app.selfcheck.qt import QtCheckFailed, start_qt

    try:
        ctx.app = start_qt()
    except QtCheckFailed as problem:
        raise StepFailed(str(problem)) from None
    return f"platform {ctx.app.platformName()}"


def import_every_module(ctx: Context) -> str:
    """Every module of the application loads: nothing the build left out is still needed."""
    import importlib
    import pkgutil

    import intake_app

    names = sorted(info.name for info in pkgutil.walk_packages(intake_app.__path__,
                                                               "intake_app.")
                   if not info.name.endswith("__main__"))
    for name in names:
        importlib.import_module(name)
    _check(any(name.startswith("intake_app.ui.") for name in names), "no window modules found")
    return f"{len(names)} modules"


def create_worker_vault(ctx: Context) -> str:
    from intake_app.storage import KdfParams, Vault

    ctx.worker, _code = Vault.create(ctx.worker_folder, PASSPHRASE, kdf=KdfParams.MINIMUM)
    ctx.worker.lock()
    ctx.worker = Vault.unlock(ctx.worker_folder, PASSPHRASE)  # the passphrase opens it again
    return "created, locked, unlocked"


def create_centre(ctx: Context) -> str:
    from intake_app.storage import KdfParams
    from intake_app.sync.centre.setup import init_centre
    from intake_app.sync.centre.vault import Centre

    ctx.share.mkdir()
    setup = init_centre(ctx.centre_data, name=CENTRE_NAME, share=str(ctx.share),
                        passphrase=PASSPHRASE, kdf=KdfParams.MINIMUM,
                        backup_identity=ctx.root / "centre-backup-identity.txt")
    ctx.centre = Centre.open(ctx.centre_data, PASSPHRASE)
    _check(ctx.centre.fingerprint == setup.fingerprint, "the centre's profile fingerprint changed")
    return f"profile {setup.fingerprint}"


def _device_step(action: Callable[..., _T], *args: Any) -> _T:
    try:
        return action(*args)
    except device.DeviceStepFailed as problem:
        raise StepFailed(str(problem)) from None


def enrol_device(ctx: Context) -> str:
    from intake_app.sync.centre.devices import approve, enrolment_files, read_requests
    from intake_app.sync.centre.vault import profile_file

    assert ctx.worker is not None and ctx.centre is not None
    ctx.device = _device_step(device.enrol, ctx.worker, profile_file(ctx.centre_data),
                              ctx.centre.fingerprint)
    read = read_requests(ctx.centre.vault, enrolment_files(ctx.share))
    _check(len(read) == 1 and read[0].device is not None, "the enrolment request was not read")
    registered = read[0].device
    assert registered is not None
    _check(registered.fingerprint == ctx.device.key_fingerprint,
           "the key fingerprints on the laptop and at the centre differ")
    approve(ctx.centre.vault, registered.device_id, ctx.device.key_fingerprint)
    return f"device key {registered.fingerprint}, approved"


def _fictional_documents(ctx: Context) -> list[dict[str, Any]]:
    from intake_app.domain.registry import FormRegistry
    from intake_app.domain.validation import normalise, validate
    from intake_app.services.demo import fictional_interview

    forms = FormRegistry.load().forms()
    _check(bool(forms), "no interview form is installed")
    form = forms[0]
    now = dt.datetime.now(dt.UTC)
    documents = []
    for n in range(INTERVIEWS):
        interview = fictional_interview(form, n, now)
        answers = dict(interview.answers)
        answers["alias"] = f"Fictional {ctx.marker}"
        for name, value in answers.items():
            if isinstance(value, dict) and "text" in value:
                answers[name] = {**value, "text": f"Invented account {ctx.marker} number {n}."}
        final = normalise(interview.with_answers(answers).with_status("final"), form).interview
        problems = [i for i in validate(final, form, finalising=True) if i.severity == "error"]
        _check(not problems, f"a fictional interview does not validate: {problems[0].code}"
               if problems else "")
        documents.append(final.to_dict())
    return documents


def record_interviews(ctx: Context) -> str:
    from intake_app.selfcheck.qt import jpeg_with_text

    assert ctx.worker is not None
    store = ctx.worker.interviews
    for n, document in enumerate(_fictional_documents(ctx)):
        info = store.save_revision(document)
        ctx.records.append(info.id)
        photo = jpeg_with_text(f"{ctx.marker} photo {n}")
        attached = store.add_attachment(info.id, io.BytesIO(photo), "image/jpeg",
                                        f"{ctx.marker}-{n}.jpg")
        ctx.photos.append(attached.sha256)
    # A draft too: it must stay on the laptop, encrypted like the rest.
    draft = dict(store.get(ctx.records[0]))
    draft["answers"] = {**draft["answers"], "alias": f"Draft {ctx.marker}"}
    store.save_draft(draft)
    return f"{len(ctx.records)} interviews, {len(ctx.photos)} photos, 1 draft"


def search_interviews(ctx: Context) -> str:
    assert ctx.worker is not None
    found = {summary.id for summary in ctx.worker.interviews.search(ctx.marker)}
    _check(found == set(ctx.records), f"search found {len(found)} of {len(ctx.records)}")
    other = ctx.worker.interviews.search("Nomatch" + secrets.token_hex(6))
    _check(not other, "a search for an unknown word found interviews")
    return f"{len(found)} found"


def export_bundle(ctx: Context) -> str:
    assert ctx.device is not None
    ctx.sent = list(_device_step(device.export_and_send, ctx.device))
    return f"{len(ctx.sent)} bundle(s) in the share's inbox"


def import_at_centre(ctx: Context) -> str:
    from intake_app.sync.centre import records as centre_records
    from intake_app.sync.centre.inbox import scan_inbox
    from intake_app.sync.share import Looks

    assert ctx.centre is not None
    # Its own share, written a moment ago by its own laptop: no copy can still be under way,
    # so the 5-second rule's two looks are taken back to back.
    results = scan_inbox(ctx.centre, looks=Looks(settle=0))
    _check(len(results) == len(ctx.sent), f"{len(results)} bundles imported, "
           f"{len(ctx.sent)} sent")
    for result in results:
        _check(result.delivered, f"bundle {result.seq}: {result.outcome.value} "
               f"({result.reason.value if result.reason else '-'})")
    found = {found.id for found in centre_records.search_interviews(ctx.centre.vault,
                                                                   ctx.marker)}
    _check(found == set(ctx.records), f"the centre finds {len(found)} of {len(ctx.records)}")
    photos = {info.sha256 for record in ctx.records
              for info in centre_records.attachments(ctx.centre.vault, record)}
    _check(photos == set(ctx.photos), f"the centre holds {len(photos)} of {len(ctx.photos)} "
           "photos")
    return f"{len(results)} accepted, {len(found)} interviews, {len(photos)} photos"


def check_receipt(ctx: Context) -> str:
    assert ctx.device is not None and ctx.worker is not None
    delivered = _device_step(device.collect_receipts, ctx.device)
    summaries = {s.id: s for s in ctx.worker.interviews.list()}
    undelivered = [r for r in ctx.records if not summaries[r].delivered]
    _check(not undelivered, f"{len(undelivered)} interviews not marked delivered")
    return f"{delivered} revisions marked delivered"


def check_vaults(ctx: Context) -> str:
    assert ctx.worker is not None and ctx.centre is not None
    for name, vault in (("worker", ctx.worker), ("centre", ctx.centre.vault)):
        report = vault.check()
        _check(report.ok, f"the {name} vault's check failed")
    return "integrity and revision chains"


def show_unlock_window(ctx: Context) -> str:
    from intake_app.selfcheck.qt import QtCheckFailed, show_unlock_window

    assert ctx.app is not None and ctx.worker is not None
    ctx.worker.lock()  # the window opens the vault the way the worker would
    try:
        seconds = show_unlock_window(ctx.app, ctx.worker_folder, ctx.root / "settings.ini")
    except QtCheckFailed as problem:
        raise StepFailed(str(problem)) from None
    return f"shown after {seconds:.2f} s"


def scan_for_marker(ctx: Context) -> str:
    ctx.close()  # everything written and closed: this is what a thief would find
    found, scanned = files_holding(ctx.root, ctx.marker)
    _check(scanned > 0, "no files to scan")
    if found:
        raise StepFailed("readable interview text found in: " +
                         ", ".join(str(path) for path in found[:10]))
    return f"{scanned} files, none holds the marker in clear"


def remove_everything(ctx: Context) -> str:
    shutil.rmtree(ctx.root)
    _check(not ctx.root.exists(), "the temporary folder could not be removed")
    return "temporary folder removed"


Step = tuple[str, Callable[[Context], str]]
STEPS: list[Step] = [
    ("start Qt (plugins, translations)", start_qt),
    ("import every module", import_every_module),
    ("create a worker vault", create_worker_vault),
    ("create a centre", create_centre),
    ("enrol the laptop, approve it at the centre", enrol_device),
    ("record interviews with photos", record_interviews),
    ("search the interviews", search_interviews),
    ("export a bundle to the share", export_bundle),
    ("import the bundle at the centre", import_at_centre),
    ("verify the receipt on the laptop", check_receipt),
    ("check both vaults", check_vaults),
    ("show the unlock window", show_unlock_window),
    ("look for interview text in clear on disk", scan_for_marker),
    ("remove everything", remove_everything),
]

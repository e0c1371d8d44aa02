"""Picking up the interview forms the centre publishes on its share (bundle-format.md, "Form
packages"), once per sync round while the share is reachable.

1. `<share>/forms/index.json` and its `.minisig` are read by the share's reading rules (no link
   at any folder level or at the file, no pipe or device, a time limit on every call, the size
   cap plus one byte) and verified with the profile's receipt key before anything in them is
   parsed (`form_package.verify_index`). A pair whose signature fails is read once more after a
   pause: the centre renames the new signature into place just before the new index.
2. An index older than the one taken last (a smaller serial), or other bytes under the same
   serial, is refused: an index put back on the share can neither retire nor hide a version.
3. Each listed version this laptop holds (received earlier, or shipped with the application)
   must be listed with the SHA-256 of the bytes it holds. Each version it lacks is read and
   verified (`form_package.verify_package`: signature, trusted comment, the index's hash and
   size, canonical JSON, the strict form loader, the signed id and version).
4. Only when all of it verified, in one vault transaction: the new versions are kept with their
   bytes and signature, every state follows the index (a received version the index no longer
   lists counts as retired), and the index's serial and hash and the time are recorded.

A refusal changes nothing: it is logged once per process (the file's name and a code, never
content) and the laptop keeps the forms it has. No forms folder or no index: the centre has
published nothing; the check is recorded. Packages never change once written (a published
version is never changed), so no settle time is needed: the share's atomic rename never shows
a half-written file, and an index naming a package not there yet is refused until it is.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake_app.errors import KnownError
from intake_app.safelog import logger
from intake_app.storage import Vault
from intake_app.sync.device.form_store import (
    CHECKED_SETTING,
    INDEX_SERIAL_SETTING,
    INDEX_SHA256_SETTING,
    FormKey,
    FormSource,
    put_setting,
    read_forms,
    seen_index,
    shipped_hashes,
)
from intake_app.sync.device.identity import Device
from intake_app.sync.errors import (
    FormPackageProblem,
    FormPackageRefused,
    ShareNotAFile,
    ShareNotAnswering,
)
from intake_app.sync.format.form_package import (
    INDEX_NAME,
    MAX_INDEX_SIZE,
    MAX_PACKAGE_SIZE,
    FormIndex,
    FormState,
    IndexEntry,
    VerifiedForm,
    verify_index,
    verify_package,
)
from intake_app.sync.format.spec import MAX_SIGNATURE_SIZE, signature_path
from intake_app.sync.share import forms_folder, read_share_file

# As for receipts: long enough for the centre's second rename, paid only when a signature fails.
REREAD_PAUSE = 0.5
_logged: set[tuple[str, str]] = set()
_logged_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class FormPickup:
    """What one look at the share's forms did.

    `checked`: when the forms were taken (None: refused, or the share did not answer);
    `received`: the versions kept for the first time; `changed`: versions or states changed, so
    the forms the worker's window knows must be read again; `refused`: a code saying why
    nothing changed, for the log and `sync --json` (never content).
    """

    checked: str | None = None
    received: tuple[FormKey, ...] = ()
    changed: bool = False
    refused: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "received": [{"id": form_id, "version": version} for form_id, version in self.received],
            "changed": self.changed,
            "refused": self.refused,
        }


class _Refusal(Exception):
    """Inside a pickup: refuse everything, naming the file and a code (no content)."""

    def __init__(self, path: Path, code: str) -> None:
        super().__init__(code)
        self.path = path
        self.code = code


def _pause() -> None:
    time.sleep(REREAD_PAUSE)


def pick_up_forms(
    vault: Vault, device: Device, share: Path, now: str, *, pause: Callable[[], None] = _pause
) -> FormPickup:
    """Take the forms the centre publishes on `share` (see the module docstring).

    A refusal, a file that cannot be read or a share that stops answering is logged once and
    leaves everything as it was. The vault's own known errors (locked, a full disk, damage)
    and bugs propagate.
    """
    try:
        return _Pickup(vault, device, Path(share), now, pause).run()
    except _Refusal as refusal:
        _log_once(refusal.path, refusal.code)
        return FormPickup(refused=refusal.code)


def _log_once(path: Path, code: str) -> None:
    """Log a refusal once per process and file (a round every few minutes would repeat it)."""
    with _logged_lock:
        if (str(path), code) in _logged:
            return
        _logged.add((str(path), code))
    logger.warning("forms: refused %s (%s); nothing changed", path.name, code)


@dataclass
class _Pickup:
    vault: Vault
    device: Device
    share: Path
    now: str
    pause: Callable[[], None]

    @property
    def folder(self) -> Path:
        return forms_folder(self.share)

    def run(self) -> FormPickup:
        found = self._read(INDEX_NAME, MAX_INDEX_SIZE)
        if found is None:  # nothing published yet
            return self._store(None, b"", [], [])
        index, data = self._index(found)
        with self.vault.transaction() as conn:
            seen = seen_index(conn)
            held = {form.key: form.sha256 for form in read_forms(conn, with_data=False)}
        digest = _sha256(data)
        if seen is not None and index.serial < seen.serial:
            raise _Refusal(self.folder / INDEX_NAME, "older-index")
        if seen is not None and index.serial == seen.serial and digest != seen.sha256:
            raise _Refusal(self.folder / INDEX_NAME, "serial-reused")
        new: list[_NewForm] = []
        shipped: list[IndexEntry] = []
        shipped_sha: dict[FormKey, str] | None = None
        for entry in index.entries:
            key = (entry.form_id, entry.version)
            if key in held:
                if held[key] != entry.sha256:
                    raise _Refusal(self.folder / entry.file_name, "held-other-bytes")
                continue
            if shipped_sha is None:
                shipped_sha = shipped_hashes()
            if key in shipped_sha:
                if shipped_sha[key] != entry.sha256:
                    raise _Refusal(self.folder / entry.file_name, "held-other-bytes")
                shipped.append(entry)
                continue
            new.append(self._package(entry))
        return self._store(index, data, new, shipped)

    def _read(self, name: str, max_size: int) -> tuple[bytes, bytes] | None:
        """A file and its signature by the share's reading rules; None: the file is not there
        (its signature missing is a refusal)."""
        path = self.folder / name
        data = self._read_one(path, max_size)
        if data is None:
            return None
        signature = self._read_one(signature_path(path), MAX_SIGNATURE_SIZE)
        if signature is None:
            raise _Refusal(path, "missing-signature")
        return data, signature

    def _read_one(self, path: Path, max_size: int) -> bytes | None:
        try:
            return read_share_file(path, max_size, root=self.share)
        except FileNotFoundError:
            return None
        except ShareNotAFile:  # the share's rules logged what it was
            raise _Refusal(path, "not-a-file") from None
        except ShareNotAnswering:
            raise _Refusal(path, "not-answering") from None
        except (OSError, KnownError):
            raise _Refusal(path, "unreadable") from None

    def _index(self, found: tuple[bytes, bytes]) -> tuple[FormIndex, bytes]:
        profile = self.device.profile
        for attempt in (1, 2):
            data, signature = found
            try:
                index = verify_index(
                    data, signature, centre_id=profile.centre_id, receipt_key=profile.receipt_key
                )
            except FormPackageRefused as refused:
                if attempt == 1 and refused.problem is FormPackageProblem.BAD_SIGNATURE:
                    self.pause()  # perhaps read between the centre's two renames: once more
                    again = self._read(INDEX_NAME, MAX_INDEX_SIZE)
                    if again is None:
                        raise _Refusal(self.folder / INDEX_NAME, "missing") from None
                    found = again
                    continue
                raise _Refusal(self.folder / INDEX_NAME, refused.problem.value) from None
            return index, data
        raise AssertionError("unreachable")  # pragma: no cover

    def _package(self, entry: IndexEntry) -> _NewForm:
        found = self._read(entry.file_name, MAX_PACKAGE_SIZE)
        if found is None:
            raise _Refusal(self.folder / entry.file_name, "missing")
        data, signature = found
        profile = self.device.profile
        try:
            form = verify_package(
                data,
                signature,
                centre_id=profile.centre_id,
                receipt_key=profile.receipt_key,
                entry=entry,
            )
        except FormPackageRefused as refused:
            raise _Refusal(self.folder / entry.file_name, refused.problem.value) from None
        return _NewForm(form, signature, entry.state)

    def _store(
        self, index: FormIndex | None, data: bytes, new: list[_NewForm], shipped: list[IndexEntry]
    ) -> FormPickup:
        changed = bool(new) or bool(shipped)
        with self.vault.transaction() as conn:
            held = {form.key: form for form in read_forms(conn, with_data=False)}
            if index is not None:
                for item in new:
                    _insert(conn, item, self.now)
                for entry in shipped:
                    conn.execute(
                        "INSERT INTO device_form (form_id, version, state, source, sha256, "
                        "received) VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            entry.form_id,
                            entry.version,
                            entry.state.value,
                            FormSource.SHIPPED.value,
                            entry.sha256,
                            self.now,
                        ),
                    )
                states = {(e.form_id, e.version): e.state for e in index.entries}
                for key, form in held.items():
                    state = states.get(key, FormState.RETIRED)
                    if form.state is not state:
                        conn.execute(
                            "UPDATE device_form SET state = ? WHERE form_id = ? AND version = ?",
                            (state.value, *key),
                        )
                        changed = True
                put_setting(conn, INDEX_SERIAL_SETTING, str(index.serial))
                put_setting(conn, INDEX_SHA256_SETTING, _sha256(data))
            put_setting(conn, CHECKED_SETTING, self.now)
        received = tuple((item.form.form_id, item.form.version) for item in new)
        return FormPickup(self.now, received, changed)


@dataclass(frozen=True, slots=True)
class _NewForm:
    form: VerifiedForm
    signature: bytes
    state: FormState


def _insert(conn: Any, item: _NewForm, now: str) -> None:
    """Keep a verified version. A row for it already there (another pickup in between) makes
    the insert fail, and the whole transaction with it: nothing is half taken."""
    form = item.form
    conn.execute(
        "INSERT INTO device_form (form_id, version, state, source, sha256, received, data, "
        "signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            form.form_id,
            form.version,
            item.state.value,
            FormSource.SHARE.value,
            form.sha256,
            now,
            form.data,
            item.signature,
        ),
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

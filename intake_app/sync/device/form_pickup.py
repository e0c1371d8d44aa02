"""Picking up the interview forms the centre publishes on its share (bundle-format.md, "Form
packages"), once per sync round while the share is reachable.

1. `<share>/forms/index.json` and its `.minisig` are read by the share's reading rules (no link
   at any folder level or at the file, no pipe or device, a time limit on every call, the size
   cap plus one byte) and verified with the profile's receipt key before anything in them is
   parsed (`form_package.verify_index`). A pair whose signature fails is read once more after a
   pause (`share_pause`): the centre renames the new signature into place just before the new
   index.
2. An index older than the one taken last (a smaller serial), or other bytes under the same
   serial, is refused: an index put back on the share can neither retire nor hide a version.
3. Each listed version this laptop holds (received earlier, or a shipped one listed earlier)
   must be listed with the SHA-256 of the bytes it holds, else the whole index is refused.
   Each version it lacks is read and verified (`form_package.verify_package`: signature,
   trusted comment, the index's hash and size, canonical JSON, the strict form loader, the
   signed id and version). A version shipped with the application and listed with the same
   bytes needs no reading. One shipped and listed with other bytes: the received, signed
   version is kept and used in its place, unless an interview on this laptop already uses that
   version; then that one entry is left out (`built-in-in-use`) and every other entry is taken.
4. Only when all of it verified, in one vault transaction that first makes the checks of steps
   2 and 3 again (another process, the window or `intake-app sync`, may have taken forms since
   the first look): the new versions are kept with their bytes and signature, every state
   follows the index (a received version the index no longer lists counts as retired), and the
   index's serial and hash and the time are recorded. An index older than one another process
   took meanwhile changes nothing and is no problem.

A refusal changes nothing but the last pickup problem (`form_store.read_problem`), which the
worker sees in Settings and `intake-app forms`; it is logged once per process (the file's name
and a code, never content) and the laptop keeps the forms it has. An entry left out is logged
and kept as the problem in the same way; a pickup that took everything clears the problem. No
forms folder or no index: the centre has published nothing; the check is recorded. Packages
never change once written (a published version is never changed), so no settle time is needed:
the share's atomic rename never shows a half-written file, and an index naming a package not
there yet is refused until it is.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intake_app.errors import KnownError
from intake_app.safelog import logger
from intake_app.storage import Vault
from intake_app.sync.device.form_store import (
    CHECKED_SETTING,
    INDEX_SERIAL_SETTING,
    INDEX_SHA256_SETTING,
    Connection,
    FormKey,
    FormSource,
    SeenIndex,
    StoredForm,
    clear_problem,
    note_problem,
    put_setting,
    read_forms,
    seen_index,
    shipped_hashes,
    versions_in_use,
)
from intake_app.sync.device.identity import Device
from intake_app.sync.device.share_pause import reread_pause
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
    package_name,
    verify_index,
    verify_package,
)
from intake_app.sync.format.spec import MAX_SIGNATURE_SIZE, signature_path
from intake_app.sync.share import forms_folder, read_share_file

BUILT_IN_IN_USE = "built-in-in-use"  # an entry left out: see the module docstring, step 3
_logged: set[tuple[str, str]] = set()
_logged_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class FormPickup:
    """What one look at the share's forms did.

    `checked`: when the forms were taken (None: refused, or the share did not answer);
    `received`: the versions kept for the first time; `changed`: versions or states changed, so
    the forms the worker's window knows must be read again; `refused`: a code saying why
    nothing changed, for the log and `sync --json` (never content); `skipped`: the entries left
    out of an index otherwise taken, each with a code.
    """

    checked: str | None = None
    received: tuple[FormKey, ...] = ()
    changed: bool = False
    refused: str | None = None
    skipped: tuple[tuple[FormKey, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "received": [{"id": form_id, "version": version} for form_id, version in self.received],
            "changed": self.changed,
            "refused": self.refused,
            "skipped": [
                {"id": form_id, "version": version, "code": code}
                for (form_id, version), code in self.skipped
            ],
        }


class _Refusal(Exception):
    """Inside a pickup: refuse everything, naming the file and a code (no content)."""

    def __init__(self, path: Path, code: str) -> None:
        super().__init__(code)
        self.path = path
        self.code = code


def pick_up_forms(
    vault: Vault,
    device: Device,
    share: Path,
    now: str,
    *,
    pause: Callable[[], None] = reread_pause,
) -> FormPickup:
    """Take the forms the centre publishes on `share` (see the module docstring).

    A refusal, a file that cannot be read or a share that stops answering is logged once,
    kept as the last pickup problem, and leaves the forms as they were. The vault's own known
    errors (locked, a full disk, damage) and bugs propagate.
    """
    try:
        return _Pickup(vault, device, Path(share), now, pause).run()
    except _Refusal as refusal:
        _log_once(refusal.path, refusal.code)
        with vault.transaction() as conn:
            note_problem(conn, refusal.code, refusal.path.name, now)
        return FormPickup(refused=refusal.code)


def _log_once(path: Path, code: str) -> None:
    """Log a refusal once per process and file (a round every few minutes would repeat it)."""
    with _logged_lock:
        if (str(path), code) in _logged:
            return
        _logged.add((str(path), code))
    logger.warning("forms: refused %s (%s); nothing changed", path.name, code)


def _check_index(seen: SeenIndex | None, index: FormIndex, digest: str, path: Path) -> None:
    """Refuse an index older than the one taken last, or other bytes under its serial."""
    if seen is not None and index.serial < seen.serial:
        raise _Refusal(path, "older-index")
    if seen is not None and index.serial == seen.serial and digest != seen.sha256:
        raise _Refusal(path, "serial-reused")


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
            with self.vault.transaction() as conn:
                clear_problem(conn)
                put_setting(conn, CHECKED_SETTING, self.now)
            return FormPickup(self.now)
        index, data = self._index(found)
        digest = _sha256(data)
        # A first look, to know which packages to read; the transaction that stores looks again.
        with self.vault.reading() as conn:
            seen = seen_index(conn)
            held = {form.key: form for form in read_forms(conn, with_data=False)}
            missing = [e for e in index.entries if (e.form_id, e.version) not in held]
            shipped = shipped_hashes() if missing else {}
            in_use = (
                versions_in_use(conn)
                if any(shipped.get((e.form_id, e.version), e.sha256) != e.sha256 for e in missing)
                else set()
            )
        _check_index(seen, index, digest, self.folder / INDEX_NAME)
        for entry in index.entries:
            row = held.get((entry.form_id, entry.version))
            if row is not None and row.sha256 != entry.sha256:
                raise _Refusal(self.folder / entry.file_name, "held-other-bytes")
        fetched: dict[FormKey, _NewForm] = {}
        for entry in missing:
            key = (entry.form_id, entry.version)
            if shipped.get(key) == entry.sha256 or (key in shipped and key in in_use):
                continue  # the shipped bytes; or a shipped version in use: left out
            fetched[key] = self._package(entry)
        return self._store(index, digest, seen, fetched, shipped)

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
        self,
        index: FormIndex,
        digest: str,
        looked: SeenIndex | None,
        fetched: Mapping[FormKey, _NewForm],
        shipped: Mapping[FormKey, str],
    ) -> FormPickup:
        """Check again and store, in one write transaction (a refusal rolls it back)."""
        with self.vault.transaction() as conn:
            seen = seen_index(conn)
            if seen != looked and seen is not None and index.serial < seen.serial:
                return FormPickup(self.now)  # another process took a newer index meanwhile
            _check_index(seen, index, digest, self.folder / INDEX_NAME)
            held = {form.key: form for form in read_forms(conn, with_data=False)}
            taken = _Taken(conn, self.now, held, fetched, shipped)
            for entry in index.entries:
                path = self.folder / entry.file_name
                code = taken.entry(entry)
                if code == "held-other-bytes":
                    raise _Refusal(path, code)
                if code is not None:
                    _log_once(path, code)
            changed = taken.follow_states(index)
            put_setting(conn, INDEX_SERIAL_SETTING, str(index.serial))
            put_setting(conn, INDEX_SHA256_SETTING, digest)
            put_setting(conn, CHECKED_SETTING, self.now)
            if taken.skipped:
                (form_id, version), code = taken.skipped[0]
                note_problem(conn, code, package_name(form_id, version), self.now)
            else:
                clear_problem(conn)
        return FormPickup(self.now, tuple(taken.received), changed, skipped=tuple(taken.skipped))


@dataclass
class _Taken:
    """What the storing transaction takes of an index, entry by entry (see `entry`)."""

    conn: Connection
    now: str
    held: dict[FormKey, StoredForm]
    fetched: Mapping[FormKey, _NewForm]
    shipped: Mapping[FormKey, str]
    received: list[FormKey] = field(default_factory=list)
    skipped: list[tuple[FormKey, str]] = field(default_factory=list)
    inserted: bool = False
    _in_use: set[FormKey] | None = None

    def entry(self, entry: IndexEntry) -> str | None:
        """Take one entry; a code when it is not taken (`held-other-bytes` refuses the index)."""
        key = (entry.form_id, entry.version)
        row = self.held.get(key)
        if row is not None:  # taken earlier, perhaps by another process since the first look
            return None if row.sha256 == entry.sha256 else "held-other-bytes"
        if self.shipped.get(key) == entry.sha256:
            _insert_shipped(self.conn, entry, self.now)
            self.inserted = True
            return None
        new = self.fetched.get(key)
        if key in self.shipped and (new is None or key in self.in_use()):
            self.skipped.append((key, BUILT_IN_IN_USE))
            return BUILT_IN_IN_USE
        assert new is not None  # every other missing entry was read at the first look
        _insert(self.conn, new, self.now)
        self.received.append(key)
        self.inserted = True
        return None

    def in_use(self) -> set[FormKey]:
        if self._in_use is None:
            self._in_use = versions_in_use(self.conn)
        return self._in_use

    def follow_states(self, index: FormIndex) -> bool:
        """Give every version held before the state the index says (retired: not listed);
        whether anything changed, new versions included."""
        states = {(e.form_id, e.version): e.state for e in index.entries}
        changed = self.inserted
        for key, form in self.held.items():
            state = states.get(key, FormState.RETIRED)
            if form.state is not state:
                self.conn.execute(
                    "UPDATE device_form SET state = ? WHERE form_id = ? AND version = ?",
                    (state.value, *key),
                )
                changed = True
        return changed


@dataclass(frozen=True, slots=True)
class _NewForm:
    form: VerifiedForm
    signature: bytes
    state: FormState


def _insert_shipped(conn: Connection, entry: IndexEntry, now: str) -> None:
    """A shipped version the centre lists with the same bytes: a row without bytes, so that
    its state follows the index."""
    conn.execute(
        "INSERT INTO device_form (form_id, version, state, source, sha256, received) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            entry.form_id,
            entry.version,
            entry.state.value,
            FormSource.SHIPPED.value,
            entry.sha256,
            now,
        ),
    )


def _insert(conn: Connection, item: _NewForm, now: str) -> None:
    """Keep a verified version (its absence was checked in this transaction)."""
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

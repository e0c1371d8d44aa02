"""The centre's device registry: enrolment requests in, then pending, active, retired, revoked.

A request on the share (`<share>/enrol/`) is not yet a registered device: the administrator
registers the requests they choose (`register_requests`) and dismisses the rest (`release.
dismiss_requests` moves them to `enrol/dismissed/`). A request is registered only after its
signature and trusted comment verify (the format core's `read_enrolment`). Registering the same
request again changes nothing; the same device id or key with a different partner is refused.
Approval compares the key's fingerprint first.

The importer registers one request by itself (`request_for_key`, `register_in`): a bundle
signed by a key no registry row has, but which is the key of a well-formed, correctly signed
request on the share. The requests read are remembered per file (name, size, time), so a
share full of requests is read once, not once per bundle.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from intake_app.domain.utc_time import utc_now
from intake_app.errors import KnownError
from intake_app.storage import Connection, Vault
from intake_app.sync.centre.errors import (
    DeviceAmbiguous,
    DeviceNotFound,
    DeviceStateWrong,
    EnrolmentConflict,
    FingerprintMismatch,
    LastSeqNegative,
    RequestNotFound,
    RetireBelowImported,
)
from intake_app.sync.errors import EnrolmentInvalid
from intake_app.sync.format import keys
from intake_app.sync.format.enrolment import MAX_REQUEST_SIZE, EnrolmentRequest, parse_enrolment
from intake_app.sync.format.reader import DeviceState, KnownDevice
from intake_app.sync.format.spec import MAX_SIGNATURE_SIZE
from intake_app.sync.format.strict_json import UUID_RE
from intake_app.sync.share import ShareEntry, enrol_folder, read_signed_share_file, share_files

MIN_PREFIX = 4
_SELECT = ("SELECT device_id, key_id, public_key, device_name, worker, requested, state, "
           "last_seq, registered, changed FROM centre_device")


@dataclass(frozen=True)
class RegisteredDevice:
    """A device as the centre's registry holds it."""

    device_id: str
    key_id: str
    public_key: str
    device_name: str
    worker: str
    requested: str
    state: DeviceState
    last_seq: int | None
    registered: str
    changed: str

    @property
    def fingerprint(self) -> str:
        """The public key's fingerprint, shown on the laptop's screen too."""
        return keys.key_fingerprint(self.public_key)

    def known(self) -> KnownDevice:
        """The device as the signature check needs it."""
        return KnownDevice(self.device_id, self.public_key, self.state, self.last_seq)


@dataclass(frozen=True)
class RequestRead:
    """One enrolment request file and what became of it: a device, or a known error."""

    path: Path
    device: RegisteredDevice | None
    error: KnownError | None


def _device(row: Sequence[object]) -> RegisteredDevice:
    (device_id, key_id, public_key, name, worker, requested, state, last_seq, registered,
     changed) = row
    return RegisteredDevice(str(device_id), str(key_id), str(public_key), str(name), str(worker),
                            str(requested), DeviceState(str(state)),
                            None if last_seq is None else int(str(last_seq)), str(registered),
                            str(changed))


def enrolment_files(share: Path) -> list[Path]:
    """The request files waiting in `<share>/enrol/`, by the share's reading rules: no
    dot-names, links or special files (those logged once), nothing when `enrol/` is a link."""
    return [entry.path for entry in share_files(share, enrol_folder(share), suffix=".json")]


def read_request_file(path: Path, *, root: Path | None = None) -> EnrolmentRequest:
    """Read `<device_id>.json` and its `.minisig` by the share's reading rules, verified;
    raises `EnrolmentInvalid`, `ShareNotAFile` (a link, pipe or device: never followed, never
    waited on) or `ShareNotAnswering`. `root`: the share, no level of which may be a link."""
    try:
        data, signature = read_signed_share_file(path, MAX_REQUEST_SIZE, MAX_SIGNATURE_SIZE,
                                                 root=root)
    except OSError as exc:
        raise EnrolmentInvalid() from exc
    request = parse_enrolment(data, signature)
    if path.name != request.file_name:
        raise EnrolmentInvalid()
    return request


def request_key_id(request: EnrolmentRequest) -> str:
    """The key id (as `minisign` prints it) of a request's public key."""
    return keys.key_id(keys.parse_public_key(request.public_key))


def _register(conn: Connection, request: EnrolmentRequest) -> RegisteredDevice:
    key_id = request_key_id(request)
    rows = conn.execute(_SELECT + " WHERE device_id = ? OR key_id = ?",
                        (request.device_id, key_id)).fetchall()
    for row in rows:
        held = _device(row)
        if held.device_id == request.device_id and held.public_key == request.public_key:
            return held
        raise EnrolmentConflict(device=request.device_id)
    now = utc_now()
    conn.execute(
        "INSERT INTO centre_device (device_id, key_id, public_key, device_name, worker, "
        "requested, state, last_seq, registered, changed) "
        "VALUES (?, ?, ?, ?, ?, ?, 'pending', NULL, ?, ?)",
        (request.device_id, key_id, request.public_key, request.device_name, request.worker,
         request.created, now, now),
    )
    row = conn.execute(_SELECT + " WHERE device_id = ?", (request.device_id,)).fetchone()
    return _device(row)


def register_request(vault: Vault, request: EnrolmentRequest) -> RegisteredDevice:
    """Register a verified request as a pending device (or return the device it already is)."""
    with vault.transaction() as conn:
        return _register(conn, request)


def register_in(conn: Connection, request: EnrolmentRequest) -> KnownDevice | None:
    """Register a verified request inside the caller's transaction (the importer's check 7);
    None when its device id or key is registered with another partner."""
    try:
        return _register(conn, request).known()
    except EnrolmentConflict:
        return None


@dataclass(frozen=True)
class RequestOnShare:
    """One request file in `<share>/enrol/`: its request once verified, or why it is not one."""

    path: Path
    request: EnrolmentRequest | None
    error: KnownError | None

    @property
    def request_id(self) -> str:
        """The name the administrator uses for it: the device id (the file's stem)."""
        return self.request.device_id if self.request is not None else self.path.stem


_read_cache: dict[Path, tuple[int, int, RequestOnShare, str | None]] = {}
_cache_lock = threading.Lock()


def _read_on_share(share: Path, entry: ShareEntry) -> tuple[RequestOnShare, str | None]:
    """A request file read and verified (remembered while its size and time stay the same),
    and its key id."""
    with _cache_lock:
        known = _read_cache.get(entry.path)
    if known is not None and known[:2] == (entry.size, entry.mtime_ns):
        return known[2], known[3]
    try:
        request = read_request_file(entry.path, root=share)
        read = RequestOnShare(entry.path, request, None)
        key_id: str | None = request_key_id(request)
    except KnownError as error:
        read, key_id = RequestOnShare(entry.path, None, error), None
    with _cache_lock:
        _read_cache[entry.path] = (entry.size, entry.mtime_ns, read, key_id)
    return read, key_id


def requests_on_share(share: Path) -> list[tuple[RequestOnShare, str | None]]:
    """Every request file waiting in `<share>/enrol/` (dismissed ones are in a folder below,
    never listed), read and verified, with its key id (None when it is not a valid request)."""
    share = Path(share)
    entries = share_files(share, enrol_folder(share), suffix=".json")
    found = [_read_on_share(share, entry) for entry in entries]
    with _cache_lock:
        listed = {entry.path for entry in entries}
        for path in [path for path in _read_cache if path.parent == enrol_folder(share)]:
            if path not in listed:
                del _read_cache[path]
    return found


def request_for_key(share: Path, key_id: str) -> EnrolmentRequest | None:
    """The verified request on the share whose public key has this key id, if any (a share
    that cannot be read has none)."""
    try:
        found = requests_on_share(share)
    except (OSError, KnownError):
        return None
    for read, request_key in found:
        if request_key == key_id and read.request is not None:
            return read.request
    return None


def unregistered_requests(vault: Vault, share: Path) -> list[RequestOnShare]:
    """The request files on the share that are not registered devices: those that verify
    and whose device id and key no registry row has, and those that do not verify (with why)."""
    found = requests_on_share(share)
    with vault.reading() as conn:
        ids = {str(row[0]) for row in conn.execute("SELECT device_id FROM centre_device")}
        key_ids = {str(row[0]) for row in conn.execute("SELECT key_id FROM centre_device")}
    return [read for read, key_id in found
            if read.request is None or (read.request.device_id not in ids
                                         and key_id not in key_ids)]


def choose_requests(waiting: Sequence[RequestOnShare], wanted: Sequence[str]
                    ) -> list[RequestOnShare]:
    """The waiting requests named by device id, or by a unique beginning of one (at least 4
    characters); raises `RequestNotFound` or `DeviceAmbiguous` for a name that is not one."""
    chosen: list[RequestOnShare] = []
    for text in wanted:
        name = text.strip().lower()
        matches = [read for read in waiting if read.request_id == name]
        if not matches and len(name) >= MIN_PREFIX:
            matches = [read for read in waiting if read.request_id.startswith(name)]
        if not matches:
            raise RequestNotFound(request=text)
        if len(matches) > 1:
            raise DeviceAmbiguous(device=text)
        if matches[0] not in chosen:
            chosen.append(matches[0])
    return chosen


def register_requests(vault: Vault, share: Path, wanted: Sequence[str] | None = None
                      ) -> list[RequestRead]:
    """Register the unregistered requests on the share: all of them (`wanted` None) or those
    named; a request that does not verify or conflicts is reported, never fatal."""
    waiting = unregistered_requests(vault, share)
    chosen = waiting if wanted is None else choose_requests(waiting, wanted)
    results: list[RequestRead] = []
    for read in chosen:
        if read.request is None:
            results.append(RequestRead(read.path, None, read.error))
            continue
        try:
            results.append(RequestRead(read.path, register_request(vault, read.request), None))
        except KnownError as error:
            results.append(RequestRead(read.path, None, error))
    return results


def read_requests(vault: Vault, paths: Sequence[Path]) -> list[RequestRead]:
    """Verify and register each request file; a bad file is reported, never fatal."""
    results: list[RequestRead] = []
    for path in paths:
        try:
            results.append(RequestRead(path, register_request(vault, read_request_file(path)),
                                       None))
        except KnownError as error:
            results.append(RequestRead(path, None, error))
    return results


def list_devices(vault: Vault, state: DeviceState | None = None) -> list[RegisteredDevice]:
    """Registered devices, newest registration first; optionally only one state."""
    sql = _SELECT
    params: tuple[str, ...] = ()
    if state is not None:
        sql += " WHERE state = ?"
        params = (state.value,)
    with vault.reading() as conn:
        rows = conn.execute(sql + " ORDER BY registered DESC, device_id", params).fetchall()
    return [_device(row) for row in rows]


def get_device(vault: Vault, device_id: str) -> RegisteredDevice:
    """The device with exactly this id; raises `DeviceNotFound`."""
    with vault.reading() as conn:
        row = conn.execute(_SELECT + " WHERE device_id = ?",
                           (device_id,)).fetchone()
    if row is None:
        raise DeviceNotFound(device=device_id)
    return _device(row)


def find_device(vault: Vault, text: str) -> RegisteredDevice:
    """The device whose id is `text` or starts with it (at least 4 characters)."""
    wanted = text.strip().lower()
    if UUID_RE.fullmatch(wanted):
        return get_device(vault, wanted)
    if len(wanted) < MIN_PREFIX or not all(c in "0123456789abcdef-" for c in wanted):
        raise DeviceNotFound(device=text)
    with vault.reading() as conn:
        rows = conn.execute(_SELECT + " WHERE substr(device_id, 1, ?) = ? LIMIT 2",
                            (len(wanted), wanted)).fetchall()
    if not rows:
        raise DeviceNotFound(device=text)
    if len(rows) > 1:
        raise DeviceAmbiguous(device=text)
    return _device(rows[0])


def device_for_key(conn: Connection, key_id: str) -> KnownDevice | None:
    """The `DeviceLookup` of the signature check: the device that owns this key id."""
    row = conn.execute(_SELECT + " WHERE key_id = ?", (key_id,)).fetchone()
    return None if row is None else _device(row).known()


def device_now(conn: Connection, device_id: str) -> KnownDevice | None:
    """The device's state as the registry holds it now, read in the caller's transaction
    (another process may have approved, retired or revoked it since check 2)."""
    row = conn.execute(_SELECT + " WHERE device_id = ?", (device_id,)).fetchone()
    return None if row is None else _device(row).known()


def lookup_by_key_id(vault: Vault, key_id: str) -> KnownDevice | None:
    """`device_for_key` in a transaction of its own."""
    with vault.reading() as conn:
        return device_for_key(conn, key_id)


def same_fingerprint(typed: str, fingerprint: str) -> bool:
    """Whether a fingerprint typed by a person is this one (spaces and case do not matter)."""
    def norm(text: str) -> str:
        return "".join(text.split()).lower()

    return bool(norm(typed)) and norm(typed) == norm(fingerprint)


def _set_state(vault: Vault, device_id: str, state: DeviceState, allowed: set[DeviceState],
               action: str, last_seq: int | None = None) -> RegisteredDevice:
    with vault.transaction() as conn:
        device = get_device(vault, device_id)
        if device.state not in allowed:
            raise DeviceStateWrong(state=device.state.value, action=action)
        if last_seq is not None:
            highest = conn.execute("SELECT max(seq) FROM centre_bundle WHERE device_id = ?",
                                   (device_id,)).fetchone()[0]
            if highest is not None and last_seq < highest:
                raise RetireBelowImported(seq=highest)
        conn.execute("UPDATE centre_device SET state = ?, last_seq = ?, changed = ? "
                     "WHERE device_id = ?", (state.value, last_seq, utc_now(), device_id))
    return get_device(vault, device_id)


def approve(vault: Vault, device_id: str, fingerprint: str) -> RegisteredDevice:
    """Make a pending device active once the typed fingerprint matches its key's."""
    device = get_device(vault, device_id)
    if not same_fingerprint(fingerprint, device.fingerprint):
        raise FingerprintMismatch()
    return _set_state(vault, device_id, DeviceState.ACTIVE, {DeviceState.PENDING}, "approved")


def retire(vault: Vault, device_id: str, last_seq: int) -> RegisteredDevice:
    """Retire a device: its bundles up to `last_seq` are still accepted, later ones are not."""
    if last_seq < 0:
        raise LastSeqNegative()
    allowed = {DeviceState.ACTIVE, DeviceState.RETIRED}
    return _set_state(vault, device_id, DeviceState.RETIRED, allowed, "retired", last_seq)


def revoke(vault: Vault, device_id: str) -> RegisteredDevice:
    """Revoke a device: none of its bundles is accepted any more (lost or stolen laptop)."""
    allowed = {DeviceState.PENDING, DeviceState.ACTIVE, DeviceState.RETIRED}
    return _set_state(vault, device_id, DeviceState.REVOKED, allowed, "revoked")

"""The importer's first checks on a bundle file, over bytes or paths (bundle-format.md).

Check 1 (`open_container`), check 2 (`verify_signature`) and a pure form of check 3
(`check_sequence`). Each raises `BundleRefused` with the spec's reason code. Checks 4 to 6
are in `payload_reader`, and `bundle_check.check_bundle` runs them all in order. Nothing
here touches a database: devices are looked up through a callable the caller passes in.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import minisign

from intake_app.sync.errors import BundleRefused, Outcome, Reason
from intake_app.sync.format.keys import key_id, parse_public_key, signature_key_id
from intake_app.sync.format.prehashed import new_digest, verify_digest
from intake_app.sync.format.spec import (
    MAX_BUNDLE_SIZE,
    MAX_README_SIZE,
    MAX_SIGNATURE_SIZE,
    PAYLOAD_ENTRY,
    README_ENTRY,
    SIGNATURE_ENTRY,
    BundleComment,
)
from intake_app.sync.format.strict_json import FormatProblem
from intake_app.sync.format.zip_reader import (
    STORED,
    EntryStream,
    ZipEntry,
    ZipProblem,
    read_directory,
    read_entry,
)

SEQ_FAR_AHEAD = 100  # beyond the highest sequence number seen from the device
_ENTRY_ORDERS = ([PAYLOAD_ENTRY, SIGNATURE_ENTRY], [PAYLOAD_ENTRY, SIGNATURE_ENTRY, README_ENTRY])


class DeviceState(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    RETIRED = "retired"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class KnownDevice:
    """A device in the centre's registry, as the signature check needs it."""

    device_id: str
    public_key: str  # "RW..."
    state: DeviceState
    last_seq: int | None = None  # for a retired device: the last sequence number it may use


DeviceLookup = Callable[[str], KnownDevice | None]
"""Find the registered device whose key has this key id (as `keys.key_id` spells it)."""


@dataclass(frozen=True, slots=True)
class SignedBundle:
    """What check 2 established: who signed which bundle, and the hash of `payload.age`."""

    device: KnownDevice
    key_id: str
    comment: BundleComment
    payload_sha256: str
    # Where `payload.age`'s bytes lie in the file that was checked (offset, length): what the
    # quarantine hashes again while it holds the file, so it keeps exactly the verified bytes.
    payload_span: tuple[int, int] | None = None

    @property
    def device_id(self) -> str:
        return self.comment.device_id

    @property
    def seq(self) -> int:
        return self.comment.seq


class VerifiedRefusal(BundleRefused):
    """A refusal decided after the signature verified: `signed` holds the verified facts, so
    the centre can log the bundle's device and sequence number and sign a receipt for it."""

    def __init__(self, reason: Reason, signed: SignedBundle) -> None:
        super().__init__(reason)
        self.signed = signed


class DevicePending(VerifiedRefusal):
    """Check 2 passed but the device awaits approval: hold the bundle in quarantine."""

    def __init__(self, signed: SignedBundle) -> None:
        super().__init__(Reason.DEVICE_PENDING, signed)


class BundleContainer:
    """A bundle file whose container passed check 1; holds it open for the next checks."""

    def __init__(self, handle: BinaryIO, payload: ZipEntry, signature: bytes, *,
                 owned: bool = True) -> None:
        self._handle = handle
        self._owned = owned  # a handle the caller passed in stays open for the caller
        self.payload = payload
        self.signature = signature

    def payload_stream(self, *, check_crc: bool = True) -> EntryStream:
        """A fresh stream over `payload.age`, its SHA-256 computed as it is read."""
        return EntryStream(self._handle, self.payload, check_crc=check_crc)

    def close(self) -> None:
        if self._owned:
            self._handle.close()

    def __enter__(self) -> BundleContainer:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


BundleSource = Path | bytes | BinaryIO
"""A bundle file: a path, its bytes, or a handle already open (left open, read at positions
of its own: every check reads it again through that one handle)."""


def _open_source(source: BundleSource, max_size: int) -> tuple[BinaryIO, int]:
    if isinstance(source, bytes):
        handle: BinaryIO = io.BytesIO(source)
        size = len(source)
    elif not isinstance(source, Path):
        size = source.seek(0, io.SEEK_END)  # an opened share file: the size it was opened at
        source.seek(0)
        if size > max_size:
            raise BundleRefused(Reason.TOO_LARGE)
        return source, size
    else:
        # Unbuffered: each check reads the file again rather than trusting an earlier buffer,
        # which is what lets check 4 notice a file changed on the share after check 2.
        handle = open(source, "rb", buffering=0)  # noqa: SIM115 - owned by the container
        size = os.fstat(handle.fileno()).st_size  # of what is open, not of the name
    if size > max_size:
        handle.close()
        raise BundleRefused(Reason.TOO_LARGE)
    return handle, size


def _container_entries(handle: BinaryIO, size: int) -> list[ZipEntry]:
    try:
        entries = read_directory(handle, size, max_entries=3, max_directory=1024)
    except ZipProblem as exc:
        # A file that starts like a ZIP but has no usable end is damaged (truncated, say).
        handle.seek(0)
        looks_like_zip = handle.read(4) == b"PK\x03\x04"
        reason = Reason.NOT_A_BUNDLE if exc.not_zip and not looks_like_zip else (
            Reason.BAD_CONTAINER)
        raise BundleRefused(reason, str(exc)) from None
    if [entry.name for entry in entries] not in _ENTRY_ORDERS:
        raise BundleRefused(Reason.BAD_CONTAINER, "entries or their order")
    if any(entry.method != STORED for entry in entries):
        raise BundleRefused(Reason.BAD_CONTAINER, "compressed entry")
    readme_size = entries[2].size if len(entries) == 3 else 0
    if entries[1].size > MAX_SIGNATURE_SIZE or readme_size > MAX_README_SIZE:
        raise BundleRefused(Reason.BAD_CONTAINER, "signature or README too large")
    return entries


_HASH_PIECE = 1 << 20  # bytes of payload.age hashed at a time


def open_container(source: BundleSource, *, max_size: int = MAX_BUNDLE_SIZE) -> BundleContainer:
    """Check 1: size cap, exactly the allowed entries in order, stored, within limits.

    Raises `BundleRefused` (`too-large`, `not-a-bundle`, `bad-container`).
    """
    handle, size = _open_source(source, max_size)
    owned = isinstance(source, Path | bytes)
    try:
        entries = _container_entries(handle, size)
        try:
            signature = read_entry(handle, entries[1], limit=MAX_SIGNATURE_SIZE)
        except ZipProblem as exc:
            raise BundleRefused(Reason.BAD_CONTAINER, str(exc)) from None
    except BaseException:
        if owned:
            handle.close()
        raise
    return BundleContainer(handle, entries[0], signature, owned=owned)


def _parse_signature(data: bytes) -> minisign.Signature:
    try:
        signature = minisign.Signature.from_bytes(data)
    except (minisign.Error, ValueError) as exc:
        raise BundleRefused(Reason.BAD_SIGNATURE, "signature file unreadable") from exc
    if not signature.is_prehashed():
        raise BundleRefused(Reason.BAD_SIGNATURE, "signature is not prehashed (ED)")
    return signature


def _find_device(signature: minisign.Signature, lookup: DeviceLookup
                 ) -> tuple[KnownDevice, minisign.PublicKey, str]:
    signer = signature_key_id(signature)
    device = lookup(signer)
    if device is None:
        raise BundleRefused(Reason.UNKNOWN_DEVICE)
    try:
        public_key = parse_public_key(device.public_key)
    except FormatProblem as exc:
        raise ValueError("the device registry holds an unreadable public key") from exc
    if key_id(public_key) != signer:
        raise ValueError("the device lookup returned a device with another key id")
    return device, public_key, signer


def verify_signature(container: BundleContainer, lookup: DeviceLookup) -> SignedBundle:
    """Check 2: the signer is a usable registered device and the signature and comment verify.

    Raises `BundleRefused`; for a pending device (`device-pending`, `DevicePending`), a
    revoked one (`device-revoked`) or a retired key (`key-retired`) a `VerifiedRefusal`, only
    after the signature verified (so that the refusal's receipt names a proven bundle).
    """
    signature = _parse_signature(container.signature)
    device, public_key, signer = _find_device(signature, lookup)
    stream = container.payload_stream()
    try:
        digest = new_digest()
        while piece := stream.read(_HASH_PIECE):
            digest.update(piece)
        stream.drain()
        verify_digest(public_key, signature, digest.digest())
    except minisign.VerifyError:
        if isinstance(stream.error, ZipProblem):
            raise BundleRefused(Reason.BAD_CONTAINER, str(stream.error)) from None
        raise BundleRefused(Reason.BAD_SIGNATURE) from None
    except ZipProblem as exc:
        raise BundleRefused(Reason.BAD_CONTAINER, str(exc)) from None
    try:
        comment = BundleComment.parse(signature.trusted_comment)
    except FormatProblem:
        raise BundleRefused(Reason.BAD_TRUSTED_COMMENT) from None
    if comment.device_id != device.device_id:
        raise BundleRefused(Reason.BAD_TRUSTED_COMMENT, "comment names another device")
    span = (container.payload.data_offset, container.payload.compressed_size)
    signed = SignedBundle(device, signer, comment, stream.digest.hexdigest(), span)
    refusal = device_refusal(device, comment.seq)
    if refusal is Reason.DEVICE_PENDING:
        raise DevicePending(signed)
    if refusal is not None:
        raise VerifiedRefusal(refusal, signed)
    return signed


def device_refusal(device: KnownDevice | None, seq: int) -> Reason | None:
    """Check 2's rule on the device's state: why its bundle number `seq` cannot be imported
    now (unknown, revoked, key retired, pending approval), or None to go on."""
    if device is None:
        return Reason.UNKNOWN_DEVICE
    if device.state is DeviceState.REVOKED:
        return Reason.DEVICE_REVOKED
    if device.state is DeviceState.RETIRED and (device.last_seq is None or seq > device.last_seq):
        return Reason.KEY_RETIRED
    if device.state is DeviceState.PENDING:
        return Reason.DEVICE_PENDING
    return None


def check_sequence(
    signed: SignedBundle, *, imported_sha256: str | None, highest_seen: int | None
) -> Outcome | None:
    """Check 3, given what the centre holds: `None` to go on, or `duplicate`.

    `imported_sha256` is the payload hash already imported under this (device, seq), if any;
    `highest_seen` the highest sequence number seen from the device (imported, held or
    abandoned). Raises `BundleRefused` (`seq-conflict`, `seq-far-ahead`).
    """
    if imported_sha256 is not None:
        if imported_sha256 == signed.payload_sha256:
            return Outcome.DUPLICATE
        raise BundleRefused(Reason.SEQ_CONFLICT)
    if signed.seq > (highest_seen or 0) + SEQ_FAR_AHEAD:
        raise BundleRefused(Reason.SEQ_FAR_AHEAD)
    return None

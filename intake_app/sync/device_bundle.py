"""Write one bundle into any seekable file (the vault-backed outbox spool), signing as it goes.

This is the one place that lays a bundle out; `bundle_writer.write_bundle` calls it with a
file on disk as the handle. The signature is made while `payload.age` is written: a second
thread feeds the same bytes to py-minisign, so the bundle is never read back for signing.
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
import threading
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

import minisign
import pyrage

from intake_app.sync.bundle_contents import APP_NAME, BundleContents, build_manifest
from intake_app.sync.bundle_format import (
    MAX_BUNDLE_SIZE,
    PAYLOAD_ENTRY,
    README_ENTRY,
    README_TEXT,
    SIGNATURE_ENTRY,
    BundleComment,
    bundle_name,
    size_text,
)
from intake_app.sync.errors import ExportTooLarge
from intake_app.sync.keys import parse_recipient
from intake_app.sync.manifest import Manifest
from intake_app.sync.payload_stream import PayloadStream, entry_info
from intake_app.sync.profile import CentreProfile
from intake_app.sync.strict_json import UUID_RE, format_timestamp

_PIPE_DEPTH = 64  # chunks of age output (64 KiB each) waiting for the signer at most
_END = b""


@dataclass(frozen=True, slots=True)
class BundleFacts:
    """What was written: the names, hashes and size the outbox keeps, and the manifest."""

    name: str
    seq: int
    created: str
    size: int
    payload_sha256: str
    manifest_sha256: str
    manifest: Manifest


class _Aborted(Exception):
    """The writer gave up; the signer thread stops reading."""


class _SignerPipe:
    """Bytes handed from the writing thread to py-minisign's reader in the signing thread."""

    def __init__(self) -> None:
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=_PIPE_DEPTH)
        self._buffer = memoryview(b"")
        self._ended = False

    def feed(self, data: bytes, signer: threading.Thread) -> None:
        while True:
            try:
                self._queue.put(data, timeout=0.2)
                return
            except queue.Full:
                if not signer.is_alive():
                    return  # the signer failed; its error is raised when it is joined

    def end(self, *, aborted: bool = False) -> None:
        # If the queue stays full the signer is gone or stuck; joining it reports that.
        with contextlib.suppress(queue.Full):
            self._queue.put(None if aborted else _END, timeout=5)

    def read(self, size: int = -1, /) -> bytes:
        if size < 0:
            return b"".join(iter(lambda: self.read(1 << 16), b""))
        if not self._buffer and not self._ended:
            item = self._queue.get()
            if item is None:
                raise _Aborted()
            if item == _END:
                self._ended = True
            self._buffer = memoryview(item)
        piece = bytes(self._buffer[:size])
        self._buffer = self._buffer[size:]
        return piece


class _Signer:
    """Runs `secret_key.sign(pipe)` in a thread while the payload is being written."""

    def __init__(self, secret_key: minisign.SecretKey, comment: str) -> None:
        self.pipe = _SignerPipe()
        self._result: minisign.Signature | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(secret_key, comment), name="bundle-signer", daemon=True
        )
        self._thread.start()

    def _run(self, secret_key: minisign.SecretKey, comment: str) -> None:
        try:
            self._result = secret_key.sign(self.pipe, prehash=True, trusted_comment=comment)
        except BaseException as exc:  # handed to the writing thread in `finish`
            self._error = exc

    def feed(self, data: bytes) -> None:
        self.pipe.feed(data, self._thread)

    def finish(self) -> minisign.Signature:
        self.pipe.end()
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result

    def abort(self) -> None:
        self.pipe.end(aborted=True)
        self._thread.join(timeout=5)


class _TeeWriter:
    """The `payload.age` entry's writer: hashes, counts, and hands each piece to the signer."""

    def __init__(self, target: IO[bytes], signer: _Signer) -> None:
        self._target = target
        self._signer = signer
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        piece = bytes(data)
        self.digest.update(piece)
        self.size += len(piece)
        self._target.write(piece)
        if piece:  # an empty piece would read as the end of the data
            self._signer.feed(piece)
        return len(piece)

    def flush(self) -> None:
        self._target.flush()


def _encrypt(outer: zipfile.ZipFile, stream: PayloadStream, profile: CentreProfile,
             moment: datetime, signer: _Signer) -> str:
    """age-encrypt the payload into the `payload.age` entry; return its SHA-256."""
    recipients = [parse_recipient(text) for text in profile.age_recipients]
    with outer.open(entry_info(PAYLOAD_ENTRY, moment, zipfile.ZIP_STORED), "w") as entry:
        writer = _TeeWriter(entry, signer)
        try:
            pyrage.encrypt_io(stream, writer, recipients)
        except Exception:
            if stream.error is not None:
                raise stream.error from None
            raise
    return writer.digest.hexdigest()


def write_bundle_to(
    handle: IO[bytes],
    *,
    profile: CentreProfile,
    device_id: str,
    device_key: minisign.SecretKey,
    seq: int,
    created: datetime,
    contents: BundleContents,
    app: str = APP_NAME,
    readme: bool = True,
    max_size: int = MAX_BUNDLE_SIZE,
) -> BundleFacts:
    """Write bundle `seq` from the start of an empty seekable `handle`.

    Raises `ExportTooLarge` if it came out larger than `max_size` (the caller discards it).
    """
    if not UUID_RE.fullmatch(device_id) or seq < 1:
        raise ValueError("device id must be a UUID and seq at least 1")
    created_text = format_timestamp(created)
    manifest, records, blobs = build_manifest(profile, device_id, seq, created_text, app,
                                              contents)
    manifest_bytes = manifest.to_bytes()
    comment = BundleComment(device_id, seq, created_text,
                            hashlib.sha256(manifest_bytes).hexdigest())
    moment = created.astimezone(UTC)
    signer = _Signer(device_key, comment.text())
    try:
        with zipfile.ZipFile(handle, "w", allowZip64=False) as outer:
            stream = PayloadStream(manifest_bytes, records, blobs, moment)
            payload_sha256 = _encrypt(outer, stream, profile, moment, signer)
            signature = signer.finish()
            outer.writestr(entry_info(SIGNATURE_ENTRY, moment, zipfile.ZIP_STORED),
                           bytes(signature) + b"\n")
            if readme:
                outer.writestr(entry_info(README_ENTRY, moment, zipfile.ZIP_STORED),
                               README_TEXT.encode("ascii"))
    except BaseException:
        signer.abort()
        raise
    size = handle.tell()
    if size > max_size:
        raise ExportTooLarge(limit=size_text(max_size))
    return BundleFacts(bundle_name(device_id, seq), seq, created_text, size, payload_sha256,
                       comment.manifest_sha256, manifest)

"""Write one bundle into any seekable file (the outbox file in the vault), signing as it goes.

This is the one place that lays a bundle out; `bundle_writer.write_bundle` calls it with a
file on disk as the handle. The signature is made while `payload.age` is written: a second
thread ("bundle-signer") takes each piece of age's output and feeds it to SHA-256 (the hash the
outbox and receipts use) and BLAKE2b-512 (what the prehashed minisign signature covers), off
Python's lock; `sync.prehashed` signs the digest. The bundle is never read back for signing.
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

import minisign
import pyrage

from intake_app.sync.errors import ExportTooLarge
from intake_app.sync.format.contents import APP_NAME, BundleContents, build_manifest
from intake_app.sync.format.keys import parse_recipient
from intake_app.sync.format.manifest import Manifest
from intake_app.sync.format.payload_stream import PayloadStream, entry_info
from intake_app.sync.format.prehashed import new_digest, sign_digest
from intake_app.sync.format.profile import CentreProfile
from intake_app.sync.format.spec import (
    MAX_BUNDLE_SIZE,
    PAYLOAD_ENTRY,
    README_ENTRY,
    README_TEXT,
    SIGNATURE_ENTRY,
    BundleComment,
    bundle_name,
    size_text,
)
from intake_app.sync.format.strict_json import UUID_RE, format_timestamp

_PIPE_DEPTH = 64  # pieces of age output (64 KiB each) waiting for the signer at most
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


class _Signer:
    """Hashes age's output in a thread while the payload is written; signs it at the end."""

    def __init__(self, secret_key: minisign.SecretKey, comment: str) -> None:
        self._secret_key = secret_key
        self._comment = comment
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=_PIPE_DEPTH)
        self._sha256 = hashlib.sha256()
        self._blake2b = new_digest()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bundle-signer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while (piece := self._queue.get()) is not None:
                if piece == _END:
                    return
                self._sha256.update(piece)
                self._blake2b.update(piece)
        except BaseException as exc:  # handed to the writing thread in `finish`
            self._error = exc

    def feed(self, data: bytes) -> None:
        if not data:
            return  # an empty piece would read as the end of the data
        while True:
            try:
                self._queue.put(data, timeout=0.2)
                return
            except queue.Full:
                if not self._thread.is_alive():
                    return  # the thread failed; its error is raised in `finish`

    def finish(self) -> tuple[minisign.Signature, str]:
        """The signature and the SHA-256 (hex) of everything fed."""
        self._end(_END)
        self._thread.join()
        if self._error is not None:
            raise self._error
        signature = sign_digest(self._secret_key, self._blake2b.digest(), self._comment)
        return signature, self._sha256.hexdigest()

    def abort(self) -> None:
        self._end(None)
        self._thread.join(timeout=5)

    def _end(self, item: bytes | None) -> None:
        # If the queue stays full the thread is gone or stuck; joining it reports that.
        with contextlib.suppress(queue.Full):
            self._queue.put(item, timeout=5)


class _TeeWriter:
    """The `payload.age` entry's writer: each piece goes to the file and to the signer."""

    def __init__(self, target: IO[bytes], signer: _Signer) -> None:
        self._target = target
        self._signer = signer

    def write(self, data: bytes) -> int:
        piece = bytes(data)
        self._target.write(piece)
        self._signer.feed(piece)
        return len(piece)

    def flush(self) -> None:
        self._target.flush()


def _encrypt(outer: zipfile.ZipFile, payload: Callable[[], PayloadStream],
             profile: CentreProfile, moment: datetime, signer: _Signer) -> None:
    """age-encrypt the payload into the `payload.age` entry (the signer sees every byte)."""
    recipients = [parse_recipient(text) for text in profile.age_recipients]
    with outer.open(entry_info(PAYLOAD_ENTRY, moment, zipfile.ZIP_STORED), "w") as entry:
        writer = _TeeWriter(entry, signer)
        stream = payload()  # its thread starts here and is stopped below, whatever happens
        try:
            pyrage.encrypt_io(stream, writer, recipients)
        except Exception:
            if stream.error is not None:
                raise stream.error from None
            raise
        finally:
            stream.stop()


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
            _encrypt(outer, lambda: PayloadStream(manifest_bytes, records, blobs, moment),
                     profile, moment, signer)
            signature, payload_sha256 = signer.finish()
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

"""Check 4 on `payload.age` and the directory half of check 5, streamed.

`payload.age` is decrypted to its end (age authenticates every 64 KiB piece), keeping only the
plaintext's length and its last bytes, while the ciphertext is hashed again: it must be the one
whose signature was verified. The ZIP's end record and central directory are then checked from
those last bytes: entries, names, compression, sizes, ratios and the total uncompressed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyrage
from pyrage import x25519

from intake_app.sync.errors import BundleRefused, Reason
from intake_app.sync.format.payload_streams import TailKeeper
from intake_app.sync.format.reader import BundleContainer, SignedBundle
from intake_app.sync.format.spec import (
    MANIFEST_ENTRY,
    MAX_COMPRESSION_RATIO,
    MAX_PAYLOAD_ENTRIES,
    MAX_PAYLOAD_UNCOMPRESSED,
)
from intake_app.sync.format.strict_json import SHA256_RE, UUID_RE
from intake_app.sync.format.zip_reader import (
    DEFLATED,
    STORED,
    CentralDirectory,
    EntryStream,
    ZipProblem,
    read_central,
    tail_bytes,
)

_MAX_DIRECTORY = MAX_PAYLOAD_ENTRIES * 512
_NO_MATCHING_KEY = "No matching keys found"  # pyrage's message when no identity fits


AGE_BINARY_HEADER = b"age-encryption.org/v1\n"


@dataclass(frozen=True, slots=True)
class PayloadDirectory:
    """What check 4 and the first part of check 5 established: the plaintext's length and
    its checked central directory."""

    size: int
    central: CentralDirectory


def decrypt_payload(container: BundleContainer, signed: SignedBundle,
                    identities: Sequence[x25519.Identity]) -> PayloadDirectory:
    """Check 4 (decrypt `payload.age` to its end with the centre's identities, keeping only
    its last bytes) and the directory half of check 5.

    The ciphertext is hashed again while it is decrypted and must be the one whose signature
    was verified, so a file swapped on the share between the checks is refused.
    """
    _check_binary(container)
    stream = container.payload_stream(check_crc=False)
    keeper = TailKeeper(tail_bytes(_MAX_DIRECTORY),
                         min(container.payload.size, MAX_PAYLOAD_UNCOMPRESSED))
    try:
        pyrage.decrypt_io(stream, keeper, list(identities))
        stream.drain()
    except ZipProblem as exc:
        raise BundleRefused(Reason.BAD_CONTAINER, str(exc)) from None
    except (pyrage.DecryptError, OSError) as exc:
        if isinstance(stream.error, ZipProblem) or not unchanged(stream, signed):
            raise BundleRefused(Reason.BAD_CONTAINER, "payload.age changed or damaged") from None
        if _NO_MATCHING_KEY in str(exc):
            raise BundleRefused(Reason.NOT_FOR_THIS_CENTRE) from None
        raise BundleRefused(Reason.BAD_PAYLOAD, "age decryption failed") from None
    if stream.digest.hexdigest() != signed.payload_sha256:
        raise BundleRefused(Reason.BAD_CONTAINER, "payload.age changed while it was read")
    return PayloadDirectory(keeper.size, check_central(keeper.handle(), keeper.size))


def _check_binary(container: BundleContainer) -> None:
    # The spec asks for binary age; the armored form would decrypt too, so refuse it here.
    if container.payload_stream(check_crc=False).read(len(AGE_BINARY_HEADER)) != AGE_BINARY_HEADER:
        raise BundleRefused(Reason.BAD_PAYLOAD, "payload.age is not binary age v1")


def unchanged(stream: EntryStream, signed: SignedBundle) -> bool:
    """Whether the ciphertext (read to its end) is still the one that was verified."""
    try:
        stream.drain()
    except ZipProblem:
        return False
    return stream.digest.hexdigest() == signed.payload_sha256


def check_central(handle: Any, size: int) -> CentralDirectory:
    """Check 5's first part: the directory's shape, names, compression, sizes and ratios."""
    try:
        central = read_central(handle, size, max_entries=MAX_PAYLOAD_ENTRIES,
                               max_directory=_MAX_DIRECTORY)
    except ZipProblem as exc:
        raise BundleRefused(Reason.BAD_PAYLOAD, str(exc)) from None
    entries = [record.entry for record in central.records]
    if not entries or entries[0].name != MANIFEST_ENTRY:
        raise BundleRefused(Reason.BAD_PAYLOAD, "manifest.json is not the first entry")
    total = 0
    for entry in entries:
        if not _allowed_name(entry.name) or entry.method not in (STORED, DEFLATED):
            raise BundleRefused(Reason.BAD_PAYLOAD, "name or compression not allowed")
        if entry.size > MAX_COMPRESSION_RATIO * entry.compressed_size:
            raise BundleRefused(Reason.BAD_PAYLOAD, "compression ratio too high")
        total += entry.size
    if total > MAX_PAYLOAD_UNCOMPRESSED:
        raise BundleRefused(Reason.BAD_PAYLOAD, "payload too large uncompressed")
    return central


def _allowed_name(name: str) -> bool:
    if name == MANIFEST_ENTRY:
        return True
    if name.startswith("records/") and name.endswith(".json"):
        return UUID_RE.fullmatch(name[len("records/") : -len(".json")]) is not None
    if name.startswith("attachments/"):
        return SHA256_RE.fullmatch(name[len("attachments/") :]) is not None
    return False

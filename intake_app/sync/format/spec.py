"""Names, limits and the signed trusted comment of bundle format version 1 (bundle-format.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from intake_app.sync.format.strict_json import (
    TIMESTAMP_RE,
    UUID_RE,
    FormatProblem,
    parse_timestamp,
)

MiB = 1024 * 1024
MAX_BUNDLE_SIZE = 512 * MiB  # the whole .ibundle file
MAX_SIGNATURE_SIZE = 4096  # payload.age.minisig
MAX_README_SIZE = 4096  # README.txt
MAX_PAYLOAD_ENTRIES = 10_000
MAX_PAYLOAD_UNCOMPRESSED = 512 * MiB
MAX_COMPRESSION_RATIO = 200
MAX_MANIFEST_SIZE = 8 * MiB  # 10,000 entries of a few hundred bytes each fit easily
MAX_RECORD_SIZE = 16 * MiB

SIGNATURE_SUFFIX = ".minisig"  # a minisign signature file beside the file it signs
PAYLOAD_ENTRY = "payload.age"
SIGNATURE_ENTRY = PAYLOAD_ENTRY + SIGNATURE_SUFFIX
README_ENTRY = "README.txt"
MANIFEST_ENTRY = "manifest.json"
BUNDLE_SUFFIX = ".ibundle"

PAYLOAD_FORMAT = "intake-payload"
PAYLOAD_VERSION = 1

_COMMENT_RE = re.compile(
    rf"intake-bundle v1 device=(?P<device>{UUID_RE.pattern}) seq=(?P<seq>[1-9][0-9]{{0,15}})"
    rf" created=(?P<created>{TIMESTAMP_RE.pattern}) manifest=(?P<manifest>[0-9a-f]{{64}})"
)


def signature_path(path: Path) -> Path:
    """The minisign signature file that goes with `path` (`<name>.minisig`)."""
    return path.with_name(path.name + SIGNATURE_SUFFIX)


def read_signed_file(path: Path, max_size: int) -> tuple[bytes, bytes]:
    """At most `max_size + 1` bytes of `path` and of its `.minisig` (so that a larger file
    shows as too large); `OSError` when either cannot be read."""
    with open(path, "rb") as handle:
        data = handle.read(max_size + 1)
    with open(signature_path(path), "rb") as handle:
        signature = handle.read(MAX_SIGNATURE_SIZE + 1)
    return data, signature

README_TEXT = """\
Intake export bundle
====================

This file is an encrypted, signed export from the Intake application. Only the
reception centre it was made for can open it. It holds no readable personal data.

To check it with standard tools (https://jedisct1.github.io/minisign/ and
https://age-encryption.org/):

  unzip -o BUNDLE.ibundle payload.age payload.age.minisig
  minisign -Vm payload.age -P DEVICE-PUBLIC-KEY
  age -d -i CENTRE-IDENTITY.txt payload.age > payload.zip
  unzip -l payload.zip

minisign prints the trusted comment, which names the device, the sequence
number, the time the bundle was made and the SHA-256 of manifest.json inside
payload.zip. manifest.json lists every record and attachment with its SHA-256.

Format: bundle-format version 1.
"""


def size_text(size: int) -> str:
    """A size limit for a message: "512 MiB", or KiB below one MiB."""
    return f"{size // MiB} MiB" if size >= MiB else f"{size // 1024} KiB"


def bundle_name(device_id: str, seq: int) -> str:
    """The bundle's file name: `<device_id>-<seq, 8 digits>.ibundle`."""
    return f"{device_id}-{seq:08d}{BUNDLE_SUFFIX}"


def record_path(record_id: str) -> str:
    """Where a record lives inside the payload."""
    return f"records/{record_id}.json"


def attachment_path(sha256: str) -> str:
    """Where an attachment lives inside the payload."""
    return f"attachments/{sha256}"


@dataclass(frozen=True, slots=True)
class BundleComment:
    """The fields of a bundle's signed trusted comment."""

    device_id: str
    seq: int
    created: str
    manifest_sha256: str

    def text(self) -> str:
        """The exact trusted comment of the spec."""
        return (
            f"intake-bundle v1 device={self.device_id} seq={self.seq} "
            f"created={self.created} manifest={self.manifest_sha256}"
        )

    @classmethod
    def parse(cls, text: str) -> BundleComment:
        """Parse a trusted comment of exactly the spec's form; raises `FormatProblem`."""
        match = _COMMENT_RE.fullmatch(text)
        if match is None:
            raise FormatProblem("trusted comment has the wrong form")
        parse_timestamp(match["created"])
        return cls(
            device_id=match["device"],
            seq=int(match["seq"]),
            created=match["created"],
            manifest_sha256=match["manifest"],
        )

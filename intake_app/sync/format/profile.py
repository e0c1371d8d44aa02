"""The centre profile (`centre-profile.json`): whom a device's bundles are for, where they go."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake_app.sync.errors import ProfileInvalid
from intake_app.sync.format.keys import fingerprint, parse_public_key, parse_recipient
from intake_app.sync.format.strict_json import (
    UUID_RE,
    FormatProblem,
    dumps_pretty,
    exact_keys,
    expect,
    get_list,
    get_match,
    get_str,
    loads_object,
)

PROFILE_FORMAT = "intake-centre-profile"
PROFILE_VERSION = 1
PROFILE_FILE_NAME = "centre-profile.json"
MAX_PROFILE_SIZE = 64 * 1024
MAX_RECIPIENTS = 4
_KEYS = frozenset(
    {"format", "version", "centre_id", "name", "age_recipients", "receipt_key", "share"}
)


@dataclass(frozen=True, slots=True)
class CentreProfile:
    """A reception centre as a device knows it."""

    centre_id: str
    name: str
    age_recipients: tuple[str, ...]
    receipt_key: str
    share: str

    def to_json(self) -> dict[str, Any]:
        """The profile as the JSON object of the spec, in the spec's key order."""
        return {
            "format": PROFILE_FORMAT,
            "version": PROFILE_VERSION,
            "centre_id": self.centre_id,
            "name": self.name,
            "age_recipients": list(self.age_recipients),
            "receipt_key": self.receipt_key,
            "share": self.share,
        }

    def to_bytes(self) -> bytes:
        """The file's bytes (indented UTF-8 JSON); checked by parsing them back."""
        data = dumps_pretty(self.to_json())
        parse_profile(data)
        return data


def _parse(obj: dict[str, Any]) -> CentreProfile:
    exact_keys(obj, _KEYS)
    expect(obj, "format", PROFILE_FORMAT)
    expect(obj, "version", PROFILE_VERSION)
    recipients = get_list(obj, "age_recipients", max_len=MAX_RECIPIENTS)
    if not recipients or len(set(map(str, recipients))) != len(recipients):
        raise FormatProblem("age_recipients must be distinct and not empty")
    for recipient in recipients:
        parse_recipient(recipient)
    receipt_key = get_str(obj, "receipt_key", max_len=128)
    parse_public_key(receipt_key)
    return CentreProfile(
        centre_id=get_match(obj, "centre_id", UUID_RE),
        name=get_str(obj, "name", max_len=200),
        age_recipients=tuple(recipients),
        receipt_key=receipt_key,
        share=get_str(obj, "share", max_len=1024),
    )


def parse_profile(data: bytes) -> CentreProfile:
    """Parse a centre profile strictly; raises `ProfileInvalid`."""
    if len(data) > MAX_PROFILE_SIZE:
        raise ProfileInvalid()
    try:
        return _parse(loads_object(data))
    except FormatProblem as exc:
        raise ProfileInvalid() from exc


def load_profile(path: Path) -> tuple[CentreProfile, str]:
    """Read a centre profile file; return it and the fingerprint of the file's bytes."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_PROFILE_SIZE + 1)
    except OSError as exc:
        raise ProfileInvalid() from exc
    return parse_profile(data), fingerprint(data)


def profile_fingerprint(data: bytes) -> str:
    """The fingerprint shown for a profile file: of its exact bytes."""
    return fingerprint(data)

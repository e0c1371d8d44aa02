"""Enrolment requests: a new device's public key, signed by itself, for the centre to approve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import minisign

from intake_app.sync.errors import EnrolmentInvalid
from intake_app.sync.files import atomic_write_bytes
from intake_app.sync.keys import key_fingerprint, parse_public_key, public_key_to_text
from intake_app.sync.strict_json import (
    UUID_RE,
    FormatProblem,
    dumps_pretty,
    exact_keys,
    expect,
    format_timestamp,
    get_match,
    get_str,
    get_timestamp,
    loads_object,
)

ENROLMENT_FORMAT = "intake-enrolment"
ENROLMENT_VERSION = 1
MAX_REQUEST_SIZE = 16 * 1024
MAX_SIGNATURE_SIZE = 4096
_KEYS = frozenset(
    {"format", "version", "device_id", "device_name", "worker", "public_key", "created"}
)


def enrolment_comment(device_id: str) -> str:
    """The exact trusted comment of an enrolment request's signature."""
    return f"intake-enrolment v1 device={device_id}"


@dataclass(frozen=True, slots=True)
class EnrolmentRequest:
    """A device asking to be registered at a centre."""

    device_id: str
    device_name: str
    worker: str
    public_key: str  # "RW..."
    created: str

    @classmethod
    def make(cls, *, device_id: str, device_name: str, worker: str,
             public_key: minisign.PublicKey, created: datetime) -> EnrolmentRequest:
        """A new request (checked: it must survive its own strict parse)."""
        request = cls(device_id, device_name, worker, public_key_to_text(public_key),
                      format_timestamp(created))
        _parse(loads_object(request.to_bytes()))
        return request

    @property
    def file_name(self) -> str:
        return f"{self.device_id}.json"

    def fingerprint(self) -> str:
        """The public key's fingerprint, compared on both screens before approval."""
        return key_fingerprint(self.public_key)

    def to_json(self) -> dict[str, Any]:
        return {"format": ENROLMENT_FORMAT, "version": ENROLMENT_VERSION,
                "device_id": self.device_id, "device_name": self.device_name,
                "worker": self.worker, "public_key": self.public_key, "created": self.created}

    def to_bytes(self) -> bytes:
        return dumps_pretty(self.to_json())


def _parse(obj: dict[str, Any]) -> EnrolmentRequest:
    exact_keys(obj, _KEYS)
    expect(obj, "format", ENROLMENT_FORMAT)
    expect(obj, "version", ENROLMENT_VERSION)
    public_key = get_str(obj, "public_key", max_len=128)
    parse_public_key(public_key)
    return EnrolmentRequest(
        device_id=get_match(obj, "device_id", UUID_RE),
        device_name=get_str(obj, "device_name", max_len=100),
        worker=get_str(obj, "worker", max_len=100),
        public_key=public_key,
        created=get_timestamp(obj, "created"),
    )


def write_enrolment(folder: Path, request: EnrolmentRequest,
                    secret_key: minisign.SecretKey) -> Path:
    """Write `<device_id>.json` and its `.minisig` into `folder`; return the JSON's path.

    The signature is written first, so a request that is visible always has its signature.
    """
    data = request.to_bytes()
    signature = secret_key.sign(data, prehash=True,
                                trusted_comment=enrolment_comment(request.device_id))
    path = folder / request.file_name
    atomic_write_bytes(path.with_name(path.name + ".minisig"), bytes(signature) + b"\n")
    atomic_write_bytes(path, data)
    return path


def parse_enrolment(data: bytes, signature_data: bytes) -> EnrolmentRequest:
    """Parse and verify a request and its signature; raises `EnrolmentInvalid`."""
    if len(data) > MAX_REQUEST_SIZE or len(signature_data) > MAX_SIGNATURE_SIZE:
        raise EnrolmentInvalid()
    try:
        request = _parse(loads_object(data))
        signature = minisign.Signature.from_bytes(signature_data)
        if not signature.is_prehashed():
            raise EnrolmentInvalid()
        parse_public_key(request.public_key).verify(data, signature)
    except (FormatProblem, minisign.Error, ValueError) as exc:
        raise EnrolmentInvalid() from exc
    if signature.trusted_comment != enrolment_comment(request.device_id):
        raise EnrolmentInvalid()
    return request


def read_enrolment(path: Path) -> EnrolmentRequest:
    """Read `<device_id>.json` and the `.minisig` beside it, verified; raises `EnrolmentInvalid`."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_REQUEST_SIZE + 1)
        with open(path.with_name(path.name + ".minisig"), "rb") as handle:
            signature_data = handle.read(MAX_SIGNATURE_SIZE + 1)
    except OSError as exc:
        raise EnrolmentInvalid() from exc
    request = parse_enrolment(data, signature_data)
    if path.name != request.file_name:
        raise EnrolmentInvalid()
    return request

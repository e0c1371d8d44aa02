"""Enrolment requests: a new device's public key, signed by itself, for the centre to approve."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import minisign

from intake_app.sync.errors import EnrolmentInvalid
from intake_app.sync.format.keys import key_fingerprint, parse_public_key, public_key_to_text
from intake_app.sync.format.spec import MAX_SIGNATURE_SIZE, read_signed_file
from intake_app.sync.format.strict_json import (
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
MAX_NAME_LENGTH = 100
_KEYS = frozenset(
    {"format", "version", "device_id", "device_name", "worker", "public_key", "created"}
)


# Characters that change how a terminal or a table shows the text around them: controls (escape
# sequences, line breaks), format characters (bidi overrides, invisible marks), line and
# paragraph separators, lone surrogates. A crafted name could fake or hide the fingerprint line
# the administrator compares. The two joiners stay: Persian writes ordinary words with them.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_JOINERS = frozenset({"\u200c", "\u200d"})


def is_hidden(char: str) -> bool:
    """Whether one character is a control, format or separator character (joiners excepted)."""
    return unicodedata.category(char) in _HIDDEN_CATEGORIES and char not in _JOINERS


def has_hidden_characters(text: str) -> bool:
    """Whether `text` holds any character `is_hidden` refuses in a name."""
    return any(is_hidden(char) for char in text)


def escape_hidden(text: str) -> str:
    """`text` with each hidden character written as a visible escape (`\\x1b`, `\\u202e`)."""
    if not has_hidden_characters(text):
        return text
    return "".join(_escape(char) if is_hidden(char) else char for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


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
        """A new request (checked: it must survive its own strict parse).

        Hidden characters in the names become visible escapes, so the centre never refuses a
        laptop's own request for them.
        """
        request = cls(device_id, _visible(device_name), _visible(worker),
                      public_key_to_text(public_key), format_timestamp(created))
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


def _visible(name: str) -> str:
    return escape_hidden(name)[:MAX_NAME_LENGTH]


def _get_name(obj: dict[str, Any], key: str) -> str:
    """A name the administrator will read: bounded, and nothing that could hide or fake text."""
    value = get_str(obj, key, max_len=MAX_NAME_LENGTH)
    if has_hidden_characters(value):
        raise FormatProblem(f"field {key} holds control or format characters")
    return value


def _parse(obj: dict[str, Any]) -> EnrolmentRequest:
    exact_keys(obj, _KEYS)
    expect(obj, "format", ENROLMENT_FORMAT)
    expect(obj, "version", ENROLMENT_VERSION)
    public_key = get_str(obj, "public_key", max_len=128)
    parse_public_key(public_key)
    return EnrolmentRequest(
        device_id=get_match(obj, "device_id", UUID_RE),
        device_name=_get_name(obj, "device_name"),
        worker=_get_name(obj, "worker"),
        public_key=public_key,
        created=get_timestamp(obj, "created"),
    )


def sign_enrolment(request: EnrolmentRequest, secret_key: minisign.SecretKey
                   ) -> tuple[bytes, bytes]:
    """The request file's bytes and its minisign signature file (prehashed, device key)."""
    data = request.to_bytes()
    signature = secret_key.sign(data, prehash=True,
                                trusted_comment=enrolment_comment(request.device_id))
    return data, bytes(signature) + b"\n"


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
        data, signature_data = read_signed_file(path, MAX_REQUEST_SIZE)
    except OSError as exc:
        raise EnrolmentInvalid() from exc
    request = parse_enrolment(data, signature_data)
    if path.name != request.file_name:
        raise EnrolmentInvalid()
    return request

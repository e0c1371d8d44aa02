"""Check a bundle's signature with a given device key, without decrypting it (`verify`)."""

from __future__ import annotations

from pathlib import Path

import minisign

from intake_app.sync.device.errors import FileUnreadable, PublicKeyInvalid
from intake_app.sync.format.keys import key_id, parse_public_key
from intake_app.sync.format.reader import (
    DeviceState,
    KnownDevice,
    SignedBundle,
    open_container,
    verify_signature,
)
from intake_app.sync.format.spec import BundleComment
from intake_app.sync.format.strict_json import FormatProblem

_NOBODY = "00000000-0000-0000-0000-000000000000"


def _claimed_device(signature_data: bytes) -> str:
    """The device the trusted comment names; it is verified with the signature afterwards."""
    try:
        comment = minisign.Signature.from_bytes(signature_data).trusted_comment
        return BundleComment.parse(str(comment)).device_id
    except (minisign.Error, ValueError):  # FormatProblem is a ValueError
        return _NOBODY  # the checks below then name the real problem


def verify_bundle_file(path: Path, public_key: str) -> SignedBundle:
    """Checks 1 and 2 of the importer with `public_key` as the only known device.

    Raises `BundleRefused` with the spec's reason code (`unknown-device` when another key
    signed it), `PublicKeyInvalid` or `FileUnreadable`.
    """
    try:
        wanted = key_id(parse_public_key(public_key))
    except FormatProblem:
        raise PublicKeyInvalid() from None
    try:
        container = open_container(path)
    except OSError:
        raise FileUnreadable(name=path.name) from None
    with container:
        device = KnownDevice(_claimed_device(container.signature), public_key,
                             DeviceState.ACTIVE)
        return verify_signature(container, lambda kid: device if kid == wanted else None)

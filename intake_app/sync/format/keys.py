"""Device and centre keys: minisign signing keys, age X25519 identities, key ids, fingerprints.

All cryptography is done by py-minisign and pyrage; this module only makes, serialises and
names keys. Key ids are spelled the way the minisign command-line tool prints them (the
8-byte id read as a little-endian number, in upper-case hex without leading zeros), so an
administrator can compare them with `minisign` output.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

import minisign
import pyrage
from pyrage import x25519

from intake_app.sync.errors import DeviceKeyDamaged
from intake_app.sync.format.strict_json import FormatProblem

_KEY_ID = slice(2, 10)  # algorithm (2 bytes), then the key id (8 bytes), in keys and signatures
_KEY_CHECK = b"intake device key check"


def fingerprint(data: bytes) -> str:
    """Short fingerprint for reading aloud: SHA-256, first 20 hex digits in groups of 4."""
    digest = hashlib.sha256(data).hexdigest()[:20]
    return " ".join(digest[i : i + 4] for i in range(0, 20, 4))


def key_fingerprint(key_text: str) -> str:
    """Fingerprint of a public key given as text ("RW..." or "age1..."), over its ASCII bytes."""
    return fingerprint(key_text.encode("ascii"))


def _key_id_text(raw: bytes) -> str:
    return f"{int.from_bytes(raw[_KEY_ID], 'little'):X}"  # minisign prints no leading zeros


# --- device signing key (minisign) -------------------------------------------------------


def generate_signing_key() -> minisign.KeyPair:
    """A new minisign (Ed25519) key pair, for a device or for the centre's receipts."""
    return minisign.KeyPair.generate()


def export_secret_key(secret_key: minisign.SecretKey) -> bytes:
    """The unencrypted minisign secret key (base64, ASCII), to be stored inside a vault."""
    if secret_key.is_encrypted():
        raise ValueError("only unencrypted secret keys are stored; the vault encrypts them")
    return bytes(secret_key.to_base64())


def import_secret_key(data: bytes, public_key_text: str | None = None) -> minisign.SecretKey:
    """Load a secret key stored by `export_secret_key` and prove it still signs.

    With `public_key_text`, also require that it belongs to that public key.
    Raises `DeviceKeyDamaged`.
    """
    try:
        secret_key = minisign.SecretKey.from_base64(data)
        if secret_key.is_encrypted():
            raise DeviceKeyDamaged()
        public_key = secret_key.get_public_key()
        signature = secret_key.sign(_KEY_CHECK, prehash=True, trusted_comment="check")
        public_key.verify(_KEY_CHECK, signature)
    except (minisign.Error, ValueError) as exc:
        raise DeviceKeyDamaged() from exc
    if public_key_text is not None and public_key_to_text(public_key) != public_key_text:
        raise DeviceKeyDamaged()
    return secret_key


def public_key_to_text(public_key: minisign.PublicKey) -> str:
    """The public key as minisign prints it: base64, "RW..."."""
    return bytes(public_key.to_base64()).decode("ascii")


def parse_public_key(text: str) -> minisign.PublicKey:
    """Parse a minisign public key ("RW..."); raises `FormatProblem`."""
    if not isinstance(text, str) or not text.isascii():
        raise FormatProblem("public key is not text")
    try:
        return minisign.PublicKey.from_base64(text)
    except (minisign.Error, ValueError) as exc:
        raise FormatProblem("not a minisign public key") from exc


def public_key_file(public_key: minisign.PublicKey) -> bytes:
    """The two-line `.pub` file the minisign tool reads (`minisign -V -p FILE`)."""
    text = public_key_to_text(public_key)
    return f"untrusted comment: minisign public key {key_id(public_key)}\n{text}\n".encode()


def key_id(public_key: minisign.PublicKey) -> str:
    """The key id of a public key, as the minisign tool prints it."""
    return _key_id_text(base64.b64decode(public_key.to_base64()))


def signature_key_id(signature: minisign.Signature) -> str:
    """The key id named by a signature, as the minisign tool prints it."""
    line = bytes(signature).split(b"\n")[1]
    try:
        return _key_id_text(base64.b64decode(line, validate=True))
    except binascii.Error as exc:  # pragma: no cover - a parsed signature always has it
        raise FormatProblem("signature line is not base64") from exc


# --- centre keys (age) ---------------------------------------------------------------------


def generate_identity() -> x25519.Identity:
    """A new age X25519 identity (the centre's primary or backup decryption key)."""
    return x25519.Identity.generate()


def identity_to_text(identity: x25519.Identity) -> str:
    """The identity as age writes it: "AGE-SECRET-KEY-1..."."""
    return str(identity)


def parse_identity(text: str) -> x25519.Identity:
    """Parse an age X25519 identity; raises `FormatProblem`."""
    try:
        return x25519.Identity.from_str(text.strip())
    except (pyrage.IdentityError, ValueError, TypeError) as exc:
        raise FormatProblem("not an age identity") from exc


def recipient_of(identity: x25519.Identity) -> str:
    """The public recipient of an identity: "age1..."."""
    return str(identity.to_public())


def parse_recipient(text: str) -> x25519.Recipient:
    """Parse an age X25519 recipient ("age1..."); raises `FormatProblem`."""
    if not isinstance(text, str) or not text.startswith("age1"):
        raise FormatProblem("not an age X25519 recipient")
    try:
        return x25519.Recipient.from_str(text)
    except (pyrage.RecipientError, ValueError, TypeError) as exc:
        raise FormatProblem("not an age X25519 recipient") from exc


@dataclass(frozen=True, slots=True, repr=False)
class CentreKeys:
    """The centre's secret keys: primary and optional offline backup identity, receipt key."""

    primary: x25519.Identity
    backup: x25519.Identity | None
    receipt: minisign.KeyPair

    @classmethod
    def generate(cls, *, with_backup: bool = True) -> CentreKeys:
        """New centre keys; the backup identity's secret is meant to be printed and kept offline."""
        backup = generate_identity() if with_backup else None
        return cls(primary=generate_identity(), backup=backup, receipt=generate_signing_key())

    def recipients(self) -> list[str]:
        """The age recipients for the centre profile: primary first, then the backup."""
        identities = [self.primary] if self.backup is None else [self.primary, self.backup]
        return [recipient_of(identity) for identity in identities]

    def receipt_key_text(self) -> str:
        """The receipt public key for the centre profile ("RW...")."""
        return public_key_to_text(self.receipt.public_key)

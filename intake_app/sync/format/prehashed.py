"""Minisign prehashed signatures made and checked over a BLAKE2b-512 digest the caller computed.

py-minisign's `SecretKey.sign` hashes its input itself, pulling it 8 KiB at a time through
Python; a bundle writer that already sees every byte of `payload.age` go by hashes it there,
in large pieces and off Python's lock, and signs the digest here; the importer checks a
bundle the same way (`verify_digest`) instead of `PublicKey.verify`. The output is the standard
minisign signature (algorithm `ED`: Ed25519 over the file's BLAKE2b-512; the global signature
covers signature || trusted comment), parsed back by py-minisign and checked against the
standard `minisign -V` in the tests.

The key comes from `SecretKey.to_base64()`, the documented minisign secret-key layout; only an
unencrypted key (the vault encrypts it) is accepted, and the seed must give the stored public key.
"""

from __future__ import annotations

import base64
import hashlib

import minisign
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

PREHASHED = b"ED"
UNTRUSTED_COMMENT = "signature from minisign secret key"
_NO_KDF = b"\x00\x00"
_KEY_ID = slice(54, 62)  # after 3 algorithm ids (6), salt (32) and two KDF limits (16)
_SEED = slice(62, 94)
_PUBLIC = slice(94, 126)
_SECRET_KEY_BYTES = 158


def new_digest() -> hashlib.blake2b:
    """The hash a prehashed minisign signature covers."""
    return hashlib.blake2b(digest_size=64)


def sign_digest(secret_key: minisign.SecretKey, digest: bytes,
                trusted_comment: str) -> minisign.Signature:
    """Sign a BLAKE2b-512 digest (from `new_digest`) the way `minisign -S -H` signs a file."""
    if len(digest) != 64:
        raise ValueError("a prehashed signature covers a 64-byte BLAKE2b digest")
    if "\n" in trusted_comment or "\r" in trusted_comment:
        raise ValueError("a trusted comment is one line")
    raw = base64.b64decode(secret_key.to_base64(), validate=True)
    if len(raw) != _SECRET_KEY_BYTES or raw[2:4] != _NO_KDF:
        raise ValueError("only an unencrypted minisign secret key can sign here")
    private = Ed25519PrivateKey.from_private_bytes(raw[_SEED])
    if private.public_key().public_bytes_raw() != raw[_PUBLIC]:
        raise ValueError("the secret key does not match its public key")
    signature = private.sign(digest)
    comment = trusted_comment.encode()
    text = b"\n".join((
        f"untrusted comment: {UNTRUSTED_COMMENT}".encode(),
        base64.standard_b64encode(PREHASHED + raw[_KEY_ID] + signature),
        b"trusted comment: " + comment,
        base64.standard_b64encode(private.sign(signature + comment)),
    ))
    return minisign.Signature.from_bytes(text)


def verify_digest(public_key: minisign.PublicKey, signature: minisign.Signature,
                  digest: bytes) -> None:
    """Check a prehashed signature against the file's BLAKE2b-512 digest and the public key:
    the signature over the digest, then the global signature over it and the trusted comment.

    Raises `minisign.VerifyError` like `PublicKey.verify`; the key ids are the caller's to match.
    """
    lines = bytes(signature).split(b"\n")
    try:
        line = base64.b64decode(lines[1], validate=True)
        global_signature = base64.b64decode(lines[3], validate=True)
        comment = lines[2].removeprefix(b"trusted comment: ")
        raw_key = base64.b64decode(public_key.to_base64(), validate=True)
    except (IndexError, ValueError) as exc:
        raise minisign.VerifyError("signature unreadable") from exc
    if line[:2] != PREHASHED or len(line) != 74 or len(raw_key) != 42:
        raise minisign.VerifyError("not a prehashed Ed25519 signature")
    key = Ed25519PublicKey.from_public_bytes(raw_key[10:])
    try:
        key.verify(line[10:], digest)
        key.verify(global_signature, line[10:] + comment)
    except InvalidSignature as exc:
        raise minisign.VerifyError("signature verification failed") from exc

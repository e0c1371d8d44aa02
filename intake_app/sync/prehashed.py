"""A minisign prehashed signature over a BLAKE2b-512 digest the caller computed.

py-minisign's `SecretKey.sign` hashes its input itself, pulling it 8 KiB at a time through
Python; a bundle writer that already sees every byte of `payload.age` go by hashes it there,
in large pieces and off Python's lock, and signs the digest here. The output is the standard
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
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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
